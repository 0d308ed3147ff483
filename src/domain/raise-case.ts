import { bookFirstFree, bookingCandidates, meetingKey, placementIn, type Booking } from "./booking.js";
import { validateDraft, type CaseDraft, type FieldErrors, type CaseRecord } from "./case.js";
import { isCaseworker, type Municipality } from "./municipality.js";
import { notification } from "./notification.js";
import type { AddressBook, CaseRepository, CitizenRepository, Clock, MeetingCalendar, MeetingRepository, Placement } from "./ports.js";
import { localDateIn } from "./time.js";
import { raisedEvent, recordOverview, type OverviewLog } from "./overview-events.js";

export interface RaiseCaseCommand {
  municipality: Municipality;
  submissionId: string;
  user: { aadObjectId: string; name: string };
  draft: CaseDraft;
}

export type RaiseCaseOutcome =
  | { kind: "raised"; record: CaseRecord; created: boolean; booking?: Booking; forumHasChannel: boolean }
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "no-free-meeting" }
  | { kind: "not-caseworker" };

export interface RaiseCaseDeps {
  cases: CaseRepository;
  meetings: MeetingRepository;
  calendar: Pick<MeetingCalendar, "openForBooking">;
  addresses: Pick<AddressBook, "forumChannel">;
  clock: Clock;
  timeZone: string;
  /** Links each case to its citizen, so bostøtte decisions and målgruppeskift reach the caseworker (SPEC §7). */
  citizens?: Pick<CitizenRepository, "linkCase">;
  /** The managers' overview (SPEC §8): an event per new case, written again by a repeated submission. */
  overview?: Pick<OverviewLog, "record">;
}

class NoFreeMeeting extends Error {}

/**
 * SPEC §3: validate, then store once per submitted form. A normal case is booked into
 * the next meeting of its forum whose agenda deadline has not passed and that has a free
 * slot, judging age on that meeting's date (§3.4–3.5); an acute case skips the calendar.
 */
export async function raiseCase(deps: RaiseCaseDeps, command: RaiseCaseCommand): Promise<RaiseCaseOutcome> {
  const { municipality, user, draft } = command;
  if (!isCaseworker(municipality, user.aadObjectId)) return { kind: "not-caseworker" };
  const now = deps.clock.now();
  const validation = validateDraft(draft, municipality, localDateIn(now, deps.timeZone));
  if (!validation.ok) return { kind: "invalid", errors: validation.errors };
  const v = validation.value;

  let booking: Booking | undefined;
  const candidates = v.acute ? [] : bookingCandidates(municipality, v.cpr.birthDate, deps.calendar.openForBooking(municipality, now));
  // The first meeting is read while storage claims the form and its number: one round trip
  // for both. If the read fails (or is stale by then), claiming the slot reads it again.
  const firstSeen = candidates[0] ? deps.meetings.slotsSeen(municipality.tenantId, candidates[0]).catch(() => undefined) : undefined;
  const place = async (caseNo: number): Promise<Placement> => {
    if (v.acute) return { state: "acute" };
    booking = await bookFirstFree(deps.meetings, municipality.tenantId, candidates, caseNo, await firstSeen);
    if (!booking) throw new NoFreeMeeting();
    return { state: "booked", ...placementIn(booking.meeting, booking.slot, v.cpr.birthDate) };
  };
  // What belongs to the case outside it, written while the case commits, and again by a
  // repeated submission (each is idempotent), which completes one cut off the first time:
  // the citizen link (SPEC §7), the overview event (§8), and whether the coordinators can
  // see the case in Teams yet (the caseworker is told if not).
  let forumHasChannel = false;
  const alongside = async (record: CaseRecord): Promise<void> => {
    const [channel] = await Promise.all([
      deps.addresses.forumChannel(record.tenantId, record.forumId),
      deps.citizens?.linkCase(record.tenantId, record.cprDigits, record.caseNo, record.raisedBy),
      recordOverview(deps.overview, record.tenantId, [raisedEvent(record)], now),
    ]);
    forumHasChannel = channel !== undefined;
  };

  try {
    const { record, created } = await deps.cases.raise(
      command.submissionId,
      {
        tenantId: municipality.tenantId,
        cprDigits: v.cpr.digits,
        age: v.age,
        forumId: v.forum.id,
        department: v.department,
        health: v.health,
        social: v.social,
        question: v.question,
        acute: v.acute,
        acuteReason: v.acuteReason,
        raisedBy: user.aadObjectId,
        raisedByName: user.name,
        raisedAt: now.toISOString(),
      },
      place,
      // The card goes to the forum's channel at once (SPEC §3.7); for an acute case it comes
      // with an @mention of the coordinators (§3.6), rendered by the Teams edge.
      (record) => [
        notification(
          record.tenantId,
          `case:${record.caseNo}:card`,
          { kind: "forum-channel", forumId: record.forumId },
          { kind: "case-card", caseNo: record.caseNo, mode: "post" },
          now,
        ),
      ],
      alongside,
    );
    // Two presses of one form (a double click) each claim a slot while the case is not stored
    // yet; the case stored by the other press holds its own, so the one claimed here goes back.
    const held = booking !== undefined && record.meetingKey === meetingKey(booking.meeting) && record.slot === booking.slot;
    if (booking && !held) await deps.meetings.releaseSlot(municipality.tenantId, booking.meeting, booking.slot, record.caseNo);
    return { kind: "raised", record, created, forumHasChannel, ...(booking && held ? { booking } : {}) };
  } catch (error) {
    if (error instanceof NoFreeMeeting) return { kind: "no-free-meeting" };
    throw error;
  }
}

import { canManageForum } from "./access.js";
import { bookFirstFree, bookingCandidates, meetingKey, parseMeetingKey, placementIn } from "./booking.js";
import type { CaseRecord } from "./case.js";
import { parseCpr } from "./cpr.js";
import type { Municipality } from "./municipality.js";
import { notification } from "./notification.js";
import { movedEvent, recordOverview, type OverviewLog } from "./overview-events.js";
import type { CasePatch, CaseRepository, Clock, MeetingCalendar, MeetingRepository, ScheduledMeeting } from "./ports.js";

export interface MoveDeps {
  cases: CaseRepository;
  meetings: MeetingRepository;
  calendar: MeetingCalendar;
  clock: Clock;
  /** The managers' overview (SPEC §8): an event per move and decision. */
  overview?: Pick<OverviewLog, "record">;
}

export type MoveReason = "moved" | "meeting-cancelled" | "rolled-over" | "postponed" | "information-added";

export type MoveOutcome =
  | { kind: "moved"; record: CaseRecord; from: string; to: ScheduledMeeting; skippedFull: ScheduledMeeting[] }
  | { kind: "unknown-case" }
  | { kind: "stale"; record: CaseRecord }
  | { kind: "not-allowed" }
  | { kind: "not-booked"; record: CaseRecord }
  | { kind: "unknown-meeting" }
  | { kind: "no-free-meeting" };

export interface MoveCommand {
  municipality: Municipality;
  caseNo: number;
  /** The case version the card showed; a different one means the card is stale. */
  expectedVersion: number;
  /** A meeting chosen by a coordinator, or the next meeting with a free slot. */
  target: { kind: "meeting"; key: string } | { kind: "next" };
  by: string;
  reason: MoveReason;
  /** More fields changed in the same step (a postponement is also a decision). */
  extra?: CasePatch;
}

/**
 * Moves a booked case to another meeting (SPEC §4): a coordinator's choice, or the next
 * meeting with a free slot when its meeting is cancelled or it was not reached. The new
 * slot is claimed before the case changes and the old one released after, so a crash
 * part-way leaves at worst an extra occupied slot, never a case without one.
 */
export async function moveCase(deps: MoveDeps, command: MoveCommand): Promise<MoveOutcome> {
  const { municipality } = command;
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (command.reason === "moved" && !canManageForum(municipality, record.forumId, command.by)) return { kind: "not-allowed" };
  if (record.version !== command.expectedVersion) return { kind: "stale", record };
  if (record.state !== "booked" || !record.meetingKey || record.slot === undefined) return { kind: "not-booked", record };
  const from = parseMeetingKey(record.meetingKey);
  if (!from) return { kind: "not-booked", record };

  const now = deps.clock.now();
  const cpr = parseCpr(record.cprDigits);
  if (!cpr.ok) return { kind: "not-booked", record };
  let candidates: ScheduledMeeting[];
  if (command.target.kind === "meeting") {
    // Only a meeting the move form offers (the forum's next ones), never one years ahead or of another forum.
    const wanted = command.target.key;
    const meeting = deps.calendar.upcoming(municipality, record.forumId, now, MOVE_CHOICES + 1).find((m) => meetingKey(m) === wanted);
    if (!meeting || meeting.startsAt.getTime() <= now.getTime() || command.target.key === record.meetingKey)
      return { kind: "unknown-meeting" };
    candidates = [meeting];
  } else {
    const current = deps.calendar.find(municipality, from.forumId, from.date);
    const after = Math.max(now.getTime(), current?.startsAt.getTime() ?? 0);
    candidates = bookingCandidates(municipality, cpr.cpr.birthDate, deps.calendar.openForBooking(municipality, now)).filter(
      (m) => m.startsAt.getTime() > after,
    );
  }

  const booking = await bookFirstFree(deps.meetings, tenantId, candidates, record.caseNo);
  if (!booking) return { kind: "no-free-meeting" };
  const to = booking.meeting;
  const forumChanged = to.forumId !== record.forumId;
  const changed = await deps.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    {
      ...placementIn(to, booking.slot, cpr.cpr.birthDate),
      postponements: record.postponements + 1,
      // Another forum (the citizen changed target group): its card is posted anew in that forum's channel.
      ...(forumChanged ? { channelActivityId: "" } : {}),
      ...command.extra,
    },
    { at: now.toISOString(), user: command.by, action: "move", purpose: command.reason },
    // The channel card is edited in place (or, in another forum, posted there with the old card
    // saying where it went), and the raising caseworker is told (SPEC §7).
    (next) => [
      ...(forumChanged
        ? [
            notification(
              tenantId,
              `case:${next.caseNo}:card:v${next.version}`,
              { kind: "forum-channel", forumId: next.forumId },
              { kind: "case-card", caseNo: next.caseNo, mode: "post" },
              now,
            ),
            ...(record.channelActivityId
              ? [
                  notification(
                    tenantId,
                    `case:${next.caseNo}:moved-away:v${next.version}`,
                    { kind: "forum-channel", forumId: record.forumId },
                    { kind: "case-card-moved-away", caseNo: next.caseNo, activityId: record.channelActivityId, toForumId: next.forumId },
                    now,
                  ),
                ]
              : []),
          ]
        : [
            notification(
              tenantId,
              `case:${next.caseNo}:card:v${next.version}`,
              { kind: "forum-channel", forumId: next.forumId },
              { kind: "case-card", caseNo: next.caseNo, mode: "update" },
              now,
            ),
          ]),
      notification(
        tenantId,
        `case:${next.caseNo}:moved:v${next.version}`,
        { kind: "personal", aadObjectId: next.raisedBy },
        { kind: "case-moved", caseNo: next.caseNo, reason: command.reason },
        now,
      ),
    ],
  );
  if (!changed) {
    const latest = await deps.cases.get(tenantId, record.caseNo);
    await releaseUnlessHeld(deps, tenantId, latest, to, booking.slot, record.caseNo);
    return latest ? { kind: "stale", record: latest } : { kind: "unknown-case" };
  }
  await deps.meetings.releaseSlot(tenantId, from, record.slot, record.caseNo);
  await recordOverview(deps.overview, tenantId, [movedEvent(changed, command.reason, now)]);
  return { kind: "moved", record: changed, from: record.meetingKey, to, skippedFull: booking.skippedFull };
}

/** How many meetings a coordinator can choose between when moving a case. */
export const MOVE_CHOICES = 6;

export type MoveOptionsOutcome =
  | { kind: "options"; record: CaseRecord; meetings: { meeting: ScheduledMeeting; free: number }[] }
  | { kind: "not-allowed" }
  | { kind: "not-booked"; record: CaseRecord }
  | { kind: "unknown-case" };

/**
 * "Flyt sag": the forum's next meetings a coordinator can move a case to, with their free
 * slots. Cancelled meetings and the case's own meeting are left out. The meetings' slots
 * and status are read in parallel.
 */
export async function moveOptions(
  deps: MoveDeps,
  command: { municipality: Municipality; caseNo: number; user: string },
): Promise<MoveOptionsOutcome> {
  const { municipality } = command;
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (!canManageForum(municipality, record.forumId, command.user)) return { kind: "not-allowed" };
  if (record.state !== "booked") return { kind: "not-booked", record };
  const upcoming = deps.calendar
    .upcoming(municipality, record.forumId, deps.clock.now(), MOVE_CHOICES + 1)
    .filter((m) => meetingKey(m) !== record.meetingKey);
  const looked = await Promise.all(
    upcoming.map(async (meeting) => {
      const [status, bookings] = await Promise.all([deps.meetings.status(tenantId, meeting), deps.meetings.bookings(tenantId, meeting)]);
      return status.cancelled ? undefined : { meeting, free: Math.max(0, meeting.capacity - bookings.length) };
    }),
  );
  const meetings = looked.filter((m): m is { meeting: ScheduledMeeting; free: number } => m !== undefined).slice(0, MOVE_CHOICES);
  return { kind: "options", record, meetings };
}

/** A meeting of the calendar that has not started yet: one that was held (or missed) cannot be cancelled. */
function upcomingMeeting(deps: MoveDeps, municipality: Municipality, key: string): ScheduledMeeting | undefined {
  const wanted = parseMeetingKey(key);
  const meeting = wanted && deps.calendar.find(municipality, wanted.forumId, wanted.date);
  return meeting && meeting.startsAt.getTime() > deps.clock.now().getTime() ? meeting : undefined;
}

export type CancellationPreview =
  { kind: "confirm"; meeting: ScheduledMeeting; booked: number } | { kind: "not-allowed" } | { kind: "unknown-meeting" };

/** "Aflys mødet" on an agenda: what cancelling would do, for the forum's coordinators to confirm. */
export async function prepareMeetingCancellation(
  deps: MoveDeps,
  command: { municipality: Municipality; meetingKey: string; user: string },
): Promise<CancellationPreview> {
  const { municipality } = command;
  const meeting = upcomingMeeting(deps, municipality, command.meetingKey);
  if (!meeting) return { kind: "unknown-meeting" };
  if (!canManageForum(municipality, meeting.forumId, command.user)) return { kind: "not-allowed" };
  const booked = (await deps.meetings.bookings(municipality.tenantId, meeting)).length;
  return { kind: "confirm", meeting, booked };
}

export type CancelOutcome =
  | { kind: "cancelled"; meeting: ScheduledMeeting; moved: Extract<MoveOutcome, { kind: "moved" }>[]; unplaced: CaseRecord[] }
  | { kind: "already-cancelled" }
  | { kind: "not-allowed" }
  | { kind: "unknown-meeting" };

/**
 * A coordinator cancels a meeting (SPEC §4): it is marked cancelled first, so no new case
 * can land in it, then each of its cases moves to the next meeting with a free slot.
 * Running it again finishes a cancellation that was cut off.
 */
export async function cancelMeeting(
  deps: MoveDeps,
  command: { municipality: Municipality; meetingKey: string; by: string },
): Promise<CancelOutcome> {
  const { municipality } = command;
  const meeting = upcomingMeeting(deps, municipality, command.meetingKey);
  if (!meeting) return { kind: "unknown-meeting" };
  if (!canManageForum(municipality, meeting.forumId, command.by)) return { kind: "not-allowed" };
  const first = await deps.meetings.cancel(municipality.tenantId, meeting, command.by);
  const bookings = await deps.meetings.bookings(municipality.tenantId, meeting);
  if (!first && bookings.length === 0) return { kind: "already-cancelled" };
  return { kind: "cancelled", meeting, ...(await moveAll(deps, municipality, meeting, bookings, command.by, "meeting-cancelled")) };
}

/** Moves every case still booked into `meeting` on to the next meeting with a free slot. */
export async function moveAll(
  deps: MoveDeps,
  municipality: Municipality,
  meeting: { forumId: string; date: string },
  bookings: { slot: number; caseNo: number }[],
  by: string,
  reason: MoveReason,
) {
  const moved: Extract<MoveOutcome, { kind: "moved" }>[] = [];
  const unplaced: CaseRecord[] = [];
  const key = meetingKey(meeting);
  for (const booking of bookings) {
    const record = await deps.cases.get(municipality.tenantId, booking.caseNo);
    if (!record || record.meetingKey !== key || record.state !== "booked") {
      // A leftover slot of a case that has moved on: free it.
      await deps.meetings.releaseSlot(municipality.tenantId, meeting, booking.slot, booking.caseNo);
      continue;
    }
    const outcome = await moveCase(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      target: { kind: "next" },
      by,
      reason,
    });
    if (outcome.kind === "moved") moved.push(outcome);
    else unplaced.push(record);
  }
  return { moved, unplaced };
}

/**
 * Gives back a slot claimed for a change that lost its race — unless the winning change
 * holds that very slot: two moves of one case into the same meeting are handed the same
 * slot (a case's claim is idempotent), and the loser must not free the winner's.
 */
export async function releaseUnlessHeld(
  deps: Pick<MoveDeps, "meetings">,
  tenantId: string,
  latest: CaseRecord | undefined,
  meeting: { forumId: string; date: string },
  slot: number,
  caseNo: number,
): Promise<void> {
  if (latest && latest.meetingKey === meetingKey(meeting) && latest.slot === slot) return;
  await deps.meetings.releaseSlot(tenantId, meeting, slot, caseNo);
}

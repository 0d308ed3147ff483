import { DateTime } from "luxon";
import { bookFirstFree, bookingCandidates, localDateOf, meetingKey, parseMeetingKey } from "./booking.js";
import { ageOn, parseCpr } from "./cpr.js";
import type { Municipality } from "./municipality.js";
import { releaseUnlessHeld } from "./move-case.js";
import { notification, type Notification } from "./notification.js";
import { followUpDatesOf, isFollowUpRecorded, ownerIds, type FollowUpKind, type PlanRecord } from "./plan.js";
import { planFollowUpOverdueEvent } from "./overview-events.js";
import { localIsoDate, recordPlanOverview, type PlanDeps } from "./plan-use-cases.js";
import type { MeetingCalendar, MeetingRepository } from "./ports.js";
import { isOverdue, overdueFrom, workingDaysOf } from "./working-days.js";

/**
 * Following the plan up on time (SPEC §5, §7; seed 001: "Tidspunkter for opfølgning på den
 * beskæftigelsesrettede og sociale indsats"; seed 002: follow-up in the sparring forum).
 */

export interface DueFollowUp {
  kind: FollowUpKind;
  date: string;
}

/**
 * The plan's follow-ups whose date has come (on or before `today`, a local YYYY-MM-DD) and
 * that are not recorded as held, earliest first. None once the plan has ended.
 */
export function followUpsDue(plan: Pick<PlanRecord, "state" | "content" | "followUps">, today: string): DueFollowUp[] {
  return followUpDatesOf(plan)
    .filter((f) => f.date <= today && !isFollowUpRecorded(plan, f.kind, f.date))
    .sort((a, b) => a.date.localeCompare(b.date));
}

export { isOverdue, overdueFrom, workingDaysBetween, workingDaysOf, type WorkingDays } from "./working-days.js";

// ─── The reminder job ─────────────────────────────────────────────────────────────

export interface PlanJobDeps extends PlanDeps {
  meetings: MeetingRepository;
  calendar: MeetingCalendar;
}

/** After downtime, follow-up dates this many days back are still handled (each once). */
export const PLAN_FOLLOW_UP_CATCH_UP_DAYS = 14;
/** Reminders for a day go out from this local hour, not in the night. */
export const PLAN_REMINDER_HOUR = 8;

export interface PlanReminderReport {
  /** `caseNo:kind:date` of each follow-up both owners were told of by this run. */
  reminded: string[];
  /** `caseNo:date` of each forum follow-up booked into a meeting by this run. */
  booked: string[];
}

/**
 * On each follow-up date of a plan that has not ended, tells both owners once (SPEC §7 "plan
 * follow-up due"); a follow-up already recorded as held is skipped. On the forum follow-up
 * date the case is booked into the forum's next meeting with a free slot as a follow-up
 * item (the case's `planFollowUp` is set), and both owners are told which meeting.
 *
 * Safe to run often and on several instances: plans come from a one-partition index per
 * date, and every message has a deterministic key, committed once. Dates up to
 * {@link PLAN_FOLLOW_UP_CATCH_UP_DAYS} back are handled too, so downtime loses nothing; a
 * forum follow-up whose meeting is cancelled is booked again within that window.
 */
export async function remindPlanFollowUps(deps: PlanJobDeps, municipality: Municipality): Promise<PlanReminderReport> {
  const tenantId = municipality.tenantId;
  const now = deps.clock.now();
  const local = DateTime.fromJSDate(now, { zone: deps.timeZone });
  const lastDay = local.hour >= PLAN_REMINDER_HOUR ? local.startOf("day") : local.startOf("day").minus({ days: 1 });
  const report: PlanReminderReport = { reminded: [], booked: [] };
  for (let back = PLAN_FOLLOW_UP_CATCH_UP_DAYS; back >= 0; back--) {
    const date = lastDay.minus({ days: back }).toISODate()!;
    for (const row of await deps.plans.followUpsOn(tenantId, date)) {
      // The index is a hint, kept in step by storage; the plan itself decides.
      const plan = await deps.plans.get(tenantId, row.caseNo);
      if (!plan || !followUpDatesOf(plan).some((f) => f.kind === row.kind && f.date === date)) continue;
      if (isFollowUpRecorded(plan, row.kind, date)) continue;
      if (row.kind === "forum") {
        const booking = await bookForumFollowUp(deps, municipality, plan, date, now);
        if (booking === "booked") report.booked.push(`${plan.caseNo}:${date}`);
        // No meeting has a free slot: the owners are reminded instead, and the next run tries again.
        if (booking !== "no-free-meeting") continue;
      }
      const messages = ownerIds(plan).map((to) =>
        notification(
          tenantId,
          `plan:${plan.caseNo}:follow-up:${row.kind}:${date}:${to}`,
          { kind: "personal", aadObjectId: to },
          { kind: "plan", caseNo: plan.caseNo, event: "follow-up-due", followUp: row.kind, date },
          now,
        ),
      );
      if (await deps.plans.notifyOnce(tenantId, plan.caseNo, messages)) report.reminded.push(`${plan.caseNo}:${row.kind}:${date}`);
    }
  }
  await recordOverdueFollowUps(deps, municipality);
  return report;
}

/**
 * The managers' overview counts follow-ups not held in time (SPEC §8 "follow-ups overdue"):
 * for each follow-up that became overdue within the last {@link PLAN_FOLLOW_UP_CATCH_UP_DAYS}
 * days and is still not recorded as held, an event at the start of the day it became overdue.
 * Its id and time follow from the plan, the follow-up and the municipality's rule, so every
 * run (and every instance) writes the same row. Returns `caseNo:kind:date` of each.
 */
export async function recordOverdueFollowUps(deps: PlanDeps, municipality: Municipality): Promise<string[]> {
  if (!deps.overview) return [];
  const tenantId = municipality.tenantId;
  const rule = workingDaysOf(municipality);
  const today = DateTime.fromISO(localIsoDate(deps.clock.now(), deps.timeZone), { zone: "UTC" });
  const oldest = today.minus({ days: PLAN_FOLLOW_UP_CATCH_UP_DAYS }).toISODate()!;
  // A follow-up's grace spans its working days plus weekends and holidays: look back far enough.
  const lookBack = PLAN_FOLLOW_UP_CATCH_UP_DAYS + Math.ceil((rule.grace * 7) / 5) + 14;
  const written: string[] = [];
  for (let back = 1; back <= lookBack; back++) {
    const date = today.minus({ days: back }).toISODate()!;
    const from = overdueFrom(date, rule);
    if (from > today.toISODate()! || from < oldest) continue;
    for (const row of await deps.plans.followUpsOn(tenantId, date)) {
      const plan = await deps.plans.get(tenantId, row.caseNo);
      if (!plan || !followUpDatesOf(plan).some((f) => f.kind === row.kind && f.date === date)) continue;
      if (isFollowUpRecorded(plan, row.kind, date)) continue;
      const followUp = { kind: row.kind, date };
      await recordPlanOverview(deps, plan, (forumId) => [planFollowUpOverdueEvent(plan, forumId, followUp, rule, deps.timeZone)]);
      written.push(`${plan.caseNo}:${row.kind}:${date}`);
    }
  }
  return written;
}

type ForumBooking = "booked" | "held" | "lost" | "no-free-meeting" | "unknown-case";

/**
 * Books the plan's case into the next meeting with a free slot (from `date` on) as a
 * follow-up item, unless it is booked for this follow-up already in a meeting that was
 * not cancelled. Claims the slot first and releases it when the change loses a race, like
 * a move (src/domain/move-case.ts).
 */
async function bookForumFollowUp(
  deps: PlanJobDeps,
  municipality: Municipality,
  plan: PlanRecord,
  date: string,
  now: Date,
): Promise<ForumBooking> {
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, plan.caseNo);
  if (!record) return "unknown-case";
  const current = record.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  if (record.planFollowUp === date && current) {
    const status = await deps.meetings.status(tenantId, current);
    if (!status.cancelled && deps.calendar.find(municipality, current.forumId, current.date)) return "held";
  }
  const cpr = parseCpr(record.cprDigits);
  if (!cpr.ok) return "unknown-case";
  const candidates = bookingCandidates(municipality, cpr.cpr.birthDate, deps.calendar.openForBooking(municipality, now)).filter(
    (m) => m.date >= date,
  );
  const booking = await bookFirstFree(deps.meetings, tenantId, candidates, record.caseNo);
  if (!booking) return "no-free-meeting";
  const key = meetingKey(booking.meeting);
  const messages = (): Notification[] =>
    ownerIds(plan).map((to) =>
      notification(
        tenantId,
        `plan:${plan.caseNo}:forum-follow-up:${date}:${key}:${to}`,
        { kind: "personal", aadObjectId: to },
        { kind: "plan", caseNo: plan.caseNo, event: "forum-follow-up-booked", date, meetingKey: key },
        now,
      ),
    );
  const changed = await deps.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    {
      meetingKey: key,
      slot: booking.slot,
      forumId: booking.meeting.forumId,
      age: ageOn(cpr.cpr.birthDate, localDateOf(booking.meeting.date)),
      planFollowUp: date,
    },
    { at: now.toISOString(), user: "sparring", action: "plan-forum-follow-up", purpose: `forum follow-up of ${date} booked into ${key}` },
    messages,
  );
  if (!changed) {
    const latest = await deps.cases.get(tenantId, record.caseNo);
    await releaseUnlessHeld(deps, tenantId, latest, booking.meeting, booking.slot, record.caseNo);
    return "lost";
  }
  if (current && record.slot !== undefined && record.meetingKey !== key)
    await deps.meetings.releaseSlot(tenantId, current, record.slot, record.caseNo);
  return "booked";
}

/** Today's follow-ups of a plan with whether each is overdue, for a card or the digest. */
export function followUpStatus(
  plan: PlanRecord,
  municipality: Municipality,
  now: Date,
  timeZone: string,
): (DueFollowUp & { overdue: boolean })[] {
  const today = localIsoDate(now, timeZone);
  const rule = workingDaysOf(municipality);
  return followUpsDue(plan, today).map((f) => ({ ...f, overdue: isOverdue(f, today, rule) }));
}

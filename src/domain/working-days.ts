import { DateTime } from "luxon";
import { isWorkingDay } from "./calendar.js";
import type { Municipality } from "./municipality.js";

/**
 * When a joint plan's follow-up counts as overdue (SPEC §8 "follow-ups overdue"): more than
 * the municipality's grace of working days after its date. Used by the reminder job, the
 * plan card and the managers' overview alike.
 */

/** How long a follow-up may wait before it counts as overdue, in working days. */
export interface WorkingDays {
  grace: number;
  /** The municipality's local days off ("MM-DD" or "YYYY-MM-DD") on top of the public holidays. */
  localDaysOff?: readonly string[];
}

/** The municipality's rule: `planFollowUpGraceWorkingDays` (default 5) and its local days off. */
export function workingDaysOf(municipality: Pick<Municipality, "planFollowUpGraceWorkingDays" | "localDaysOff">): WorkingDays {
  return { grace: municipality.planFollowUpGraceWorkingDays, localDaysOff: municipality.localDaysOff };
}

/**
 * Working days after `date` up to and including `today` (both local YYYY-MM-DD): weekends,
 * Danish public holidays and local days off do not count. Counts at most `cap`.
 */
export function workingDaysBetween(
  date: string,
  today: string,
  localDaysOff: readonly string[] = [],
  cap = Number.POSITIVE_INFINITY,
): number {
  let day = DateTime.fromISO(date, { zone: "UTC" }).plus({ days: 1 });
  const end = DateTime.fromISO(today, { zone: "UTC" });
  let count = 0;
  while (day <= end && count < cap) {
    if (isWorkingDay(day, localDaysOff)) count++;
    day = day.plus({ days: 1 });
  }
  return count;
}

/**
 * Whether a follow-up not recorded as held is overdue on `today`: more than `grace`
 * working days have passed since its date (SPEC §8 "follow-ups overdue").
 */
export function isOverdue(followUp: { date: string }, today: string, workingDays: WorkingDays): boolean {
  if (followUp.date >= today) return false;
  return workingDaysBetween(followUp.date, today, workingDays.localDaysOff ?? [], workingDays.grace + 1) > workingDays.grace;
}

/**
 * The first local date on which a follow-up of `date` not held is overdue: the working day
 * after the grace (`isOverdue(date, d)` holds from this day on, not the day before).
 */
export function overdueFrom(date: string, workingDays: WorkingDays): string {
  let day = DateTime.fromISO(date, { zone: "UTC" });
  for (let counted = 0; counted <= workingDays.grace;) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day, workingDays.localDaysOff ?? [])) counted++;
  }
  return day.toISODate()!;
}

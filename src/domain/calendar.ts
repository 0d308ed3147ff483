import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { z } from "zod";
import { DEFAULT_TIME_ZONE } from "./time.js";

/**
 * Sparring forum meetings (SPEC §4, seed 001 "Møder i sparringsforum"). Pure: wall-clock
 * rules in, instants out. Times are Europe/Copenhagen by default and stay at the
 * configured clock time across daylight-saving changes (luxon does the zone arithmetic).
 */

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:mm");
const isoWeekday = z.number().int().min(1).max(7);

export const forumScheduleSchema = z.object({
  cadence: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("weekly"), weekday: isoWeekday, time: clockTime }),
    /**
     * The seed says both "én gang om måneden" and "onsdag kl. 14.00 i lige uger" for the
     * adult forum. Even ISO weeks is the default; `monthly` is the other reading.
     */
    z.object({ kind: z.literal("biweekly"), weekday: isoWeekday, time: clockTime, isoWeekParity: z.enum(["even", "odd"]) }),
    z.object({
      kind: z.literal("monthly"),
      weekday: isoWeekday,
      time: clockTime,
      nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal("last")]),
    }),
  ]),
  durationMinutes: z.number().int().min(10).max(480),
  slotMinutes: z.number().int().min(5).max(120),
  agendaDeadline: z.discriminatedUnion("kind", [
    /** "senest 3 dage før mødet kl. 12.00" */
    z.object({ kind: z.literal("daysBefore"), days: z.number().int().min(0).max(30), time: clockTime }),
    /** "senest mandagen før mødet kl. 12.00": the latest such weekday strictly before the meeting date. */
    z.object({ kind: z.literal("weekdayBefore"), weekday: isoWeekday, time: clockTime }),
  ]),
});

export type ForumSchedule = z.infer<typeof forumScheduleSchema>;

/** A local day off: every year ("12-24") or one date ("2026-12-28"). */
export const localDayOffSchema = z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use "MM-DD" or "YYYY-MM-DD"');

/**
 * Norddjurs' defaults (seed 001). The youth forum meets weekly; the seed gives no weekday
 * or time, so Tuesday 13:00 is a documented assumption to configure per municipality.
 */
export const DEFAULT_SCHEDULES = {
  unge: {
    cadence: { kind: "weekly", weekday: 2, time: "13:00" },
    durationMinutes: 60,
    slotMinutes: 10,
    agendaDeadline: { kind: "daysBefore", days: 3, time: "12:00" },
  },
  voksne: {
    cadence: { kind: "biweekly", weekday: 3, time: "14:00", isoWeekParity: "even" },
    durationMinutes: 30,
    slotMinutes: 10,
    agendaDeadline: { kind: "weekdayBefore", weekday: 1, time: "12:00" },
  },
} as const satisfies Record<string, ForumSchedule>;

export interface Meeting {
  forumId: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  startsAt: Date;
  endsAt: Date;
  agendaDeadline: Date;
  capacity: number;
  slotMinutes: number;
}

export interface CalendarOptions {
  zone?: string;
  localDaysOff?: readonly string[];
}

const danishHolidays = new Holidays("DK");
const holidayCache = new Map<number, Set<string>>();

/** Danish public holidays of a year (date-holidays, type "public": Store bededag ends after 2023). */
function publicHolidays(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (!days) {
    days = new Set(
      danishHolidays
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, days);
  }
  return days;
}

export function isPublicHoliday(date: DateTime): boolean {
  return publicHolidays(date.year).has(date.toISODate()!);
}

/** A public holiday or one of the municipality's local days off. */
export function isDayOff(date: DateTime, localDaysOff: readonly string[] = []): boolean {
  const iso = date.toISODate()!;
  return isPublicHoliday(date) || localDaysOff.includes(iso) || localDaysOff.includes(iso.slice(5));
}

export function isWorkingDay(date: DateTime, localDaysOff: readonly string[] = []): boolean {
  return date.weekday <= 5 && !isDayOff(date, localDaysOff);
}

function atClock(date: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return date.set({ hour, minute, second: 0, millisecond: 0 });
}

/** Whether the schedule's cadence puts a meeting on this local date (holidays not considered). */
function isCadenceDate(date: DateTime, schedule: ForumSchedule): boolean {
  const c = schedule.cadence;
  if (date.weekday !== c.weekday) return false;
  switch (c.kind) {
    case "weekly":
      return true;
    case "biweekly":
      return (date.weekNumber % 2 === 0) === (c.isoWeekParity === "even");
    case "monthly":
      return c.nth === "last" ? date.plus({ weeks: 1 }).month !== date.month : Math.ceil(date.day / 7) === c.nth;
  }
}

/**
 * The agenda deadline of a meeting on `meetingDate`. A deadline on a weekend, public
 * holiday or local day off moves to the previous working day, same clock time (SPEC §4).
 */
export function agendaDeadlineFor(meetingDate: DateTime, schedule: ForumSchedule, localDaysOff: readonly string[] = []): DateTime {
  const rule = schedule.agendaDeadline;
  let day = meetingDate.startOf("day");
  if (rule.kind === "daysBefore") {
    day = day.minus({ days: rule.days });
  } else {
    day = day.minus({ days: 1 });
    while (day.weekday !== rule.weekday) day = day.minus({ days: 1 });
  }
  while (!isWorkingDay(day, localDaysOff)) day = day.minus({ days: 1 });
  return atClock(day, rule.time);
}

function toMeeting(forumId: string, date: DateTime, schedule: ForumSchedule, localDaysOff: readonly string[]): Meeting {
  const start = atClock(date, schedule.cadence.time);
  return {
    forumId,
    date: date.toISODate()!,
    startsAt: start.toJSDate(),
    endsAt: start.plus({ minutes: schedule.durationMinutes }).toJSDate(),
    agendaDeadline: agendaDeadlineFor(date, schedule, localDaysOff).toJSDate(),
    capacity: Math.floor(schedule.durationMinutes / schedule.slotMinutes),
    slotMinutes: schedule.slotMinutes,
  };
}

/** Scanning limit: a monthly schedule finds 26 meetings in about two years of days. */
const MAX_DAYS_SCANNED = 366 * 5;

/**
 * The next `count` meetings starting after `from`. A meeting on a public holiday or local
 * day off does not take place; its cases go to the next one (SPEC §4).
 */
export function upcomingMeetings(
  forumId: string,
  schedule: ForumSchedule,
  options: CalendarOptions & { from: Date; count: number },
): Meeting[] {
  const zone = options.zone ?? DEFAULT_TIME_ZONE;
  const daysOff = options.localDaysOff ?? [];
  const from = DateTime.fromJSDate(options.from, { zone });
  const meetings: Meeting[] = [];
  let day = from.startOf("day");
  for (let scanned = 0; meetings.length < options.count && scanned < MAX_DAYS_SCANNED; scanned++, day = day.plus({ days: 1 })) {
    if (!isCadenceDate(day, schedule) || isDayOff(day, daysOff)) continue;
    const meeting = toMeeting(forumId, day, schedule, daysOff);
    if (meeting.startsAt.getTime() > options.from.getTime()) meetings.push(meeting);
  }
  return meetings;
}

/** Upcoming meetings whose agenda deadline has not passed at `now` (SPEC §3.5). */
export function openMeetingsForBooking(
  forumId: string,
  schedule: ForumSchedule,
  options: CalendarOptions & { now: Date; count: number },
): Meeting[] {
  const candidates = upcomingMeetings(forumId, schedule, { ...options, from: options.now, count: options.count + 4 });
  return candidates.filter((m) => m.agendaDeadline.getTime() > options.now.getTime()).slice(0, options.count);
}

/** The meeting on `date` (YYYY-MM-DD) if the schedule really has one then; undefined otherwise. */
export function meetingById(forumId: string, schedule: ForumSchedule, date: string, options: CalendarOptions = {}): Meeting | undefined {
  const zone = options.zone ?? DEFAULT_TIME_ZONE;
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid || day.toISODate() !== date) return undefined;
  if (!isCadenceDate(day, schedule) || isDayOff(day, options.localDaysOff ?? [])) return undefined;
  return toMeeting(forumId, day, schedule, options.localDaysOff ?? []);
}

/** Meetings whose agenda deadline fell in (since, until]: the agendas due for publishing. */
export function meetingsWithDeadlineBetween(
  forumId: string,
  schedule: ForumSchedule,
  since: Date,
  until: Date,
  options: CalendarOptions = {},
): Meeting[] {
  // A deadline is at most ~5 weeks before its meeting, so meetings from `since` on cover every deadline after it.
  const horizon = upcomingMeetings(forumId, schedule, { ...options, from: since, count: 60 });
  return horizon.filter((m) => m.agendaDeadline.getTime() > since.getTime() && m.agendaDeadline.getTime() <= until.getTime());
}

/** Start of the 0-based slot; undefined beyond the meeting's capacity. */
export function slotStart(meeting: Meeting, slotIndex: number): Date | undefined {
  if (!Number.isInteger(slotIndex) || slotIndex < 0 || slotIndex >= meeting.capacity) return undefined;
  return new Date(meeting.startsAt.getTime() + slotIndex * meeting.slotMinutes * 60_000);
}

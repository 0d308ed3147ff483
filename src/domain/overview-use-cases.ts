import { DateTime } from "luxon";
import { LATE_AFTER_MS } from "./meeting-jobs.js";
import type { Municipality } from "./municipality.js";
import { notification, type Notification } from "./notification.js";
import { MAX_OVERVIEW_DAYS, MIN_OVERVIEW_DAYS, overviewFigures, periodsEndingAt, type OverviewFigures, type Period } from "./overview.js";
import type { OverviewLog } from "./overview-events.js";
import { readPeriod } from "./overview-summaries.js";
import type { Clock, MeetingCalendar, MeetingRepository, Outbox, ParkedMessages } from "./ports.js";

export interface OverviewDeps {
  overview: OverviewLog;
  meetings: Pick<MeetingRepository, "status" | "bookings">;
  calendar: Pick<MeetingCalendar, "upcoming">;
  outbox: Pick<Outbox, "parked">;
  clock: Clock;
  timeZone: string;
}

/** How many coming meetings per forum the agenda load shows. */
export const AGENDA_MEETINGS_PER_FORUM = 3;

export interface AgendaLoad {
  forumId: string;
  date: string;
  startsAt: Date;
  booked: number;
  capacity: number;
  cancelled: boolean;
}

/** Everything one overview shows; counts only, no personal data. */
export interface OverviewReport {
  period: Period;
  figures: OverviewFigures;
  agenda: AgendaLoad[];
  parked: ParkedMessages;
  /** Counts from 1 below this are hidden (municipality's `overview.smallCountThreshold`). */
  threshold: number;
}

export function isManager(municipality: Municipality, aadObjectId: string): boolean {
  return aadObjectId !== "" && municipality.roles.managers.includes(aadObjectId);
}

export type OverviewDaysParse = { ok: true; days: number } | { ok: false; error: "not-a-number" | "out-of-range" };

/** What follows `overblik`: nothing (7 days, or the municipality's default), or 1–365 days. */
export function parseOverviewDays(typed: string, defaultDays: number): OverviewDaysParse {
  const text = typed.trim().replace(/\s*dage?$/i, "");
  if (text === "") return { ok: true, days: defaultDays };
  if (!/^\d{1,6}$/.test(text)) return { ok: false, error: "not-a-number" };
  const days = Number(text);
  return days < MIN_OVERVIEW_DAYS || days > MAX_OVERVIEW_DAYS ? { ok: false, error: "out-of-range" } : { ok: true, days };
}

export type ShowOverviewOutcome =
  { kind: "overview"; report: OverviewReport } | { kind: "not-manager" } | { kind: "invalid-days"; error: "not-a-number" | "out-of-range" };

/** `overblik [dage]` in personal chat (SPEC §8): managers only. */
export async function showOverview(
  deps: OverviewDeps,
  command: { municipality: Municipality; user: string; typed: string },
): Promise<ShowOverviewOutcome> {
  if (!isManager(command.municipality, command.user)) return { kind: "not-manager" };
  const days = parseOverviewDays(command.typed, command.municipality.overview.days);
  if (!days.ok) return { kind: "invalid-days", error: days.error };
  return { kind: "overview", report: await overviewReport(deps, command.municipality, deps.clock.now(), days.days) };
}

/**
 * The overview of the `days` days up to `until`: the period and the previous one, each read
 * as the stored summaries of its whole settled days and months plus the events of its
 * edges (`overview-summaries.ts`), the coming meetings' load, and the parked messages.
 */
export async function overviewReport(deps: OverviewDeps, municipality: Municipality, until: Date, days: number): Promise<OverviewReport> {
  const tenantId = municipality.tenantId;
  const { current, previous } = periodsEndingAt(until, days);
  const now = deps.clock.now();
  const [read, previousRead, agenda, parked] = await Promise.all([
    readPeriod(deps.overview, tenantId, current, now, deps.timeZone),
    readPeriod(deps.overview, tenantId, previous, now, deps.timeZone),
    agendaLoad(deps, municipality),
    deps.outbox.parked(tenantId),
  ]);
  const figures = overviewFigures({
    forumIds: municipality.forums.map((f) => f.id),
    period: current,
    events: read.events,
    tallies: read.tallies,
    previous: previousRead.events,
    previousTallies: previousRead.tallies,
    previousPeriod: previous,
    timeZone: deps.timeZone,
  });
  return { period: current, figures, agenda, parked, threshold: municipality.overview.smallCountThreshold };
}

async function agendaLoad(deps: OverviewDeps, municipality: Municipality): Promise<AgendaLoad[]> {
  const now = deps.clock.now();
  const meetings = municipality.forums.flatMap((f) => deps.calendar.upcoming(municipality, f.id, now, AGENDA_MEETINGS_PER_FORUM));
  return Promise.all(
    meetings.map(async (m) => {
      const [status, bookings] = await Promise.all([
        deps.meetings.status(municipality.tenantId, m),
        deps.meetings.bookings(municipality.tenantId, m),
      ]);
      return {
        forumId: m.forumId,
        date: m.date,
        startsAt: m.startsAt,
        booked: bookings.length,
        capacity: m.capacity,
        cancelled: status.cancelled,
      };
    }),
  );
}

export type SubscriptionOutcome =
  { kind: "subscribed" | "already-subscribed" | "unsubscribed" | "not-subscribed" } | { kind: "not-manager" };

/** `abonnér på overblik` / `afmeld overblik`: the overview on the municipality's schedule. */
export async function changeOverviewSubscription(
  deps: Pick<OverviewDeps, "overview" | "clock">,
  command: { municipality: Municipality; user: string; subscribe: boolean },
): Promise<SubscriptionOutcome> {
  const { municipality, user } = command;
  if (!isManager(municipality, user)) return { kind: "not-manager" };
  if (command.subscribe) {
    return { kind: (await deps.overview.subscribe(municipality.tenantId, user, deps.clock.now())) ? "subscribed" : "already-subscribed" };
  }
  return { kind: (await deps.overview.unsubscribe(municipality.tenantId, user)) ? "unsubscribed" : "not-subscribed" };
}

/** The latest scheduled time at or before `now` (weekday 1 = Monday, `HH:mm` in `timeZone`). */
export function latestScheduledAt(now: Date, schedule: { weekday: number; time: string }, timeZone: string): Date {
  const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  for (let back = 0; back <= 7; back++) {
    const day = local.minus({ days: back });
    if (day.weekday !== schedule.weekday) continue;
    const at = day.set({ hour, minute, second: 0, millisecond: 0 });
    if (at.toMillis() <= now.getTime()) return at.toJSDate();
  }
  throw new Error("unreachable: a weekday recurs within 7 days");
}

/**
 * Each subscribed manager gets one overview per scheduled time (SPEC §8), once: the
 * message's id follows from the manager and the scheduled time, and it is committed at most
 * once, so two instances or a restart never send it twice. After downtime it is sent late
 * and says so. A manager who subscribed after the scheduled time waits for the next one.
 * Returns how many overviews this call committed.
 */
export async function sendScheduledOverviews(
  deps: Pick<OverviewDeps, "overview" | "clock" | "timeZone">,
  municipality: Municipality,
): Promise<number> {
  const now = deps.clock.now();
  const scheduledAt = latestScheduledAt(now, municipality.overview.schedule, deps.timeZone);
  const late = now.getTime() - scheduledAt.getTime() > LATE_AFTER_MS;
  const subscribers = await deps.overview.subscribers(municipality.tenantId);
  let sent = 0;
  for (const s of subscribers) {
    if (!isManager(municipality, s.aadObjectId) || s.since > scheduledAt.toISOString()) continue;
    const message: Notification = notification(
      municipality.tenantId,
      `overview:${s.aadObjectId}:${scheduledAt.toISOString()}`,
      { kind: "personal", aadObjectId: s.aadObjectId },
      { kind: "overview", until: scheduledAt.toISOString(), days: municipality.overview.days, late },
      now,
    );
    if (await deps.overview.notifyOnce(municipality.tenantId, [message])) sent++;
  }
  return sent;
}

import { addTally, emptyTally, tallyEvents, uniqueEvents, DAY_MS, type OverviewTally, type Period } from "./overview.js";
import { settledBefore, type OverviewEvent, type OverviewLog, type OverviewSummary, type SpanRun } from "./overview-events.js";

/**
 * Reading a period for the managers' overview (SPEC §8) without reading every event in it.
 *
 * A settled UTC day (see `SETTLE_MS`) gets a summary, made once from its event rows and
 * stored; a whole UTC month gets one made from its days. A period is then read as the
 * summaries of the whole months in it, the summaries of the whole settled days around them,
 * and the raw events of its partial edges (the first and last hours, and the days not settled
 * yet). A year at a municipality's volume is some 12 month rows, up to about 60 day rows and
 * a few days of events, instead of every event.
 *
 * Summaries are never added to: each is computed from its span's rows and stored under a key
 * of its span, so two instances making the same one at once, or a retry, store the same
 * thing twice, and nothing is counted twice. A missing summary is made by whoever reads it
 * first (a manager's `overblik`, or the hourly job that keeps the recent ones ready).
 */

/** Bump when {@link OverviewTally} changes shape or meaning: older summaries are then made again. */
export const SUMMARY_VERSION = 1;

const MONTH_KEY = 7;

/** How a period splits into stored summaries and raw events. */
export interface PeriodParts {
  /** Whole UTC months (`YYYY-MM`), all settled. */
  months: string[];
  /** Whole settled UTC days (`YYYY-MM-DD`) not in those months. */
  days: string[];
  /** What is read as events: the partial days at the edges and the days not settled yet. */
  raw: { from: Date; until: Date }[];
}

const dayStart = (t: number) => t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
const dayKey = (t: number) => new Date(t).toISOString().slice(0, 10);
const monthKey = (t: number) => new Date(t).toISOString().slice(0, MONTH_KEY);
const nextMonth = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The parts of `[from, until)` when days before `settled` (a UTC midnight) may be summarised. */
export function periodParts(from: Date, until: Date, settled: Date): PeriodParts {
  const parts: PeriodParts = { months: [], days: [], raw: [] };
  if (until.getTime() <= from.getTime()) return parts;
  const first = dayStart(from.getTime() + DAY_MS - 1);
  const end = Math.min(dayStart(until.getTime()), settled.getTime());
  if (end <= first) {
    parts.raw.push({ from, until });
    return parts;
  }
  if (from.getTime() < first) parts.raw.push({ from, until: new Date(first) });
  for (let t = first; t < end;) {
    const monthEnd = nextMonth(t);
    if (new Date(t).getUTCDate() === 1 && monthEnd <= end) {
      parts.months.push(monthKey(t));
      t = monthEnd;
    } else {
      parts.days.push(dayKey(t));
      t += DAY_MS;
    }
  }
  if (end < until.getTime()) parts.raw.push({ from: new Date(end), until });
  return parts;
}

/** Consecutive spans (days, or months) as runs, one range read each. */
export function runsOf(spans: readonly string[]): SpanRun[] {
  const runs: SpanRun[] = [];
  for (const span of [...spans].sort()) {
    const last = runs[runs.length - 1];
    if (last && next(last.to) === span) last.to = span;
    else runs.push({ from: span, to: span });
  }
  return runs;
}

function next(span: string): string {
  const t = Date.parse(span.length === MONTH_KEY ? `${span}-01T00:00:00Z` : `${span}T00:00:00Z`);
  return span.length === MONTH_KEY ? monthKey(nextMonth(t)) : dayKey(t + DAY_MS);
}

const daysOfMonth = (month: string): string[] => {
  const days: string[] = [];
  const end = nextMonth(Date.parse(`${month}-01T00:00:00Z`));
  for (let t = Date.parse(`${month}-01T00:00:00Z`); t < end; t += DAY_MS) days.push(dayKey(t));
  return days;
};

export interface ReadPeriod {
  /** The summaries' tallies, one per whole month or settled day of the period. */
  tallies: OverviewTally[];
  /** The events of the rest of the period. */
  events: OverviewEvent[];
}

/**
 * Reads a period for the overview: stored summaries where the period covers whole settled
 * days and months (making and storing any that are missing), raw events elsewhere.
 */
export async function readPeriod(
  log: Pick<OverviewLog, "between" | "summaries" | "storeSummaries">,
  tenantId: string,
  period: Pick<Period, "from" | "until">,
  now: Date,
  timeZone: string,
): Promise<ReadPeriod> {
  const parts = periodParts(period.from, period.until, settledBefore(now));
  const runs = [...runsOf(parts.months), ...runsOf(parts.days)];
  const [stored, ...raw] = await Promise.all([
    runs.length > 0 ? log.summaries(tenantId, runs) : Promise.resolve([]),
    ...parts.raw.map((r) => log.between(tenantId, r.from, r.until)),
  ]);
  const found = usable(stored, timeZone);
  const made = await makeSummaries(
    log,
    tenantId,
    parts.months.filter((m) => !found.has(m)),
    parts.days.filter((d) => !found.has(d)),
    timeZone,
  );
  const tallies = [...parts.months, ...parts.days].map((span) => (found.get(span) ?? made.get(span))!.tally);
  return { tallies, events: raw.flat() };
}

/**
 * Makes sure the summaries of the recent settled days and months exist (the hourly job), so
 * a manager's overview never pays for making them: from the start of the previous UTC month
 * up to the last settled day.
 */
export async function keepOverviewSummaries(
  log: Pick<OverviewLog, "between" | "summaries" | "storeSummaries">,
  tenantId: string,
  now: Date,
  timeZone: string,
): Promise<number> {
  const settled = settledBefore(now);
  const thisMonth = Date.parse(`${monthKey(settled.getTime() - 1)}-01T00:00:00Z`);
  const previousMonth = Date.parse(`${monthKey(thisMonth - 1)}-01T00:00:00Z`);
  const parts = periodParts(new Date(previousMonth), settled, settled);
  const stored = usable(await log.summaries(tenantId, [...runsOf(parts.months), ...runsOf(parts.days)]), timeZone);
  const made = await makeSummaries(
    log,
    tenantId,
    parts.months.filter((m) => !stored.has(m)),
    parts.days.filter((d) => !stored.has(d)),
    timeZone,
  );
  return made.size;
}

function usable(stored: readonly OverviewSummary[], timeZone: string): Map<string, OverviewSummary> {
  return new Map(stored.filter((s) => s.version === SUMMARY_VERSION && s.timeZone === timeZone).map((s) => [s.span, s]));
}

/**
 * Makes the missing summaries: a month from its day summaries (making the days it lacks), a
 * day from its event rows, read as one range per run of consecutive days. Stores them and
 * returns them all by span.
 */
async function makeSummaries(
  log: Pick<OverviewLog, "between" | "summaries" | "storeSummaries">,
  tenantId: string,
  months: readonly string[],
  days: readonly string[],
  timeZone: string,
): Promise<Map<string, OverviewSummary>> {
  const made = new Map<string, OverviewSummary>();
  if (months.length === 0 && days.length === 0) return made;
  const monthDays = months.flatMap(daysOfMonth);
  const storedDays = monthDays.length > 0 ? usable(await log.summaries(tenantId, runsOf(monthDays)), timeZone) : new Map();
  const dayTallies = new Map<string, OverviewSummary>(storedDays);
  const toMake = [...new Set([...monthDays.filter((d) => !storedDays.has(d)), ...days])];
  const newDays: OverviewSummary[] = [];
  for (const run of runsOf(toMake)) {
    const from = new Date(`${run.from}T00:00:00Z`);
    const until = new Date(Date.parse(`${run.to}T00:00:00Z`) + DAY_MS);
    const byDay = new Map<string, OverviewEvent[]>();
    for (const e of await log.between(tenantId, from, until)) {
      const day = new Date(e.at).toISOString().slice(0, 10);
      const list = byDay.get(day);
      if (list) list.push(e);
      else byDay.set(day, [e]);
    }
    for (let t = from.getTime(); t < until.getTime(); t += DAY_MS) {
      const span = dayKey(t);
      const events = uniqueEvents(byDay.get(span) ?? []);
      const summary = { span, version: SUMMARY_VERSION, timeZone, events: events.length, tally: tallyEvents(events, timeZone) };
      newDays.push(summary);
      dayTallies.set(span, summary);
    }
  }
  const newMonths = months.map((month): OverviewSummary => {
    const parts = daysOfMonth(month).map((d) => dayTallies.get(d)!);
    const tally = emptyTally();
    for (const p of parts) addTally(tally, p.tally);
    return { span: month, version: SUMMARY_VERSION, timeZone, events: parts.reduce((n, p) => n + p.events, 0), tally };
  });
  await log.storeSummaries(tenantId, [...newDays, ...newMonths]);
  for (const d of days) made.set(d, dayTallies.get(d)!);
  for (const m of newMonths) made.set(m.span, m);
  return made;
}

import { DateTime } from "luxon";
import { DECISIONS, type DecisionKind } from "./case-lifecycle.js";
import { AGE_GROUPS, type AgeGroup, type OverviewEvent } from "./overview-events.js";

/** `overblik` takes 1–365 days (SPEC §8). */
export const MIN_OVERVIEW_DAYS = 1;
export const MAX_OVERVIEW_DAYS = 365;
export const DAY_MS = 86_400_000;

export interface Period {
  from: Date;
  until: Date;
  days: number;
}

/** The `days` days up to `now`, and the period of the same length before it. */
export function periodsEndingAt(now: Date, days: number): { current: Period; previous: Period } {
  const from = new Date(now.getTime() - days * DAY_MS);
  return { current: { from, until: now, days }, previous: { from: new Date(from.getTime() - days * DAY_MS), until: from, days } };
}

export type DecisionCounts = Record<DecisionKind, number>;

export interface ForumFigures {
  raised: number;
  acute: number;
  decided: DecisionCounts;
  /** Raised in the period and neither decided for good nor withdrawn in it. */
  pending: number;
  /** Moved on from a meeting: postponed, rolled over, cancelled meeting, moved by a coordinator. */
  moved: number;
}

export interface Durations {
  /** Final decisions (start, ikke grundlag) the days are taken from. */
  count: number;
  /** Median days from raised to decided; undefined without decisions. */
  median?: number;
  /** The slowest quarter took longer than this (the 75th percentile). */
  slowestQuarter?: number;
}

export interface OverviewFigures {
  forums: { forumId: string; figures: ForumFigures }[];
  total: ForumFigures;
  durations: { current: Durations; previous: Durations };
  /**
   * Decisions per week (ISO week in the municipality's zone, "2026-W47"), or per month
   * ("2026-11") when the period is longer than {@link WEEKS_UP_TO_DAYS} days; oldest first.
   */
  weeks: { week: string; decided: DecisionCounts }[];
  bucket: "week" | "month";
  bostotte: { bevilling: number; afslag: number; ophoer: number; reachedCaseworker: number; reachedForum: number };
  plans: { recorded: boolean; agreed: number; active: number; followUpsOnTime: number; followUpsOverdue: number };
  /** Seed 001, Tabel 1: per age group, joint cases (start), the employment side (ikke grundlag), still open. */
  population: Record<AgeGroup, { joint: number; employment: number; open: number }>;
}

const noDecisions = (): DecisionCounts => ({ start: 0, "no-basis": 0, "more-information": 0, postpone: 0 });
const emptyForum = (): ForumFigures => ({ raised: 0, acute: 0, decided: noDecisions(), pending: 0, moved: 0 });

const isFinal = (d: DecisionKind) => d === "start" || d === "no-basis";

/**
 * The overview's figures over a period's events (SPEC §8), counts only. Events outside
 * `period` are ignored; the same event id twice counts once. `previous` are the events of
 * the period of the same length before, for the comparison of durations.
 */
export function overviewFigures(o: {
  forumIds: readonly string[];
  period: Period;
  events: readonly OverviewEvent[];
  previous: readonly OverviewEvent[];
  previousPeriod: Period;
  timeZone: string;
}): OverviewFigures {
  const events = inPeriod(o.events, o.period);
  const byForum = new Map(o.forumIds.map((id) => [id, emptyForum()]));
  const forum = (id: string) => {
    let f = byForum.get(id);
    if (!f) byForum.set(id, (f = emptyForum()));
    return f;
  };
  const total = emptyForum();
  const population = Object.fromEntries(AGE_GROUPS.map((g) => [g, { joint: 0, employment: 0, open: 0 }])) as OverviewFigures["population"];
  const bostotte = { bevilling: 0, afslag: 0, ophoer: 0, reachedCaseworker: 0, reachedForum: 0 };
  const plans = { recorded: false, agreed: 0, active: 0, followUpsOnTime: 0, followUpsOverdue: 0 };
  const bucket = o.period.days > WEEKS_UP_TO_DAYS ? "month" : "week";
  const bucketOf = (at: string | Date) => (bucket === "week" ? weekOf(at, o.timeZone) : monthOf(at, o.timeZone));
  const weeks = new Map<string, DecisionCounts>();
  for (const week of bucketsOf(o.period, bucketOf)) weeks.set(week, noDecisions());
  const raised = new Map<number, { forumId: string; ageGroup: AgeGroup }>();
  const finished = new Set<number>();

  for (const e of events) {
    switch (e.kind) {
      case "raised":
        for (const f of [forum(e.forumId), total]) {
          f.raised++;
          if (e.acute) f.acute++;
        }
        raised.set(e.caseNo, { forumId: e.forumId, ageGroup: e.ageGroup });
        break;
      case "decided": {
        for (const f of [forum(e.forumId), total]) f.decided[e.decision]++;
        const week = bucketOf(e.at);
        const counts = weeks.get(week) ?? noDecisions();
        counts[e.decision]++;
        weeks.set(week, counts);
        if (isFinal(e.decision)) {
          finished.add(e.caseNo);
          population[e.ageGroup][e.decision === "start" ? "joint" : "employment"]++;
        }
        break;
      }
      case "moved":
        for (const f of [forum(e.forumId), total]) f.moved++;
        break;
      case "withdrawn":
        finished.add(e.caseNo);
        break;
      case "bostotte":
        bostotte[e.decision]++;
        if (e.reached === "caseworker") bostotte.reachedCaseworker++;
        else bostotte.reachedForum++;
        break;
      case "plan":
        plans.recorded = true;
        if (e.step === "agreed") plans.agreed++;
        else if (e.step === "active") plans.active++;
        else if (e.step === "follow-up-on-time") plans.followUpsOnTime++;
        else plans.followUpsOverdue++;
        break;
    }
  }
  for (const [caseNo, r] of raised) {
    if (finished.has(caseNo)) continue;
    forum(r.forumId).pending++;
    total.pending++;
    population[r.ageGroup].open++;
  }
  return {
    forums: [...byForum].map(([forumId, figures]) => ({ forumId, figures })),
    total,
    durations: { current: durations(events), previous: durations(inPeriod(o.previous, o.previousPeriod)) },
    weeks: [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, decided]) => ({ week, decided })),
    bucket,
    bostotte,
    plans,
    population,
  };
}

/** The period's events, each id once (a repeated write, or a row read twice). */
function inPeriod(events: readonly OverviewEvent[], period: Period): OverviewEvent[] {
  const from = period.from.toISOString();
  const until = period.until.toISOString();
  const seen = new Set<string>();
  return events.filter((e) => {
    if (e.at < from || e.at >= until || seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
}

function durations(events: readonly OverviewEvent[]): Durations {
  const days = events
    .flatMap((e) => (e.kind === "decided" && isFinal(e.decision) ? [(Date.parse(e.at) - Date.parse(e.raisedAt)) / DAY_MS] : []))
    .sort((a, b) => a - b);
  if (days.length === 0) return { count: 0 };
  return { count: days.length, median: round1(quantile(days, 0.5)), slowestQuarter: round1(quantile(days, 0.75)) };
}

/** Linear interpolation between closest ranks; `sorted` ascending and non-empty. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (pos - lower);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** "2026-W47": the ISO week of an instant in the municipality's zone. */
export function weekOf(at: string | Date, timeZone: string): string {
  const dt = (typeof at === "string" ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(timeZone);
  return `${dt.weekYear}-W${String(dt.weekNumber).padStart(2, "0")}`;
}

/** "2026-11": the month of an instant in the municipality's zone. */
export function monthOf(at: string | Date, timeZone: string): string {
  const dt = (typeof at === "string" ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(timeZone);
  return `${dt.year}-${String(dt.month).padStart(2, "0")}`;
}

/** Periods up to this long are shown per week, longer ones per month (a year of weeks would not fit a card). */
export const WEEKS_UP_TO_DAYS = 91;

/** Every bucket (week or month) the period touches, oldest first. */
function bucketsOf(period: Period, bucketOf: (at: Date) => string): string[] {
  const buckets: string[] = [];
  for (let t = period.from.getTime(); t < period.until.getTime(); t += DAY_MS) {
    const b = bucketOf(new Date(t));
    if (buckets[buckets.length - 1] !== b) buckets.push(b);
  }
  const last = bucketOf(new Date(period.until.getTime() - 1));
  if (buckets[buckets.length - 1] !== last) buckets.push(last);
  return buckets;
}

/** A count as the overview shows it. */
export interface ShownCount {
  value: number;
  /** "7", "0", "<3" (a small count), or "≥3" (hidden so that a small count cannot be worked out). */
  text: string;
  hidden: boolean;
}

/**
 * The small-count guard (SPEC §8, §9: counts only, no personal data). A count from 1 up to
 * `threshold - 1` is shown as "<threshold". Totals stay consistent with what is shown: in
 * every line that sums up (a row with its row total, a column with its column total), a
 * single hidden count could be worked out by subtraction, so a second one is hidden too —
 * the smallest other non-zero count of that line — until no line has exactly one hidden
 * count. Secondarily hidden counts are at least `threshold` and shown as "≥threshold".
 *
 * `cells` is rows × columns; with `rowTotals` each row is followed by its total, with
 * `columnTotals` a row of column totals is added (and, with both, the grand total).
 * `alsoHidden` marks positions of the full grid (with totals) hidden elsewhere (a total
 * shown in another table of the same card), so both tables hide the same.
 */
export function guardCounts(
  cells: readonly (readonly number[])[],
  options: { threshold: number; rowTotals?: boolean; columnTotals?: boolean; alsoHidden?: (row: number, column: number) => boolean },
): ShownCount[][] {
  const { threshold } = options;
  const rows = cells.map((r) => [...r, ...(options.rowTotals ? [sum(r)] : [])]);
  const width = rows[0]?.length ?? (options.rowTotals ? 1 : 0);
  if (options.columnTotals) rows.push(Array.from({ length: width }, (_, c) => sum(rows.map((r) => r[c] ?? 0))));
  const primary = rows.map((r) => r.map((v) => v >= 1 && v < threshold));
  const hidden = rows.map((r, i) => r.map((_, j) => primary[i]![j]! || (options.alsoHidden?.(i, j) ?? false)));
  const lines: [number, number][][] = [];
  if (options.rowTotals) rows.forEach((r, i) => lines.push(r.map((_, j) => [i, j])));
  if (options.columnTotals) for (let j = 0; j < width; j++) lines.push(rows.map((_, i) => [i, j]));
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (line.filter(([i, j]) => hidden[i]![j]).length !== 1) continue;
      const candidates = line.filter(([i, j]) => !hidden[i]![j] && rows[i]![j]! > 0).sort(([a, b], [c, d]) => rows[a]![b]! - rows[c]![d]!);
      const pick = candidates[0];
      if (!pick) continue;
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  return rows.map((r, i) =>
    r.map((value, j) => {
      if (!hidden[i]![j]) return { value, text: String(value), hidden: false };
      return { value, text: value < threshold ? `<${threshold}` : `≥${threshold}`, hidden: true };
    }),
  );
}

/** One count on its own (no total to subtract from). */
export function guardCount(value: number, threshold: number): ShownCount {
  return guardCounts([[value]], { threshold })[0]![0]!;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export const DECISION_ORDER = DECISIONS;

import { DateTime } from "luxon";
import { DECISIONS, type DecisionKind } from "./case-lifecycle.js";
import { AGE_GROUPS, type AgeGroup, type OverviewEvent, type PlanStep } from "./overview-events.js";

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

/** A forum's joint plans in the period (SPEC §8 "plans: active, follow-ups overdue"). */
export interface PlanCounts {
  /** First agreed by both caseworkers ("enige"). */
  agreed: number;
  /** Became active: the citizen consented. */
  active: number;
  ended: number;
  /** Follow-ups held within the grace of working days after their date. */
  followUpsOnTime: number;
  /** Follow-ups held after it. */
  followUpsLate: number;
  /** Follow-ups not held by the end of their grace (some may be held late afterwards). */
  followUpsOverdue: number;
}

export interface ForumFigures {
  raised: number;
  acute: number;
  decided: DecisionCounts;
  /** Raised in the period and neither decided for good nor withdrawn in it. */
  pending: number;
  /** Moved on from a meeting: postponed, rolled over, cancelled meeting, moved by a coordinator. */
  moved: number;
  plans: PlanCounts;
}

export interface Durations {
  /** Final decisions (start, ikke grundlag) the days are taken from. */
  count: number;
  /** Median days from raised to decided; undefined without decisions. */
  median?: number;
  /** The slowest quarter took longer than this (the 75th percentile). */
  slowestQuarter?: number;
}

export interface BostotteCounts {
  bevilling: number;
  afslag: number;
  ophoer: number;
  reachedCaseworker: number;
  reachedForum: number;
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
  bostotte: BostotteCounts;
  /** Seed 001, Tabel 1: per age group, joint cases (start), the employment side (ikke grundlag), still open. */
  population: Record<AgeGroup, { joint: number; employment: number; open: number }>;
}

/**
 * What a set of events adds up to, in a form that adds up again: the figures of a period are
 * the sum of the tallies of its parts (stored summaries of whole days and months, and the
 * events at its edges). Counts; the case numbers raised and finished, since "pending" is
 * raised-and-not-finished within the whole period; decisions per local day, for the weekly
 * or monthly chart; and days from raised to a final decision as a histogram, for medians.
 */
export interface OverviewTally {
  forums: Record<string, Omit<ForumFigures, "pending">>;
  /** Decisions per local date (YYYY-MM-DD in the municipality's zone). */
  decidedByDay: Record<string, DecisionCounts>;
  /** Case numbers raised, by `{ageGroup}|{forumId}`. */
  raised: Record<string, number[]>;
  /** Case numbers decided for good (start, ikke grundlag) or withdrawn. */
  finished: number[];
  population: Record<AgeGroup, { joint: number; employment: number }>;
  bostotte: BostotteCounts;
  /** Hundredths of a day from raised to a final decision → how many decisions took that long. */
  durations: Record<string, number>;
}

const noDecisions = (): DecisionCounts => ({ start: 0, "no-basis": 0, "more-information": 0, postpone: 0 });
const noPlans = (): PlanCounts => ({ agreed: 0, active: 0, ended: 0, followUpsOnTime: 0, followUpsLate: 0, followUpsOverdue: 0 });
const emptyForumTally = (): Omit<ForumFigures, "pending"> => ({ raised: 0, acute: 0, decided: noDecisions(), moved: 0, plans: noPlans() });
const noBostotte = (): BostotteCounts => ({ bevilling: 0, afslag: 0, ophoer: 0, reachedCaseworker: 0, reachedForum: 0 });

const PLAN_COUNT: Record<PlanStep, keyof PlanCounts> = {
  agreed: "agreed",
  active: "active",
  ended: "ended",
  "follow-up-on-time": "followUpsOnTime",
  "follow-up-late": "followUpsLate",
  "follow-up-overdue": "followUpsOverdue",
};

const isFinal = (d: DecisionKind) => d === "start" || d === "no-basis";

export function emptyTally(): OverviewTally {
  return {
    forums: {},
    decidedByDay: {},
    raised: {},
    finished: [],
    population: Object.fromEntries(AGE_GROUPS.map((g) => [g, { joint: 0, employment: 0 }])) as OverviewTally["population"],
    bostotte: noBostotte(),
    durations: {},
  };
}

/** Each event id once (a repeated write, or a row read twice), in the order given. */
export function uniqueEvents(events: readonly OverviewEvent[]): OverviewEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
}

/** The tally of events (each counted as given: filter and de-duplicate first). */
export function tallyEvents(events: readonly OverviewEvent[], timeZone: string): OverviewTally {
  const t = emptyTally();
  const forum = (id: string) => (t.forums[id] ??= emptyForumTally());
  for (const e of events) {
    switch (e.kind) {
      case "raised": {
        const f = forum(e.forumId);
        f.raised++;
        if (e.acute) f.acute++;
        (t.raised[`${e.ageGroup}|${e.forumId}`] ??= []).push(e.caseNo);
        break;
      }
      case "decided": {
        forum(e.forumId).decided[e.decision]++;
        (t.decidedByDay[localDateOf(e.at, timeZone)] ??= noDecisions())[e.decision]++;
        if (isFinal(e.decision)) {
          t.finished.push(e.caseNo);
          t.population[e.ageGroup][e.decision === "start" ? "joint" : "employment"]++;
          const key = String(Math.round(((Date.parse(e.at) - Date.parse(e.raisedAt)) / DAY_MS) * 100));
          t.durations[key] = (t.durations[key] ?? 0) + 1;
        }
        break;
      }
      case "moved":
        forum(e.forumId).moved++;
        break;
      case "withdrawn":
        t.finished.push(e.caseNo);
        break;
      case "bostotte":
        t.bostotte[e.decision]++;
        t.bostotte[e.reached === "caseworker" ? "reachedCaseworker" : "reachedForum"]++;
        break;
      case "plan":
        forum(e.forumId).plans[PLAN_COUNT[e.step]]++;
        break;
    }
  }
  return t;
}

/** Adds `more` into `into` (which is changed and returned). */
export function addTally(into: OverviewTally, more: OverviewTally): OverviewTally {
  for (const [id, f] of Object.entries(more.forums)) {
    const g = (into.forums[id] ??= emptyForumTally());
    g.raised += f.raised;
    g.acute += f.acute;
    g.moved += f.moved;
    for (const d of DECISIONS) g.decided[d] += f.decided[d];
    for (const p of Object.keys(g.plans) as (keyof PlanCounts)[]) g.plans[p] += f.plans[p];
  }
  for (const [day, counts] of Object.entries(more.decidedByDay)) {
    const c = (into.decidedByDay[day] ??= noDecisions());
    for (const d of DECISIONS) c[d] += counts[d];
  }
  for (const [key, cases] of Object.entries(more.raised)) (into.raised[key] ??= []).push(...cases);
  into.finished.push(...more.finished);
  for (const g of AGE_GROUPS) {
    into.population[g].joint += more.population[g].joint;
    into.population[g].employment += more.population[g].employment;
  }
  for (const b of Object.keys(into.bostotte) as (keyof BostotteCounts)[]) into.bostotte[b] += more.bostotte[b];
  for (const [key, n] of Object.entries(more.durations)) into.durations[key] = (into.durations[key] ?? 0) + n;
  return into;
}

/**
 * The overview's figures over a period (SPEC §8), counts only: the tallies of its stored
 * summaries plus its remaining events. Events outside `period` are ignored; the same event
 * id twice counts once. The summaries must cover parts of the period that no event given
 * covers. `previous` (and `previousTallies`) are the period of the same length before, for
 * the comparison of durations.
 */
export function overviewFigures(o: {
  forumIds: readonly string[];
  period: Period;
  events: readonly OverviewEvent[];
  previous: readonly OverviewEvent[];
  previousPeriod: Period;
  timeZone: string;
  tallies?: readonly OverviewTally[];
  previousTallies?: readonly OverviewTally[];
}): OverviewFigures {
  const tally = sumTallies(o.tallies ?? [], tallyEvents(uniqueEvents(inPeriod(o.events, o.period)), o.timeZone));
  const before = sumTallies(o.previousTallies ?? [], tallyEvents(uniqueEvents(inPeriod(o.previous, o.previousPeriod)), o.timeZone));

  const byForum = new Map<string, ForumFigures>();
  const forum = (id: string) => {
    let f = byForum.get(id);
    if (!f) byForum.set(id, (f = { ...emptyForumTally(), pending: 0 }));
    return f;
  };
  for (const id of o.forumIds) forum(id);
  for (const [id, counts] of Object.entries(tally.forums)) Object.assign(forum(id), structuredClone(counts));

  const population = Object.fromEntries(AGE_GROUPS.map((g) => [g, { ...tally.population[g], open: 0 }])) as OverviewFigures["population"];
  const finished = new Set(tally.finished);
  for (const [key, cases] of Object.entries(tally.raised)) {
    const bar = key.indexOf("|");
    const ageGroup = key.slice(0, bar) as AgeGroup;
    const f = forum(key.slice(bar + 1));
    for (const caseNo of new Set(cases)) {
      if (finished.has(caseNo)) continue;
      f.pending++;
      population[ageGroup].open++;
    }
  }

  const total: ForumFigures = { ...emptyForumTally(), pending: 0 };
  for (const f of byForum.values()) {
    total.raised += f.raised;
    total.acute += f.acute;
    total.moved += f.moved;
    total.pending += f.pending;
    for (const d of DECISIONS) total.decided[d] += f.decided[d];
    for (const p of Object.keys(total.plans) as (keyof PlanCounts)[]) total.plans[p] += f.plans[p];
  }

  const bucket = o.period.days > WEEKS_UP_TO_DAYS ? "month" : "week";
  const bucketOfDate = (date: string) => (bucket === "week" ? weekOfDate(date) : date.slice(0, 7));
  const weeks = new Map<string, DecisionCounts>();
  for (const b of bucketsOf(o.period, (at) => (bucket === "week" ? weekOf(at, o.timeZone) : monthOf(at, o.timeZone)))) {
    weeks.set(b, noDecisions());
  }
  for (const [day, counts] of Object.entries(tally.decidedByDay)) {
    const b = bucketOfDate(day);
    const into = weeks.get(b) ?? noDecisions();
    for (const d of DECISIONS) into[d] += counts[d];
    weeks.set(b, into);
  }

  return {
    forums: [...byForum].map(([forumId, figures]) => ({ forumId, figures })),
    total,
    durations: { current: durations(tally.durations), previous: durations(before.durations) },
    weeks: [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, decided]) => ({ week, decided })),
    bucket,
    bostotte: tally.bostotte,
    population,
  };
}

function sumTallies(parts: readonly OverviewTally[], last: OverviewTally): OverviewTally {
  const sum = emptyTally();
  for (const part of parts) addTally(sum, part);
  return addTally(sum, last);
}

/** The period's events (`from <= at < until`). */
function inPeriod(events: readonly OverviewEvent[], period: Period): OverviewEvent[] {
  const from = period.from.toISOString();
  const until = period.until.toISOString();
  return events.filter((e) => e.at >= from && e.at < until);
}

/** Median and 75th percentile of a histogram of hundredths of a day. */
function durations(histogram: Readonly<Record<string, number>>): Durations {
  const bins = Object.entries(histogram)
    .map(([key, n]) => [Number(key) / 100, n] as const)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a - b);
  const count = bins.reduce((a, [, n]) => a + n, 0);
  if (count === 0) return { count: 0 };
  const at = (rank: number) => {
    let seen = 0;
    for (const [value, n] of bins) {
      seen += n;
      if (rank < seen) return value;
    }
    return bins[bins.length - 1]![0];
  };
  const q = (p: number) => {
    const pos = (count - 1) * p;
    const lower = at(Math.floor(pos));
    return lower + (at(Math.ceil(pos)) - lower) * (pos - Math.floor(pos));
  };
  return { count, median: round1(q(0.5)), slowestQuarter: round1(q(0.75)) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** "2026-W47": the ISO week of an instant in the municipality's zone. */
export function weekOf(at: string | Date, timeZone: string): string {
  const dt = (typeof at === "string" ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(timeZone);
  return `${dt.weekYear}-W${String(dt.weekNumber).padStart(2, "0")}`;
}

/** The local date (YYYY-MM-DD) of an instant in the municipality's zone. */
export function localDateOf(at: string | Date, timeZone: string): string {
  return (typeof at === "string" ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(timeZone).toISODate()!;
}

/** "2026-W47": the ISO week of a local date (YYYY-MM-DD). */
export function weekOfDate(date: string): string {
  const dt = DateTime.fromISO(date, { zone: "UTC" });
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

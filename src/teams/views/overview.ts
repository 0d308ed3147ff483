import { DECISIONS, type DecisionKind } from "../../domain/case-lifecycle.js";
import { AGE_GROUPS } from "../../domain/overview-events.js";
import { guardCounts, type Durations, type ShownCount } from "../../domain/overview.js";
import type { OverviewReport } from "../../domain/overview-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { forumName, shortDateText, type ViewContext } from "../format.js";
import { OVERVIEW_TEXT as T } from "../messages.js";

type Fact = { title: string; value: string };
type ChartSeries = { legend: string; values: { x: string; y: number }[] };

export interface OverviewCard {
  title: string;
  periodText: string;
  note: string;
  guardNote: string;
  forums: Fact[];
  durations: Fact[];
  weeksTitle: string;
  weeksChart: ChartSeries[];
  weeks: Fact[];
  agendaChart: ChartSeries[];
  agenda: Fact[];
  hasAgenda: boolean;
  bostotte: Fact[];
  plans: Fact[];
  plansNote: string;
  parked: string;
  population: { group: string; joint: string; employment: string; open: string; total: string }[];
  populationColumns: typeof T.populationColumns;
  populationNote: string;
}

const FORUM_COLUMNS = ["raised", "acute", "start", "no-basis", "more-information", "postpone", "pending", "moved"] as const;
const PLAN_COLUMNS = ["agreed", "active", "ended", "followUpsOnTime", "followUpsLate", "followUpsOverdue"] as const;

/**
 * The managers' overview (SPEC §8): counts per forum, time to decision, decisions per week
 * and the coming meetings' load as charts (each with a fact list for clients that cannot
 * draw charts), bostøtte, plans, parked messages, and the seed's Tabel 1. Every count of
 * citizens goes through the small-count guard; slots and parked messages are not citizens.
 */
export function overviewCard(view: ViewContext, report: OverviewReport, note = ""): CardJson {
  const { municipality, timeZone } = view;
  const { figures, threshold } = report;
  const shown = (c: ShownCount) => c.text;

  // Weeks first: their column totals are the per-decision totals the forum list shows too.
  const weekCells = figures.weeks.map((w) => DECISIONS.map((d) => w.decided[d]));
  const weeks = guardCounts(weekCells, { threshold, columnTotals: true });
  const weekTotalsHidden = new Set(DECISIONS.filter((_, j) => weeks[weeks.length - 1]![j]!.hidden));

  const forumCells = figures.forums.map(({ figures: f }) =>
    FORUM_COLUMNS.map((c) => (c === "raised" || c === "acute" || c === "pending" || c === "moved" ? f[c] : f.decided[c])),
  );
  const forumRows = guardCounts(forumCells, {
    threshold,
    columnTotals: true,
    alsoHidden: (i, j) => i === forumCells.length && weekTotalsHidden.has(FORUM_COLUMNS[j] as DecisionKind),
  });
  const forumFact = (title: string, row: ShownCount[]) => {
    const [raised, acute, start, noBasis, moreInfo, postpone, pending, moved] = row.map(shown) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return { title, value: T.forumLine({ raised, acute, start, noBasis, moreInfo, postpone, pending, moved }) };
  };

  const population = guardCounts(
    AGE_GROUPS.map((g) => [figures.population[g].joint, figures.population[g].employment, figures.population[g].open]),
    { threshold, rowTotals: true, columnTotals: true },
  );

  const b = figures.bostotte;
  const kinds = guardCounts([[b.bevilling, b.afslag, b.ophoer]], { threshold, rowTotals: true })[0]!;
  const reached = guardCounts([[b.reachedCaseworker, b.reachedForum]], {
    threshold,
    rowTotals: true,
    alsoHidden: (_, j) => j === 2 && kinds[3]!.hidden,
  })[0]!;

  // Plans per forum with the total row: a column of forums sums to its total, so it is guarded as one.
  const planRows = guardCounts(
    figures.forums.map(({ figures: f }) => PLAN_COLUMNS.map((c) => f.plans[c])),
    { threshold, columnTotals: true },
  );
  const planFact = (title: string, row: ShownCount[]) => {
    const [agreed, active, ended, onTime, late, overdue] = row.map(shown) as [string, string, string, string, string, string];
    return { title, value: T.planLine({ agreed, active, ended, onTime, late, overdue }) };
  };

  const bucketLabel = (key: string) => (figures.bucket === "week" ? T.week(key) : T.month(key));
  const agendaLabel = (a: OverviewReport["agenda"][number]) =>
    T.meetingLabel(forumName(municipality, a.forumId), shortDateText(a.startsAt, timeZone));

  return renderCard("overview", {
    title: T.title(report.period.days),
    periodText: T.periodText(shortDateText(report.period.from, timeZone), shortDateText(report.period.until, timeZone)),
    note,
    guardNote: T.guard(threshold),
    forums: [
      ...figures.forums.map(({ forumId }, i) => forumFact(forumName(municipality, forumId), forumRows[i]!)),
      forumFact(T.total, forumRows[forumRows.length - 1]!),
    ],
    durations: [
      {
        title: T.median,
        value: T.durationsCompared(
          durationText(figures.durations.current, "median", threshold),
          durationText(figures.durations.previous, "median", threshold),
        ),
      },
      {
        title: T.slowest,
        value: T.durationsCompared(
          durationText(figures.durations.current, "slowestQuarter", threshold),
          durationText(figures.durations.previous, "slowestQuarter", threshold),
        ),
      },
    ],
    weeksTitle: figures.bucket === "week" ? T.weeksChart : T.monthsChart,
    weeksChart: DECISIONS.map((d, j) => ({
      legend: T.decisions[d],
      values: figures.weeks.map((w, i) => ({ x: bucketLabel(w.week), y: weeks[i]![j]!.hidden ? 0 : weeks[i]![j]!.value })),
    })),
    weeks: figures.weeks.map((w, i) => ({
      title: bucketLabel(w.week),
      value: DECISIONS.map((d, j) => `${T.decisions[d]} ${weeks[i]![j]!.text}`).join(" · "),
    })),
    agendaChart: [
      { legend: T.booked, values: report.agenda.map((a) => ({ x: agendaLabel(a), y: a.cancelled ? 0 : a.booked })) },
      {
        legend: T.free,
        values: report.agenda.map((a) => ({ x: agendaLabel(a), y: a.cancelled ? 0 : Math.max(0, a.capacity - a.booked) })),
      },
    ],
    agenda:
      report.agenda.length > 0
        ? report.agenda.map((a) => ({ title: agendaLabel(a), value: T.meetingLoad(a.booked, a.capacity, a.cancelled) }))
        : [{ title: "", value: T.noMeetings }],
    hasAgenda: report.agenda.length > 0,
    bostotte: [
      { title: T.bostotte.bevilling, value: kinds[0]!.text },
      { title: T.bostotte.afslag, value: kinds[1]!.text },
      { title: T.bostotte.ophoer, value: kinds[2]!.text },
      { title: T.total, value: kinds[3]!.text },
      { title: T.bostotte.caseworker, value: reached[0]!.text },
      { title: T.bostotte.forum, value: reached[1]!.text },
    ],
    plans: [
      ...figures.forums.map(({ forumId }, i) => planFact(forumName(municipality, forumId), planRows[i]!)),
      planFact(T.total, planRows[planRows.length - 1]!),
    ],
    plansNote: T.plansNote(municipality.planFollowUpGraceWorkingDays),
    parked: T.parked(report.parked.count),
    population: [
      ...AGE_GROUPS.map((g, i) => ({
        group: T.ageGroups[g],
        joint: population[i]![0]!.text,
        employment: population[i]![1]!.text,
        open: population[i]![2]!.text,
        total: population[i]![3]!.text,
      })),
      {
        group: T.total,
        joint: population[3]![0]!.text,
        employment: population[3]![1]!.text,
        open: population[3]![2]!.text,
        total: population[3]![3]!.text,
      },
    ],
    populationColumns: T.populationColumns,
    populationNote: T.populationNote,
  });
}

/** A duration is shown only when enough decisions stand behind it (the same threshold as counts). */
function durationText(d: Durations, which: "median" | "slowestQuarter", threshold: number): string {
  const value = d[which];
  if (value === undefined || d.count < threshold) return T.tooFew(threshold);
  return which === "median" ? T.days(value) : T.slowerThan(value);
}

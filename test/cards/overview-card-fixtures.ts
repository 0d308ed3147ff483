import type { CardData } from "../../src/teams/cards.js";
import { OVERVIEW_TEXT as T } from "../../src/teams/messages.js";

/**
 * The overview at its largest: ten forums with 80-character names, a year's period (53
 * weeks), three coming meetings per forum, five-digit counts everywhere.
 */
const forumNames = Array.from({ length: 10 }, (_, i) =>
  `Sparringsforum nr. ${i + 1} for borgere med komplekse problemer på tværs af afdelinger`.slice(0, 80),
);
// A year is shown per month (13 months touched); up to 91 days per week (14 weeks).
const weeks = Array.from({ length: 14 }, (_, i) => T.week(`2026-W${String(i + 1).padStart(2, "0")}`));
const decisions = Object.values(T.decisions);
const meetings = forumNames.flatMap((name) => [1, 2, 3].map((n) => T.meetingLabel(name, `0${n}.12.2026`)));
const big = "12345";

export const OVERVIEW_CARD_FIXTURES: Pick<CardData, "overview"> = {
  overview: {
    title: T.title(365),
    periodText: T.periodText("23.11.2025", "23.11.2026"),
    note: T.late("mandag 23. november 2026 kl. 08.00"),
    guardNote: T.guard(3),
    forums: [...forumNames, T.total].map((title) => ({
      title,
      value: T.forumLine({ raised: big, acute: big, start: big, noBasis: big, moreInfo: big, postpone: big, pending: big, moved: big }),
    })),
    durations: [
      { title: T.median, value: T.durationsCompared(T.days(123.4), T.days(98.7)) },
      { title: T.slowest, value: T.durationsCompared(T.slowerThan(223.4), T.slowerThan(198.7)) },
    ],
    weeksTitle: T.weeksChart,
    weeksChart: decisions.map((legend) => ({ legend, values: weeks.map((x) => ({ x, y: 12345 })) })),
    weeks: weeks.map((title) => ({ title, value: decisions.map((d) => `${d} ${big}`).join(" · ") })),
    agendaChart: [T.booked, T.free].map((legend) => ({ legend, values: meetings.map((x) => ({ x, y: 6 })) })),
    agenda: meetings.map((title) => ({ title, value: T.meetingLoad(6, 6, false) })),
    hasAgenda: true,
    bostotte: Object.values(T.bostotte).map((title) => ({ title, value: big })),
    plans: [...forumNames, T.total].map((title) => ({
      title,
      value: T.planLine({ agreed: big, active: big, ended: big, onTime: big, late: big, overdue: big }),
    })),
    plansNote: T.plansNote(5),
    parked: T.parked(12345),
    population: Object.values(T.ageGroups).map((group) => ({ group, joint: "<3", employment: "≥3", open: big, total: big })),
    populationColumns: T.populationColumns,
    populationNote: T.populationNote,
  },
};

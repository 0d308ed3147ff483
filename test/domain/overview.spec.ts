import { describe, expect, it } from "vitest";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { guardCounts, overviewFigures, periodsEndingAt, type ShownCount } from "../../src/domain/overview.js";
import type { OverviewEvent } from "../../src/domain/overview-events.js";
import { latestScheduledAt, parseOverviewDays, sendScheduledOverviews, showOverview } from "../../src/domain/overview-use-cases.js";
import { inMemoryPorts } from "../support/in-memory/index.js";
import { testMunicipality } from "../support/fixtures.js";

const NOW = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

let n = 0;
function raised(
  at: string,
  o: Partial<{ caseNo: number; forumId: string; acute: boolean; age: "15-17" | "18-29" | "30+" }> = {},
): OverviewEvent {
  const caseNo = o.caseNo ?? ++n;
  return {
    kind: "raised",
    id: `case:${caseNo}:raised`,
    at,
    caseNo,
    forumId: o.forumId ?? "voksne",
    ageGroup: o.age ?? "30+",
    acute: o.acute ?? false,
  };
}
function decided(
  at: string,
  raisedAt: string,
  decision: "start" | "no-basis" | "more-information" | "postpone",
  o: Partial<{ caseNo: number; forumId: string; age: "15-17" | "18-29" | "30+" }> = {},
): OverviewEvent {
  const caseNo = o.caseNo ?? ++n;
  return {
    kind: "decided",
    id: `case:${caseNo}:v2:decided`,
    at,
    caseNo,
    forumId: o.forumId ?? "voksne",
    ageGroup: o.age ?? "30+",
    decision,
    raisedAt,
  };
}

function figures(events: OverviewEvent[], previous: OverviewEvent[] = [], days = 7) {
  const { current, previous: before } = periodsEndingAt(NOW, days);
  return overviewFigures({
    forumIds: ["unge", "voksne"],
    period: current,
    events,
    previous,
    previousPeriod: before,
    timeZone: "Europe/Copenhagen",
  });
}

describe("overview figures (SPEC §8), pure over a period's events", () => {
  it("an empty period has zeros everywhere, no durations, and one week bucket per week touched", () => {
    const f = figures([]);
    expect(f.total).toEqual({
      raised: 0,
      acute: 0,
      decided: { start: 0, "no-basis": 0, "more-information": 0, postpone: 0 },
      pending: 0,
      moved: 0,
      plans: { agreed: 0, active: 0, ended: 0, followUpsOnTime: 0, followUpsLate: 0, followUpsOverdue: 0 },
    });
    expect(f.durations.current).toEqual({ count: 0 });
    expect(f.population["30+"]).toEqual({ joint: 0, employment: 0, open: 0 });
    expect(f.weeks.length).toBeGreaterThanOrEqual(1);
  });

  it("counts raised, acute, each decision, pending and moves per forum and in total; ignores events outside the period and repeats", () => {
    const a = raised(ago(1), { caseNo: 1, forumId: "unge", age: "15-17", acute: true });
    const events: OverviewEvent[] = [
      a,
      a, // the same event read twice counts once
      raised(ago(2), { caseNo: 2, forumId: "unge", age: "18-29" }),
      raised(ago(3), { caseNo: 3, forumId: "voksne" }),
      raised(ago(30), { caseNo: 4 }), // before the period
      decided(ago(0.5), ago(1), "start", { caseNo: 1, forumId: "unge", age: "15-17" }),
      decided(ago(1), ago(40), "no-basis", { caseNo: 5 }),
      decided(ago(1), ago(2), "more-information", { caseNo: 2, forumId: "unge", age: "18-29" }),
      { kind: "moved", id: "case:3:v2:moved", at: ago(1), caseNo: 3, forumId: "voksne", ageGroup: "30+", reason: "rolled-over" },
    ];
    const f = figures(events);
    const unge = f.forums.find((x) => x.forumId === "unge")!.figures;
    expect(unge).toMatchObject({ raised: 2, acute: 1, pending: 1, decided: { start: 1, "more-information": 1 } });
    expect(f.total).toMatchObject({
      raised: 3,
      acute: 1,
      pending: 2,
      moved: 1,
      decided: { start: 1, "no-basis": 1, "more-information": 1, postpone: 0 },
    });
    expect(f.population["15-17"]).toEqual({ joint: 1, employment: 0, open: 0 });
    expect(f.population["18-29"]).toEqual({ joint: 0, employment: 0, open: 1 });
    expect(f.population["30+"]).toEqual({ joint: 0, employment: 1, open: 1 });
  });

  it("takes the median and the slowest quarter of days from raised to a final decision, and compares with the previous period", () => {
    const current = [2, 4, 6, 8, 20].map((d, i) => decided(ago(1), ago(1 + d), i % 2 ? "no-basis" : "start"));
    current.push(decided(ago(1), ago(50), "postpone")); // not final: not in the durations
    const previous = [10, 30].map((d) => decided(ago(8), ago(8 + d), "start"));
    const f = figures(current, previous);
    expect(f.durations.current).toEqual({ count: 5, median: 6, slowestQuarter: 8 });
    expect(f.durations.previous).toEqual({ count: 2, median: 20, slowestQuarter: 25 });
  });

  it("counts bostøtte by decision and by who was reached", () => {
    const f = figures([
      { kind: "bostotte", id: "bostotte:a", at: ago(1), ageGroup: "30+", decision: "bevilling", reached: "caseworker" },
      { kind: "bostotte", id: "bostotte:b", at: ago(2), ageGroup: "18-29", decision: "ophoer", reached: "forum" },
    ]);
    expect(f.bostotte).toEqual({ bevilling: 1, afslag: 0, ophoer: 1, reachedCaseworker: 1, reachedForum: 1 });
  });

  it("a year is shown per month, a week per week", () => {
    expect(figures([], [], 365).bucket).toBe("month");
    expect(figures([], [], 365).weeks.length).toBe(13);
    expect(figures([], [], 7).bucket).toBe("week");
  });
});

describe("the small-count guard", () => {
  const hiddenIn = (line: ShownCount[]) => line.filter((c) => c.hidden).length;

  it("shows 1 and 2 as <3, keeps 0 and 3+ as they are", () => {
    const [row] = guardCounts([[0, 1, 2, 3, 10]], { threshold: 3 });
    expect(row!.map((c) => c.text)).toEqual(["0", "<3", "<3", "3", "10"]);
  });

  it("hides a second count where a total would give a hidden one away by subtraction", () => {
    // Row: 1 + 5 + 7 = 13. With only the 1 hidden, 13 − 5 − 7 reveals it: the 5 goes too.
    const [row] = guardCounts([[1, 5, 7]], { threshold: 3, rowTotals: true });
    expect(row!.map((c) => c.text)).toEqual(["<3", "≥3", "7", "13"]);
  });

  it("leaves no row or column of a table with totals with exactly one hidden count", () => {
    const cells = [
      [1, 5, 9],
      [4, 0, 6],
      [7, 8, 2],
    ];
    const grid = guardCounts(cells, { threshold: 3, rowTotals: true, columnTotals: true });
    for (const row of grid) expect(hiddenIn(row)).not.toBe(1);
    for (let j = 0; j < grid[0]!.length; j++) expect(hiddenIn(grid.map((r) => r[j]!))).not.toBe(1);
    expect(grid[3]![3]!.text).toBe("42");
  });

  it("a threshold of 1 hides nothing", () => {
    expect(guardCounts([[1, 2]], { threshold: 1, rowTotals: true })[0]!.map((c) => c.text)).toEqual(["1", "2", "3"]);
  });
});

describe("overblik: who, how many days, and on schedule", () => {
  const MANAGER = "manager-1";
  const municipality = municipalitySchema.parse({ ...testMunicipality(), roles: { ...testMunicipality().roles, managers: [MANAGER] } });

  it("parses the days: none → the default, 1–365, else a clear error", () => {
    expect(parseOverviewDays("", 7)).toEqual({ ok: true, days: 7 });
    expect(parseOverviewDays("30", 7)).toEqual({ ok: true, days: 30 });
    expect(parseOverviewDays("30 dage", 7)).toEqual({ ok: true, days: 30 });
    expect(parseOverviewDays("0", 7)).toEqual({ ok: false, error: "out-of-range" });
    expect(parseOverviewDays("9999", 7)).toEqual({ ok: false, error: "out-of-range" });
    expect(parseOverviewDays("abc", 7)).toEqual({ ok: false, error: "not-a-number" });
  });

  it("refuses someone who is not a manager", async () => {
    const ports = inMemoryPorts({ now: NOW });
    expect(await showOverview(ports, { municipality, user: "someone", typed: "" })).toEqual({ kind: "not-manager" });
  });

  it("the latest scheduled time is Monday 08:00 Copenhagen time at or before now", () => {
    expect(latestScheduledAt(new Date("2026-11-23T07:00:00Z"), { weekday: 1, time: "08:00" }, "Europe/Copenhagen").toISOString()).toBe(
      "2026-11-23T07:00:00.000Z",
    );
    expect(latestScheduledAt(new Date("2026-11-23T06:59:00Z"), { weekday: 1, time: "08:00" }, "Europe/Copenhagen").toISOString()).toBe(
      "2026-11-16T07:00:00.000Z",
    );
  });

  it("two instances on schedule commit one overview per manager and period; after downtime it is late and says so", async () => {
    const ports = inMemoryPorts({ now: "2026-11-16T12:00:00Z" });
    await ports.overview.subscribe(municipality.tenantId, MANAGER, ports.clock.now());
    ports.clock.set("2026-11-23T07:01:00Z");
    const [a, b] = await Promise.all([sendScheduledOverviews(ports, municipality), sendScheduledOverviews(ports, municipality)]);
    expect(a + b).toBe(1);
    expect(await sendScheduledOverviews(ports, municipality)).toBe(0); // a restart
    const first = ports.outbox.messages(municipality.tenantId);
    expect(first).toHaveLength(1);
    expect(first[0]!.content).toEqual({ kind: "overview", until: "2026-11-23T07:00:00.000Z", days: 7, late: false });

    ports.clock.set("2026-12-02T10:00:00Z"); // down over Monday 30 November
    expect(await sendScheduledOverviews(ports, municipality)).toBe(1);
    expect(ports.outbox.messages(municipality.tenantId)[1]!.content).toEqual({
      kind: "overview",
      until: "2026-11-30T07:00:00.000Z",
      days: 7,
      late: true,
    });
  });

  it("a manager who subscribes after the scheduled time waits for the next one; one who unsubscribes gets none", async () => {
    const ports = inMemoryPorts({ now: "2026-11-23T09:00:00Z" });
    await ports.overview.subscribe(municipality.tenantId, MANAGER, ports.clock.now());
    expect(await sendScheduledOverviews(ports, municipality)).toBe(0);
    await ports.overview.unsubscribe(municipality.tenantId, MANAGER);
    ports.clock.set("2026-11-30T08:00:00Z");
    expect(await sendScheduledOverviews(ports, municipality)).toBe(0);
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DECISIONS } from "../../src/domain/case-lifecycle.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { overviewFigures, periodsEndingAt, tallyEvents } from "../../src/domain/overview.js";
import { AGE_GROUPS, PLAN_STEPS, settledBefore, type OverviewEvent } from "../../src/domain/overview-events.js";
import { keepOverviewSummaries, periodParts, readPeriod, runsOf, SUMMARY_VERSION } from "../../src/domain/overview-summaries.js";
import { overviewReport } from "../../src/domain/overview-use-cases.js";
import { testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts } from "../support/in-memory/index.js";

const ZONE = "Europe/Copenhagen";
const DAY = 86_400_000;
const NOW = new Date("2026-11-23T13:17:00Z");

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/**
 * About `perWeek` cases a week for `weeks` weeks up to `until`, at all hours (across the
 * changes to and from summer time): raised, most decided after a fractional number of days
 * (some after `until`, so still pending), some moved or withdrawn; bostøtte decisions; plan steps.
 */
function history(weeks: number, until: Date, perWeek = 40, seed = 7): OverviewEvent[] {
  const next = random(seed);
  const events: OverviewEvent[] = [];
  const start = until.getTime() - weeks * 7 * DAY;
  const cases = weeks * perWeek;
  for (let caseNo = 1; caseNo <= cases; caseNo++) {
    const raisedAt = new Date(start + (caseNo / cases) * weeks * 7 * DAY + next() * 3_600_000).toISOString();
    const forumId = next() < 0.4 ? "unge" : "voksne";
    const ageGroup = forumId === "unge" ? (next() < 0.3 ? "15-17" : "18-29") : "30+";
    events.push({ kind: "raised", id: `case:${caseNo}:raised`, at: raisedAt, caseNo, forumId, ageGroup, acute: next() < 0.1 });
    const roll = next();
    if (roll < 0.05) {
      events.push({ kind: "withdrawn", id: `case:${caseNo}:v2:withdrawn`, at: later(raisedAt, next() * 5), caseNo, forumId, ageGroup });
      continue;
    }
    if (roll < 0.15) {
      events.push({
        kind: "moved",
        id: `case:${caseNo}:v2:moved`,
        at: later(raisedAt, 7),
        caseNo,
        forumId,
        ageGroup,
        reason: "rolled-over",
      });
    }
    const decision = DECISIONS[Math.floor(next() * DECISIONS.length)]!;
    events.push({
      kind: "decided",
      id: `case:${caseNo}:v3:decided`,
      at: later(raisedAt, 1 + next() * 40),
      caseNo,
      forumId,
      ageGroup,
      decision,
      raisedAt,
    });
    if (decision === "start") {
      const agreedAt = later(raisedAt, 30 + next() * 20);
      for (const [i, step] of PLAN_STEPS.entries()) {
        if (next() < 0.7) events.push({ kind: "plan", id: `plan:${caseNo}:${step}`, at: later(agreedAt, i * 9), caseNo, forumId, step });
      }
    }
    if (next() < 0.1) {
      events.push({
        kind: "bostotte",
        id: `bostotte:${caseNo}`,
        at: later(raisedAt, next() * 60),
        ageGroup: AGE_GROUPS[Math.floor(next() * 3)]!,
        decision: next() < 0.5 ? "bevilling" : next() < 0.5 ? "afslag" : "ophoer",
        reached: next() < 0.7 ? "caseworker" : "forum",
      });
    }
  }
  return events;
}

const later = (at: string, days: number) => new Date(Date.parse(at) + days * DAY).toISOString();

/** The figures straight from every event: what summaries must reproduce. */
function fromEvents(events: OverviewEvent[], until: Date, days: number) {
  const { current, previous } = periodsEndingAt(until, days);
  return overviewFigures({
    forumIds: ["unge", "voksne"],
    period: current,
    events,
    previous: events,
    previousPeriod: previous,
    timeZone: ZONE,
  });
}

async function seeded(events: OverviewEvent[], now = NOW) {
  const ports = inMemoryPorts({ now });
  const municipality: Municipality = testMunicipality(randomUUID());
  await ports.overview.record(municipality.tenantId, events);
  return { ports, municipality };
}

describe("how a period splits into summaries and events", () => {
  const settled = settledBefore(NOW); // 2026-11-22T00:00Z: days up to 21 November are settled

  it("a year: whole months as summaries, whole settled days around them, raw events at the edges", () => {
    const parts = periodParts(new Date(NOW.getTime() - 365 * DAY), NOW, settled);
    expect(parts.months).toEqual([
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
    expect(parts.days[0]).toBe("2025-11-24");
    expect(parts.days).toContain("2025-11-30");
    expect(parts.days).toContain("2026-11-21");
    expect(parts.days).not.toContain("2026-11-22");
    expect(parts.days).toHaveLength(7 + 21);
    expect(parts.raw.map((r) => [r.from.toISOString(), r.until.toISOString()])).toEqual([
      ["2025-11-23T13:17:00.000Z", "2025-11-24T00:00:00.000Z"],
      ["2026-11-22T00:00:00.000Z", "2026-11-23T13:17:00.000Z"],
    ]);
  });

  it("7 days: settled days and raw edges; a period inside the last day and a half: raw only; an empty period: nothing", () => {
    const week = periodParts(new Date(NOW.getTime() - 7 * DAY), NOW, settled);
    expect(week.months).toEqual([]);
    expect(week.days).toEqual(["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]);
    expect(week.raw).toHaveLength(2);
    expect(periodParts(new Date(NOW.getTime() - DAY), NOW, settled)).toEqual({
      months: [],
      days: [],
      raw: [{ from: new Date(NOW.getTime() - DAY), until: NOW }],
    });
    expect(periodParts(NOW, NOW, settled)).toEqual({ months: [], days: [], raw: [] });
  });

  it("consecutive spans read as one run each", () => {
    expect(runsOf(["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-31", "2026-02-01", "2026-03-05"])).toEqual([
      { from: "2026-01-01", to: "2026-01-03" },
      { from: "2026-01-31", to: "2026-02-01" },
      { from: "2026-03-05", to: "2026-03-05" },
    ]);
    expect(runsOf(["2025-12", "2026-01", "2026-03"])).toEqual([
      { from: "2025-12", to: "2026-01" },
      { from: "2026-03", to: "2026-03" },
    ]);
  });
});

describe("overview summaries (SPEC §8): the same figures as the events, from far fewer rows", () => {
  const events = history(104, NOW);

  it.each([1, 7, 30, 91, 92, 200, 365])("%i days: summaries and edges give exactly the figures of every event", async (days) => {
    const { ports, municipality } = await seeded(events);
    const expected = fromEvents(events, NOW, days);
    const first = await overviewReport(ports, municipality, NOW, days);
    expect(first.figures).toEqual(expected);
    // Read again from the stored summaries: still the same.
    const again = await overviewReport(ports, municipality, NOW, days);
    expect(again.figures).toEqual(expected);
  });

  it("a year reads a few hundred rows once its summaries exist, not every event; the summaries are made once", async () => {
    const { ports, municipality } = await seeded(events);
    await overviewReport(ports, municipality, NOW, 365);
    const made = ports.overview.summariesStored;
    expect(made).toBeGreaterThan(300);
    ports.overview.rowsRead = 0;
    await overviewReport(ports, municipality, NOW, 365);
    expect(ports.overview.summariesStored).toBe(made);
    const inTwoYears = events.filter((e) => e.at >= new Date(NOW.getTime() - 730 * DAY).toISOString()).length;
    expect(inTwoYears).toBeGreaterThan(8_000);
    expect(ports.overview.rowsRead).toBeLessThan(300);
  });

  it("two instances reading at once store the same summaries and count nothing twice", async () => {
    const { ports, municipality } = await seeded(events);
    const [a, b] = await Promise.all([overviewReport(ports, municipality, NOW, 365), overviewReport(ports, municipality, NOW, 365)]);
    const expected = fromEvents(events, NOW, 365);
    expect(a.figures).toEqual(expected);
    expect(b.figures).toEqual(expected);
    expect((await overviewReport(ports, municipality, NOW, 365)).figures).toEqual(expected);
  });

  it("a late event that is new drops the summaries it falls in, and the next read counts it; a repeat drops nothing", async () => {
    const { ports, municipality } = await seeded(events);
    await overviewReport(ports, municipality, NOW, 365);
    const made = ports.overview.summariesStored;

    // A repeat of an event already stored (a re-delivered turn days later): nothing to make again.
    const old = events.find((e) => e.kind === "raised" && e.at < "2026-06-01")!;
    await ports.overview.record(municipality.tenantId, [old], { settledBefore: settledBefore(NOW) });
    await overviewReport(ports, municipality, NOW, 365);
    expect(ports.overview.summariesStored).toBe(made);

    // A new event in a summarised day (a job catching up after downtime): its day and month are made again.
    const late: OverviewEvent = {
      kind: "bostotte",
      id: "bostotte:late",
      at: "2026-06-10T09:00:00.000Z",
      ageGroup: "30+",
      decision: "afslag",
      reached: "forum",
    };
    await ports.overview.record(municipality.tenantId, [late], { settledBefore: settledBefore(NOW) });
    const report = await overviewReport(ports, municipality, NOW, 365);
    expect(ports.overview.summariesStored).toBe(made + 2); // 10 June from its events, June from its days
    expect(report.figures).toEqual(fromEvents([...events, late], NOW, 365));
  });

  it("summaries made with another version or time zone are made again", async () => {
    const { ports, municipality } = await seeded(events);
    const { current } = periodsEndingAt(NOW, 30);
    await readPeriod(ports.overview, municipality.tenantId, current, NOW, ZONE);
    const made = ports.overview.summariesStored;
    const wrong = (span: string) => ({ span, version: SUMMARY_VERSION + 1, timeZone: ZONE, events: 0, tally: tallyEvents([], ZONE) });
    await ports.overview.storeSummaries(municipality.tenantId, ["2026-11-01", "2026-10-30"].map(wrong));
    await ports.overview.storeSummaries(municipality.tenantId, [{ ...wrong("2026-11-02"), version: SUMMARY_VERSION, timeZone: "UTC" }]);
    const read = await readPeriod(ports.overview, municipality.tenantId, current, NOW, ZONE);
    expect(read.tallies).toHaveLength(28); // 25 October – 21 November
    expect(ports.overview.summariesStored).toBe(made + 3 + 3);
    expect((await overviewReport(ports, municipality, NOW, 30)).figures).toEqual(fromEvents(events, NOW, 30));
  });

  it("empty periods: no events at all, or none in the period, give zeros (and empty summaries)", async () => {
    const { ports, municipality } = await seeded([]);
    const empty = (await overviewReport(ports, municipality, NOW, 365)).figures;
    expect(empty).toEqual(fromEvents([], NOW, 365));
    expect(empty.total.raised).toBe(0);
    expect(empty.durations.current).toEqual({ count: 0 });

    const old = await seeded(history(10, new Date(NOW.getTime() - 400 * DAY)));
    expect((await overviewReport(old.ports, old.municipality, NOW, 30)).figures).toEqual(fromEvents([], NOW, 30));
  });

  it("the hourly job makes the recent summaries ahead of any manager, once", async () => {
    const { ports, municipality } = await seeded(events);
    const made = await keepOverviewSummaries(ports.overview, municipality.tenantId, NOW, ZONE);
    expect(made).toBe(1 + 21); // October (with its 31 days) and 1–21 November
    expect(await keepOverviewSummaries(ports.overview, municipality.tenantId, NOW, ZONE)).toBe(0);
    ports.overview.rowsRead = 0;
    const report = await overviewReport(ports, municipality, NOW, 30);
    expect(report.figures).toEqual(fromEvents(events, NOW, 30));
  });
});

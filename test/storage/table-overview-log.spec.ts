import { randomUUID } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { OverviewEvent } from "../../src/domain/overview-events.js";
import { DAY_MS, periodsEndingAt, tallyEvents } from "../../src/domain/overview.js";
import { settledBefore, type OverviewSummary } from "../../src/domain/overview-events.js";
import { readPeriod, SUMMARY_VERSION } from "../../src/domain/overview-summaries.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { monthsBetween, TableOverviewLog } from "../../src/storage/table-overview-log.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { notification } from "../../src/domain/notification.js";

const NOW = new Date("2026-11-23T07:00:00Z");
const ZONE = "Europe/Copenhagen";
const WEEK = 7 * 86_400_000;
let tables: TableClients;

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
});

/** The `caseindex` table with every row a query returns counted. */
function counting(table: TableClient): { table: TableClient; rows: () => number } {
  let rows = 0;
  const proxy = new Proxy(table, {
    get(target, prop, receiver) {
      if (prop !== "listEntities") return Reflect.get(target, prop, receiver);
      return (...args: Parameters<TableClient["listEntities"]>) => {
        const inner = target.listEntities(...args);
        return {
          async *[Symbol.asyncIterator]() {
            for await (const row of inner) {
              rows++;
              yield row;
            }
          },
        };
      };
    },
  });
  return { table: proxy, rows: () => rows };
}

/** ~40 cases a week: each raised, and decided a week later. */
function weeksOfEvents(weeks: number): OverviewEvent[] {
  const events: OverviewEvent[] = [];
  let caseNo = 0;
  for (let w = weeks; w >= 1; w--) {
    for (let i = 0; i < 40; i++) {
      caseNo++;
      const at = new Date(NOW.getTime() - w * WEEK + i * 3_600_000).toISOString();
      const decidedAt = new Date(Date.parse(at) + WEEK / 2).toISOString();
      events.push({
        kind: "raised",
        id: `case:${caseNo}:raised`,
        at,
        caseNo,
        forumId: i % 2 ? "unge" : "voksne",
        ageGroup: "30+",
        acute: false,
      });
      events.push({
        kind: "decided",
        id: `case:${caseNo}:v2:decided`,
        at: decidedAt,
        caseNo,
        forumId: i % 2 ? "unge" : "voksne",
        ageGroup: "30+",
        decision: "start",
        raisedAt: at,
      });
    }
  }
  return events.filter((e) => e.at < NOW.toISOString());
}

async function rowsReadFor7Days(weeksStored: number): Promise<number> {
  const tenant = randomUUID();
  const seeding = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
  await seeding.record(tenant, weeksOfEvents(weeksStored));
  const counted = counting(tables.caseIndex);
  const log = new TableOverviewLog(counted.table, tables.cases, new TableOutbox(tables.cases, tables.outbox));
  const { current, previous } = periodsEndingAt(NOW, 7);
  const [now, before] = await Promise.all([
    log.between(tenant, current.from, current.until),
    log.between(tenant, previous.from, previous.until),
  ]);
  expect(counted.rows()).toBe(now.length + before.length);
  return counted.rows();
}

describe("TableOverviewLog: period-scoped reading (SPEC §8, §9: no whole-table scans)", () => {
  it("reads only the period's rows for a 7-day overview, the same with two years stored as with three weeks", async () => {
    const fewWeeks = await rowsReadFor7Days(3);
    const twoYears = await rowsReadFor7Days(104);
    expect(twoYears).toBe(fewWeeks);
    // Two 7-day periods of ~40 raised and ~40 decided cases each.
    expect(twoYears).toBeGreaterThan(100);
    expect(twoYears).toBeLessThan(200);
  }, 120_000);

  it("reads a few hundred rows for a 365-day overview (summaries of months and days, events at the edges), two years stored", async () => {
    const tenant = randomUUID();
    const seeding = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
    const events = weeksOfEvents(104);
    await seeding.record(tenant, events);
    const counted = counting(tables.caseIndex);
    const log = new TableOverviewLog(counted.table, tables.cases, new TableOutbox(tables.cases, tables.outbox));
    const read = async () => {
      const { current, previous } = periodsEndingAt(NOW, 365);
      return Promise.all([readPeriod(log, tenant, current, NOW, ZONE), readPeriod(log, tenant, previous, NOW, ZONE)]);
    };
    await read(); // the first reader makes the summaries, once
    const before = counted.rows();
    const [now, earlier] = await read();
    const rows = counted.rows() - before;
    expect(events.length).toBeGreaterThan(8_000);
    expect(rows).toBeLessThan(300);
    expect(rows).toBe(now.tallies.length + now.events.length + earlier.tallies.length + earlier.events.length);
  }, 180_000);

  it("a 7-day overview through the summaries reads the same rows with three weeks or two years stored", async () => {
    const rowsFor = async (weeks: number) => {
      const tenant = randomUUID();
      const seeding = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
      await seeding.record(tenant, weeksOfEvents(weeks));
      const counted = counting(tables.caseIndex);
      const log = new TableOverviewLog(counted.table, tables.cases, new TableOutbox(tables.cases, tables.outbox));
      const { current, previous } = periodsEndingAt(NOW, 7);
      const readBoth = () => Promise.all([readPeriod(log, tenant, current, NOW, ZONE), readPeriod(log, tenant, previous, NOW, ZONE)]);
      await readBoth();
      const before = counted.rows();
      await readBoth();
      return counted.rows() - before;
    };
    const fewWeeks = await rowsFor(3);
    expect(await rowsFor(104)).toBe(fewWeeks);
    expect(fewWeeks).toBeLessThan(100);
  }, 180_000);

  it("stores a summary larger than one property in several, skips one larger than an entity, and drops a day's and month's on a new late event", async () => {
    const tenant = randomUUID();
    const log = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
    const summary = (span: string, cases: number): OverviewSummary => {
      const tally = tallyEvents([], ZONE);
      tally.raised["30+|voksne"] = Array.from({ length: cases }, (_, i) => 1_000_000 + i);
      return { span, version: SUMMARY_VERSION, timeZone: ZONE, events: cases, tally };
    };
    const big = summary("2026-10", 20_000); // ~160,000 characters: six properties
    const huge = summary("2026-09", 200_000); // over 1 MiB: not stored, read from its days instead
    await log.storeSummaries(tenant, [big, huge, summary("2026-10-05", 3)]);
    const runs = [
      { from: "2026-09", to: "2026-10" },
      { from: "2026-10-01", to: "2026-10-31" },
    ];
    expect(await log.summaries(tenant, runs)).toEqual([big, summary("2026-10-05", 3)]);

    const late = {
      kind: "withdrawn",
      id: "case:9:v2:withdrawn",
      at: "2026-10-05T10:00:00.000Z",
      caseNo: 9,
      forumId: "voksne",
      ageGroup: "30+",
    } as const;
    const settled = settledBefore(NOW);
    await log.record(tenant, [late], { settledBefore: settled });
    expect(await log.summaries(tenant, runs)).toEqual([]);
    // The same late event again (a repeat): the summaries made since stay.
    await log.storeSummaries(tenant, [big, summary("2026-10-05", 3)]);
    await log.record(tenant, [late], { settledBefore: settled });
    expect(await log.summaries(tenant, runs)).toHaveLength(2);
    expect(await log.between(tenant, new Date("2026-10-05T00:00:00Z"), new Date(Date.parse("2026-10-05T00:00:00Z") + DAY_MS))).toEqual([
      late,
    ]);
  }, 60_000);

  it("an event written again (a re-delivered turn) is one row", async () => {
    const tenant = randomUUID();
    const log = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
    const event: OverviewEvent = {
      kind: "raised",
      id: "case:1:raised",
      at: "2026-11-20T10:00:00.000Z",
      caseNo: 1,
      forumId: "unge",
      ageGroup: "18-29",
      acute: true,
    };
    await log.record(tenant, [event]);
    await log.record(tenant, [event]);
    expect(await log.between(tenant, new Date("2026-11-01T00:00:00Z"), NOW)).toEqual([event]);
  });

  it("subscriptions and an overview committed once", async () => {
    const tenant = randomUUID();
    const log = new TableOverviewLog(tables.caseIndex, tables.cases, new TableOutbox(tables.cases, tables.outbox));
    expect(await log.subscribe(tenant, "m1", NOW)).toBe(true);
    expect(await log.subscribe(tenant, "m1", NOW)).toBe(false);
    expect(await log.subscribers(tenant)).toEqual([{ aadObjectId: "m1", since: NOW.toISOString() }]);
    const message = notification(
      tenant,
      "overview:m1:x",
      { kind: "personal", aadObjectId: "m1" },
      { kind: "overview", until: NOW.toISOString(), days: 7, late: false },
      NOW,
    );
    expect(await log.notifyOnce(tenant, [message])).toBe(true);
    expect(await log.notifyOnce(tenant, [message])).toBe(false);
    expect(await log.unsubscribe(tenant, "m1")).toBe(true);
    expect(await log.unsubscribe(tenant, "m1")).toBe(false);
  });

  it("months between two instants", () => {
    expect(monthsBetween(new Date("2025-11-30T00:00:00Z"), new Date("2026-02-01T00:00:00Z"))).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
    ]);
  });
});

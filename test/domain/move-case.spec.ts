import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { forumCalendar } from "../../src/domain/forum-calendar.js";
import { cancelMeeting, moveAll, moveCase, type MoveDeps } from "../../src/domain/move-case.js";
import { raiseCase } from "../../src/domain/raise-case.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { TableMeetingRepository } from "../../src/storage/table-meeting-repository.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { TableAddressBook } from "../../src/storage/table-address-book.js";
import { openTables } from "../../src/storage/table-storage.js";
import { CASEWORKER, COORDINATOR, fakeCprForAge, testMunicipality, validDraft } from "../support/fixtures.js";

// Monday 23 November 2026, 08:00 in Copenhagen: the adult forum meets Wednesday 25 November.
const NOW = new Date("2026-11-23T07:00:00Z");
let deps: MoveDeps & { timeZone: string; addresses: TableAddressBook };

beforeAll(async () => {
  const tables = await openTables(inject("azuriteConnectionString"));
  const outbox = new TableOutbox(tables.cases, tables.outbox);
  deps = {
    cases: new TableCaseRepository(tables.cases, tables.caseIndex, new FieldCipher(Buffer.alloc(32, 8)), outbox),
    meetings: new TableMeetingRepository(tables.cases, outbox),
    calendar: forumCalendar("Europe/Copenhagen"),
    clock: { now: () => NOW },
    addresses: new TableAddressBook(tables.addresses),
    timeZone: "Europe/Copenhagen",
  };
});

async function raiseAdultCase(municipality = testMunicipality()) {
  const outcome = await raiseCase(
    deps,
    { municipality, submissionId: randomUUID(), user: CASEWORKER, draft: validDraft({ cpr: fakeCprForAge(45, NOW) }) },
  );
  if (outcome.kind !== "raised") throw new Error(outcome.kind);
  return { municipality, record: outcome.record };
}

describe("moving a case", () => {
  it("lets a coordinator move a case to a chosen meeting, freeing the old slot and auditing it", async () => {
    const { municipality, record } = await raiseAdultCase();
    expect(record.meetingKey).toBe("voksne:2026-11-25");
    const outcome = await moveCase(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      target: { kind: "meeting", key: "voksne:2026-12-09" },
      by: COORDINATOR.aadObjectId,
      reason: "moved",
    });
    expect(outcome.kind).toBe("moved");
    const stored = await deps.cases.get(municipality.tenantId, record.caseNo);
    expect(stored).toMatchObject({ meetingKey: "voksne:2026-12-09", slot: 0, postponements: 1, version: record.version + 1 });
    expect(await deps.meetings.bookings(municipality.tenantId, { forumId: "voksne", date: "2026-11-25" })).toEqual([]);
  });

  it("refuses a caseworker, a stale card and a meeting that is not in the forum's calendar", async () => {
    const { municipality, record } = await raiseAdultCase();
    const base = { municipality, caseNo: record.caseNo, expectedVersion: record.version, by: COORDINATOR.aadObjectId, reason: "moved" as const };
    expect((await moveCase(deps, { ...base, by: CASEWORKER.aadObjectId, target: { kind: "next" } })).kind).toBe("not-allowed");
    expect((await moveCase(deps, { ...base, expectedVersion: 99, target: { kind: "next" } })).kind).toBe("stale");
    expect((await moveCase(deps, { ...base, target: { kind: "meeting", key: "voksne:2026-12-02" } })).kind).toBe("unknown-meeting"); // odd week
    expect((await moveCase(deps, { ...base, target: { kind: "meeting", key: "unge:2026-12-01" } })).kind).toBe("unknown-meeting"); // other forum
    expect(await deps.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ meetingKey: "voksne:2026-11-25", version: record.version });
  });

  it("moves a case once when the same move is pressed twice at the same moment", async () => {
    const { municipality, record } = await raiseAdultCase();
    const command = { municipality, caseNo: record.caseNo, expectedVersion: record.version, by: COORDINATOR.aadObjectId, reason: "moved" as const, target: { kind: "next" as const } };
    const outcomes = await Promise.all([moveCase(deps, command), moveCase(deps, command)]);
    expect(outcomes.filter((o) => o.kind === "moved")).toHaveLength(1);
    const stored = await deps.cases.get(municipality.tenantId, record.caseNo);
    expect(stored!.postponements).toBe(1);
    const occupied = await Promise.all(
      ["2026-11-25", "2026-12-09", "2026-12-23"].map((date) => deps.meetings.bookings(municipality.tenantId, { forumId: "voksne", date })),
    );
    expect(occupied.flat().filter((b) => b.caseNo === record.caseNo)).toHaveLength(1);
  });
});

describe("cancelling a meeting", () => {
  it("marks the meeting cancelled and moves each of its cases to the next meeting with a free slot", async () => {
    const municipality = testMunicipality();
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push((await raiseAdultCase(municipality)).record);
    expect(cases.map((c) => c.meetingKey)).toEqual(["voksne:2026-11-25", "voksne:2026-11-25", "voksne:2026-11-25"]);
    const outcome = await cancelMeeting(deps, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId });
    expect(outcome.kind).toBe("cancelled");
    if (outcome.kind !== "cancelled") return;
    expect(outcome.moved.map((m) => m.to.date)).toEqual(["2026-12-09", "2026-12-09", "2026-12-09"]);
    expect(await deps.meetings.bookings(municipality.tenantId, { forumId: "voksne", date: "2026-11-25" })).toEqual([]);
    // A new case no longer lands in the cancelled meeting.
    const later = await raiseAdultCase(municipality);
    expect(later.record.meetingKey).toBe("voksne:2026-12-23");
    expect((await cancelMeeting(deps, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId })).kind).toBe("already-cancelled");
  });

  it("is for the forum's coordinators only", async () => {
    const municipality = testMunicipality();
    expect((await cancelMeeting(deps, { municipality, meetingKey: "voksne:2026-11-25", by: CASEWORKER.aadObjectId })).kind).toBe("not-allowed");
  });

  it("rolls cases still open after a meeting on to the next one", async () => {
    const { municipality, record } = await raiseAdultCase();
    const bookings = await deps.meetings.bookings(municipality.tenantId, { forumId: "voksne", date: "2026-11-25" });
    const { moved } = await moveAll(deps, municipality, { forumId: "voksne", date: "2026-11-25" }, bookings, "sparring", "rolled-over");
    expect(moved.map((m) => m.record.caseNo)).toEqual([record.caseNo]);
    expect((await deps.cases.get(municipality.tenantId, record.caseNo))!.postponements).toBe(1);
  });
});

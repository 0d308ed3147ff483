import { beforeEach, describe, expect, it } from "vitest";
import { meetingKey } from "../../src/domain/booking.js";
import type { CaseRecord } from "../../src/domain/case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { cancelMeeting, moveAll, moveCase, moveOptions, prepareMeetingCancellation, type MoveCommand } from "../../src/domain/move-case.js";
import { CASEWORKER, COORDINATOR, fakeCpr, testMunicipality, YOUTH_COORDINATOR } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { fillOpenMeetings, meetingOf, raised } from "../support/scenarios.js";

/** A case's audit rows after its first ("raise", written with the case; see case-repository contract). */
const afterRaise = (row: { action: string }) => row.action !== "raise";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const bookingsOf = (key: string) => ports.meetings.bookings(municipality.tenantId, meetingOf(key));

function move(record: CaseRecord, target: MoveCommand["target"], overrides: Partial<MoveCommand> = {}) {
  return moveCase(ports, {
    municipality,
    caseNo: record.caseNo,
    expectedVersion: record.version,
    target,
    by: COORDINATOR.aadObjectId,
    reason: "moved",
    ...overrides,
  });
}

describe("moving a case (SPEC §4)", () => {
  it("lets a coordinator move a case to a chosen meeting, freeing the old slot, auditing it and telling the caseworker", async () => {
    const { record } = await raised(ports, municipality);
    const outcome = await move(record, { kind: "meeting", key: "voksne:2026-12-09" });
    expect(outcome).toMatchObject({ kind: "moved", from: "voksne:2026-11-25", to: { date: "2026-12-09" }, skippedFull: [] });
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({
      meetingKey: "voksne:2026-12-09",
      slot: 0,
      postponements: 1,
      version: 2,
    });
    expect(await bookingsOf("voksne:2026-11-25")).toEqual([]);
    expect(await bookingsOf("voksne:2026-12-09")).toEqual([{ slot: 0, caseNo: 1 }]);
    expect(ports.cases.auditOf(municipality.tenantId, 1).filter(afterRaise)).toEqual([
      { at: MONDAY_MORNING.toISOString(), user: COORDINATOR.aadObjectId, action: "move", purpose: "moved" },
    ]);
    expect(
      ports.outbox
        .messages(municipality.tenantId)
        .slice(1)
        .map((m) => [m.target, m.content]),
    ).toEqual([
      [
        { kind: "forum-channel", forumId: "voksne" },
        { kind: "case-card", caseNo: 1, mode: "update" },
      ],
      [
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "case-moved", caseNo: 1, reason: "moved" },
      ],
    ]);
  });

  it("moves a case to the next meeting with a free slot after its own", async () => {
    const { record } = await raised(ports, municipality);
    expect(await move(record, { kind: "next" })).toMatchObject({
      kind: "moved",
      to: { date: "2026-12-09" },
      record: { meetingKey: "voksne:2026-12-09" },
    });
  });

  it("passes over full meetings when moving on, and says which", async () => {
    const { record } = await raised(ports, municipality);
    await fillOpenMeetings(ports, municipality, "voksne", ["voksne:2026-11-25", "voksne:2026-12-23"]);
    const outcome = await move(record, { kind: "next" });
    expect(outcome).toMatchObject({ kind: "moved", record: { meetingKey: "voksne:2026-12-23" } });
    if (outcome.kind === "moved") expect(outcome.skippedFull.map(meetingKey)).toEqual(["voksne:2026-12-09"]);
  });

  it("moves a citizen who has turned 30 meanwhile on to the adult forum", async () => {
    const { record } = await raised(ports, municipality, { cpr: fakeCpr({ year: 1996, month: 12, day: 5 }) });
    expect(record).toMatchObject({ meetingKey: "unge:2026-12-01", age: 29 });
    expect(await move(record, { kind: "next" })).toMatchObject({
      kind: "moved",
      record: { forumId: "voksne", meetingKey: "voksne:2026-12-09", age: 30 },
    });
  });

  it("refuses a caseworker, a stale card, and meetings not in the forum's calendar", async () => {
    const { record } = await raised(ports, municipality);
    expect(await move(record, { kind: "next" }, { by: CASEWORKER.aadObjectId })).toEqual({ kind: "not-allowed" });
    expect(await move(record, { kind: "next" }, { by: YOUTH_COORDINATOR.aadObjectId })).toEqual({ kind: "not-allowed" });
    expect(await move(record, { kind: "next" }, { expectedVersion: 99 })).toEqual({ kind: "stale", record });
    for (const key of ["voksne:2026-12-02", "unge:2026-12-01", "voksne:2026-11-25", "voksne:2026-11-11", "not-a-key"]) {
      // An odd week, another forum, its own meeting, a past meeting, nonsense.
      expect(await move(record, { kind: "meeting", key })).toEqual({ kind: "unknown-meeting" });
    }
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(record);
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).filter(afterRaise)).toEqual([]);
  });

  it("moves only to a meeting the move form offers, never one years ahead (a tampered card)", async () => {
    const { record } = await raised(ports, municipality);
    for (const key of ["voksne:9999-12-29", "voksne:2040-11-28"])
      expect(await move(record, { kind: "meeting", key })).toEqual({ kind: "unknown-meeting" });
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(record);
  });

  it("does not move an acute case, which has no meeting", async () => {
    const { record } = await raised(ports, municipality, { acute: true, acuteReason: "Akut" });
    expect(await move(record, { kind: "next" })).toEqual({ kind: "not-booked", record });
  });

  it("leaves the case where it is when the chosen meeting is full", async () => {
    const { record } = await raised(ports, municipality);
    await fillOpenMeetings(ports, municipality, "voksne", ["voksne:2026-11-25"]);
    expect(await move(record, { kind: "meeting", key: "voksne:2026-12-09" })).toEqual({ kind: "no-free-meeting" });
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(record);
    expect(await bookingsOf("voksne:2026-11-25")).toEqual([{ slot: 0, caseNo: 1 }]);
  });

  it("knows no case it does not have", async () => {
    expect(
      await moveCase(ports, {
        municipality,
        caseNo: 7,
        expectedVersion: 1,
        target: { kind: "next" },
        by: COORDINATOR.aadObjectId,
        reason: "moved",
      }),
    ).toEqual({
      kind: "unknown-case",
    });
  });

  it("moves a case once when the same move is pressed twice at the same moment", async () => {
    const { record } = await raised(ports, municipality);
    const outcomes = await Promise.all([move(record, { kind: "next" }), move(record, { kind: "next" })]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(["moved", "stale"]);
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({
      postponements: 1,
      version: 2,
      meetingKey: "voksne:2026-12-09",
    });
    // Both were handed the same slot; the loser must not have freed the winner's.
    expect(await bookingsOf("voksne:2026-12-09")).toEqual([{ slot: 0, caseNo: 1 }]);
    expect(await bookingsOf("voksne:2026-11-25")).toEqual([]);
  });

  it("gives back the slot it claimed when the case changed meanwhile", async () => {
    const { record } = await raised(ports, municipality);
    const other = await move(record, { kind: "meeting", key: "voksne:2026-12-23" });
    expect(other.kind).toBe("moved");
    expect(await move(record, { kind: "meeting", key: "voksne:2026-12-09" })).toMatchObject({ kind: "stale" });
    expect(await bookingsOf("voksne:2026-12-09")).toEqual([]);
  });
});

describe("the meetings a case can be moved to", () => {
  it("lists the forum's next six meetings but the case's own, with their free slots, leaving cancelled ones out", async () => {
    const { record } = await raised(ports, municipality);
    await ports.meetings.claimSlot(municipality.tenantId, { ...meetingOf("voksne:2026-12-09"), capacity: 3 }, 500);
    await ports.meetings.cancel(municipality.tenantId, { ...meetingOf("voksne:2026-12-23"), capacity: 3 }, COORDINATOR.aadObjectId);
    const outcome = await moveOptions(ports, { municipality, caseNo: record.caseNo, user: COORDINATOR.aadObjectId });
    expect(outcome.kind).toBe("options");
    if (outcome.kind !== "options") return;
    expect(outcome.meetings.map((m) => [meetingKey(m.meeting), m.free])).toEqual([
      ["voksne:2026-12-09", 2],
      ["voksne:2027-01-13", 3],
      ["voksne:2027-01-27", 3],
      ["voksne:2027-02-10", 3],
      ["voksne:2027-02-24", 3],
    ]);
  });

  it("is for the forum's coordinators, and for booked cases only", async () => {
    const { record } = await raised(ports, municipality);
    const acute = (await raised(ports, municipality, { acute: true, acuteReason: "Akut" })).record;
    expect(await moveOptions(ports, { municipality, caseNo: record.caseNo, user: CASEWORKER.aadObjectId })).toEqual({
      kind: "not-allowed",
    });
    expect(await moveOptions(ports, { municipality, caseNo: acute.caseNo, user: COORDINATOR.aadObjectId })).toEqual({
      kind: "not-booked",
      record: acute,
    });
    expect(await moveOptions(ports, { municipality, caseNo: 99, user: COORDINATOR.aadObjectId })).toEqual({ kind: "unknown-case" });
  });
});

describe("cancelling a meeting", () => {
  it("shows a coordinator how many cases a cancellation would move before it is confirmed", async () => {
    await raised(ports, municipality);
    await raised(ports, municipality);
    const preview = await prepareMeetingCancellation(ports, {
      municipality,
      meetingKey: "voksne:2026-11-25",
      user: COORDINATOR.aadObjectId,
    });
    expect(preview).toMatchObject({
      kind: "confirm",
      booked: 2,
      meeting: { forumId: "voksne", date: "2026-11-25", startsAt: new Date("2026-11-25T13:00:00Z") },
    });
    expect(
      await prepareMeetingCancellation(ports, { municipality, meetingKey: "voksne:2026-11-25", user: CASEWORKER.aadObjectId }),
    ).toEqual({ kind: "not-allowed" });
    expect(
      await prepareMeetingCancellation(ports, { municipality, meetingKey: "voksne:2026-12-02", user: COORDINATOR.aadObjectId }),
    ).toEqual({ kind: "unknown-meeting" });
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).cancelled).toBe(false);
  });

  it("marks the meeting cancelled and moves each of its cases to the next meeting with a free slot", async () => {
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push((await raised(ports, municipality)).record);
    const outcome = await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId });
    expect(outcome).toMatchObject({ kind: "cancelled", meeting: { date: "2026-11-25" }, unplaced: [] });
    if (outcome.kind !== "cancelled") return;
    expect(outcome.moved.map((m) => [m.record.caseNo, m.to.date, m.record.slot])).toEqual([
      [1, "2026-12-09", 0],
      [2, "2026-12-09", 1],
      [3, "2026-12-09", 2],
    ]);
    expect(await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toMatchObject({
      cancelled: true,
      cancelledBy: COORDINATOR.aadObjectId,
    });
    expect(await bookingsOf("voksne:2026-11-25")).toEqual([]);
    expect(ports.cases.auditOf(municipality.tenantId, 1).filter(afterRaise)).toEqual([
      { at: MONDAY_MORNING.toISOString(), user: COORDINATOR.aadObjectId, action: "move", purpose: "meeting-cancelled" },
    ]);
    expect(
      ports.outbox
        .pending(municipality.tenantId)
        .filter((m) => m.content.kind === "case-moved")
        .map((m) => m.content),
    ).toEqual([1, 2, 3].map((caseNo) => ({ kind: "case-moved", caseNo, reason: "meeting-cancelled" })));
    // A new case no longer lands in the cancelled meeting.
    expect((await raised(ports, municipality)).record.meetingKey).toBe("voksne:2026-12-23");
  });

  it("answers already-cancelled the second time", async () => {
    await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId });
    expect(await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId })).toEqual({
      kind: "already-cancelled",
    });
  });

  it("reports the cases it could not place, and places them when run again", async () => {
    const { record } = await raised(ports, municipality);
    await fillOpenMeetings(ports, municipality, "voksne", ["voksne:2026-11-25"]);
    const first = await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId });
    expect(first).toMatchObject({ kind: "cancelled", moved: [], unplaced: [{ caseNo: record.caseNo, meetingKey: "voksne:2026-11-25" }] });
    await ports.meetings.releaseSlot(
      municipality.tenantId,
      meetingOf("voksne:2026-12-09"),
      2,
      (await bookingsOf("voksne:2026-12-09"))[2]!.caseNo,
    );
    const again = await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: COORDINATOR.aadObjectId });
    expect(again).toMatchObject({
      kind: "cancelled",
      unplaced: [],
      moved: [{ record: { caseNo: record.caseNo, meetingKey: "voksne:2026-12-09", slot: 2 } }],
    });
  });

  it("is for the forum's coordinators only, and for meetings in its calendar", async () => {
    expect(await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: CASEWORKER.aadObjectId })).toEqual({
      kind: "not-allowed",
    });
    expect(await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-25", by: YOUTH_COORDINATOR.aadObjectId })).toEqual({
      kind: "not-allowed",
    });
    expect(await cancelMeeting(ports, { municipality, meetingKey: "voksne:2026-11-26", by: COORDINATOR.aadObjectId })).toEqual({
      kind: "unknown-meeting",
    });
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).cancelled).toBe(false);
  });

  it("does not cancel a meeting that has already been held (a tampered card)", async () => {
    const held = { municipality, meetingKey: "voksne:2026-11-11" };
    expect(await prepareMeetingCancellation(ports, { ...held, user: COORDINATOR.aadObjectId })).toEqual({ kind: "unknown-meeting" });
    expect(await cancelMeeting(ports, { ...held, by: COORDINATOR.aadObjectId })).toEqual({ kind: "unknown-meeting" });
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-11"))).cancelled).toBe(false);
  });
});

describe("moving every case of a meeting on", () => {
  it("rolls the cases still open after a meeting on to the next one", async () => {
    const { record } = await raised(ports, municipality);
    const meeting = meetingOf("voksne:2026-11-25");
    const { moved, unplaced } = await moveAll(
      ports,
      municipality,
      meeting,
      await bookingsOf("voksne:2026-11-25"),
      "sparring",
      "rolled-over",
    );
    expect(moved.map((m) => [m.record.caseNo, m.record.meetingKey, m.record.postponements])).toEqual([
      [record.caseNo, "voksne:2026-12-09", 1],
    ]);
    expect(unplaced).toEqual([]);
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).filter(afterRaise)).toEqual([
      { at: MONDAY_MORNING.toISOString(), user: "sparring", action: "move", purpose: "rolled-over" },
    ]);
  });

  it("frees a slot left behind by a case that has moved on, without moving that case again", async () => {
    const { record } = await raised(ports, municipality);
    const moved = await move(record, { kind: "meeting", key: "voksne:2027-01-13" });
    if (moved.kind !== "moved") throw new Error(moved.kind);
    // A move cut off half-way: the case is in January, but still holds a slot on 25 November.
    await ports.meetings.claimSlot(municipality.tenantId, { ...meetingOf("voksne:2026-11-25"), capacity: 3 }, record.caseNo);
    const result = await moveAll(
      ports,
      municipality,
      meetingOf("voksne:2026-11-25"),
      await bookingsOf("voksne:2026-11-25"),
      "sparring",
      "rolled-over",
    );
    expect(result).toEqual({ moved: [], unplaced: [] });
    expect(await bookingsOf("voksne:2026-11-25")).toEqual([]);
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(moved.record);
  });
});

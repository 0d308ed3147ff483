import { beforeEach, describe, expect, it } from "vitest";
import { decideCase } from "../../src/domain/decide-case.js";
import { publishDueAgendas, rollOverEndedMeetings } from "../../src/domain/meeting-jobs.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { CASEWORKER, COORDINATOR, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts, meetingSource, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { fillOpenMeetings, meetingOf, raised } from "../support/scenarios.js";

/** The adult forum's agenda for Wednesday 25 November closes Monday 23 November at 12:00 in Copenhagen. */
const ADULT_DEADLINE = new Date("2026-11-23T11:00:00Z");
/** Wednesday's adult meeting ends 14:30; its open cases roll on two hours later. */
const ROLL_OVER_DUE = new Date("2026-11-25T15:30:00Z");

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const agendaMessages = () => ports.outbox.pending(municipality.tenantId).filter((m) => m.content.kind === "agenda");

describe("publishing agendas (SPEC §4)", () => {
  it("publishes no agenda of a meeting whose deadline has not come", async () => {
    ports.clock.set(new Date(ADULT_DEADLINE.getTime() - 60_000));
    expect(await publishDueAgendas(ports, municipality)).not.toContain("voksne:2026-11-25");
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).agendaPublishedAt).toBeUndefined();
  });

  it("publishes an agenda at its deadline, once, to the forum's channel", async () => {
    ports.clock.set(new Date(ADULT_DEADLINE.getTime() + 30_000));
    expect(await publishDueAgendas(ports, municipality)).toContain("voksne:2026-11-25");
    ports.clock.advance(60_000);
    expect(await publishDueAgendas(ports, municipality)).toEqual([]);
    const adult = agendaMessages().filter((m) => m.target.kind === "forum-channel" && m.target.forumId === "voksne");
    expect(adult.map((m) => [m.source, m.content])).toEqual([
      [
        meetingSource(municipality.tenantId, meetingOf("voksne:2026-11-25")),
        { kind: "agenda", forumId: "voksne", date: "2026-11-25", late: false },
      ],
    ]);
    expect(await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toMatchObject({
      agendaPublishedAt: new Date(ADULT_DEADLINE.getTime() + 30_000).toISOString(),
    });
  });

  it("catches up after downtime, marking agendas published more than ten minutes late, within the past week only", async () => {
    ports.clock.set(new Date(ADULT_DEADLINE.getTime() + 11 * 60_000));
    // The youth meeting of Tuesday 24 November closed Friday 20 November; that of 17 November, ten days ago, is let be.
    expect(await publishDueAgendas(ports, municipality)).toEqual(["unge:2026-11-24", "voksne:2026-11-25"]);
    expect(agendaMessages().map((m) => m.content)).toEqual([
      { kind: "agenda", forumId: "unge", date: "2026-11-24", late: true },
      { kind: "agenda", forumId: "voksne", date: "2026-11-25", late: true },
    ]);
  });

  it("after downtime publishes no agenda for a meeting that has already been held", async () => {
    // Wednesday 25 November 15:00 Copenhagen: the youth meeting of Tuesday 24 November 13:00 is over, the adult one of 14:00 too.
    ports.clock.set(new Date("2026-11-25T14:00:00Z"));
    expect(await publishDueAgendas(ports, municipality)).toEqual([]);
    expect(agendaMessages()).toEqual([]);
    // During the adult meeting (14:00–14:30) its agenda still comes, late.
    ports.clock.set(new Date("2026-11-25T13:10:00Z"));
    expect(await publishDueAgendas(ports, municipality)).toEqual(["voksne:2026-11-25"]);
  });

  it("publishes nothing for a cancelled meeting", async () => {
    await ports.meetings.cancel(municipality.tenantId, { ...meetingOf("voksne:2026-11-25"), capacity: 3 }, COORDINATOR.aadObjectId);
    ports.clock.set(new Date(ADULT_DEADLINE.getTime() + 30_000));
    expect(await publishDueAgendas(ports, municipality)).toEqual(["unge:2026-11-24"]);
    expect(agendaMessages().map((m) => m.content)).toEqual([{ kind: "agenda", forumId: "unge", date: "2026-11-24", late: true }]);
  });
});

describe("rolling over cases not decided at a meeting (SPEC §4)", () => {
  it("waits two hours after the meeting ends before moving anything", async () => {
    const { record } = await raised(ports, municipality);
    ports.clock.set(new Date(ROLL_OVER_DUE.getTime() - 1));
    expect(await rollOverEndedMeetings(ports, municipality)).toBe(0);
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(record);
  });

  it("moves the meeting's open cases to the next meeting, once, leaving decided cases be", async () => {
    const open = (await raised(ports, municipality)).record;
    const decided = (await raised(ports, municipality)).record;
    ports.clock.set("2026-11-25T13:10:00Z");
    await decideCase(ports, {
      municipality,
      caseNo: decided.caseNo,
      expectedVersion: decided.version,
      input: { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, note: "" },
      by: COORDINATOR,
    });
    ports.clock.set(new Date(ROLL_OVER_DUE.getTime() + 60_000));

    expect(await rollOverEndedMeetings(ports, municipality)).toBe(1);
    expect(await ports.cases.get(municipality.tenantId, open.caseNo)).toMatchObject({
      state: "booked",
      meetingKey: "voksne:2026-12-09",
      slot: 0,
      postponements: 1,
    });
    expect(await ports.cases.get(municipality.tenantId, decided.caseNo)).toMatchObject({
      state: "visitated",
      meetingKey: "voksne:2026-11-25",
      postponements: 0,
    });
    expect(
      ports.outbox
        .pending(municipality.tenantId)
        .filter((m) => m.content.kind === "case-moved")
        .map((m) => [m.target, m.content]),
    ).toEqual([
      [
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "case-moved", caseNo: open.caseNo, reason: "rolled-over" },
      ],
    ]);
    expect(await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toMatchObject({
      rolledOverAt: new Date(ROLL_OVER_DUE.getTime() + 60_000).toISOString(),
    });
    ports.clock.advance(3_600_000);
    expect(await rollOverEndedMeetings(ports, municipality)).toBe(0);
  });

  it("marks a meeting rolled over only when every case found a place, and tries again on the next run", async () => {
    const { record } = await raised(ports, municipality);
    ports.clock.set(new Date(ROLL_OVER_DUE.getTime() + 60_000));
    await fillOpenMeetings(ports, municipality, "voksne");
    expect(await rollOverEndedMeetings(ports, municipality)).toBe(0);
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).rolledOverAt).toBeUndefined();

    const december = await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-12-09"));
    await ports.meetings.releaseSlot(municipality.tenantId, meetingOf("voksne:2026-12-09"), 1, december[1]!.caseNo);
    expect(await rollOverEndedMeetings(ports, municipality)).toBe(1);
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ meetingKey: "voksne:2026-12-09", slot: 1 });
    expect((await ports.meetings.status(municipality.tenantId, meetingOf("voksne:2026-11-25"))).rolledOverAt).toBeDefined();
  });

  it("leaves the cases of a cancelled meeting to the cancellation", async () => {
    const { record } = await raised(ports, municipality);
    await ports.meetings.cancel(municipality.tenantId, { ...meetingOf("voksne:2026-11-25"), capacity: 3 }, COORDINATOR.aadObjectId);
    ports.clock.set(new Date(ROLL_OVER_DUE.getTime() + 60_000));
    expect(await rollOverEndedMeetings(ports, municipality)).toBe(0);
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toEqual(record);
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { agendaForChannel, agendaOf } from "../../src/domain/agenda.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { ADMINISTRATOR, COORDINATOR, testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { meetingOf, raised, YOUTH_CPR } from "../support/scenarios.js";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const adultMeeting = (date: string) => ports.calendar.find(municipality, "voksne", date)!;

function bindChannel(forumId: string, conversationId: string) {
  return ports.addresses.bindForumChannel(municipality.tenantId, {
    forumId,
    conversationId,
    channelName: forumId,
    boundBy: ADMINISTRATOR.aadObjectId,
    reference: "{}",
    savedAt: MONDAY_MORNING.toISOString(),
  });
}

describe("a meeting's agenda (SPEC §4)", () => {
  it("lists the booked cases in slot order, each with its ten-minute slot", async () => {
    for (let i = 0; i < 3; i++) await raised(ports, municipality);
    const agenda = await agendaOf(ports, municipality, adultMeeting("2026-11-25"));
    expect(agenda.items.map((item) => [item.slot, item.entry.reference, item.startsAt.toISOString()])).toEqual([
      [0, "SP-0001", "2026-11-25T13:00:00.000Z"],
      [1, "SP-0002", "2026-11-25T13:10:00.000Z"],
      [2, "SP-0003", "2026-11-25T13:20:00.000Z"],
    ]);
    expect(agenda.items[0]!.entry).toEqual({
      caseNo: 1,
      reference: "SP-0001",
      state: "booked",
      forumId: "voksne",
      department: "Jobcenter",
      acute: false,
      meetingKey: "voksne:2026-11-25",
      slot: 0,
      decision: undefined,
    });
  });

  it("keeps slot order when a freed slot is taken by a later case", async () => {
    for (let i = 0; i < 3; i++) await raised(ports, municipality);
    await ports.meetings.releaseSlot(municipality.tenantId, meetingOf("voksne:2026-11-25"), 0, 1);
    await ports.cases.change(
      municipality.tenantId,
      1,
      1,
      { meetingKey: "voksne:2026-12-09", slot: 0 },
      { at: MONDAY_MORNING.toISOString(), user: COORDINATOR.aadObjectId, action: "move", purpose: "moved" },
    );
    await raised(ports, municipality);
    const agenda = await agendaOf(ports, municipality, adultMeeting("2026-11-25"));
    expect(agenda.items.map((item) => [item.slot, item.entry.caseNo])).toEqual([
      [0, 4],
      [1, 2],
      [2, 3],
    ]);
  });

  it("leaves out a slot whose case has moved on to another meeting", async () => {
    await raised(ports, municipality);
    await raised(ports, municipality);
    // A move cut off half-way: case 1 is on 9 December but its old slot is still taken.
    await ports.cases.change(
      municipality.tenantId,
      1,
      1,
      { meetingKey: "voksne:2026-12-09", slot: 0 },
      { at: MONDAY_MORNING.toISOString(), user: COORDINATOR.aadObjectId, action: "move", purpose: "moved" },
    );
    const agenda = await agendaOf(ports, municipality, adultMeeting("2026-11-25"));
    expect(agenda.items.map((item) => item.entry.caseNo)).toEqual([2]);
  });

  it("can be cancelled until the meeting starts", async () => {
    expect((await agendaOf(ports, municipality, adultMeeting("2026-11-25"))).cancellable).toBe(true);
    ports.clock.set("2026-11-25T12:59:59Z");
    expect((await agendaOf(ports, municipality, adultMeeting("2026-11-25"))).cancellable).toBe(true);
    ports.clock.set("2026-11-25T13:00:00Z");
    expect((await agendaOf(ports, municipality, adultMeeting("2026-11-25"))).cancellable).toBe(false);
  });
});

describe("'dagsorden' in a forum channel", () => {
  it("answers no-forum in a channel no forum is bound to", async () => {
    await bindChannel("voksne", "19:voksne@thread.tacv2");
    expect(await agendaForChannel(ports, { municipality, conversationId: "19:andet@thread.tacv2" })).toEqual({ kind: "no-forum" });
  });

  it("answers no-meeting when the forum's calendar has no more meetings", async () => {
    await bindChannel("voksne", "19:voksne@thread.tacv2");
    const noMeetings = { ...ports, calendar: { ...ports.calendar, upcoming: () => [] } };
    expect(await agendaForChannel(noMeetings, { municipality, conversationId: "19:voksne@thread.tacv2" })).toMatchObject({
      kind: "no-meeting",
      forum: { id: "voksne" },
    });
  });

  it("shows the next meeting's agenda alone while it is open for cases", async () => {
    await bindChannel("voksne", "19:voksne@thread.tacv2");
    await raised(ports, municipality);
    const outcome = await agendaForChannel(ports, { municipality, conversationId: "19:voksne@thread.tacv2" });
    expect(outcome).toMatchObject({
      kind: "agendas",
      forum: { id: "voksne" },
      next: { meeting: { date: "2026-11-25" }, items: [{ entry: { caseNo: 1 } }] },
    });
    expect(outcome).not.toHaveProperty("preliminary");
  });

  it("adds the following meeting's agenda as it stands once the next agenda's deadline has passed", async () => {
    await bindChannel("voksne", "19:voksne@thread.tacv2");
    await raised(ports, municipality);
    ports.clock.set("2026-11-23T11:00:00Z");
    const late = (await raised(ports, municipality)).record;
    expect(late.meetingKey).toBe("voksne:2026-12-09");
    const outcome = await agendaForChannel(ports, { municipality, conversationId: "19:voksne@thread.tacv2" });
    expect(outcome).toMatchObject({
      kind: "agendas",
      next: { meeting: { date: "2026-11-25" }, items: [{ entry: { caseNo: 1 } }] },
      preliminary: { meeting: { date: "2026-12-09" }, items: [{ entry: { caseNo: late.caseNo } }] },
    });
  });

  it("shows the youth forum, whose Tuesday agenda closed on Friday, both Tuesdays", async () => {
    await bindChannel("unge", "19:unge@thread.tacv2");
    await raised(ports, municipality, { cpr: YOUTH_CPR });
    const outcome = await agendaForChannel(ports, { municipality, conversationId: "19:unge@thread.tacv2" });
    expect(outcome).toMatchObject({
      kind: "agendas",
      forum: { id: "unge" },
      next: { meeting: { date: "2026-11-24" }, items: [] },
      preliminary: { meeting: { date: "2026-12-01" }, items: [{ entry: { caseNo: 1, forumId: "unge" } }] },
    });
  });
});

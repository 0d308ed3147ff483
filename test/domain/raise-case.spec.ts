import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { meetingKey } from "../../src/domain/booking.js";
import type { CaseDraft } from "../../src/domain/case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { raiseCase } from "../../src/domain/raise-case.js";
import { ADMINISTRATOR, CASEWORKER, fakeCpr, fakeCprForAge, OUTSIDER, testMunicipality, validDraft } from "../support/fixtures.js";
import { caseSource, inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { ADULT_CPR, fillOpenMeetings, meetingOf, raised, YOUTH_CPR } from "../support/scenarios.js";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const raise = (draft: Partial<CaseDraft>, submissionId = randomUUID(), user = CASEWORKER) =>
  raiseCase(ports, { municipality, submissionId, user, draft: validDraft({ cpr: ADULT_CPR, ...draft }) });

function bindChannel(forumId: string) {
  return ports.addresses.bindForumChannel(municipality.tenantId, {
    forumId,
    conversationId: `19:${forumId}@thread.tacv2`,
    channelName: `Sparring ${forumId}`,
    boundBy: ADMINISTRATOR.aadObjectId,
    reference: "{}",
    savedAt: MONDAY_MORNING.toISOString(),
  });
}

describe("raising a case", () => {
  describe("who and what", () => {
    it("refuses anyone who is not one of the municipality's caseworkers, storing nothing", async () => {
      expect(await raise({}, randomUUID(), OUTSIDER)).toEqual({ kind: "not-caseworker" });
      expect(await ports.cases.get(municipality.tenantId, 1)).toBeUndefined();
    });

    it("returns every field's error at once and stores nothing", async () => {
      const outcome = await raise({
        cpr: "",
        health: "  ",
        social: "x".repeat(501),
        question: "1\n2\n3\n4\n5\n6",
        department: "Borgerservice",
        acute: true,
        acuteReason: "",
      });
      expect(outcome).toEqual({
        kind: "invalid",
        errors: {
          cpr: "required",
          health: "required",
          social: "too-long",
          question: "too-many-lines",
          department: "department.unknown",
          acuteReason: "required",
        },
      });
      expect(await ports.cases.get(municipality.tenantId, 1)).toBeUndefined();
      expect(ports.outbox.messages(municipality.tenantId)).toEqual([]);
    });

    it.each([
      ["not a CPR number", "12345", "cpr.format"],
      ["a date that does not exist (31 February)", "910286-4321", "cpr.date"],
      ["a citizen of 14", fakeCprForAge(14, MONDAY_MORNING), "cpr.too-young"],
      ["a citizen born after today", fakeCpr({ year: 2027, month: 1, day: 1 }), "cpr.future"],
    ])("refuses %s", async (_, cpr, error) => {
      expect(await raise({ cpr })).toEqual({ kind: "invalid", errors: { cpr: error } });
    });
  });

  describe("booking", () => {
    it("books an adult's case into the next adult meeting whose agenda is open, in its first slot", async () => {
      const outcome = await raise({});
      expect(outcome).toMatchObject({
        kind: "raised",
        created: true,
        record: {
          caseNo: 1,
          reference: "SP-0001",
          state: "booked",
          meetingKey: "voksne:2026-11-25",
          slot: 0,
          forumId: "voksne",
          age: 45,
          version: 1,
        },
        booking: { slot: 0, skippedFull: [] },
      });
      if (outcome.kind !== "raised") return;
      expect(outcome.booking!.meeting).toMatchObject({ forumId: "voksne", date: "2026-11-25", startsAt: new Date("2026-11-25T13:00:00Z") });
      expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toEqual([{ slot: 0, caseNo: 1 }]);
    });

    it("books a youth's case past the meeting whose agenda closed last Friday, into Tuesday 1 December", async () => {
      const { record } = await raised(ports, municipality, { cpr: YOUTH_CPR });
      expect(record).toMatchObject({ forumId: "unge", meetingKey: "unge:2026-12-01", slot: 0, age: 20 });
    });

    it("gives each next case the next free slot", async () => {
      const slots = [];
      for (let i = 0; i < 3; i++) slots.push((await raised(ports, municipality)).record.slot);
      expect(slots).toEqual([0, 1, 2]);
    });

    it("books into the next meeting with a free slot when the first is full, and says which were full", async () => {
      for (let i = 0; i < 3; i++) await raised(ports, municipality);
      const fourth = await raised(ports, municipality);
      expect(fourth.record).toMatchObject({ caseNo: 4, meetingKey: "voksne:2026-12-09", slot: 0 });
      expect(fourth.booking!.skippedFull.map(meetingKey)).toEqual(["voksne:2026-11-25"]);
    });

    it("passes over a cancelled meeting", async () => {
      await ports.meetings.cancel(municipality.tenantId, { ...meetingOf("voksne:2026-11-25"), capacity: 3 }, "koordinator");
      const { record, booking } = await raised(ports, municipality);
      expect(record.meetingKey).toBe("voksne:2026-12-09");
      expect(booking!.skippedFull.map(meetingKey)).toEqual(["voksne:2026-11-25"]);
    });

    it("answers no-free-meeting, storing nothing, when every open meeting of the forum is full", async () => {
      await fillOpenMeetings(ports, municipality, "voksne");
      expect(await raise({})).toEqual({ kind: "no-free-meeting" });
      expect(await ports.cases.get(municipality.tenantId, 1)).toBeUndefined();
      expect(ports.outbox.messages(municipality.tenantId)).toEqual([]);
    });
  });

  describe("age on the meeting date (SPEC §3.4)", () => {
    it("sends a citizen who turns 30 tomorrow to Wednesday's adult meeting, aged 30", async () => {
      const { record } = await raised(ports, municipality, { cpr: fakeCpr({ year: 1996, month: 11, day: 24 }) });
      expect(record).toMatchObject({ forumId: "voksne", meetingKey: "voksne:2026-11-25", age: 30 });
    });

    it("sends a citizen who turns 30 on Saturday past both the adult meeting (29 then) and the youth meeting (30 then), to 9 December", async () => {
      const { record, booking } = await raised(ports, municipality, { cpr: fakeCpr({ year: 1996, month: 11, day: 28 }) });
      expect(record).toMatchObject({ forumId: "voksne", meetingKey: "voksne:2026-12-09", age: 30 });
      expect(booking!.skippedFull).toEqual([]);
    });

    it("keeps a citizen who turns 30 after the youth meeting in the youth forum", async () => {
      const { record } = await raised(ports, municipality, { cpr: fakeCpr({ year: 1996, month: 12, day: 5 }) });
      expect(record).toMatchObject({ forumId: "unge", meetingKey: "unge:2026-12-01", age: 29 });
    });
  });

  describe("acute cases (SPEC §3.6)", () => {
    it("books an acute case outside the meeting cadence: no meeting, no slot taken", async () => {
      const outcome = await raise({ acute: true, acuteReason: "Udsættes af boligen fredag" });
      expect(outcome).toMatchObject({
        kind: "raised",
        record: { state: "acute", acute: true, acuteReason: "Udsættes af boligen fredag", forumId: "voksne" },
      });
      if (outcome.kind !== "raised") return;
      expect(outcome.booking).toBeUndefined();
      expect(outcome.record.meetingKey).toBeUndefined();
      expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toEqual([]);
    });

    it("raises an acute case even when every meeting is full", async () => {
      await fillOpenMeetings(ports, municipality, "voksne");
      expect(await raise({ acute: true, acuteReason: "Akut" })).toMatchObject({ kind: "raised", record: { state: "acute" } });
    });
  });

  describe("one case per form", () => {
    it("gives the same case back when the same form is submitted twice, booking one slot and posting one card", async () => {
      const submission = randomUUID();
      const first = await raise({}, submission);
      const second = await raise({}, submission);
      expect(second).toMatchObject({ kind: "raised", created: false, record: { caseNo: 1, meetingKey: "voksne:2026-11-25", slot: 0 } });
      expect(first).toMatchObject({ created: true });
      expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toEqual([{ slot: 0, caseNo: 1 }]);
      expect(ports.outbox.messages(municipality.tenantId)).toHaveLength(1);
      expect(await ports.cases.listRaisedBy(municipality.tenantId, CASEWORKER.aadObjectId, 20)).toHaveLength(1);
    });
  });

  describe("the forum channel", () => {
    it("commits the case's card for the forum channel together with the case", async () => {
      const { record } = await raised(ports, municipality);
      expect(ports.outbox.messages(municipality.tenantId)).toEqual([
        {
          tenantId: municipality.tenantId,
          id: expect.any(String),
          source: caseSource(municipality.tenantId, record.caseNo),
          target: { kind: "forum-channel", forumId: "voksne" },
          content: { kind: "case-card", caseNo: 1, mode: "post" },
          dedupeKey: "case:1:card",
          state: "pending",
          createdAt: MONDAY_MORNING.toISOString(),
        },
      ]);
      expect(ports.outbox.pointers(municipality.tenantId)).toHaveLength(1);
    });

    it("posts an acute case's card at once too", async () => {
      await raise({ acute: true, acuteReason: "Akut" });
      expect(ports.outbox.pending(municipality.tenantId).map((m) => m.content)).toEqual([{ kind: "case-card", caseNo: 1, mode: "post" }]);
    });

    it("tells the caseworker when the case's forum has no channel yet", async () => {
      await bindChannel("unge");
      expect(await raise({})).toMatchObject({ kind: "raised", forumHasChannel: false });
    });

    it("tells the caseworker the case's forum has a channel", async () => {
      await bindChannel("voksne");
      expect(await raise({})).toMatchObject({ kind: "raised", forumHasChannel: true });
    });

    it("judges the channel by the forum the case was booked into, not the one its age today points at", async () => {
      await bindChannel("voksne");
      expect(await raise({ cpr: fakeCpr({ year: 1996, month: 11, day: 24 }) })).toMatchObject({
        kind: "raised",
        forumHasChannel: true,
        record: { forumId: "voksne" },
      });
    });
  });
});

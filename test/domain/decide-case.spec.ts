import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import { addInformation, decideCase, type DecisionInput } from "../../src/domain/decide-case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality, YOUTH_COORDINATOR } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { fillOpenMeetings, meetingOf, raised } from "../support/scenarios.js";

/** Wednesday 25 November 2026, 14:05 in Copenhagen: the adult forum is meeting. */
const AT_THE_MEETING = new Date("2026-11-25T13:05:00Z");

let ports: InMemoryPorts;
let municipality: Municipality;
let booked: CaseRecord;

beforeEach(async () => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
  booked = (await raised(ports, municipality)).record;
  ports.clock.set(AT_THE_MEETING);
});

const START: DecisionInput = { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, note: "" };
const NO_BASIS: DecisionInput = { decision: "no-basis", socialCaseworker: "", note: "  Ingen sociale udfordringer af betydning  " };
const MORE_INFORMATION: DecisionInput = { decision: "more-information", socialCaseworker: "", note: "Lægeerklæring mangler" };
const POSTPONE: DecisionInput = { decision: "postpone", socialCaseworker: "", note: "" };

function decide(
  input: DecisionInput,
  options: { caseNo?: number; expectedVersion?: number; by?: { aadObjectId: string; name: string }; in?: Municipality } = {},
) {
  return decideCase(ports, {
    municipality: options.in ?? municipality,
    caseNo: options.caseNo ?? booked.caseNo,
    expectedVersion: options.expectedVersion ?? booked.version,
    input,
    by: options.by ?? COORDINATOR,
  });
}

/** What was committed for the case after it was raised (the raise posted its card). */
const messagesAfterRaise = () =>
  ports.outbox
    .messages(municipality.tenantId)
    .slice(1)
    .map((m) => ({ target: m.target, content: m.content }));
const lastAudit = () => ports.cases.auditOf(municipality.tenantId, booked.caseNo).at(-1);

describe("deciding a case (SPEC §5)", () => {
  describe("decided", () => {
    it("starts the case in the authority department, visitated to the chosen social caseworker", async () => {
      const outcome = await decide(START);
      expect(outcome).toMatchObject({
        kind: "decided",
        record: {
          state: "visitated",
          decision: "start",
          socialCaseworker: SOCIAL_CASEWORKER.aadObjectId,
          decidedBy: COORDINATOR.aadObjectId,
          decidedByName: COORDINATOR.name,
          decidedAt: AT_THE_MEETING.toISOString(),
          decisionNote: "",
          version: 2,
        },
      });
      expect(await ports.cases.get(municipality.tenantId, booked.caseNo)).toMatchObject({ state: "visitated", version: 2 });
      expect(lastAudit()).toEqual({ at: AT_THE_MEETING.toISOString(), user: COORDINATOR.aadObjectId, action: "decide", purpose: "start" });
    });

    it("tells the channel, the raising caseworker and the social caseworker about a start", async () => {
      await decide(START);
      expect(messagesAfterRaise()).toEqual([
        { target: { kind: "forum-channel", forumId: "voksne" }, content: { kind: "case-card", caseNo: 1, mode: "update" } },
        { target: { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, content: { kind: "decision", caseNo: 1, audience: "raiser" } },
        {
          target: { kind: "personal", aadObjectId: SOCIAL_CASEWORKER.aadObjectId },
          content: { kind: "decision", caseNo: 1, audience: "social-caseworker" },
        },
      ]);
    });

    it("closes a case without basis, keeping the reason trimmed, and tells the channel and the raising caseworker", async () => {
      expect(await decide(NO_BASIS)).toMatchObject({
        kind: "decided",
        record: { state: "closed", decision: "no-basis", decisionNote: "Ingen sociale udfordringer af betydning" },
      });
      expect(messagesAfterRaise()).toEqual([
        { target: { kind: "forum-channel", forumId: "voksne" }, content: { kind: "case-card", caseNo: 1, mode: "update" } },
        { target: { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, content: { kind: "decision", caseNo: 1, audience: "raiser" } },
      ]);
    });

    it("asks the raising caseworker for more information, saying what is missing", async () => {
      expect(await decide(MORE_INFORMATION)).toMatchObject({
        kind: "decided",
        record: { state: "awaiting-information", decision: "more-information", decisionNote: "Lægeerklæring mangler", version: 2 },
      });
      expect(messagesAfterRaise().map((m) => m.content)).toEqual([
        { kind: "case-card", caseNo: 1, mode: "update" },
        { kind: "decision", caseNo: 1, audience: "raiser" },
      ]);
    });

    it("postpones a case to the next meeting with a free slot, freeing its slot today and telling the raising caseworker", async () => {
      const outcome = await decide(POSTPONE);
      expect(outcome).toMatchObject({
        kind: "decided",
        record: {
          state: "booked",
          decision: "postpone",
          decidedBy: COORDINATOR.aadObjectId,
          meetingKey: "voksne:2026-12-09",
          slot: 0,
          postponements: 1,
          version: 2,
        },
      });
      expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toEqual([]);
      expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-12-09"))).toEqual([{ slot: 0, caseNo: 1 }]);
      expect(lastAudit()).toEqual({
        at: AT_THE_MEETING.toISOString(),
        user: COORDINATOR.aadObjectId,
        action: "move",
        purpose: "postponed",
      });
      expect(messagesAfterRaise()).toEqual([
        { target: { kind: "forum-channel", forumId: "voksne" }, content: { kind: "case-card", caseNo: 1, mode: "update" } },
        {
          target: { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
          content: { kind: "case-moved", caseNo: 1, reason: "postponed" },
        },
      ]);
    });

    it("decides an acute case at once", async () => {
      ports.clock.set(MONDAY_MORNING);
      const acute = (await raised(ports, municipality, { acute: true, acuteReason: "Udsættes fredag" })).record;
      expect(await decide(START, { caseNo: acute.caseNo, expectedVersion: acute.version })).toMatchObject({
        kind: "decided",
        record: { state: "visitated" },
      });
    });

    // Bug: the lifecycle lets an acute case be postponed into the next meeting, but decideCase
    // hands postponing to moveCase, which only moves cases already booked (src/domain/decide-case.ts).
    it("postpones an acute case into the next meeting with a free slot", async () => {
      ports.clock.set(MONDAY_MORNING);
      const acute = (await raised(ports, municipality, { acute: true, acuteReason: "Udsættes fredag" })).record;
      expect(await decide(POSTPONE, { caseNo: acute.caseNo, expectedVersion: acute.version })).toMatchObject({
        kind: "decided",
        record: { state: "booked", meetingKey: "voksne:2026-11-25" },
      });
    });

    it("lets a manager decide where the municipality allows it", async () => {
      const managersDecide = {
        ...municipality,
        managersMayDecide: true,
        roles: { ...municipality.roles, managers: [OUTSIDER.aadObjectId] },
      };
      expect(await decide(NO_BASIS, { by: OUTSIDER, in: managersDecide })).toMatchObject({
        kind: "decided",
        record: { decidedBy: OUTSIDER.aadObjectId },
      });
    });
  });

  describe("invalid", () => {
    it.each([
      ["no decision chosen", { decision: "", socialCaseworker: "", note: "" }, { decision: "decision.required" }],
      ["a start without a social caseworker", { ...START, socialCaseworker: "" }, { socialCaseworker: "social-caseworker.required" }],
      [
        "a start visitated to someone who is no social caseworker",
        { ...START, socialCaseworker: OUTSIDER.aadObjectId },
        { socialCaseworker: "social-caseworker.required" },
      ],
      ["no basis without a reason", { ...NO_BASIS, note: "   " }, { note: "note.required" }],
      ["more information without saying what", { ...MORE_INFORMATION, note: "" }, { note: "note.required" }],
      ["a note of six lines", { ...MORE_INFORMATION, note: "1\n2\n3\n4\n5\n6" }, { note: "note.too-long" }],
      ["a note of 501 characters", { ...NO_BASIS, note: "x".repeat(501) }, { note: "note.too-long" }],
    ] satisfies [string, DecisionInput, object][])("refuses %s and changes nothing", async (_, input, errors) => {
      const outcome = await decide(input);
      expect(outcome).toEqual({ kind: "invalid", record: booked, errors });
      expect(await ports.cases.get(municipality.tenantId, booked.caseNo)).toEqual(booked);
      expect(messagesAfterRaise()).toEqual([]);
    });
  });

  describe("refused", () => {
    it("refuses a caseworker, auditing the attempt as decide-refused", async () => {
      expect(await decide(START, { by: CASEWORKER })).toEqual({ kind: "not-allowed", record: booked });
      expect(lastAudit()).toEqual({
        at: AT_THE_MEETING.toISOString(),
        user: CASEWORKER.aadObjectId,
        action: "decide-refused",
        purpose: "not a coordinator of the forum",
      });
      expect(await ports.cases.get(municipality.tenantId, booked.caseNo)).toEqual(booked);
    });

    it("refuses the youth forum's coordinator on an adult case", async () => {
      expect(await decide(START, { by: YOUTH_COORDINATOR })).toMatchObject({ kind: "not-allowed" });
      expect(lastAudit()).toMatchObject({ user: YOUTH_COORDINATOR.aadObjectId, action: "decide-refused" });
    });

    it("refuses a decision on a card older than the case, auditing it as stale", async () => {
      const moved = await ports.cases.change(
        municipality.tenantId,
        booked.caseNo,
        1,
        { postponements: 1 },
        { at: AT_THE_MEETING.toISOString(), user: "x", action: "move", purpose: "moved" },
      );
      expect(await decide(START, { expectedVersion: 1 })).toEqual({ kind: "stale", record: moved });
      expect(lastAudit()).toEqual({
        at: AT_THE_MEETING.toISOString(),
        user: COORDINATOR.aadObjectId,
        action: "decide-refused",
        purpose: "card version 1, case version 2",
      });
    });

    it("shows the decision already made to a coordinator pressing on the old card", async () => {
      const first = await decide(START);
      const second = await decide(NO_BASIS, {
        by: YOUTH_COORDINATOR,
        in: {
          ...municipality,
          roles: { ...municipality.roles, coordinators: { voksne: [COORDINATOR.aadObjectId, YOUTH_COORDINATOR.aadObjectId] } },
        },
      });
      expect(second).toEqual({ kind: "already-decided", record: first.kind === "decided" ? first.record : undefined });
      expect(await ports.cases.get(municipality.tenantId, booked.caseNo)).toMatchObject({
        decision: "start",
        decidedBy: COORDINATOR.aadObjectId,
        version: 2,
      });
    });

    it("answers already-decided for a decided case even from its current card", async () => {
      await decide(NO_BASIS);
      expect(await decide(START, { expectedVersion: 2 })).toMatchObject({
        kind: "already-decided",
        record: { state: "closed", version: 2 },
      });
    });

    it("lets exactly one of two coordinators pressing at the same moment decide", async () => {
      const outcomes = await Promise.all([decide(START), decide(NO_BASIS)]);
      expect(outcomes.map((o) => o.kind)).toEqual(["decided", "already-decided"]);
      expect(outcomes[1]).toMatchObject({ record: { decision: "start" } });
      expect(messagesAfterRaise()).toHaveLength(3);
    });

    it("does not decide a case waiting for more information", async () => {
      await decide(MORE_INFORMATION);
      expect(await decide(START, { expectedVersion: 2 })).toMatchObject({
        kind: "not-allowed-now",
        record: { state: "awaiting-information" },
      });
    });

    it("keeps the case where it is when no later meeting has a free slot to postpone to", async () => {
      await fillOpenMeetings(ports, municipality, "voksne");
      expect(await decide(POSTPONE)).toEqual({ kind: "no-free-meeting", record: booked });
      expect(await ports.cases.get(municipality.tenantId, booked.caseNo)).toEqual(booked);
    });

    it("knows no case it does not have", async () => {
      expect(await decide(START, { caseNo: 42 })).toEqual({ kind: "unknown-case" });
    });
  });
});

describe("adding information the forum asked for (SPEC §5 'Mere information')", () => {
  async function awaitingInformation(): Promise<CaseRecord> {
    const outcome = await decide(MORE_INFORMATION);
    if (outcome.kind !== "decided") throw new Error(outcome.kind);
    return outcome.record;
  }
  const add = (record: CaseRecord, text: string, by = CASEWORKER.aadObjectId) =>
    addInformation(ports, { municipality, caseNo: record.caseNo, expectedVersion: record.version, text, by });

  it("puts the case back on the next open agenda with the text added, and updates its card", async () => {
    const waiting = await awaitingInformation();
    const outcome = await add(waiting, "  Lægeerklæring af 20. november vedlagt  ");
    expect(outcome).toMatchObject({
      kind: "added",
      record: {
        state: "booked",
        meetingKey: "voksne:2026-12-09",
        slot: 0,
        additionalInfo: "Lægeerklæring af 20. november vedlagt",
        version: 3,
      },
    });
    expect(await ports.meetings.bookings(municipality.tenantId, meetingOf("voksne:2026-11-25"))).toEqual([]);
    expect(lastAudit()).toEqual({
      at: AT_THE_MEETING.toISOString(),
      user: CASEWORKER.aadObjectId,
      action: "add-information",
      purpose: "more information for the forum",
    });
    expect(messagesAfterRaise().at(-1)).toEqual({
      target: { kind: "forum-channel", forumId: "voksne" },
      content: { kind: "case-card", caseNo: 1, mode: "update" },
    });
  });

  it("keeps what was added before when the forum asks again", async () => {
    const added = await add(await awaitingInformation(), "Første svar");
    if (added.kind !== "added") throw new Error(added.kind);
    ports.clock.set("2026-12-09T13:05:00Z");
    const again = await decideCase(ports, { municipality, caseNo: 1, expectedVersion: 3, input: MORE_INFORMATION, by: COORDINATOR });
    if (again.kind !== "decided") throw new Error(again.kind);
    expect(await add(again.record, "Andet svar")).toMatchObject({
      kind: "added",
      record: { additionalInfo: "Første svar\n\nAndet svar", meetingKey: "voksne:2026-12-23" },
    });
  });

  it("is for the raising caseworker only", async () => {
    expect(await add(await awaitingInformation(), "Noget", COORDINATOR.aadObjectId)).toEqual({ kind: "not-allowed" });
  });

  it("refuses information for a case the forum did not ask about, or from an old card", async () => {
    expect(await add(booked, "Noget")).toMatchObject({ kind: "not-awaiting", record: { state: "booked" } });
    const waiting = await awaitingInformation();
    expect(await add({ ...waiting, version: 1 }, "Noget")).toMatchObject({ kind: "not-awaiting", record: { version: 2 } });
  });

  it.each([
    ["nothing", "  ", "note.required"],
    ["six lines", "1\n2\n3\n4\n5\n6", "note.too-long"],
    ["501 characters", "x".repeat(501), "note.too-long"],
  ])("refuses %s", async (_, text, error) => {
    const waiting = await awaitingInformation();
    expect(await add(waiting, text)).toEqual({ kind: "invalid", record: waiting, error });
  });

  it("keeps the case waiting when no meeting has a free slot", async () => {
    const waiting = await awaitingInformation();
    await fillOpenMeetings(ports, municipality, "voksne");
    expect(await add(waiting, "Lægeerklæring vedlagt")).toEqual({ kind: "no-free-meeting", record: waiting });
    expect(await ports.cases.get(municipality.tenantId, 1)).toMatchObject({ state: "awaiting-information", version: 2 });
  });

  it("knows no case it does not have", async () => {
    expect(await addInformation(ports, { municipality, caseNo: 42, expectedVersion: 1, text: "x", by: CASEWORKER.aadObjectId })).toEqual({
      kind: "unknown-case",
    });
  });
});

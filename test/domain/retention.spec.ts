import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { emptyBostotteDraft, validateBostotteDraft, type BostotteDecision } from "../../src/domain/bostotte.js";
import { viewCaseDetails } from "../../src/domain/case-details.js";
import type { CaseRecord } from "../../src/domain/case.js";
import { follow } from "../../src/domain/following.js";
import { handOverCase } from "../../src/domain/hand-over.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { editPlan, endPlan, openPlan } from "../../src/domain/plan-use-cases.js";
import { recordBostotteDecision } from "../../src/domain/record-bostotte.js";
import { applyRetention, bostotteClockStart, citizenVerdict, RETENTION_ACTOR, retentionStart } from "../../src/domain/retention.js";
import { withdrawCase } from "../../src/domain/withdraw-case.js";
import { CASEWORKER, COLLEAGUE, COORDINATOR, fakeCprForAge, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { MONDAY_MORNING } from "../support/in-memory/index.js";
import { newCase } from "../support/in-memory/plan-ports.js";
import { inMemoryPrivacyPorts, type InMemoryPrivacyPorts } from "../support/in-memory/privacy-store.js";
import { planDraft } from "../support/plan-fixtures.js";

const municipality = testMunicipality();
const tenantId = municipality.tenantId;
const NOW = MONDAY_MORNING;
const settings = municipality.retention;

/** `months` calendar months (and `days` days) after {@link NOW}. */
const after = (months: number, days = 0) => DateTime.fromJSDate(NOW, { zone: "UTC" }).plus({ months, days }).toJSDate();

async function raised(ports: InMemoryPrivacyPorts, age = 40): Promise<CaseRecord> {
  const { record } = await ports.cases.raise(
    randomUUID(),
    newCase(tenantId, age),
    async () => ({ state: "acute" }),
    () => [],
  );
  await ports.citizens.linkCase(tenantId, record.cprDigits, record.caseNo, record.raisedBy);
  return record;
}

async function decided(ports: InMemoryPrivacyPorts, record: CaseRecord, decision: "no-basis" | "start"): Promise<CaseRecord> {
  const at = ports.clock.now().toISOString();
  const changed = await ports.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    {
      state: decision === "start" ? "visitated" : "closed",
      decision,
      decidedAt: at,
      decidedBy: COORDINATOR.aadObjectId,
      decidedByName: COORDINATOR.name,
      ...(decision === "start" ? { socialCaseworker: SOCIAL_CASEWORKER.aadObjectId } : { decisionNote: "Borgeren er i job" }),
    },
    { at, user: COORDINATOR.aadObjectId, action: "decide", purpose: decision },
  );
  if (!changed) throw new Error("could not decide the case");
  return changed;
}

async function runAt(ports: InMemoryPrivacyPorts, at: Date) {
  ports.clock.set(at);
  return applyRetention(ports, municipality);
}

function grant(cpr: string, to: string): BostotteDecision {
  const result = validateBostotteDraft(
    emptyBostotteDraft({
      kind: "bevilling",
      cpr,
      legalBasis: "sel-85",
      hours: "5",
      hoursPer: "week",
      from: "2026-12-01",
      to,
      purpose: "Bolig",
    }),
    municipality,
    { year: 2026, month: 11, day: 23 },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe("retention of a case's personal data (SPEC §9)", () => {
  it("configures 12 months for finished cases, 6 for a visitation without a plan, and 6 for audit rows by default", () => {
    expect(settings).toEqual({ closedCaseMonths: 12, unplannedVisitationMonths: 6, auditMonths: 6 });
    const custom = municipalitySchema.parse({ ...municipality, retention: { closedCaseMonths: 24, auditMonths: 3 } });
    expect(custom.retention).toEqual({ closedCaseMonths: 24, unplannedVisitationMonths: 6, auditMonths: 3 });
  });

  it("deletes the CPR number and every text of a case closed «Ikke grundlag» 12 months after the decision, keeping the anonymous facts", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const closed = await decided(ports, await raised(ports), "no-basis");
    expect(ports.retention.all(tenantId)).toEqual([{ month: "2026-11", subject: { kind: "case", caseNo: closed.caseNo } }]);

    expect((await runAt(ports, after(12, -1))).anonymisedCases).toEqual([]);
    expect((await ports.cases.get(tenantId, closed.caseNo))!.cprDigits).toBe(closed.cprDigits);

    const run = await runAt(ports, after(12, 1));
    expect(run.anonymisedCases).toEqual([closed.caseNo]);
    const record = (await ports.cases.get(tenantId, closed.caseNo))!;
    expect(record).toMatchObject({
      cprDigits: "",
      health: "",
      social: "",
      question: "",
      acuteReason: "",
      decisionNote: "",
      additionalInfo: "",
      age: 30,
      anonymised: { at: after(12, 1).toISOString(), afterMonths: 12, ageGroup: "30+" },
    });
    // What the managers' overview counts stays.
    expect(record).toMatchObject({
      state: "closed",
      decision: "no-basis",
      forumId: closed.forumId,
      department: closed.department,
      acute: closed.acute,
      raisedAt: closed.raisedAt,
      decidedAt: closed.decidedAt,
      raisedBy: closed.raisedBy,
    });
    expect(ports.cases.auditOf(tenantId, closed.caseNo).at(-1)).toMatchObject({ user: RETENTION_ACTOR, action: "anonymise" });
    // The citizen's link to the case, and with it the citizen's CPR number, are gone.
    expect(await ports.citizens.linksByCpr(tenantId, closed.cprDigits)).toBeUndefined();
    expect(ports.citizens.cprNumbersHeld(tenantId)).toEqual([]);
    expect(ports.retention.all(tenantId)).toEqual([]);
  });

  it("changes nothing twice: a second run finds nothing, and a run cut off after the case is completed by the next", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const first = await decided(ports, await raised(ports, 40), "no-basis");
    await runAt(ports, after(13));
    const anonymised = (await ports.cases.get(tenantId, first.caseNo))!;
    expect((await runAt(ports, after(13, 1))).anonymisedCases).toEqual([]);
    expect((await ports.cases.get(tenantId, first.caseNo))!.version).toBe(anonymised.version);

    // Cut off: the case was anonymised, the run stopped before the citizen's link.
    ports.clock.set(NOW);
    const second = await decided(ports, await raised(ports, 50), "no-basis");
    ports.clock.set(after(14));
    const record = (await ports.cases.get(tenantId, second.caseNo))!;
    const audit = { at: after(14).toISOString(), user: RETENTION_ACTOR, action: "anonymise" as const, purpose: "test" };
    await ports.privacy.anonymiseCase(
      tenantId,
      second.caseNo,
      record.version,
      { at: audit.at, afterMonths: 12, ageGroup: "30+" },
      audit,
      "2026-11",
    );
    expect(await ports.citizens.linksByCpr(tenantId, second.cprDigits)).toBeDefined();

    const run = await runAt(ports, after(14, 1));
    expect(run.anonymisedCases).toEqual([]);
    expect(await ports.citizens.linksByCpr(tenantId, second.cprDigits)).toBeUndefined();
    expect(ports.retention.all(tenantId)).toEqual([]);
  });

  it("never touches a case still open, however old", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const open = await raised(ports);
    const run = await runAt(ports, after(60));
    expect(run.anonymisedCases).toEqual([]);
    expect((await ports.cases.get(tenantId, open.caseNo))!.cprDigits).toBe(open.cprDigits);
    expect(ports.retention.all(tenantId)).toEqual([]);
  });

  it("starts a withdrawn case's clock when the caseworker took it back", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const record = await raised(ports);
    ports.clock.set(after(2));
    const outcome = await withdrawCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      user: CASEWORKER.aadObjectId,
    });
    expect(outcome).toMatchObject({ kind: "withdrawn", record: { withdrawnAt: after(2).toISOString() } });

    expect((await runAt(ports, after(14, -1))).anonymisedCases).toEqual([]);
    expect((await runAt(ports, after(14, 1))).anonymisedCases).toEqual([record.caseNo]);
    expect(await ports.cases.get(tenantId, record.caseNo)).toMatchObject({ state: "withdrawn", cprDigits: "", health: "" });
  });

  it("counts a visitated case without a joint plan as closed 6 months after the visitation", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const visitated = await decided(ports, await raised(ports), "start");

    expect((await runAt(ports, after(12, 1))).anonymisedCases).toEqual([]);
    // The note moved on to the month the clock started, so the months before it are empty.
    expect(ports.retention.all(tenantId)).toEqual([{ month: "2027-05", subject: { kind: "case", caseNo: visitated.caseNo } }]);
    expect((await runAt(ports, after(18, -1))).anonymisedCases).toEqual([]);
    expect((await runAt(ports, after(18, 1))).anonymisedCases).toEqual([visitated.caseNo]);
  });

  it("keeps a visitated case while its joint plan is under way, and deletes the plan's text with it 12 months after the plan ended", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const visitated = await decided(ports, await raised(ports), "start");
    const caseNo = visitated.caseNo;
    expect((await openPlan(ports, { municipality, caseNo, by: CASEWORKER })).kind).toBe("opened");
    const edited = await editPlan(ports, { municipality, caseNo, expectedVersion: 0, draft: planDraft(), by: CASEWORKER });
    expect(edited.kind).toBe("saved");

    expect((await runAt(ports, after(12, 1))).anonymisedCases).toEqual([]);
    // Under way: the note is dropped; the plan's end notes the case again.
    expect(ports.retention.all(tenantId)).toEqual([]);
    ports.clock.set(after(13));
    const ended = await endPlan(ports, {
      municipality,
      caseNo,
      input: { reason: "completed", note: "Borgeren er i job og bolig" },
      by: CASEWORKER,
    });
    expect(ended.kind).toBe("ended");
    expect(ports.retention.all(tenantId)).toEqual([{ month: "2027-12", subject: { kind: "case", caseNo } }]);

    expect((await runAt(ports, after(25, -1))).anonymisedCases).toEqual([]);
    expect((await runAt(ports, after(25, 1))).anonymisedCases).toEqual([caseNo]);
    const plan = (await ports.plans.get(tenantId, caseNo))!;
    expect(plan.content).toBeUndefined();
    expect(plan).toMatchObject({ state: "ended", anonymisedAt: after(25, 1).toISOString(), ended: { reason: "completed", note: "" } });
    expect(JSON.stringify(plan)).not.toContain("Mentorforløb");
    expect(ports.plans.auditOf(tenantId, caseNo).at(-1)).toMatchObject({ action: "anonymise", user: RETENTION_ACTOR });
  });

  it("answers Vis detaljer of an anonymised case with what happened, and refuses a hand-over of it", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const closed = await decided(ports, await raised(ports), "start");
    await runAt(ports, after(19));
    expect(await viewCaseDetails(ports, { municipality, caseNo: closed.caseNo, user: CASEWORKER.aadObjectId })).toEqual({
      kind: "anonymised",
      afterMonths: 12,
    });
    const record = (await ports.cases.get(tenantId, closed.caseNo))!;
    const handOver = await handOverCase(ports, {
      municipality,
      caseNo: closed.caseNo,
      expectedVersion: record.version,
      from: CASEWORKER,
      to: COLLEAGUE,
    });
    expect(handOver.kind).toBe("closed");
  });
});

describe("retention of a citizen's own rows: followers and bostøtte decisions", () => {
  it("deletes a bostøtte decision 12 months after the support ended, then the lapsed following and the citizen", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const cpr = fakeCprForAge(44, NOW);
    await follow(ports, { municipality, cpr, purpose: "bostotte-orientering", user: CASEWORKER.aadObjectId });
    const recorded = await recordBostotteDecision(ports, {
      municipality,
      decision: grant(cpr, "2027-05-31"),
      by: { id: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
      source: "bot",
      eventId: "form-1",
    });
    if (recorded.kind !== "recorded") throw new Error(recorded.kind);

    expect((await runAt(ports, after(12, 1))).erasedCitizens).toEqual([]);
    expect(ports.retention.all(tenantId).map((c) => c.month)).toEqual(["2027-05"]);

    await runAt(ports, new Date("2028-06-01T00:00:00Z"));
    expect(await ports.citizens.linksByCpr(tenantId, cpr.replace("-", ""))).toBeUndefined();
    expect(await ports.citizens.bostotte(tenantId, recorded.record.id)).toBeUndefined();
    expect(await ports.citizens.followedBy(tenantId, CASEWORKER.aadObjectId, 10)).toEqual([]);
    expect(ports.citizens.cprNumbersHeld(tenantId)).toEqual([]);
    expect(ports.retention.all(tenantId)).toEqual([]);
  });

  it("keeps a following younger than the period, and the citizen with it", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const cpr = fakeCprForAge(45, NOW);
    await follow(ports, { municipality, cpr, purpose: "andet", user: CASEWORKER.aadObjectId });
    ports.clock.set(after(6));
    await follow(ports, { municipality, cpr, purpose: "andet", user: COLLEAGUE.aadObjectId });

    await runAt(ports, after(12, 1));
    const links = await ports.citizens.linksByCpr(tenantId, cpr.replace("-", ""));
    expect(links?.followers.map((f) => f.aadObjectId)).toEqual([COLLEAGUE.aadObjectId]);
    expect(ports.retention.all(tenantId).map((c) => c.month)).toEqual(["2027-05"]);
  });

  it("keeps followers while a case about the citizen is still held", () => {
    const since = NOW.toISOString();
    const verdict = citizenVerdict(
      { heldCases: 1, decisions: [], followers: [{ aadObjectId: "a", purpose: "andet", since }] },
      after(30),
      12,
    );
    expect(verdict).toEqual({ decisionIds: [], followers: [], citizen: false });
  });
});

describe("the rules on their own", () => {
  it("starts no clock for a case still open or a plan under way", () => {
    const visitated = { state: "visitated" as const, decidedAt: NOW.toISOString() };
    expect(retentionStart({ state: "booked" }, undefined, settings)).toBeUndefined();
    expect(retentionStart(visitated, { state: "active" }, settings)).toBeUndefined();
    expect(retentionStart(visitated, undefined, settings)).toBe(after(6).toISOString());
    expect(retentionStart({ state: "closed", decidedAt: "2026-01-05T10:00:00.000Z" }, undefined, settings)).toBe(
      "2026-01-05T10:00:00.000Z",
    );
  });

  it("runs a grant's clock from its end date, a refusal's from the decision", () => {
    const decidedAt = "2026-11-23T10:00:00.000Z";
    expect(bostotteClockStart({ decidedAt, decision: grant(fakeCprForAge(40, NOW), "2027-05-31") })).toBe("2027-05-31T00:00:00.000Z");
    expect(
      bostotteClockStart({
        decidedAt,
        decision: { kind: "afslag", cprDigits: "", legalBasis: "sel-85", reasonCategory: "andet", reasonText: "" },
      }),
    ).toBe(decidedAt);
  });
});

describe("audit rows are deleted after their own period (SPEC §9: default 6 months)", () => {
  it("deletes rows beside cases, plans and citizens older than 6 months, and only those", async () => {
    const ports = inMemoryPrivacyPorts({ now: NOW });
    const record = await raised(ports);
    await ports.cases.audit(tenantId, record.caseNo, {
      at: NOW.toISOString(),
      user: COORDINATOR.aadObjectId,
      action: "view-details",
      purpose: "sparring",
    });
    await follow(ports, { municipality, cpr: fakeCprForAge(40, NOW), purpose: "andet", user: CASEWORKER.aadObjectId });
    ports.clock.set(after(5));
    await viewCaseDetails(ports, { municipality, caseNo: record.caseNo, user: COORDINATOR.aadObjectId });

    const run = await runAt(ports, after(6, 1));
    // The case's raise and the view beside it, and the following beside the citizen.
    expect(run.auditRowsDeleted).toBe(3);
    expect(ports.cases.auditOf(tenantId, record.caseNo).map((a) => a.at)).toEqual([after(5).toISOString()]);
    expect(ports.citizens.auditOf(tenantId, ports.citizens.citizenIdOf(record.cprDigits))).toEqual([]);
    expect((await runAt(ports, after(6, 2))).auditRowsDeleted).toBe(0);
  });
});

import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import type { PlanDraft, PlanRecord } from "../../src/domain/plan.js";
import {
  followUpsDue,
  isOverdue,
  followUpStatus,
  remindPlanFollowUps,
  workingDaysBetween,
  workingDaysOf,
} from "../../src/domain/plan-follow-ups.js";
import {
  approvePlan,
  editPlan,
  endPlan,
  exportPlan,
  openPlan,
  plansOf,
  recordConsent,
  recordFollowUp,
  reassignPlanOwner,
  recordRefusal,
  registerMeetings,
  viewPlan,
  withdrawConsent,
  type ConsentInput,
} from "../../src/domain/plan-use-cases.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { caseSource } from "../support/in-memory/index.js";
import { inMemoryPlanPorts, newCase, visitatedCase, type InMemoryPlanPorts } from "../support/in-memory/plan-ports.js";
import { effortDraft, planDraft } from "../support/plan-fixtures.js";

const EMPLOYMENT = CASEWORKER;
const SOCIAL = SOCIAL_CASEWORKER;

let ports: InMemoryPlanPorts;
let municipality: Municipality;
let record: CaseRecord;

beforeEach(async () => {
  ports = inMemoryPlanPorts();
  municipality = testMunicipality(randomUUID());
  record = await visitatedCase(ports.cases, municipality);
});

const tenant = () => municipality.tenantId;
const caseNo = () => record.caseNo;

/** The plan messages committed beside the case, as `event → recipient`. */
function planMessages(): string[] {
  return ports.outbox
    .messagesOf(caseSource(tenant(), caseNo()))
    .flatMap((m) =>
      m.content.kind === "plan" && m.target.kind === "personal" ? [`${m.content.event} → ${who(m.target.aadObjectId)}`] : [],
    );
}

const who = (id: string) => (id === EMPLOYMENT.aadObjectId ? "employment" : id === SOCIAL.aadObjectId ? "social" : id);

function audits(): string[] {
  return ports.plans.auditOf(tenant(), caseNo()).map((a) => `${a.action} by ${who(a.user)}`);
}

async function opened(): Promise<PlanRecord> {
  const outcome = await openPlan(ports, { municipality, caseNo: caseNo(), by: EMPLOYMENT });
  if (outcome.kind !== "opened") throw new Error(`expected opened, got ${outcome.kind}`);
  return outcome.plan;
}

async function saved(draft: PlanDraft = planDraft(), by = EMPLOYMENT): Promise<PlanRecord> {
  const current = (await ports.plans.get(tenant(), caseNo())) ?? (await opened());
  const outcome = await editPlan(ports, { municipality, caseNo: caseNo(), expectedVersion: current.version, draft, by });
  if (outcome.kind !== "saved") throw new Error(`expected saved, got ${outcome.kind}`);
  return outcome.plan;
}

async function agreed(draft: PlanDraft = planDraft()): Promise<PlanRecord> {
  const plan = await saved(draft);
  await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT });
  const outcome = await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: SOCIAL });
  if (outcome.kind !== "approved" || !outcome.agreed) throw new Error(`expected agreement, got ${outcome.kind}`);
  return outcome.plan;
}

const consentInput = (overrides: Partial<ConsentInput> = {}): ConsentInput => ({
  givenOn: "2026-11-23",
  efforts: ["e1", "e2"],
  sharedInformation: ["health", "housing"],
  note: "",
  ...overrides,
});

async function active(): Promise<PlanRecord> {
  const plan = await agreed();
  await registerMeetings(ports, {
    municipality,
    caseNo: caseNo(),
    input: { coordinationMeeting: "2026-11-20", jointConversation: "2026-11-23" },
    by: SOCIAL,
  });
  const outcome = await recordConsent(ports, {
    municipality,
    caseNo: caseNo(),
    expectedVersion: plan.version,
    input: consentInput(),
    by: SOCIAL,
  });
  if (outcome.kind !== "active") throw new Error(`expected active, got ${outcome.kind}`);
  return outcome.plan;
}

describe("openPlan", () => {
  it("opens a plan owned by the case's raising caseworker and its social caseworker, and tells the other owner", async () => {
    const plan = await opened();
    expect(plan).toMatchObject({
      caseNo: caseNo(),
      reference: record.reference,
      state: "draft",
      version: 0,
      owners: {
        employment: { aadObjectId: EMPLOYMENT.aadObjectId, name: EMPLOYMENT.name },
        social: { aadObjectId: SOCIAL.aadObjectId, name: SOCIAL.name },
      },
      approvals: [],
    });
    expect(planMessages()).toEqual(["opened → social"]);
    expect(audits()).toEqual(["plan-open by employment"]);
  });

  it("returns the plan already there when the other owner opens it too", async () => {
    const first = await opened();
    const again = await openPlan(ports, { municipality, caseNo: caseNo(), by: SOCIAL });
    expect(again).toEqual({ kind: "already-open", plan: first });
    expect(planMessages()).toEqual(["opened → social"]);
  });

  it("refuses a third person and audits the attempt", async () => {
    expect(await openPlan(ports, { municipality, caseNo: caseNo(), by: OUTSIDER })).toEqual({ kind: "not-allowed" });
    expect(await openPlan(ports, { municipality, caseNo: caseNo(), by: COORDINATOR })).toEqual({ kind: "not-allowed" });
    expect(await ports.plans.get(tenant(), caseNo())).toBeUndefined();
    expect(audits()).toEqual(["plan-refused by " + OUTSIDER.aadObjectId, "plan-refused by " + COORDINATOR.aadObjectId]);
  });

  it("opens no plan for a case that is not visitated, nor for an unknown case", async () => {
    const { record: booked } = await ports.cases.raise(
      randomUUID(),
      newCase(tenant()),
      async () => ({ state: "acute" }),
      () => [],
    );
    expect(await openPlan(ports, { municipality, caseNo: booked.caseNo, by: EMPLOYMENT })).toEqual({ kind: "not-visitated" });
    expect(await openPlan(ports, { municipality, caseNo: 4711, by: EMPLOYMENT })).toEqual({ kind: "unknown-case" });
  });
});

describe("editPlan", () => {
  it("saves a new version and tells the other owner what changed", async () => {
    await opened();
    const outcome = await editPlan(ports, { municipality, caseNo: caseNo(), expectedVersion: 0, draft: planDraft(), by: EMPLOYMENT });
    expect(outcome).toMatchObject({
      kind: "saved",
      approvalsCleared: false,
      plan: { version: 1, state: "draft", changedBy: EMPLOYMENT.aadObjectId },
    });
    if (outcome.kind !== "saved") return;
    expect(outcome.changes.map((c) => (c.part === "effort" ? `${c.change} ${c.effortId}` : c.part))).toEqual([
      "added e1",
      "added e2",
      "framework",
      "employment-follow-up",
      "social-follow-up",
      "fixed-caseworker",
      "budget",
      "forum-follow-up",
    ]);
    expect(outcome.plan.changes).toEqual(outcome.changes);
    expect(planMessages()).toEqual(["opened → social", "changed → social"]);
    expect(audits()).toEqual(["plan-open by employment", "plan-edit by employment"]);
  });

  it("returns the field errors with the plan unchanged", async () => {
    await opened();
    const outcome = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: 0,
      draft: planDraft({ efforts: [effortDraft({ purpose: "" })], budgetKr: "-1" }),
      by: SOCIAL,
    });
    expect(outcome).toMatchObject({
      kind: "invalid",
      plan: { version: 0 },
      errors: { "efforts.0.purpose": "required", budgetKr: "budget.negative" },
    });
    expect((await ports.plans.get(tenant(), caseNo()))?.version).toBe(0);
  });

  it("lets the second of two simultaneous editors not overwrite the first: they get the newer plan", async () => {
    const base = await saved();
    // Both owners opened the form at version 1; the social caseworker saves first.
    const first = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: base.version,
      draft: planDraft({ framework: "Socialrådgiverens ramme" }),
      by: SOCIAL,
    });
    const second = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: base.version,
      draft: planDraft({ framework: "Jobcentrets ramme" }),
      by: EMPLOYMENT,
    });
    expect(first.kind).toBe("saved");
    expect(second).toMatchObject({ kind: "conflict", plan: { version: 2, content: { framework: "Socialrådgiverens ramme" } } });
    expect((await ports.plans.get(tenant(), caseNo()))?.content?.framework).toBe("Socialrådgiverens ramme");
  });

  it("treats a re-delivered save as unchanged, not as a conflict or a new version", async () => {
    const plan = await saved();
    const again = await editPlan(ports, { municipality, caseNo: caseNo(), expectedVersion: 0, draft: planDraft(), by: EMPLOYMENT });
    expect(again).toEqual({ kind: "unchanged", plan });
    expect(planMessages().filter((m) => m.startsWith("changed"))).toHaveLength(1);
  });

  it("retries a save that lost a race to a change that left the version alone", async () => {
    const plan = await saved();
    ports.plans.loseNextSave = true;
    const outcome = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: plan.version,
      draft: planDraft({ budgetKr: "" }),
      by: SOCIAL,
    });
    expect(outcome).toMatchObject({ kind: "saved", plan: { version: 2 } });
  });

  it("refuses a third person's edit and audits it", async () => {
    await saved();
    expect(
      await editPlan(ports, {
        municipality,
        caseNo: caseNo(),
        expectedVersion: 1,
        draft: planDraft({ framework: "Overtaget" }),
        by: OUTSIDER,
      }),
    ).toEqual({
      kind: "not-allowed",
    });
    expect((await ports.plans.get(tenant(), caseNo()))?.content?.framework).not.toBe("Overtaget");
    expect(audits().at(-1)).toBe(`plan-refused by ${OUTSIDER.aadObjectId}`);
  });
});

describe("approvePlan", () => {
  it("agrees the plan only when both owners approved the same, current version", async () => {
    const plan = await saved();
    const first = await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT });
    expect(first).toMatchObject({ kind: "approved", agreed: false, active: false, plan: { state: "draft" } });
    const second = await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: SOCIAL });
    expect(second).toMatchObject({
      kind: "approved",
      agreed: true,
      active: false,
      plan: { state: "agreed", agreedAt: ports.clock.now().toISOString() },
    });
    if (second.kind !== "approved") return;
    expect(second.plan.approvals.map((a) => [a.side, a.name, a.version])).toEqual([
      ["employment", EMPLOYMENT.name, 1],
      ["social", SOCIAL.name, 1],
    ]);
    expect(planMessages()).toEqual(["opened → social", "changed → social", "approved → social", "agreed → employment", "agreed → social"]);
    expect(audits().filter((a) => a.startsWith("plan-approve"))).toEqual(["plan-approve by employment", "plan-approve by social"]);
  });

  it("resets both approvals when the plan is edited after agreement, and says what changed", async () => {
    await agreed();
    const edit = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: 1,
      draft: planDraft({ socialFollowUp: "2027-02-26" }),
      by: SOCIAL,
    });
    expect(edit).toMatchObject({
      kind: "saved",
      approvalsCleared: true,
      changes: [{ part: "social-follow-up" }],
      plan: { version: 2, state: "draft", approvals: [] },
    });
    expect(planMessages().at(-1)).toBe("changed → employment");
  });

  it("resets a single approval on an edit, so an approval never carries over to a version not seen", async () => {
    const plan = await saved();
    await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT });
    await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: plan.version,
      draft: planDraft({ budgetKr: "25000" }),
      by: SOCIAL,
    });
    const social = await approvePlan(ports, { municipality, caseNo: caseNo(), version: 2, by: SOCIAL });
    expect(social).toMatchObject({ kind: "approved", agreed: false, plan: { state: "draft" } });
  });

  it("answers stale, with the current plan, for a version that is no longer current", async () => {
    const plan = await saved();
    await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: plan.version,
      draft: planDraft({ budgetKr: "" }),
      by: SOCIAL,
    });
    const stale = await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT });
    expect(stale).toMatchObject({ kind: "stale", plan: { version: 2, approvals: [] } });
  });

  it("is idempotent for a double click, and needs content to approve", async () => {
    const empty = await opened();
    expect(await approvePlan(ports, { municipality, caseNo: caseNo(), version: empty.version, by: EMPLOYMENT })).toMatchObject({
      kind: "incomplete",
    });
    const plan = await saved();
    await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT });
    expect(await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: EMPLOYMENT })).toMatchObject({
      kind: "already-approved",
    });
    expect(planMessages().filter((m) => m.startsWith("approved"))).toHaveLength(1);
  });

  it("refuses a third person's approval and audits it", async () => {
    const plan = await saved();
    expect(await approvePlan(ports, { municipality, caseNo: caseNo(), version: plan.version, by: COORDINATOR })).toEqual({
      kind: "not-allowed",
    });
    expect(audits().at(-1)).toBe(`plan-refused by ${COORDINATOR.aadObjectId}`);
  });
});

describe("consent and refusal (LAB § 40, stk. 3: an offer)", () => {
  it("makes a plan active only with the citizen's consent, given at or after the fællessamtale", async () => {
    const plan = await agreed();
    const at = (input: Partial<ConsentInput>) =>
      recordConsent(ports, { municipality, caseNo: caseNo(), expectedVersion: plan.version, input: consentInput(input), by: SOCIAL });
    expect(await at({})).toMatchObject({ kind: "invalid", errors: { givenOn: "consent.no-joint-conversation" } });
    await registerMeetings(ports, {
      municipality,
      caseNo: caseNo(),
      input: { coordinationMeeting: "2026-11-18", jointConversation: "2026-11-20" },
      by: EMPLOYMENT,
    });
    expect(await at({ givenOn: "2026-11-19" })).toMatchObject({
      kind: "invalid",
      errors: { givenOn: "consent.before-joint-conversation" },
    });
    expect(await at({ givenOn: "2026-11-24" })).toMatchObject({ kind: "invalid", errors: { givenOn: "date.future" } });
    expect(await at({ efforts: [] })).toMatchObject({ kind: "invalid", errors: { efforts: "consent.efforts-required" } });
    expect(await at({ efforts: ["e1", "e7"] })).toMatchObject({ kind: "invalid", errors: { efforts: "consent.effort-unknown" } });
    expect(await at({ sharedInformation: ["dna"] })).toMatchObject({
      kind: "invalid",
      errors: { sharedInformation: "consent.information-unknown" },
    });
    expect((await ports.plans.get(tenant(), caseNo()))?.state).toBe("agreed");

    const consent = await at({ givenOn: "2026-11-20", efforts: ["e1"], note: "Ønsker ikke at dele misbrugsoplysninger" });
    expect(consent).toMatchObject({
      kind: "active",
      plan: {
        state: "active",
        activatedAt: ports.clock.now().toISOString(),
        consent: {
          givenOn: "2026-11-20",
          version: 1,
          efforts: ["e1"],
          sharedInformation: ["health", "housing"],
          recordedBy: SOCIAL.aadObjectId,
        },
      },
    });
    expect(planMessages().slice(-2)).toEqual(["active → employment", "active → social"]);
    expect(audits().filter((a) => a.startsWith("plan-consent") || a.startsWith("plan-meetings"))).toEqual([
      "plan-meetings by employment",
      "plan-consent by social",
    ]);
  });

  it("records no consent for a plan the caseworkers have not agreed, or for an older version", async () => {
    const plan = await saved();
    await registerMeetings(ports, {
      municipality,
      caseNo: caseNo(),
      input: { coordinationMeeting: "", jointConversation: "2026-11-23" },
      by: SOCIAL,
    });
    expect(
      await recordConsent(ports, { municipality, caseNo: caseNo(), expectedVersion: plan.version, input: consentInput(), by: SOCIAL }),
    ).toMatchObject({
      kind: "not-allowed-now",
      plan: { state: "draft" },
    });
    const agreedPlan = await agreed(planDraft({ budgetKr: "" }));
    expect(
      await recordConsent(ports, {
        municipality,
        caseNo: caseNo(),
        expectedVersion: agreedPlan.version - 1,
        input: consentInput(),
        by: SOCIAL,
      }),
    ).toMatchObject({
      kind: "stale",
    });
  });

  it("ends the plan when the citizen declines the offer; it never becomes active", async () => {
    const plan = await agreed();
    const refusal = await recordRefusal(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: plan.version,
      input: { on: "2026-11-23", note: "Ønsker ikke planen" },
      by: EMPLOYMENT,
    });
    expect(refusal).toMatchObject({ kind: "ended", plan: { state: "ended", refusal: { on: "2026-11-23" }, ended: { reason: "refused" } } });
    expect(refusal.kind === "ended" && refusal.plan.activatedAt).toBeFalsy();
    expect(planMessages().slice(-2)).toEqual(["ended → employment", "ended → social"]);
    await registerMeetings(ports, {
      municipality,
      caseNo: caseNo(),
      input: { coordinationMeeting: "", jointConversation: "2026-11-23" },
      by: SOCIAL,
    });
    expect(
      await recordConsent(ports, { municipality, caseNo: caseNo(), expectedVersion: plan.version, input: consentInput(), by: SOCIAL }),
    ).toMatchObject({
      kind: "not-allowed-now",
      plan: { state: "ended" },
    });
    expect(
      await editPlan(ports, {
        municipality,
        caseNo: caseNo(),
        expectedVersion: plan.version,
        draft: planDraft({ budgetKr: "" }),
        by: SOCIAL,
      }),
    ).toMatchObject({
      kind: "not-allowed-now",
    });
  });

  it("ends an active plan when consent is withdrawn, and tells both owners", async () => {
    await active();
    const withdrawal = await withdrawConsent(ports, {
      municipality,
      caseNo: caseNo(),
      input: { on: "2026-11-23", note: "Borgeren ringede" },
      by: EMPLOYMENT,
    });
    expect(withdrawal).toMatchObject({
      kind: "ended",
      plan: {
        state: "ended",
        ended: { reason: "consent-withdrawn" },
        consent: { withdrawnOn: "2026-11-23", withdrawnBy: EMPLOYMENT.aadObjectId },
      },
    });
    expect(planMessages().slice(-2)).toEqual(["ended → employment", "ended → social"]);
    expect(audits().at(-1)).toBe("plan-withdraw by employment");
  });

  it("has no consent to withdraw before one is given", async () => {
    await agreed();
    expect(
      await withdrawConsent(ports, { municipality, caseNo: caseNo(), input: { on: "2026-11-23", note: "" }, by: EMPLOYMENT }),
    ).toMatchObject({
      kind: "no-consent",
      plan: { state: "agreed" },
    });
  });

  it("takes an adjusted active plan back to draft; agreed again within the consent, it is active again at once", async () => {
    await active();
    const adjusted = await editPlan(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: 1,
      draft: planDraft({ employmentFollowUp: "2027-03-01" }),
      by: EMPLOYMENT,
    });
    expect(adjusted).toMatchObject({ kind: "saved", plan: { state: "draft", version: 2, consent: { version: 1 } } });
    await approvePlan(ports, { municipality, caseNo: caseNo(), version: 2, by: EMPLOYMENT });
    const again = await approvePlan(ports, { municipality, caseNo: caseNo(), version: 2, by: SOCIAL });
    expect(again).toMatchObject({ kind: "approved", agreed: true, active: true, plan: { state: "active" } });
    expect(planMessages().slice(-2)).toEqual(["active → employment", "active → social"]);
  });

  it("needs a new consent when an adjustment adds an effort the citizen has not consented to", async () => {
    await active();
    const draft = planDraft();
    draft.efforts.push(effortDraft({ id: "e3", title: "Misbrugsbehandling", from: "2027-01-04" }));
    await editPlan(ports, { municipality, caseNo: caseNo(), expectedVersion: 1, draft, by: SOCIAL });
    await approvePlan(ports, { municipality, caseNo: caseNo(), version: 2, by: EMPLOYMENT });
    const again = await approvePlan(ports, { municipality, caseNo: caseNo(), version: 2, by: SOCIAL });
    expect(again).toMatchObject({ kind: "approved", agreed: true, active: false, plan: { state: "agreed" } });
    const consent = await recordConsent(ports, {
      municipality,
      caseNo: caseNo(),
      expectedVersion: 2,
      input: consentInput({ efforts: ["e1", "e2", "e3"] }),
      by: SOCIAL,
    });
    expect(consent).toMatchObject({ kind: "active", plan: { consent: { version: 2, efforts: ["e1", "e2", "e3"] } } });
  });

  it("lets the owners close a plan, and nothing changes it after", async () => {
    await active();
    expect(await endPlan(ports, { municipality, caseNo: caseNo(), input: { reason: "", note: "" }, by: SOCIAL })).toMatchObject({
      kind: "invalid",
      errors: { reason: "required" },
    });
    expect(
      await endPlan(ports, { municipality, caseNo: caseNo(), input: { reason: "completed", note: "Borgeren er i job" }, by: SOCIAL }),
    ).toMatchObject({
      kind: "ended",
      plan: { ended: { reason: "completed", note: "Borgeren er i job" } },
    });
    expect(
      await recordFollowUp(ports, {
        municipality,
        caseNo: caseNo(),
        kind: "social",
        input: { heldOn: "2026-11-23", note: "x" },
        by: SOCIAL,
      }),
    ).toMatchObject({
      kind: "not-allowed-now",
    });
  });
});

describe("registerMeetings", () => {
  it("keeps the koordineringsmøde before the fællessamtale, and a date left empty as it was", async () => {
    await agreed();
    const register = (coordinationMeeting: string, jointConversation: string) =>
      registerMeetings(ports, { municipality, caseNo: caseNo(), input: { coordinationMeeting, jointConversation }, by: SOCIAL });
    expect(await register("", "")).toMatchObject({ kind: "invalid", errors: { coordinationMeeting: "required" } });
    expect(await register("2026-11-25", "2026-11-24")).toMatchObject({ kind: "invalid", errors: { jointConversation: "meetings.order" } });
    expect(await register("2026-11-31", "")).toMatchObject({ kind: "invalid", errors: { coordinationMeeting: "date.invalid" } });
    expect(await register("2026-11-24", "")).toMatchObject({
      kind: "registered",
      plan: { meetings: { coordinationMeeting: "2026-11-24" } },
    });
    expect(await register("", "2026-12-01")).toMatchObject({
      kind: "registered",
      plan: { state: "agreed", meetings: { coordinationMeeting: "2026-11-24", jointConversation: "2026-12-01" }, approvals: [{}, {}] },
    });
  });
});

describe("follow-ups", () => {
  it("records a follow-up once, with a short note, without touching the approvals", async () => {
    await active();
    const record = (heldOn: string, note: string) =>
      recordFollowUp(ports, { municipality, caseNo: caseNo(), kind: "employment", input: { heldOn, note }, by: EMPLOYMENT });
    expect(await record("2026-11-24", "")).toMatchObject({ kind: "invalid", errors: { heldOn: "date.future", note: "required" } });
    expect(await record("2026-11-23", "Praktik går godt")).toMatchObject({
      kind: "recorded",
      plan: {
        state: "active",
        version: 1,
        followUps: [{ kind: "employment", date: "2027-01-15", heldOn: "2026-11-23", note: "Praktik går godt" }],
      },
    });
    expect(await record("2026-11-23", "igen")).toMatchObject({ kind: "already-recorded" });
    expect(
      await recordFollowUp(ports, {
        municipality,
        caseNo: caseNo(),
        kind: "forum",
        input: { heldOn: "2026-11-23", note: "x" },
        by: EMPLOYMENT,
      }),
    ).toMatchObject({
      kind: "recorded",
    });
  });

  it("lists the follow-ups whose date has come and that are not recorded", async () => {
    const plan = await active();
    expect(followUpsDue(plan, "2027-01-14")).toEqual([]);
    expect(followUpsDue(plan, "2027-01-22")).toEqual([
      { kind: "employment", date: "2027-01-15" },
      { kind: "social", date: "2027-01-22" },
    ]);
    ports.clock.set("2027-01-22T09:00:00Z");
    const recorded = await recordFollowUp(ports, {
      municipality,
      caseNo: caseNo(),
      kind: "employment",
      input: { heldOn: "2027-01-15", note: "Holdt" },
      by: EMPLOYMENT,
    });
    expect(recorded.kind === "recorded" && followUpsDue(recorded.plan, "2027-01-22")).toEqual([{ kind: "social", date: "2027-01-22" }]);
    expect(followUpsDue({ ...plan, state: "ended" }, "2027-12-31")).toEqual([]);
  });

  it("counts overdue in working days: weekends and Danish public holidays do not count", () => {
    const rule = { grace: 5 };
    // Friday 18 December 2026; 25 and 26 December are public holidays, 24 December is not.
    const friday = { date: "2026-12-18" };
    expect(workingDaysBetween("2026-12-18", "2026-12-28")).toBe(5);
    expect(isOverdue(friday, "2026-12-28", rule)).toBe(false);
    expect(isOverdue(friday, "2026-12-29", rule)).toBe(true);
    // With 24 December as a local day off it takes a day longer.
    expect(isOverdue(friday, "2026-12-29", { grace: 5, localDaysOff: ["12-24"] })).toBe(false);
    expect(isOverdue(friday, "2026-12-30", { grace: 5, localDaysOff: ["12-24"] })).toBe(true);
    // Over a weekend only: Friday 8 January 2027 is overdue on Monday the 18th.
    expect(isOverdue({ date: "2027-01-08" }, "2027-01-15", rule)).toBe(false);
    expect(isOverdue({ date: "2027-01-08" }, "2027-01-18", rule)).toBe(true);
    // Easter 2027: Maundy Thursday to Easter Monday (25–29 March) are not working days.
    expect(workingDaysBetween("2027-03-24", "2027-03-31")).toBe(2);
    expect(isOverdue({ date: "2027-03-24" }, "2027-03-24", rule)).toBe(false);
  });

  it("takes the grace from the municipality (5 working days by default)", async () => {
    expect(workingDaysOf(municipality)).toEqual({ grace: 5, localDaysOff: [] });
    const strict = municipalitySchema.parse({ ...municipality, planFollowUpGraceWorkingDays: 0, localDaysOff: ["12-24"] });
    expect(workingDaysOf(strict)).toEqual({ grace: 0, localDaysOff: ["12-24"] });
    const plan = await active();
    expect(followUpStatus(plan, municipality, new Date("2027-01-22T09:00:00Z"), ports.timeZone)).toEqual([
      { kind: "employment", date: "2027-01-15", overdue: false },
      { kind: "social", date: "2027-01-22", overdue: false },
    ]);
    expect(followUpStatus(plan, strict, new Date("2027-01-22T09:00:00Z"), ports.timeZone)).toEqual([
      { kind: "employment", date: "2027-01-15", overdue: true },
      { kind: "social", date: "2027-01-22", overdue: false },
    ]);
  });
});

describe("remindPlanFollowUps", () => {
  const reminders = () => planMessages().filter((m) => m.startsWith("follow-up-due"));

  it("tells both owners once on each follow-up date, and not in the night", async () => {
    await active();
    ports.clock.set("2027-01-15T05:30:00Z"); // 06:30 in Copenhagen
    expect(await remindPlanFollowUps(ports, municipality)).toEqual({ reminded: [], booked: [] });
    ports.clock.set("2027-01-15T07:05:00Z");
    expect(await remindPlanFollowUps(ports, municipality)).toEqual({ reminded: [`${caseNo()}:employment:2027-01-15`], booked: [] });
    expect(await remindPlanFollowUps(ports, municipality)).toEqual({ reminded: [], booked: [] });
    expect(reminders()).toEqual(["follow-up-due → employment", "follow-up-due → social"]);
    const message = ports.outbox
      .messagesOf(caseSource(tenant(), caseNo()))
      .find((m) => m.content.kind === "plan" && m.content.event === "follow-up-due");
    expect(message?.content).toEqual({
      kind: "plan",
      caseNo: caseNo(),
      event: "follow-up-due",
      followUp: "employment",
      date: "2027-01-15",
    });
  });

  it("catches up after downtime, but skips follow-ups already recorded and plans that ended", async () => {
    await active();
    ports.clock.set("2027-01-14T12:00:00Z");
    await recordFollowUp(ports, {
      municipality,
      caseNo: caseNo(),
      kind: "employment",
      input: { heldOn: "2027-01-14", note: "Holdt tidligt" },
      by: EMPLOYMENT,
    });
    ports.clock.set("2027-01-25T10:00:00Z");
    expect((await remindPlanFollowUps(ports, municipality)).reminded).toEqual([`${caseNo()}:social:2027-01-22`]);

    const other = await visitatedCase(ports.cases, municipality);
    ports.clock.set("2026-11-23T07:00:00Z");
    await openPlan(ports, { municipality, caseNo: other.caseNo, by: SOCIAL });
    await editPlan(ports, {
      municipality,
      caseNo: other.caseNo,
      expectedVersion: 0,
      draft: planDraft({ employmentFollowUp: "2026-12-01" }),
      by: SOCIAL,
    });
    await endPlan(ports, { municipality, caseNo: other.caseNo, input: { reason: "cancelled", note: "" }, by: SOCIAL });
    ports.clock.set("2026-12-01T10:00:00Z");
    expect(await remindPlanFollowUps(ports, municipality)).toEqual({ reminded: [], booked: [] });
  });

  it("books the case into the forum's next meeting with a free slot on the forum follow-up date, as a follow-up item", async () => {
    await active();
    ports.clock.set("2027-02-01T08:00:00Z"); // Monday 1 February 2027, 09:00
    const report = await remindPlanFollowUps(ports, municipality);
    expect(report.booked).toEqual([`${caseNo()}:2027-02-01`]);
    const booked = await ports.cases.get(tenant(), caseNo());
    // Monday's agenda deadline (12:00) for Wednesday 3 February (ISO week 5, odd) — the adult forum meets in even weeks: 10 February.
    expect(booked).toMatchObject({ state: "visitated", planFollowUp: "2027-02-01", meetingKey: "voksne:2027-02-10", slot: 0 });
    expect(await ports.meetings.bookings(tenant(), { forumId: "voksne", date: "2027-02-10" })).toEqual([{ slot: 0, caseNo: caseNo() }]);
    expect(planMessages().filter((m) => m.startsWith("forum-follow-up-booked"))).toEqual([
      "forum-follow-up-booked → employment",
      "forum-follow-up-booked → social",
    ]);
    // The next run finds it booked and changes nothing.
    expect(await remindPlanFollowUps(ports, municipality)).toEqual({ reminded: [], booked: [] });
    expect((await ports.cases.get(tenant(), caseNo()))?.version).toBe(booked?.version);
  });

  it("books the follow-up again when its meeting is cancelled", async () => {
    await active();
    ports.clock.set("2027-02-01T08:00:00Z");
    await remindPlanFollowUps(ports, municipality);
    await ports.meetings.cancel(tenant(), { forumId: "voksne", date: "2027-02-10", capacity: 3 }, COORDINATOR.aadObjectId);
    await ports.meetings.releaseSlot(tenant(), { forumId: "voksne", date: "2027-02-10" }, 0, caseNo());
    const report = await remindPlanFollowUps(ports, municipality);
    expect(report.booked).toEqual([`${caseNo()}:2027-02-01`]);
    expect(await ports.cases.get(tenant(), caseNo())).toMatchObject({ meetingKey: "voksne:2027-02-24", planFollowUp: "2027-02-01" });
  });
});

describe("reading the plan", () => {
  it("lists the plans a caseworker owns for `planer`", async () => {
    await saved();
    const second = await visitatedCase(ports.cases, municipality);
    await openPlan(ports, { municipality, caseNo: second.caseNo, by: SOCIAL });
    const mine = await plansOf(ports, { municipality, user: SOCIAL.aadObjectId });
    expect(mine.limited).toBe(false);
    expect(mine.plans.map((p) => [p.caseNo, p.version, p.state])).toEqual([
      [second.caseNo, 0, "draft"],
      [caseNo(), 1, "draft"],
    ]);
    expect(mine.plans[1]?.nextFollowUp).toEqual({ kind: "employment", date: "2027-01-15" });
    expect((await plansOf(ports, { municipality, user: OUTSIDER.aadObjectId })).plans).toEqual([]);
  });

  it("shows the plan to its owners and, on demand, to the coordinators of the case's forum; every view is audited", async () => {
    await saved();
    expect(await viewPlan(ports, { municipality, caseNo: caseNo(), user: SOCIAL.aadObjectId })).toMatchObject({
      kind: "shown",
      as: "owner",
    });
    expect(
      await viewPlan(ports, { municipality, caseNo: caseNo(), user: COORDINATOR.aadObjectId, purpose: "opfølgning i forum" }),
    ).toMatchObject({
      kind: "shown",
      as: "coordinator",
    });
    expect(await viewPlan(ports, { municipality, caseNo: caseNo(), user: OUTSIDER.aadObjectId })).toEqual({ kind: "refused" });
    const rows = ports.plans.auditOf(tenant(), caseNo()).slice(-3);
    expect(rows.map((r) => [r.action, who(r.user), r.purpose])).toEqual([
      ["plan-view", "social", "owner: joint plan"],
      ["plan-view", COORDINATOR.aadObjectId, "coordinator: opfølgning i forum"],
      ["plan-refused", OUTSIDER.aadObjectId, "view: joint plan"],
    ]);
  });

  it("exports the plan for the case file to its owners only, audited", async () => {
    await saved();
    expect(await exportPlan(ports, { municipality, caseNo: caseNo(), user: EMPLOYMENT.aadObjectId })).toMatchObject({
      kind: "export",
      plan: { version: 1 },
    });
    expect(await exportPlan(ports, { municipality, caseNo: caseNo(), user: COORDINATOR.aadObjectId })).toEqual({ kind: "refused" });
    expect(audits().slice(-2)).toEqual(["plan-export by employment", `plan-refused by ${COORDINATOR.aadObjectId}`]);
  });
});

describe("reassignPlanOwner (sagsbehandlerskift)", () => {
  const NEW_SOCIAL = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000042", name: "Ny Socialrådgiver" };

  it("moves one side of the plan to the new caseworker, who may then act on it while the former may not", async () => {
    const plan = await agreed();
    const outcome = await reassignPlanOwner(ports, {
      municipality,
      caseNo: caseNo(),
      side: "social",
      to: NEW_SOCIAL,
      by: COORDINATOR,
      purpose: "orlov",
    });
    expect(outcome).toMatchObject({
      kind: "reassigned",
      plan: {
        state: "agreed",
        version: plan.version,
        owners: { social: NEW_SOCIAL },
        content: { fixedCaseworker: NEW_SOCIAL.aadObjectId },
        approvals: [{}, {}],
      },
    });
    expect(ports.plans.auditOf(tenant(), caseNo()).at(-1)).toMatchObject({
      action: "plan-edit",
      user: COORDINATOR.aadObjectId,
      purpose: "social owner handed over: orlov",
    });
    expect(await viewPlan(ports, { municipality, caseNo: caseNo(), user: NEW_SOCIAL.aadObjectId })).toMatchObject({
      kind: "shown",
      as: "owner",
    });
    expect(await viewPlan(ports, { municipality, caseNo: caseNo(), user: SOCIAL.aadObjectId })).toEqual({ kind: "refused" });
    expect((await plansOf(ports, { municipality, user: NEW_SOCIAL.aadObjectId })).plans.map((p) => p.caseNo)).toEqual([caseNo()]);
  });

  it("changes nothing for the same person, refuses one person on both sides, and leaves an ended plan alone", async () => {
    await saved();
    expect(
      await reassignPlanOwner(ports, { municipality, caseNo: caseNo(), side: "social", to: SOCIAL, by: COORDINATOR, purpose: "" }),
    ).toMatchObject({ kind: "unchanged" });
    expect(
      await reassignPlanOwner(ports, { municipality, caseNo: caseNo(), side: "social", to: EMPLOYMENT, by: COORDINATOR, purpose: "" }),
    ).toMatchObject({
      kind: "same-person",
    });
    await endPlan(ports, { municipality, caseNo: caseNo(), input: { reason: "cancelled", note: "" }, by: SOCIAL });
    expect(
      await reassignPlanOwner(ports, { municipality, caseNo: caseNo(), side: "social", to: NEW_SOCIAL, by: COORDINATOR, purpose: "" }),
    ).toMatchObject({
      kind: "not-allowed-now",
    });
  });
});

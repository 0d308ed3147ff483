import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { overviewFigures, periodsEndingAt, type PlanCounts } from "../../src/domain/overview.js";
import type { OverviewEvent, PlanStep } from "../../src/domain/overview-events.js";
import { overviewReport } from "../../src/domain/overview-use-cases.js";
import { recordOverdueFollowUps, remindPlanFollowUps } from "../../src/domain/plan-follow-ups.js";
import {
  approvePlan,
  editPlan,
  endPlan,
  openPlan,
  recordConsent,
  recordFollowUp,
  registerMeetings,
} from "../../src/domain/plan-use-cases.js";
import { CASEWORKER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { inMemoryPlanPorts, visitatedCase, type InMemoryPlanPorts } from "../support/in-memory/plan-ports.js";
import { planDraft } from "../support/plan-fixtures.js";

const NOW = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const NO_PLANS: PlanCounts = { agreed: 0, active: 0, ended: 0, followUpsOnTime: 0, followUpsLate: 0, followUpsOverdue: 0 };

function plan(step: PlanStep, at: string, o: { caseNo?: number; forumId?: string } = {}): OverviewEvent {
  const caseNo = o.caseNo ?? 1;
  return { kind: "plan", id: `plan:${caseNo}:${step}`, at, caseNo, forumId: o.forumId ?? "voksne", step };
}

function figures(events: OverviewEvent[], days = 7) {
  const { current, previous } = periodsEndingAt(NOW, days);
  return overviewFigures({
    forumIds: ["unge", "voksne"],
    period: current,
    events,
    previous: [],
    previousPeriod: previous,
    timeZone: "Europe/Copenhagen",
  });
}

const plansOf = (f: ReturnType<typeof figures>, forumId: string) => f.forums.find((x) => x.forumId === forumId)!.figures.plans;

describe("joint-plan figures (SPEC §8 'plans: active, follow-ups overdue'), pure over a period's events", () => {
  it("an empty period has no plan figures in any forum or in total", () => {
    const f = figures([]);
    expect(plansOf(f, "unge")).toEqual(NO_PLANS);
    expect(plansOf(f, "voksne")).toEqual(NO_PLANS);
    expect(f.total.plans).toEqual(NO_PLANS);
  });

  it("counts each step per forum and in total; ignores steps outside the period and the same event twice", () => {
    const agreed = plan("agreed", ago(2), { caseNo: 1 });
    const f = figures([
      agreed,
      agreed, // read twice: counted once
      plan("active", ago(1), { caseNo: 1 }),
      plan("agreed", ago(3), { caseNo: 2, forumId: "unge" }),
      plan("agreed", ago(10), { caseNo: 3 }), // before the period
      plan("ended", ago(1), { caseNo: 4, forumId: "unge" }),
      { ...plan("follow-up-on-time", ago(1), { caseNo: 1 }), id: "plan:1:follow-up:employment:2026-11-20:held" },
      { ...plan("follow-up-late", ago(1), { caseNo: 5 }), id: "plan:5:follow-up:social:2026-11-02:held" },
      { ...plan("follow-up-overdue", ago(4), { caseNo: 5 }), id: "plan:5:follow-up:social:2026-11-02:overdue" },
      { ...plan("follow-up-overdue", ago(4), { caseNo: 6 }), id: "plan:6:follow-up:forum:2026-11-02:overdue" },
    ]);
    expect(plansOf(f, "voksne")).toEqual({ agreed: 1, active: 1, ended: 0, followUpsOnTime: 1, followUpsLate: 1, followUpsOverdue: 2 });
    expect(plansOf(f, "unge")).toEqual({ ...NO_PLANS, agreed: 1, ended: 1 });
    expect(f.total.plans).toEqual({ agreed: 2, active: 1, ended: 1, followUpsOnTime: 1, followUpsLate: 1, followUpsOverdue: 2 });
  });

  it("plan steps change no case figure", () => {
    const f = figures([plan("agreed", ago(1)), plan("active", ago(1))]);
    expect(f.total).toMatchObject({ raised: 0, pending: 0, moved: 0 });
    expect(f.population["30+"]).toEqual({ joint: 0, employment: 0, open: 0 });
  });
});

describe("the plan use cases write the overview's events (SPEC §8)", () => {
  const EMPLOYMENT = CASEWORKER;
  const SOCIAL = SOCIAL_CASEWORKER;
  let ports: InMemoryPlanPorts;
  let municipality: Municipality;
  let record: CaseRecord;

  beforeEach(async () => {
    ports = inMemoryPlanPorts({ now: NOW });
    municipality = testMunicipality(randomUUID());
    record = await visitatedCase(ports.cases, municipality);
  });

  const tenant = () => municipality.tenantId;
  const planEvents = async () =>
    (await ports.overview.between(tenant(), new Date("2026-01-01T00:00:00Z"), new Date("2028-01-01T00:00:00Z"))).flatMap((e) =>
      e.kind === "plan" ? [`${e.step} ${e.forumId} ${e.at}`] : [],
    );

  async function agree(by = [EMPLOYMENT, SOCIAL]) {
    const current = (await ports.plans.get(tenant(), record.caseNo))!;
    let last;
    for (const who of by) last = await approvePlan(ports, { municipality, caseNo: record.caseNo, version: current.version, by: who });
    return last!;
  }

  async function edit(draft = planDraft()) {
    const current = (await ports.plans.get(tenant(), record.caseNo))!;
    const outcome = await editPlan(ports, { municipality, caseNo: record.caseNo, expectedVersion: current.version, draft, by: EMPLOYMENT });
    expect(outcome.kind).toBe("saved");
  }

  async function activePlan() {
    await openPlan(ports, { municipality, caseNo: record.caseNo, by: EMPLOYMENT });
    await edit();
    await agree();
    await registerMeetings(ports, {
      municipality,
      caseNo: record.caseNo,
      input: { coordinationMeeting: "2026-11-20", jointConversation: "2026-11-23" },
      by: SOCIAL,
    });
    const plan = (await ports.plans.get(tenant(), record.caseNo))!;
    const consent = await recordConsent(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: plan.version,
      input: { givenOn: "2026-11-23", efforts: ["e1", "e2"], sharedInformation: ["health"], note: "" },
      by: SOCIAL,
    });
    expect(consent.kind).toBe("active");
  }

  it("agreed is written once, at the first agreement, under the case's forum; a re-agreed adjustment and a repeated approval add nothing", async () => {
    await openPlan(ports, { municipality, caseNo: record.caseNo, by: EMPLOYMENT });
    await edit();
    expect(await planEvents()).toEqual([]);
    await agree();
    expect(await planEvents()).toEqual([`agreed voksne ${NOW.toISOString()}`]);

    ports.clock.set("2026-11-24T09:00:00Z");
    await edit(planDraft({ budgetKr: "60.000" }));
    await agree();
    // The same approval pressed again (a re-delivered card) writes the same row again.
    await agree([SOCIAL]);
    expect(await planEvents()).toEqual([`agreed voksne ${NOW.toISOString()}`]);
  });

  it("active at the citizen's consent; each follow-up held on time or late; overdue from the job once; ended", async () => {
    await activePlan();
    // Employment follow-up (Friday 15 January 2027) held the day before: on time.
    ports.clock.set("2027-01-14T12:00:00Z");
    const held = await recordFollowUp(ports, {
      municipality,
      caseNo: record.caseNo,
      kind: "employment",
      input: { heldOn: "2027-01-14", note: "Holdt" },
      by: EMPLOYMENT,
    });
    expect(held.kind).toBe("recorded");

    // Social follow-up (Friday 22 January) not held: overdue from Monday 1 February (5 working days later).
    ports.clock.set("2027-01-31T12:00:00Z");
    expect(await recordOverdueFollowUps(ports, municipality)).toEqual([]);
    ports.clock.set("2027-02-02T10:00:00Z");
    await remindPlanFollowUps(ports, municipality);
    await remindPlanFollowUps(ports, municipality); // a second run (or instance) writes the same row
    expect(await recordOverdueFollowUps(ports, municipality)).toEqual([`${record.caseNo}:social:2027-01-22`]);

    // Held late after all, then the plan ends.
    await recordFollowUp(ports, {
      municipality,
      caseNo: record.caseNo,
      kind: "social",
      input: { heldOn: "2027-02-02", note: "Holdt for sent" },
      by: SOCIAL,
    });
    ports.clock.set("2027-02-03T10:00:00Z");
    expect((await endPlan(ports, { municipality, caseNo: record.caseNo, input: { reason: "completed", note: "" }, by: SOCIAL })).kind).toBe(
      "ended",
    );

    expect((await planEvents()).sort()).toEqual(
      [
        `agreed voksne ${NOW.toISOString()}`,
        `active voksne ${NOW.toISOString()}`,
        "follow-up-on-time voksne 2027-01-14T12:00:00.000Z",
        "follow-up-overdue voksne 2027-01-31T23:00:00.000Z", // Monday 1 February, 00:00 in Copenhagen
        "follow-up-late voksne 2027-02-02T10:00:00.000Z",
        "ended voksne 2027-02-03T10:00:00.000Z",
      ].sort(),
    );

    // …and the overview of the last 90 days, a minute later, shows them under the adult forum and in total.
    ports.clock.set("2027-02-03T10:01:00Z");
    const report = await overviewReport(ports, municipality, ports.clock.now(), 90);
    const voksne = report.figures.forums.find((f) => f.forumId === "voksne")!.figures.plans;
    const expected = { agreed: 1, active: 1, ended: 1, followUpsOnTime: 1, followUpsLate: 1, followUpsOverdue: 1 };
    expect(voksne).toEqual(expected);
    expect(report.figures.total.plans).toEqual(expected);
    expect(report.figures.forums.find((f) => f.forumId === "unge")!.figures.plans).toEqual(NO_PLANS);
  });

  it("a follow-up held before it is overdue is never counted overdue", async () => {
    await activePlan();
    ports.clock.set("2027-01-20T12:00:00Z");
    await recordFollowUp(ports, {
      municipality,
      caseNo: record.caseNo,
      kind: "employment",
      input: { heldOn: "2027-01-20", note: "Holdt" },
      by: EMPLOYMENT,
    });
    ports.clock.set("2027-01-27T10:00:00Z");
    expect(await recordOverdueFollowUps(ports, municipality)).toEqual([]);
    expect((await planEvents()).filter((e) => e.startsWith("follow-up"))).toEqual(["follow-up-on-time voksne 2027-01-20T12:00:00.000Z"]);
  });
});

import { randomUUID } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { forumCalendar } from "../../src/domain/forum-calendar.js";
import type { Municipality } from "../../src/domain/municipality.js";
import type { NotificationContent } from "../../src/domain/notification.js";
import { MAX_CHARS } from "../../src/domain/case.js";
import { MAX_EFFORTS, MAX_FOLLOW_UP_RECORDS, type PlanRecord } from "../../src/domain/plan.js";
import { remindPlanFollowUps, type PlanJobDeps } from "../../src/domain/plan-follow-ups.js";
import {
  approvePlan,
  editPlan,
  openPlan,
  reassignPlanOwner,
  recordConsent,
  registerMeetings,
  endPlan,
  viewPlan,
} from "../../src/domain/plan-use-cases.js";
import type { Clock } from "../../src/domain/ports.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { keys, PLAN_ROW, rowsWithPrefix, ROW_PREFIX } from "../../src/storage/table-layout.js";
import { TableMeetingRepository } from "../../src/storage/table-meeting-repository.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { TablePlanRepository } from "../../src/storage/table-plan-repository.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { visitatedCase } from "../support/in-memory/plan-ports.js";
import { effortDraft, planDraft } from "../support/plan-fixtures.js";

let tables: TableClients;
const cipher = new FieldCipher(Buffer.alloc(32, 9));
const calendar = forumCalendar(DEFAULT_TIME_ZONE);

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
});

class FixedClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

/** One bot instance's view of storage: its own clients and repositories over the shared tables. */
function instance(clock: Clock): PlanJobDeps & { plans: TablePlanRepository } {
  const outbox = new TableOutbox(tables.cases, tables.outbox);
  return {
    plans: new TablePlanRepository(tables.cases, tables.caseIndex, cipher, outbox),
    cases: new TableCaseRepository(tables.cases, tables.caseIndex, cipher, outbox),
    meetings: new TableMeetingRepository(tables.cases, outbox),
    calendar,
    clock,
    timeZone: DEFAULT_TIME_ZONE,
  };
}

async function rows<T extends object>(table: TableClient, filter: string): Promise<(T & { rowKey: string })[]> {
  const out: (T & { rowKey: string })[] = [];
  for await (const row of table.listEntities<T>({ queryOptions: { filter } })) out.push(row as T & { rowKey: string });
  return out;
}

/** The plan messages committed beside a case, as `event → recipient`. */
async function planMessages(tenantId: string, caseNo: number): Promise<string[]> {
  const stored = await rows<{ content: string; target: string }>(
    tables.cases,
    rowsWithPrefix(keys.casePartition(tenantId, caseNo), ROW_PREFIX.outbox),
  );
  return stored
    .map((r) => ({ content: JSON.parse(r.content) as NotificationContent, target: JSON.parse(r.target) as { aadObjectId: string } }))
    .flatMap((m) =>
      m.content.kind === "plan"
        ? [`${m.content.event} → ${m.target.aadObjectId === CASEWORKER.aadObjectId ? "employment" : "social"}`]
        : [],
    )
    .sort();
}

/** A visitated case and an active plan on it (version 1), as of Monday 23 November 2026. */
async function activePlan(deps: PlanJobDeps, municipality: Municipality): Promise<PlanRecord> {
  const record = await visitatedCase(deps.cases, municipality);
  const caseNo = record.caseNo;
  await openPlan(deps, { municipality, caseNo, by: CASEWORKER });
  await editPlan(deps, { municipality, caseNo, expectedVersion: 0, draft: planDraft(), by: CASEWORKER });
  await approvePlan(deps, { municipality, caseNo, version: 1, by: CASEWORKER });
  await approvePlan(deps, { municipality, caseNo, version: 1, by: SOCIAL_CASEWORKER });
  await registerMeetings(deps, {
    municipality,
    caseNo,
    input: { coordinationMeeting: "2026-11-20", jointConversation: "2026-11-23" },
    by: SOCIAL_CASEWORKER,
  });
  const consent = await recordConsent(deps, {
    municipality,
    caseNo,
    expectedVersion: 1,
    input: { givenOn: "2026-11-23", efforts: ["e1", "e2"], sharedInformation: ["housing"], note: "" },
    by: SOCIAL_CASEWORKER,
  });
  if (consent.kind !== "active") throw new Error(`expected an active plan, got ${consent.kind}`);
  return consent.plan;
}

const MONDAY = new Date("2026-11-23T07:00:00Z");

describe("TablePlanRepository (Azurite)", () => {
  it("stores the plan sealed beside its case and reads it back", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    const raw = await tables.cases.getEntity<Record<string, unknown>>(keys.casePartition(municipality.tenantId, plan.caseNo), PLAN_ROW);
    const text = JSON.stringify(raw);
    expect(text).not.toContain("Mentorforløb");
    expect(text).not.toContain("fast indgang");
    expect(raw).toMatchObject({ state: "active", version: 1, sealedParts: 1 });
    const read = await deps.plans.get(municipality.tenantId, plan.caseNo);
    expect(read).toEqual(plan);
    expect(read?.content?.efforts.map((e) => e.title)).toEqual(["Mentorforløb", "Socialpædagogisk bostøtte"]);
  });

  it("binds the sealed plan to its case: copied to another case it does not decrypt", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    const other = await visitatedCase(deps.cases, municipality);
    await openPlan(deps, { municipality, caseNo: other.caseNo, by: CASEWORKER });
    const raw = await tables.cases.getEntity<Record<string, unknown>>(keys.casePartition(municipality.tenantId, plan.caseNo), PLAN_ROW);
    await tables.cases.updateEntity(
      { partitionKey: keys.casePartition(municipality.tenantId, other.caseNo), rowKey: PLAN_ROW, sealed0: raw.sealed0 as string },
      "Merge",
    );
    await expect(deps.plans.get(municipality.tenantId, other.caseNo)).rejects.toThrow();
  });

  it("commits the change, its audit row and its messages together in the case's partition", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    expect(await planMessages(municipality.tenantId, plan.caseNo)).toEqual([
      "active → employment",
      "active → social",
      "agreed → employment",
      "agreed → social",
      "approved → social",
      "changed → social",
      "opened → social",
    ]);
    await viewPlan(deps, { municipality, caseNo: plan.caseNo, user: OUTSIDER.aadObjectId });
    const audit = await rows<{ action: string }>(
      tables.cases,
      rowsWithPrefix(keys.casePartition(municipality.tenantId, plan.caseNo), ROW_PREFIX.audit),
    );
    // One fixed clock: rows of the same instant sort by their random suffix, so compare as a set.
    expect(
      audit
        .map((a) => a.action)
        .filter((a) => a.startsWith("plan-"))
        .sort(),
    ).toEqual(["plan-open", "plan-edit", "plan-approve", "plan-approve", "plan-meetings", "plan-consent", "plan-refused"].sort());
  });

  it("lets exactly one of two simultaneous edits win; the other gets the winner's plan", async () => {
    const municipality = testMunicipality(randomUUID());
    const a = instance(new FixedClock(MONDAY));
    const b = instance(new FixedClock(MONDAY));
    const record = await visitatedCase(a.cases, municipality);
    await openPlan(a, { municipality, caseNo: record.caseNo, by: CASEWORKER });
    for (let round = 0; round < 3; round++) {
      const version = (await a.plans.get(municipality.tenantId, record.caseNo))!.version;
      const [first, second] = await Promise.all([
        editPlan(a, {
          municipality,
          caseNo: record.caseNo,
          expectedVersion: version,
          draft: planDraft({ framework: `Jobcentret ${round}` }),
          by: CASEWORKER,
        }),
        editPlan(b, {
          municipality,
          caseNo: record.caseNo,
          expectedVersion: version,
          draft: planDraft({ framework: `Socialområdet ${round}` }),
          by: SOCIAL_CASEWORKER,
        }),
      ]);
      const outcomes = [first, second];
      expect(outcomes.map((o) => o.kind).sort()).toEqual(["conflict", "saved"]);
      const winner = outcomes.find((o) => o.kind === "saved")!;
      const loser = outcomes.find((o) => o.kind === "conflict")!;
      expect("plan" in loser && loser.plan.content?.framework).toBe("plan" in winner && winner.plan.content?.framework);
      const stored = await a.plans.get(municipality.tenantId, record.caseNo);
      expect(stored?.version).toBe(version + 1);
      expect(stored?.content?.framework).toBe("plan" in winner ? winner.plan.content?.framework : "");
    }
  });

  it("keeps the follow-up index in step with the plan's dates", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    const on = (date: string) => deps.plans.followUpsOn(municipality.tenantId, date);
    expect(await on("2027-01-15")).toEqual([{ caseNo: plan.caseNo, kind: "employment" }]);
    expect(await on("2027-02-01")).toEqual([{ caseNo: plan.caseNo, kind: "forum" }]);
    await editPlan(deps, {
      municipality,
      caseNo: plan.caseNo,
      expectedVersion: 1,
      draft: planDraft({ employmentFollowUp: "2027-01-29", forumFollowUp: "" }),
      by: CASEWORKER,
    });
    expect(await on("2027-01-15")).toEqual([]);
    expect(await on("2027-02-01")).toEqual([]);
    expect(await on("2027-01-29")).toEqual([{ caseNo: plan.caseNo, kind: "employment" }]);
    await endPlan(deps, { municipality, caseNo: plan.caseNo, input: { reason: "cancelled", note: "" }, by: CASEWORKER });
    expect(await on("2027-01-29")).toEqual([]);
    expect(await on("2027-01-22")).toEqual([]);
  });

  it("lists a caseworker's plans from the index without decrypting them", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    const second = await visitatedCase(deps.cases, municipality);
    await openPlan(deps, { municipality, caseNo: second.caseNo, by: SOCIAL_CASEWORKER });
    const wrong = new TablePlanRepository(
      tables.cases,
      tables.caseIndex,
      new FieldCipher(Buffer.alloc(32, 1)),
      new TableOutbox(tables.cases, tables.outbox),
    );
    const listed = await wrong.listOwnedBy(municipality.tenantId, CASEWORKER.aadObjectId, 20);
    expect(listed.map((p) => [p.reference, p.state, p.version, p.approvedBy])).toEqual([
      [`SP-${String(second.caseNo).padStart(4, "0")}`, "draft", 0, []],
      [plan.reference, "active", 1, ["employment", "social"]],
    ]);
    expect(listed[1]?.nextFollowUp).toEqual({ kind: "employment", date: "2027-01-15" });
    expect(listed[1]?.owners.social.name).toBe(SOCIAL_CASEWORKER.name);
    expect(await wrong.listOwnedBy(municipality.tenantId, COORDINATOR.aadObjectId, 20)).toEqual([]);
  });

  it("moves a handed-over plan from the former owner's `planer` to the new owner's", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const plan = await activePlan(deps, municipality);
    const successor = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000042", name: "Ny Socialrådgiver" };
    await reassignPlanOwner(deps, { municipality, caseNo: plan.caseNo, side: "social", to: successor, by: COORDINATOR, purpose: "orlov" });
    expect((await deps.plans.listOwnedBy(municipality.tenantId, successor.aadObjectId, 20)).map((p) => p.caseNo)).toEqual([plan.caseNo]);
    expect(await deps.plans.listOwnedBy(municipality.tenantId, SOCIAL_CASEWORKER.aadObjectId, 20)).toEqual([]);
    expect((await deps.plans.listOwnedBy(municipality.tenantId, CASEWORKER.aadObjectId, 20)).map((p) => p.caseNo)).toEqual([plan.caseNo]);
  });

  it("stores the largest plan the rules allow", async () => {
    const municipality = testMunicipality(randomUUID());
    const deps = instance(new FixedClock(MONDAY));
    const record = await visitatedCase(deps.cases, municipality);
    await openPlan(deps, { municipality, caseNo: record.caseNo, by: CASEWORKER });
    const long = (n: number) => "æøå ".repeat(n).slice(0, n);
    const efforts = Array.from({ length: MAX_EFFORTS }, (_, i) =>
      effortDraft({ id: `e${i + 1}`, title: long(100), purpose: long(MAX_CHARS), department: long(60), personName: long(100) }),
    );
    const saved = await editPlan(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: 0,
      draft: planDraft({ efforts, framework: long(MAX_CHARS) }),
      by: CASEWORKER,
    });
    expect(saved.kind).toBe("saved");
    const stored = (await deps.plans.get(municipality.tenantId, record.caseNo))!;
    const followUps = Array.from({ length: MAX_FOLLOW_UP_RECORDS }, (_, i) => ({
      kind: "social" as const,
      date: `2027-01-${String((i % 28) + 1).padStart(2, "0")}`,
      heldOn: "2027-01-01",
      note: long(300),
      recordedBy: CASEWORKER.aadObjectId,
      recordedAt: MONDAY.toISOString(),
    }));
    const audit = { at: MONDAY.toISOString(), user: CASEWORKER.aadObjectId, action: "plan-follow-up" as const, purpose: "test" };
    const big = await deps.plans.save({ ...stored, followUps }, stored.revision, audit, []);
    expect(big?.followUps).toHaveLength(MAX_FOLLOW_UP_RECORDS);
    const raw = await tables.cases.getEntity<{ sealedParts: number }>(keys.casePartition(municipality.tenantId, record.caseNo), PLAN_ROW);
    expect(raw.sealedParts).toBeGreaterThan(1);
    expect(await deps.plans.get(municipality.tenantId, record.caseNo)).toEqual(big);
  });
});

describe("plan follow-up jobs (Azurite)", () => {
  it("tells both owners once when two instances run the reminders at the same moment", async () => {
    const municipality = testMunicipality(randomUUID());
    const plan = await activePlan(instance(new FixedClock(MONDAY)), municipality);
    const onTheDay = new FixedClock(new Date("2027-01-15T08:00:00Z"));
    const [a, b] = await Promise.all([
      remindPlanFollowUps(instance(onTheDay), municipality),
      remindPlanFollowUps(instance(onTheDay), municipality),
    ]);
    expect([...a.reminded, ...b.reminded]).toEqual([`${plan.caseNo}:employment:2027-01-15`]);
    const again = await remindPlanFollowUps(instance(onTheDay), municipality);
    expect(again.reminded).toEqual([]);
    const due = (await planMessages(municipality.tenantId, plan.caseNo)).filter((m) => m.startsWith("follow-up-due"));
    expect(due).toEqual(["follow-up-due → employment", "follow-up-due → social"]);
    const pointers = await rows<{ sourcePk: string }>(tables.outbox, `PartitionKey eq '${keys.outboxPartition(municipality.tenantId)}'`);
    expect(pointers.filter((p) => p.sourcePk === keys.casePartition(municipality.tenantId, plan.caseNo)).length).toBeGreaterThanOrEqual(2);
  });

  it("books the case into the forum's next meeting with a free slot on the forum follow-up date, once, even with two instances", async () => {
    const municipality = testMunicipality(randomUUID());
    const plan = await activePlan(instance(new FixedClock(MONDAY)), municipality);
    const onTheDay = new FixedClock(new Date("2027-02-01T08:00:00Z"));
    const a = instance(onTheDay);
    // The first meeting after the date is full: the follow-up goes to the next one with a free slot.
    const full = calendar.find(municipality, "voksne", "2027-02-10")!;
    for (let slot = 0; slot < full.capacity; slot++) await a.meetings.claimSlot(municipality.tenantId, full, 900_000 + slot);
    const [first, second] = await Promise.all([
      remindPlanFollowUps(a, municipality),
      remindPlanFollowUps(instance(onTheDay), municipality),
    ]);
    expect([...first.booked, ...second.booked]).toEqual([`${plan.caseNo}:2027-02-01`]);
    const record = await a.cases.get(municipality.tenantId, plan.caseNo);
    expect(record).toMatchObject({ state: "visitated", planFollowUp: "2027-02-01", meetingKey: "voksne:2027-02-24" });
    // The instance that lost the race gave its slot back: the case holds exactly one.
    expect(await a.meetings.bookings(municipality.tenantId, { forumId: "voksne", date: "2027-02-24" })).toEqual([
      { slot: record!.slot, caseNo: plan.caseNo },
    ]);
    const [entry] = await a.cases.agendaEntries(municipality.tenantId, [plan.caseNo]);
    expect(entry).toMatchObject({ meetingKey: "voksne:2027-02-24", slot: record!.slot, planFollowUp: "2027-02-01" });
    const booked = (await planMessages(municipality.tenantId, plan.caseNo)).filter((m) => m.startsWith("forum-follow-up-booked"));
    expect(booked).toEqual(["forum-follow-up-booked → employment", "forum-follow-up-booked → social"]);
    expect(await remindPlanFollowUps(a, municipality)).toMatchObject({ booked: [] });
  });
});

import { randomUUID } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { answerAccessRequest } from "../../src/domain/access-request.js";
import { emptyBostotteDraft, validateBostotteDraft } from "../../src/domain/bostotte.js";
import { viewCaseDetails } from "../../src/domain/case-details.js";
import type { CaseRecord } from "../../src/domain/case.js";
import { cprLookupKey, parseCpr } from "../../src/domain/cpr.js";
import { monthDayKey } from "../../src/domain/target-group-change.js";
import { follow } from "../../src/domain/following.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { editPlan, endPlan, openPlan } from "../../src/domain/plan-use-cases.js";
import { recordBostotteDecision } from "../../src/domain/record-bostotte.js";
import { applyRetention } from "../../src/domain/retention.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { TableCitizenRepository } from "../../src/storage/table-citizen-repository.js";
import { BOSTOTTE_EVENT_ROW, CASE_ROW, CITIZEN_ROW, keys, PLAN_ROW, ROW_PREFIX } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { TablePlanRepository } from "../../src/storage/table-plan-repository.js";
import { TablePrivacyStore } from "../../src/storage/table-privacy-store.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import {
  ADMINISTRATOR,
  CASEWORKER,
  COORDINATOR,
  fakeCprForAge,
  newCase,
  SOCIAL_CASEWORKER,
  testMunicipality,
} from "../support/fixtures.js";
import { ManualClock } from "../support/in-memory/index.js";
import { planDraft } from "../support/plan-fixtures.js";
import { auditRows, rowsOf } from "../support/table-rows.js";

let tables: TableClients;
const cipher = new FieldCipher(Buffer.alloc(32, 11));
const NOW = new Date("2026-11-23T07:00:00Z");
const after = (months: number, days = 0) => DateTime.fromJSDate(NOW, { zone: "UTC" }).plus({ months, days }).toJSDate();

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
});

/** The Table implementations of every port retention and access requests use, over the shared tables. */
function tablePorts() {
  const outbox = new TableOutbox(tables.cases, tables.outbox);
  return {
    cases: new TableCaseRepository(tables.cases, tables.caseIndex, cipher, outbox),
    plans: new TablePlanRepository(tables.cases, tables.caseIndex, cipher, outbox),
    citizens: new TableCitizenRepository(tables.cases, tables.caseIndex, cipher, outbox),
    privacy: new TablePrivacyStore(tables.cases, tables.caseIndex, cipher, outbox),
    clock: new ManualClock(NOW),
    timeZone: DEFAULT_TIME_ZONE,
  };
}
type Ports = ReturnType<typeof tablePorts>;

async function raised(ports: Ports, municipality: Municipality, cprDigits: string): Promise<CaseRecord> {
  const draft = newCase(municipality.tenantId, {
    cprDigits,
    raisedAt: ports.clock.now().toISOString(),
    acute: true,
    acuteReason: "Udsat af bolig",
  });
  const { record } = await ports.cases.raise(
    randomUUID(),
    draft,
    async () => ({ state: "acute" }),
    () => [],
  );
  await ports.citizens.linkCase(municipality.tenantId, record.cprDigits, record.caseNo, record.raisedBy);
  return record;
}

async function decided(ports: Ports, municipality: Municipality, record: CaseRecord, decision: "no-basis" | "start"): Promise<CaseRecord> {
  const at = ports.clock.now().toISOString();
  const changed = await ports.cases.change(
    municipality.tenantId,
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
  if (!changed) throw new Error("could not decide");
  return changed;
}

const caseRow = (tenantId: string, caseNo: number) =>
  tables.cases.getEntity<Record<string, unknown>>(keys.casePartition(tenantId, caseNo), CASE_ROW);

async function exists(table: "cases" | "caseIndex", pk: string, rk: string): Promise<boolean> {
  try {
    await tables[table].getEntity(pk, rk);
    return true;
  } catch {
    return false;
  }
}

/** Every row of a partition. */
async function partitionRows(table: TableClient, partitionKey: string): Promise<{ rowKey: string }[]> {
  const out: { rowKey: string }[] = [];
  for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${partitionKey}'` } }))
    out.push({ ...row, rowKey: row.rowKey! });
  return out;
}

const cprOf = (age: number, serial: number) => fakeCprForAge(age, NOW).replace("-", "").slice(0, 6) + String(serial).padStart(4, "0");

describe("TablePrivacyStore and retention (Azurite)", () => {
  it("notes a case that ends in the retention index of its month, and its audit rows in the audit index, before the change commits", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const closed = await decided(ports, municipality, await raised(ports, municipality, cprOf(40, 1201)), "no-basis");
    expect(await exists("caseIndex", keys.retentionPartition(tenantId, "2026-11"), keys.retentionCaseRow(closed.caseNo))).toBe(true);
    expect(await exists("caseIndex", keys.auditMonthPartition(tenantId, "2026-11"), `case|${closed.caseNo}`)).toBe(true);
    expect(await ports.privacy.retentionCandidates(tenantId, "2026-10", 10)).toEqual([]);
    expect(await ports.privacy.retentionCandidates(tenantId, "2026-11", 10)).toEqual([
      { month: "2026-11", subject: { kind: "case", caseNo: closed.caseNo } },
    ]);
  });

  it("deletes exactly what is due — the CPR number, its look-up hash, every text, the citizen's link and row — and leaves the counts and dates", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const dueCpr = cprOf(40, 1202);
    const due = await decided(ports, municipality, await raised(ports, municipality, dueCpr), "no-basis");
    const open = await raised(ports, municipality, cprOf(41, 1203));
    ports.clock.set(after(6));
    const later = await decided(ports, municipality, await raised(ports, municipality, cprOf(42, 1204)), "no-basis");

    ports.clock.set(after(12, 1));
    const run = await applyRetention(ports, municipality);
    expect(run.anonymisedCases).toEqual([due.caseNo]);

    const raw = await caseRow(tenantId, due.caseNo);
    for (const column of [
      "cprSealed",
      "cprLookup",
      "healthSealed",
      "socialSealed",
      "questionSealed",
      "acuteReasonSealed",
      "decisionNoteSealed",
      "additionalInfoSealed",
    ])
      expect(raw, column).not.toHaveProperty(column);
    expect(raw).toMatchObject({
      state: "closed",
      decision: "no-basis",
      forumId: due.forumId,
      department: due.department,
      acute: true,
      raisedAt: due.raisedAt,
      decidedAt: due.decidedAt,
      age: 30,
      ageGroup: "30+",
      anonymisedAfterMonths: 12,
      anonymisedAt: after(12, 1).toISOString(),
      version: due.version + 1,
    });
    expect(await ports.cases.get(tenantId, due.caseNo)).toMatchObject({
      cprDigits: "",
      health: "",
      decisionNote: "",
      anonymised: { afterMonths: 12, ageGroup: "30+" },
    });
    expect((await ports.cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 10)).find((c) => c.caseNo === due.caseNo)).toMatchObject({
      cprDigits: "",
      anonymised: { afterMonths: 12 },
    });
    // Not due: still whole.
    expect(await caseRow(tenantId, open.caseNo)).toHaveProperty("cprSealed");
    expect(await caseRow(tenantId, later.caseNo)).toHaveProperty("healthSealed");

    // The citizen's partition keeps no CPR number and no link; the birthday index row (sealed CPR) is gone.
    const citizenId = cprLookupKey(dueCpr, cipher.lookupKey);
    const citizenPk = keys.citizenPartition(tenantId, citizenId);
    expect(await exists("cases", citizenPk, CITIZEN_ROW)).toBe(false);
    expect(await rowsOf(tables.cases, citizenPk, ROW_PREFIX.caseLink)).toEqual([]);
    const born = parseCpr(dueCpr);
    if (!born.ok) throw new Error(born.error);
    const birthday = monthDayKey(born.cpr.birthDate.month, born.cpr.birthDate.day);
    expect(await exists("caseIndex", keys.birthdayPartition(tenantId, birthday), citizenId)).toBe(false);
    expect((await auditRows(tables.cases, citizenPk)).map((a) => a.action)).toEqual(["retention-erase"]);

    // The index: the case done is gone, the later one waits in its own month.
    expect(await ports.privacy.retentionCandidates(tenantId, "2099-12", 10)).toEqual([
      { month: "2027-05", subject: { kind: "case", caseNo: later.caseNo } },
    ]);
    // Again: nothing more.
    expect((await applyRetention(ports, municipality)).anonymisedCases).toEqual([]);
  });

  it("deletes the joint plan's sealed text with its case", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const visitated = await decided(ports, municipality, await raised(ports, municipality, cprOf(43, 1205)), "start");
    const caseNo = visitated.caseNo;
    await openPlan(ports, { municipality, caseNo, by: CASEWORKER });
    await editPlan(ports, { municipality, caseNo, expectedVersion: 0, draft: planDraft(), by: CASEWORKER });
    ports.clock.set(after(1));
    expect(
      (await endPlan(ports, { municipality, caseNo, input: { reason: "completed", note: "Job og bolig på plads" }, by: CASEWORKER })).kind,
    ).toBe("ended");
    expect(await exists("caseIndex", keys.retentionPartition(tenantId, "2026-12"), keys.retentionCaseRow(caseNo))).toBe(true);

    ports.clock.set(after(13, 1));
    expect((await applyRetention(ports, municipality)).anonymisedCases).toEqual([caseNo]);
    const plan = (await ports.plans.get(tenantId, caseNo))!;
    expect(plan.content).toBeUndefined();
    expect(plan).toMatchObject({ state: "ended", ended: { note: "" }, anonymisedAt: after(13, 1).toISOString() });
    const sealed = await tables.cases.getEntity<Record<string, unknown>>(keys.casePartition(tenantId, caseNo), PLAN_ROW);
    expect(sealed).toMatchObject({ state: "ended", followUpIndex: "[]" });
  });

  it("deletes a citizen's bostøtte decision, lapsed following and their index rows, keeping only audit and outbox rows", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const cpr = fakeCprForAge(38, NOW);
    await follow(ports, { municipality, cpr, purpose: "bostotte-orientering", user: CASEWORKER.aadObjectId });
    const draft = validateBostotteDraft(
      emptyBostotteDraft({ kind: "afslag", cpr, legalBasis: "sel-85", reasonCategory: "andet", reasonText: "Borgeren ønsker det ikke" }),
      municipality,
      { year: 2026, month: 11, day: 23 },
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    const recorded = await recordBostotteDecision(ports, {
      municipality,
      decision: draft.value,
      by: { id: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
      source: "bot",
      eventId: "form-1",
    });
    if (recorded.kind !== "recorded") throw new Error(recorded.kind);

    ports.clock.set(after(12, 1));
    const run = await applyRetention(ports, municipality);
    const citizenId = cprLookupKey(cpr.replace("-", ""), cipher.lookupKey);
    expect(run.erasedCitizens).toEqual([citizenId]);
    const pk = keys.citizenPartition(tenantId, citizenId);
    const left = await partitionRows(tables.cases, pk);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => r.rowKey.startsWith(ROW_PREFIX.audit) || r.rowKey.startsWith(ROW_PREFIX.outbox))).toBe(true);
    expect(JSON.stringify(left)).not.toContain("ønsker det ikke");
    expect(await exists("caseIndex", keys.followingPartition(tenantId, CASEWORKER.aadObjectId), citizenId)).toBe(false);
    expect(await exists("caseIndex", keys.bostotteEventPartition(tenantId, recorded.record.id), BOSTOTTE_EVENT_ROW)).toBe(false);
    expect(await ports.citizens.followedBy(tenantId, CASEWORKER.aadObjectId, 10)).toEqual([]);
  });

  it("deletes audit rows older than the period through the audit index, and only those", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const record = await raised(ports, municipality, cprOf(44, 1206));
    await viewCaseDetails(ports, { municipality, caseNo: record.caseNo, user: COORDINATOR.aadObjectId });
    await follow(ports, { municipality, cpr: record.cprDigits, purpose: "andet", user: CASEWORKER.aadObjectId });
    ports.clock.set(after(5));
    await viewCaseDetails(ports, { municipality, caseNo: record.caseNo, user: CASEWORKER.aadObjectId });

    // As the job runs 7 months on: rows written before 6 months ago go.
    const deleted = await ports.privacy.deleteAuditBefore(tenantId, after(1), 1000);
    // The case's raise and first view, and the following beside the citizen.
    expect(deleted).toBe(3);
    expect(await auditRows(tables.cases, keys.casePartition(tenantId, record.caseNo))).toEqual([
      { at: after(5).toISOString(), user: CASEWORKER.aadObjectId, action: "view-details", purpose: "sparring" },
    ]);
    const citizenPk = keys.citizenPartition(tenantId, cprLookupKey(record.cprDigits, cipher.lookupKey));
    expect(await auditRows(tables.cases, citizenPk)).toEqual([]);
    // The month that is wholly past is done; the later one stays until its rows are due.
    expect(await partitionRows(tables.caseIndex, keys.auditMonthPartition(tenantId, "2026-11"))).toEqual([]);
    expect((await partitionRows(tables.caseIndex, keys.auditMonthPartition(tenantId, "2027-04"))).map((r) => r.rowKey)).toEqual([
      `case|${record.caseNo}`,
    ]);
    expect(await ports.privacy.deleteAuditBefore(tenantId, after(1), 1000)).toBe(0);
  });

  it("answers an access request with exactly the audit rows of that CPR's cases and citizen, and nothing of other citizens", async () => {
    const municipality = testMunicipality(randomUUID());
    const tenantId = municipality.tenantId;
    const ports = tablePorts();
    const cpr = cprOf(45, 1207);
    const mine = await raised(ports, municipality, cpr);
    const other = await raised(ports, municipality, cprOf(46, 1208));
    ports.clock.set(new Date(NOW.getTime() + 60_000));
    await viewCaseDetails(ports, { municipality, caseNo: mine.caseNo, user: COORDINATOR.aadObjectId });
    await viewCaseDetails(ports, { municipality, caseNo: other.caseNo, user: COORDINATOR.aadObjectId });
    ports.clock.set(new Date(NOW.getTime() + 120_000));
    await follow(ports, { municipality, cpr, purpose: "andet", user: CASEWORKER.aadObjectId });
    ports.clock.set(new Date(NOW.getTime() + 180_000));

    const outcome = await answerAccessRequest(ports, { municipality, user: ADMINISTRATOR.aadObjectId, typed: cpr });
    if (outcome.kind !== "report") throw new Error(outcome.kind);
    expect(outcome.caseNos).toEqual([mine.caseNo]);
    const stored = [
      ...(await auditRows(tables.cases, keys.casePartition(tenantId, mine.caseNo))).map((a) => ({ ...a, caseNo: mine.caseNo })),
      ...(await auditRows(tables.cases, keys.citizenPartition(tenantId, cprLookupKey(cpr, cipher.lookupKey)))),
    ];
    expect(outcome.entries).toHaveLength(stored.length);
    expect(outcome.entries).toEqual(expect.arrayContaining(stored));
    expect(outcome.entries.map((e) => e.action)).toEqual(["raise", "view-details", "follow", "access-request"]);
    expect(outcome.entries.some((e) => e.caseNo === other.caseNo)).toBe(false);
  });
});

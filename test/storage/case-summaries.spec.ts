import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { AuditEntry, Placement } from "../../src/domain/ports.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { keys, PENDING_ROW_PREFIX } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { CASEWORKER, COLLEAGUE, COORDINATOR, newCase } from "../support/fixtures.js";
import { probeStorage, type StorageProbe } from "../support/storage-probe.js";
import { rowsOf } from "../support/table-rows.js";

let tables: TableClients;
let probe: StorageProbe;
let repo: TableCaseRepository;
const cipher = new FieldCipher(Buffer.alloc(32, 9));

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  probe = probeStorage([tables.cases, tables.caseIndex]);
  repo = new TableCaseRepository(tables.cases, tables.caseIndex, cipher, new TableOutbox(tables.cases, tables.outbox));
});

const booked = async (): Promise<Placement> => ({ state: "booked", meetingKey: "voksne:2026-12-09", slot: 1, forumId: "voksne", age: 36 });
const none = () => [];
const audit = (action: AuditEntry["action"], at = "2026-12-09T13:00:00.000Z"): AuditEntry => ({
  at,
  user: COORDINATOR.aadObjectId,
  action,
  purpose: "test",
});

/** Lists with the probe on, and returns the list and how many storage calls it took. */
async function listed(tenantId: string, user: string, r = repo) {
  probe.start();
  const cases = await r.listRaisedBy(tenantId, user, 20);
  return { cases, calls: probe.stop().length };
}

const pendingRows = (tenantId: string, user: string) =>
  rowsOf(tables.caseIndex, keys.raisedByPartition(tenantId, user), PENDING_ROW_PREFIX);
/** The summary rows (inverted case numbers start with 9 for any case number below 10^9). */
const summaryRows = (tenantId: string, user: string) =>
  rowsOf<Record<string, unknown>>(tables.caseIndex, keys.raisedByPartition(tenantId, user), "9");

/**
 * "mine sager" reads one summary row per case from the caseworker's partition; every writer
 * of a case row keeps it in step (see `table-layout.ts`). Races and crashes only Table
 * Storage has; the listing itself is in the repository contract.
 */
describe("the caseworker's case summaries (Azurite)", () => {
  it("follows every change of a case: decision, hand-over (both caseworkers), anonymisation, in one call per list", async () => {
    const tenant = randomUUID();
    const { record } = await repo.raise(randomUUID(), newCase(tenant), booked, none);
    expect(await listed(tenant, CASEWORKER.aadObjectId)).toMatchObject({ calls: 1, cases: [{ caseNo: 1, state: "booked", slot: 1 }] });

    await repo.change(tenant, 1, 1, { state: "closed", decision: "no-basis", decidedAt: "2026-12-09T13:00:00.000Z" }, audit("decide"));
    expect(await listed(tenant, CASEWORKER.aadObjectId)).toMatchObject({
      calls: 1,
      cases: [{ caseNo: 1, state: "closed", decision: "no-basis", version: 2, cprDigits: record.cprDigits }],
    });

    await repo.change(tenant, 1, 2, { raisedBy: COLLEAGUE.aadObjectId, raisedByName: COLLEAGUE.name }, audit("hand-over"));
    expect(await listed(tenant, CASEWORKER.aadObjectId)).toEqual({ calls: 1, cases: [] });
    expect(await listed(tenant, COLLEAGUE.aadObjectId)).toMatchObject({
      calls: 1,
      cases: [{ caseNo: 1, raisedBy: COLLEAGUE.aadObjectId }],
    });

    const anonymised = { at: "2027-06-01T02:00:00.000Z", afterMonths: 6, ageGroup: "30+" as const };
    expect(await repo.anonymise(tenant, 1, 3, anonymised, audit("anonymise"), "2027-06")).toBeDefined();
    const after = await listed(tenant, COLLEAGUE.aadObjectId);
    expect(after).toMatchObject({ calls: 1, cases: [{ caseNo: 1, cprDigits: "", anonymised }] });
    const [row] = await summaryRows(tenant, COLLEAGUE.aadObjectId);
    expect(row).not.toHaveProperty("cprSealed");
    expect([...(await pendingRows(tenant, CASEWORKER.aadObjectId)), ...(await pendingRows(tenant, COLLEAGUE.aadObjectId))]).toEqual([]);
  });

  it("ends with the newest version when a change commits while the one before it is still writing its summary", async () => {
    const tenant = randomUUID();
    await repo.raise(randomUUID(), newCase(tenant), booked, none);
    for (let version = 1; version < 9; version += 2) {
      const first = repo.change(tenant, 1, version, { postponements: version }, audit("move"));
      // The second change starts as soon as the first has committed, before it has written its summary (mostly).
      while ((await repo.get(tenant, 1))!.version === version) await new Promise((r) => setTimeout(r, 1));
      const second = repo.change(tenant, 1, version + 1, { postponements: version + 1 }, audit("move"));
      expect(await Promise.all([first, second])).toEqual([
        expect.objectContaining({ version: version + 1 }),
        expect.objectContaining({ version: version + 2 }),
      ]);
    }
    expect((await listed(tenant, CASEWORKER.aadObjectId)).cases).toMatchObject([{ postponements: 8, version: 9 }]);
    expect(await pendingRows(tenant, CASEWORKER.aadObjectId)).toEqual([]);
  });

  it("checks the case while a change is pending (in flight, or cut off by a crash), and repairs the row once it is old", async () => {
    const tenant = randomUUID();
    await repo.raise(randomUUID(), newCase(tenant), booked, none);
    await repo.raise(randomUUID(), newCase(tenant), booked, none);
    const pk = keys.raisedByPartition(tenant, CASEWORKER.aadObjectId);
    // A crash after case 2's change committed, before its summary was written: the pending row is all that is left.
    await tables.caseIndex.createEntity({ partitionKey: pk, rowKey: keys.pendingRow(2, "crashed"), caseNo: 2 });
    await tables.cases.updateEntity(
      { partitionKey: keys.casePartition(tenant, 2), rowKey: "case", state: "withdrawn", version: 2 },
      "Merge",
    );
    const checked = await listed(tenant, CASEWORKER.aadObjectId);
    expect(checked.cases.map((c) => [c.caseNo, c.state])).toEqual([
      [2, "withdrawn"],
      [1, "booked"],
    ]);
    expect(checked.calls).toBe(2); // the list, and case 2; no repair while the change may still be committing
    expect(await pendingRows(tenant, CASEWORKER.aadObjectId)).toHaveLength(1);

    const impatient = new TableCaseRepository(tables.cases, tables.caseIndex, cipher, new TableOutbox(tables.cases, tables.outbox), {
      pendingGraceMs: 0,
    });
    await listed(tenant, CASEWORKER.aadObjectId, impatient);
    expect(await pendingRows(tenant, CASEWORKER.aadObjectId)).toEqual([]);
    expect(await listed(tenant, CASEWORKER.aadObjectId)).toMatchObject({
      calls: 1,
      cases: [{ caseNo: 2, state: "withdrawn" }, { caseNo: 1 }],
    });
  });

  it("shows cases whose rows were written before summaries existed, and fills their summaries in on the way", async () => {
    const tenant = randomUUID();
    for (let i = 0; i < 3; i++) await repo.raise(randomUUID(), newCase(tenant), booked, none);
    await repo.change(tenant, 3, 1, { raisedBy: COLLEAGUE.aadObjectId, raisedByName: COLLEAGUE.name }, audit("hand-over"));
    const pk = keys.raisedByPartition(tenant, CASEWORKER.aadObjectId);
    // As the previous release left them: only the case number, and a row of a case handed over since.
    for (const caseNo of [1, 2, 3])
      await tables.caseIndex.upsertEntity({ partitionKey: pk, rowKey: keys.invertedCaseNo(caseNo), caseNo }, "Replace");
    const first = await listed(tenant, CASEWORKER.aadObjectId);
    expect(first.cases.map((c) => [c.caseNo, c.state, c.raisedBy])).toEqual([
      [2, "booked", CASEWORKER.aadObjectId],
      [1, "booked", CASEWORKER.aadObjectId],
    ]);
    expect(first.calls).toBeGreaterThan(2);
    const second = await listed(tenant, CASEWORKER.aadObjectId);
    expect(second).toEqual({ calls: 1, cases: first.cases });
    expect((await summaryRows(tenant, CASEWORKER.aadObjectId)).map((r) => [r.rowKey, r.state])).toEqual([
      [keys.invertedCaseNo(2), "booked"],
      [keys.invertedCaseNo(1), "booked"],
    ]);
  });

  it("leaves no pending row behind when a change loses to another one", async () => {
    const tenant = randomUUID();
    await repo.raise(randomUUID(), newCase(tenant), booked, none);
    const results = await Promise.all(
      [1, 2, 3].map((n) => repo.change(tenant, 1, 1, { postponements: n }, audit("move", `2026-12-09T13:0${n}:00.000Z`))),
    );
    const winner = results.filter((r) => r !== undefined);
    expect(winner).toHaveLength(1);
    expect(await pendingRows(tenant, CASEWORKER.aadObjectId)).toEqual([]);
    expect((await listed(tenant, CASEWORKER.aadObjectId)).cases).toMatchObject([{ postponements: winner[0]!.postponements, version: 2 }]);
  });
});

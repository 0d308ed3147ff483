import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { CASE_ROW, keys } from "../../src/storage/table-layout.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { CASEWORKER, newCase } from "../support/fixtures.js";

let tables: TableClients;
let repo: TableCaseRepository;
const cipher = new FieldCipher(Buffer.alloc(32, 7));

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  repo = new TableCaseRepository(tables.cases, tables.caseIndex, cipher, new TableOutbox(tables.cases, tables.outbox));
});

const acute = async () => ({ state: "acute" as const });
const none = () => [];

/** What only Table Storage can get wrong: encryption at rest, races, cut-off writes. The rest is in the contract. */
describe("TableCaseRepository (Azurite)", () => {
  it("stores CPR and health text encrypted and reads them back decrypted", async () => {
    const tenant = randomUUID();
    const { record, created } = await repo.raise(randomUUID(), newCase(tenant), acute, none);
    expect(created).toBe(true);
    expect(record.reference).toBe("SP-0001");
    const raw = await tables.cases.getEntity<Record<string, unknown>>(keys.casePartition(tenant, record.caseNo), CASE_ROW);
    const rawText = JSON.stringify(raw);
    expect(rawText).not.toContain(record.cprDigits);
    expect(rawText).not.toContain(record.cprDigits.slice(0, 6));
    expect(rawText).not.toContain("søvnproblemer");
    expect(await repo.get(tenant, record.caseNo)).toMatchObject({
      cprDigits: record.cprDigits,
      health: "Kroniske smerter og søvnproblemer",
    });
  });

  it("creates one case when the same form is submitted twice, also at the same moment", async () => {
    const tenant = randomUUID();
    const submission = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => repo.raise(submission, newCase(tenant), acute, none)));
    const numbers = new Set(results.map((r) => r.record.caseNo));
    expect(numbers.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await repo.listRaisedBy(tenant, CASEWORKER.aadObjectId, 20)).toHaveLength(1);
    const again = await repo.raise(submission, newCase(tenant), acute, none);
    expect(again).toMatchObject({ created: false, record: { caseNo: [...numbers][0] } });
  });

  it("gives concurrent different forms distinct case numbers", async () => {
    const tenant = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => repo.raise(randomUUID(), newCase(tenant), acute, none)));
    expect(new Set(results.map((r) => r.record.caseNo)).size).toBe(8);
  });

  it("refuses to decrypt a sealed field copied into another case", async () => {
    const tenant = randomUUID();
    const one = await repo.raise(randomUUID(), newCase(tenant), acute, none);
    const two = await repo.raise(randomUUID(), newCase(tenant, { cprDigits: "6101851234" }), acute, none);
    const rawOne = await tables.cases.getEntity<{ cprSealed: string }>(keys.casePartition(tenant, one.record.caseNo), CASE_ROW);
    await tables.cases.updateEntity(
      { partitionKey: keys.casePartition(tenant, two.record.caseNo), rowKey: CASE_ROW, cprSealed: rawOne.cprSealed },
      "Merge",
    );
    await expect(repo.get(tenant, two.record.caseNo)).rejects.toThrow();
  });

  it("finishes a submission that was cut off after its number was claimed", async () => {
    const tenant = randomUUID();
    const submission = randomUUID();
    // Simulate a crash right after the claim: the submission row exists, the case row does not.
    await tables.caseIndex.createEntity({
      partitionKey: keys.submissionPartition(tenant, CASEWORKER.aadObjectId),
      rowKey: submission,
      caseNo: 41,
    });
    const { record } = await repo.raise(submission, newCase(tenant), acute, none);
    expect(record.caseNo).toBe(41);
    expect((await repo.listRaisedBy(tenant, CASEWORKER.aadObjectId, 20)).map((c) => c.caseNo)).toEqual([41]);
  });

  it("fails with a storage error, not a wrong answer, when storage is unreachable", async () => {
    const dead = TableClient.fromConnectionString(inject("azuriteConnectionString").replace(/:\d+\//, ":1/"), "cases", {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const broken = new TableCaseRepository(dead, dead, cipher, new TableOutbox(dead, dead));
    await expect(broken.raise(randomUUID(), newCase(randomUUID()), acute, none)).rejects.toThrow();
  });
});

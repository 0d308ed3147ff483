import { randomUUID } from "node:crypto";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { keys } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { caseRepositoryContract } from "../support/contracts/case-repository-contract.js";
import { caseSource, InMemoryCaseRepository, InMemoryOutbox } from "../support/in-memory/index.js";
import { auditRows, azuriteTables, messageRows } from "../support/table-rows.js";

caseRepositoryContract("in memory", async () => {
  const outbox = new InMemoryOutbox();
  const cases = new InMemoryCaseRepository(outbox);
  const tenantId = randomUUID();
  return {
    cases,
    tenantId,
    otherTenantId: randomUUID(),
    auditOf: async (caseNo) => cases.auditOf(tenantId, caseNo),
    messagesOf: async (caseNo) =>
      outbox
        .messagesOf(caseSource(tenantId, caseNo))
        .map(({ id, dedupeKey, target, content, state }) => ({ id, dedupeKey, target, content, state })),
  };
});

caseRepositoryContract("Table Storage (Azurite)", async () => {
  const tables = await azuriteTables();
  const cases = new TableCaseRepository(
    tables.cases,
    tables.caseIndex,
    new FieldCipher(Buffer.alloc(32, 5)),
    new TableOutbox(tables.cases, tables.outbox),
  );
  const tenantId = randomUUID();
  return {
    cases,
    tenantId,
    otherTenantId: randomUUID(),
    auditOf: (caseNo) => auditRows(tables.cases, keys.casePartition(tenantId, caseNo)),
    messagesOf: (caseNo) => messageRows(tables.cases, keys.casePartition(tenantId, caseNo)),
  };
});

import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { BostotteRecord } from "../domain/bostotte.js";
import type { CaseAnonymisation } from "../domain/case.js";
import type { CitizenLinks } from "../domain/citizen.js";
import { cprLookupKey } from "../domain/cpr.js";
import type { AuditEntry, AuditSource, CitizenErasure, PrivacyStore, RetentionCandidate, RetentionSubject } from "../domain/ports.js";
import { monthOf } from "../domain/retention.js";
import type { FieldCipher } from "./field-cipher.js";
import { isNotFound, isPreconditionFailed } from "./storage-errors.js";
import { TableCaseRepository } from "./table-case-repository.js";
import { TableCitizenRepository } from "./table-citizen-repository.js";
import { assertSafeKeyPart, keys, ROW_PREFIX, rowsWithPrefix } from "./table-layout.js";
import type { TableOutbox } from "./table-outbox.js";
import { dropRetention, forgetAuditMonth, noteRetention, subjectOfRow } from "./table-privacy-index.js";

/**
 * Privacy in Table Storage (SPEC §9; keys in table-layout.ts): the retention index and the
 * audit index of months in `caseindex`, read as one key range each; anonymising cases and
 * erasing citizens' rows through their repositories, which own those rows' shapes.
 */
export class TablePrivacyStore implements PrivacyStore {
  private readonly caseRows: TableCaseRepository;
  private readonly citizenRows: TableCitizenRepository;

  constructor(
    /** The table of case and citizen partitions (audit rows included). */
    private readonly cases: TableClient,
    private readonly index: TableClient,
    private readonly cipher: FieldCipher,
    outbox: TableOutbox,
  ) {
    this.caseRows = new TableCaseRepository(cases, index, cipher, outbox);
    this.citizenRows = new TableCitizenRepository(cases, index, cipher, outbox);
  }

  async retentionCandidates(tenantId: string, untilMonth: string, limit: number): Promise<RetentionCandidate[]> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    const prefix = keys.retentionPartition(tenant, "");
    const filter = `PartitionKey ge '${escapeOData(prefix)}' and PartitionKey le '${escapeOData(keys.retentionPartition(tenant, untilMonth))}'`;
    const out: RetentionCandidate[] = [];
    for await (const row of this.index.listEntities({ queryOptions: { filter, select: ["PartitionKey", "RowKey"] } })) {
      const subject = subjectOfRow(row.rowKey!);
      if (subject) out.push({ month: row.partitionKey!.slice(prefix.length), subject });
      if (out.length >= limit) break;
    }
    return out;
  }

  async noteRetention(tenantId: string, subject: RetentionSubject, month: string): Promise<void> {
    await noteRetention(this.index, assertSafeKeyPart(tenantId, "tenant id"), subject, month);
  }

  async dropRetention(tenantId: string, candidate: RetentionCandidate): Promise<void> {
    await dropRetention(this.index, assertSafeKeyPart(tenantId, "tenant id"), candidate);
  }

  anonymiseCase(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    anonymisation: CaseAnonymisation,
    audit: AuditEntry,
    citizenMonth: string,
  ): Promise<{ citizenId: string | undefined } | undefined> {
    return this.caseRows.anonymise(tenantId, caseNo, expectedVersion, anonymisation, audit, citizenMonth);
  }

  citizenRecords(tenantId: string, citizenId: string): Promise<{ links: CitizenLinks; decisions: BostotteRecord[] } | undefined> {
    return this.citizenRows.retentionRecords(tenantId, citizenId);
  }

  eraseCitizenData(tenantId: string, citizenId: string, erasure: CitizenErasure, audit: AuditEntry): Promise<void> {
    return this.citizenRows.eraseRetained(tenantId, citizenId, erasure, audit);
  }

  /**
   * Reads the audit index's months up to the one `before` falls in; in each partition noted
   * there, deletes the audit rows written before `before` (batches of 100, one partition
   * each). A month wholly before `before` is then done and its index row goes; the month of
   * `before` itself keeps its rows for the next run.
   */
  async deleteAuditBefore(tenantId: string, before: Date, limit: number): Promise<number> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    const prefix = keys.auditMonthPartition(tenant, "");
    const lastMonth = monthOf(before);
    const filter = `PartitionKey ge '${escapeOData(prefix)}' and PartitionKey le '${escapeOData(keys.auditMonthPartition(tenant, lastMonth))}'`;
    const cutoff = `${ROW_PREFIX.audit}${before.toISOString()}`;
    let deleted = 0;
    for await (const row of this.index.listEntities<{ sourcePk: string }>({ queryOptions: { filter } })) {
      if (deleted >= limit) break;
      const month = row.partitionKey!.slice(prefix.length);
      const sourcePk = row.sourcePk;
      if (!sourcePk?.startsWith(`${tenant}|`)) continue;
      deleted += await this.deleteAuditRows(sourcePk, cutoff);
      if (month < lastMonth) {
        try {
          await this.index.deleteEntity(row.partitionKey!, row.rowKey!, { etag: row.etag });
        } catch (error) {
          // Changed meanwhile (noted again) or gone: either way the next run decides.
          if (!isNotFound(error) && !isPreconditionFailed(error)) throw error;
        }
        forgetAuditMonth(this.index, sourcePk, month);
      }
    }
    return deleted;
  }

  private async deleteAuditRows(partitionKey: string, cutoff: string): Promise<number> {
    const filter = `PartitionKey eq '${escapeOData(partitionKey)}' and RowKey ge '${ROW_PREFIX.audit}' and RowKey lt '${escapeOData(cutoff)}'`;
    let batch: TransactionAction[] = [];
    let deleted = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await this.cases.submitTransaction(batch);
      deleted += batch.length;
      batch = [];
    };
    for await (const row of this.cases.listEntities({ queryOptions: { filter, select: ["PartitionKey", "RowKey"] } })) {
      batch.push(["delete", { partitionKey: partitionKey, rowKey: row.rowKey! }]);
      if (batch.length === 100) await flush();
    }
    await flush();
    return deleted;
  }

  async auditTrail(tenantId: string, source: AuditSource): Promise<AuditEntry[]> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    const pk =
      source.kind === "case"
        ? keys.casePartition(tenant, source.caseNo)
        : keys.citizenPartition(tenant, cprLookupKey(source.cprDigits, this.cipher.lookupKey));
    const out: AuditEntry[] = [];
    for await (const row of this.cases.listEntities<AuditEntry>({ queryOptions: { filter: rowsWithPrefix(pk, ROW_PREFIX.audit) } })) {
      out.push({ at: row.at, user: row.user, action: row.action, purpose: row.purpose });
    }
    return out;
  }
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

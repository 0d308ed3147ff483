import { randomBytes } from "node:crypto";
import type { TableClient, TableEntityResult } from "@azure/data-tables";
import { caseReference } from "../domain/case.js";
import type { Notification } from "../domain/notification.js";
import {
  followUpDatesOf,
  nextFollowUp,
  type FollowUpKind,
  type OwnerSide,
  type PlanRecord,
  type PlanState,
  type PlanSummary,
} from "../domain/plan.js";
import type { AuditEntry, PlanRepository } from "../domain/ports.js";
import { assertWithinTableLimits } from "./entity-limits.js";
import type { FieldCipher } from "./field-cipher.js";
import { isBatchConflict, isConflict, isNotFound, isPreconditionFailed } from "./storage-errors.js";
import { assertSafeKeyPart, keys, PLAN_ROW, ROW_PREFIX } from "./table-layout.js";
import type { TableOutbox } from "./table-outbox.js";
import { earliestMonth, noteAuditMonth, noteRetention } from "./table-privacy-index.js";

/**
 * The plan row beside its case (`{tenant}|case|{caseNo}` / `plan`). The whole plan is sealed
 * as one JSON value (bound to `tenant|caseNo|plan`), split over `sealed0…` because one
 * string property holds at most 64 KiB; a few plain columns repeat what `planer` lists and
 * which follow-up index rows the plan has, so neither needs a decryption.
 */
type PlanEntity = {
  partitionKey: string;
  rowKey: string;
  caseNo: number;
  state: string;
  version: number;
  revision: number;
  /** JSON of the owners (object ids and names). */
  owners: string;
  /** JSON of the sides that approved the current version. */
  approvedBy: string;
  nextFollowUp: string;
  nextFollowUpKind: string;
  updatedAt: string;
  /** JSON of the follow-up index rows this revision has: `["2027-01-15|employment", …]`. */
  followUpIndex: string;
  sealedParts: number;
} & Record<`sealed${number}`, string>;

const SUMMARY_COLUMNS = ["caseNo", "state", "version", "owners", "approvedBy", "nextFollowUp", "nextFollowUpKind", "updatedAt"] as const;

/** Characters per sealed part: 30,000 UTF-16 code units stay below the 64 KiB property limit. */
const PART_CHARS = 30_000;

type IndexRow = { caseNo: number; kind: string; revision: number };

export class TablePlanRepository implements PlanRepository {
  constructor(
    /** The `cases` table: plans live in their case's partition. */
    private readonly cases: TableClient,
    /** The `caseindex` table: the per-owner and per-date index partitions. */
    private readonly index: TableClient,
    private readonly cipher: FieldCipher,
    private readonly outbox: TableOutbox,
  ) {}

  async get(tenantId: string, caseNo: number): Promise<PlanRecord | undefined> {
    try {
      const entity = await this.cases.getEntity<PlanEntity>(this.partition(tenantId, caseNo), PLAN_ROW);
      return this.toRecord(tenantId, entity);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(plan: PlanRecord, audit: AuditEntry, messages: Notification[]): Promise<boolean> {
    const pk = this.partition(plan.tenantId, plan.caseNo);
    const stored: PlanRecord = { ...plan, revision: 1 };
    const entity = this.toEntity(stored);
    // The index rows go first: a crash before the plan commits leaves a row `planer` skips.
    await this.addOwnerRows(
      stored,
      Object.values(plan.owners).map((o) => o.aadObjectId),
    );
    await this.addFollowUpRows(stored);
    await noteAuditMonth(this.index, pk, audit.at);
    try {
      await this.outbox.commit(
        pk,
        [
          ["create", entity],
          ["create", auditRow(pk, audit)],
        ],
        messages,
      );
      return true;
    } catch (error) {
      if (isConflict(error) || isBatchConflict(error)) return false;
      throw error;
    }
  }

  async save(next: PlanRecord, expectedRevision: number, audit: AuditEntry, messages: Notification[]): Promise<PlanRecord | undefined> {
    const pk = this.partition(next.tenantId, next.caseNo);
    let current: TableEntityResult<PlanEntity>;
    try {
      current = await this.cases.getEntity<PlanEntity>(pk, PLAN_ROW, {
        queryOptions: { select: ["revision", "followUpIndex", "owners", "state"] },
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (current.revision !== expectedRevision) return undefined;
    const stored: PlanRecord = JSON.parse(JSON.stringify({ ...next, revision: expectedRevision + 1 })) as PlanRecord;
    const entity = this.toEntity(stored);
    // New follow-up dates are indexed before the change commits, stale ones removed after:
    // the reminder job may meet an extra row (it checks the plan), never miss one. Likewise
    // a new owner (a hand-over) is indexed before and a former one removed after.
    const ownersBefore = Object.values(JSON.parse(current.owners || "{}") as PlanRecord["owners"]).map((o) => o.aadObjectId);
    const ownersAfter = Object.values(stored.owners).map((o) => o.aadObjectId);
    await Promise.all([
      this.addFollowUpRows(stored),
      this.addOwnerRows(
        stored,
        ownersAfter.filter((id) => !ownersBefore.includes(id)),
      ),
    ]);
    // Privacy (SPEC §9): the audit row's month, and a plan that ends now (its case's retention clock), are indexed first.
    await noteAuditMonth(this.index, pk, audit.at);
    if (stored.state === "ended" && current.state !== "ended")
      await noteRetention(this.index, stored.tenantId, { kind: "case", caseNo: stored.caseNo }, earliestMonth(audit.at, stored.ended?.at));
    try {
      await this.outbox.commit(
        pk,
        [
          ["update", entity, "Replace", { etag: current.etag }],
          ["create", auditRow(pk, audit)],
        ],
        messages,
      );
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isBatchConflict(error)) return undefined;
      throw error;
    }
    const kept = new Set(JSON.parse(entity.followUpIndex) as string[]);
    const stale = (JSON.parse(current.followUpIndex || "[]") as string[]).filter((entry) => !kept.has(entry));
    await Promise.all(stale.map((entry) => this.removeFollowUpRow(stored, entry)));
    await Promise.all(ownersBefore.filter((id) => !ownersAfter.includes(id)).map((id) => this.removeOwnerRow(stored, id)));
    return stored;
  }

  async audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void> {
    const pk = this.partition(tenantId, caseNo);
    await noteAuditMonth(this.index, pk, entry.at);
    await this.cases.createEntity(auditRow(pk, entry));
  }

  async listOwnedBy(tenantId: string, aadObjectId: string, limit: number): Promise<PlanSummary[]> {
    const pk = keys.plansOwnedPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(aadObjectId, "user id"));
    const numbers: number[] = [];
    const pages = this.index
      .listEntities<{ caseNo: number }>({ queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'`, select: ["caseNo"] } })
      .byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const row of page) if (numbers.length < limit) numbers.push(row.caseNo);
      break;
    }
    const summaries = await Promise.all(numbers.map((caseNo) => this.summary(tenantId, caseNo)));
    return summaries.filter((s): s is PlanSummary => s !== undefined);
  }

  async followUpsOn(tenantId: string, date: string): Promise<{ caseNo: number; kind: FollowUpKind }[]> {
    const pk = keys.planFollowUpPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(date, "date"));
    const rows = this.index.listEntities<IndexRow>({
      queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'`, select: ["caseNo", "kind"] },
    });
    const out: { caseNo: number; kind: FollowUpKind }[] = [];
    for await (const row of rows) out.push({ caseNo: row.caseNo, kind: row.kind as FollowUpKind });
    return out;
  }

  async notifyOnce(tenantId: string, caseNo: number, messages: Notification[]): Promise<boolean> {
    if (messages.length === 0) return false;
    const pk = this.partition(tenantId, caseNo);
    // Committed by an earlier run: nothing to announce again.
    if (await this.exists(pk, ROW_PREFIX.outbox + messages[0]!.id)) return false;
    try {
      await this.outbox.commit(pk, [], messages);
      return true;
    } catch (error) {
      if (isConflict(error) || isBatchConflict(error)) return false;
      throw error;
    }
  }

  private async exists(pk: string, rk: string): Promise<boolean> {
    try {
      await this.cases.getEntity(pk, rk, { queryOptions: { select: ["PartitionKey"] } });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async summary(tenantId: string, caseNo: number): Promise<PlanSummary | undefined> {
    try {
      const e = await this.cases.getEntity<PlanEntity>(this.partition(tenantId, caseNo), PLAN_ROW, {
        queryOptions: { select: [...SUMMARY_COLUMNS] },
      });
      return {
        tenantId,
        caseNo: e.caseNo,
        reference: caseReference(e.caseNo),
        owners: JSON.parse(e.owners) as PlanSummary["owners"],
        state: e.state as PlanState,
        version: e.version,
        updatedAt: e.updatedAt,
        approvedBy: JSON.parse(e.approvedBy) as OwnerSide[],
        ...(e.nextFollowUp ? { nextFollowUp: { kind: e.nextFollowUpKind as FollowUpKind, date: e.nextFollowUp } } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async addOwnerRows(plan: PlanRecord, owners: string[]): Promise<void> {
    await Promise.all(
      owners.map((owner) =>
        this.index.upsertEntity(
          {
            partitionKey: keys.plansOwnedPartition(plan.tenantId, assertSafeKeyPart(owner, "user id")),
            rowKey: keys.invertedCaseNo(plan.caseNo),
            caseNo: plan.caseNo,
          },
          "Replace",
        ),
      ),
    );
  }

  private async removeOwnerRow(plan: PlanRecord, owner: string): Promise<void> {
    try {
      await this.index.deleteEntity(
        keys.plansOwnedPartition(plan.tenantId, assertSafeKeyPart(owner, "user id")),
        keys.invertedCaseNo(plan.caseNo),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async addFollowUpRows(plan: PlanRecord): Promise<void> {
    await Promise.all(
      followUpDatesOf(plan).map((f) =>
        this.index.upsertEntity(
          {
            partitionKey: keys.planFollowUpPartition(plan.tenantId, f.date),
            rowKey: keys.planFollowUpRow(plan.caseNo, f.kind),
            caseNo: plan.caseNo,
            kind: f.kind,
            revision: plan.revision,
          },
          "Replace",
        ),
      ),
    );
  }

  /**
   * Removes an index row the plan no longer has — unless a later change wrote it again (its
   * revision is newer, or it changed since it was read: the delete is eTag-conditional).
   */
  private async removeFollowUpRow(plan: PlanRecord, entry: string): Promise<void> {
    const [date, kind] = entry.split("|") as [string, string];
    const pk = keys.planFollowUpPartition(plan.tenantId, date);
    const rk = keys.planFollowUpRow(plan.caseNo, kind);
    try {
      const row = await this.index.getEntity<IndexRow>(pk, rk);
      if (row.revision > plan.revision) return;
      await this.index.deleteEntity(pk, rk, { etag: row.etag });
    } catch (error) {
      if (isNotFound(error) || isPreconditionFailed(error)) return;
      throw error;
    }
  }

  private toEntity(plan: PlanRecord): PlanEntity {
    const sealed = this.cipher.encrypt(JSON.stringify(plan), sealContext(plan.tenantId, plan.caseNo));
    const parts: Record<string, string> = {};
    let count = 0;
    for (let at = 0; at < sealed.length; at += PART_CHARS) parts[`sealed${count++}`] = sealed.slice(at, at + PART_CHARS);
    const next = nextFollowUp(plan);
    const entity = {
      partitionKey: this.partition(plan.tenantId, plan.caseNo),
      rowKey: PLAN_ROW,
      caseNo: plan.caseNo,
      state: plan.state,
      version: plan.version,
      revision: plan.revision,
      owners: JSON.stringify(plan.owners),
      approvedBy: JSON.stringify(plan.approvals.filter((a) => a.version === plan.version).map((a) => a.side)),
      nextFollowUp: next?.date ?? "",
      nextFollowUpKind: next?.kind ?? "",
      updatedAt: plan.updatedAt,
      followUpIndex: JSON.stringify(followUpDatesOf(plan).map((f) => `${f.date}|${f.kind}`)),
      sealedParts: count,
      ...parts,
    } as PlanEntity;
    assertWithinTableLimits(entity);
    return entity;
  }

  private toRecord(tenantId: string, entity: PlanEntity): PlanRecord {
    let sealed = "";
    for (let i = 0; i < entity.sealedParts; i++) sealed += entity[`sealed${i}`] ?? "";
    const plan = JSON.parse(this.cipher.decrypt(sealed, sealContext(tenantId, entity.caseNo))) as PlanRecord;
    return { ...plan, tenantId, revision: entity.revision };
  }

  private partition(tenantId: string, caseNo: number): string {
    return keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
  }
}

function sealContext(tenantId: string, caseNo: number): string {
  return `${tenantId}|${caseNo}|plan`;
}

/** Row keys sort by time; the random suffix keeps two entries of the same millisecond apart. */
function auditRow(partitionKey: string, entry: AuditEntry) {
  return { partitionKey, rowKey: `${ROW_PREFIX.audit}${entry.at}|${randomBytes(4).toString("hex")}`, ...entry };
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

import type { Notification } from "../../../src/domain/notification.js";
import { followUpDatesOf, summaryOfPlan, type FollowUpKind, type PlanRecord, type PlanSummary } from "../../../src/domain/plan.js";
import type { AuditEntry, PlanRepository } from "../../../src/domain/ports.js";
import { caseSource, DuplicateMessageError, type InMemoryOutbox } from "./in-memory-outbox.js";
import { monthOf } from "../../../src/domain/retention.js";
import { InMemoryRetentionIndex } from "./retention-index.js";

/**
 * Plans in memory, with the semantics of `TablePlanRepository`: one plan per case; changes
 * conditional on the revision read, committing their audit row and messages (beside the
 * case, as in storage) all or nothing; the owner and follow-up indexes kept in step.
 * Records are copied in and out, so a caller mutating one changes nothing stored.
 */
export class InMemoryPlanRepository implements PlanRepository {
  private readonly plans = new Map<string, PlanRecord>();
  private readonly audits = new Map<string, AuditEntry[]>();
  /** When set, the next `save` finds the plan changed by someone else first (a lost race). */
  loseNextSave = false;

  constructor(
    private readonly outbox: InMemoryOutbox,
    /** Where a plan that ends notes its case for retention (SPEC §9); shared with the other repositories when given. */
    readonly retention: InMemoryRetentionIndex = new InMemoryRetentionIndex(),
  ) {}

  async get(tenantId: string, caseNo: number): Promise<PlanRecord | undefined> {
    const plan = this.plans.get(key(tenantId, caseNo));
    return plan && structuredClone(plan);
  }

  async create(plan: PlanRecord, audit: AuditEntry, messages: Notification[]): Promise<boolean> {
    if (this.plans.has(key(plan.tenantId, plan.caseNo))) return false;
    try {
      this.outbox.commit(caseSource(plan.tenantId, plan.caseNo), messages);
    } catch (error) {
      if (error instanceof DuplicateMessageError) return false;
      throw error;
    }
    this.plans.set(key(plan.tenantId, plan.caseNo), structuredClone({ ...plan, revision: 1 }));
    this.appendAudit(plan.tenantId, plan.caseNo, audit);
    return true;
  }

  async save(next: PlanRecord, expectedRevision: number, audit: AuditEntry, messages: Notification[]): Promise<PlanRecord | undefined> {
    const current = this.plans.get(key(next.tenantId, next.caseNo));
    if (!current || current.revision !== expectedRevision) return undefined;
    if (this.loseNextSave) {
      this.loseNextSave = false;
      return undefined;
    }
    try {
      this.outbox.commit(caseSource(next.tenantId, next.caseNo), messages);
    } catch (error) {
      if (error instanceof DuplicateMessageError) return undefined;
      throw error;
    }
    // Undefined fields are dropped, as they are when the plan is stored as JSON.
    const stored: PlanRecord = JSON.parse(JSON.stringify({ ...next, revision: expectedRevision + 1 })) as PlanRecord;
    if (stored.state === "ended" && current.state !== "ended") {
      const month = [audit.at, stored.ended?.at]
        .filter((at): at is string => !!at)
        .map(monthOf)
        .sort()[0]!;
      this.retention.note(next.tenantId, { kind: "case", caseNo: next.caseNo }, month);
    }
    this.plans.set(key(next.tenantId, next.caseNo), stored);
    this.appendAudit(next.tenantId, next.caseNo, audit);
    return structuredClone(stored);
  }

  async audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void> {
    this.appendAudit(tenantId, caseNo, entry);
  }

  async listOwnedBy(tenantId: string, aadObjectId: string, limit: number): Promise<PlanSummary[]> {
    return [...this.plans.values()]
      .filter(
        (p) => p.tenantId === tenantId && (p.owners.employment.aadObjectId === aadObjectId || p.owners.social.aadObjectId === aadObjectId),
      )
      .sort((a, b) => b.caseNo - a.caseNo)
      .slice(0, limit)
      .map((p) => summaryOfPlan(structuredClone(p)));
  }

  async followUpsOn(tenantId: string, date: string): Promise<{ caseNo: number; kind: FollowUpKind }[]> {
    return [...this.plans.values()]
      .filter((p) => p.tenantId === tenantId)
      .sort((a, b) => a.caseNo - b.caseNo)
      .flatMap((p) =>
        followUpDatesOf(p)
          .filter((f) => f.date === date)
          .map((f) => ({ caseNo: p.caseNo, kind: f.kind })),
      );
  }

  async notifyOnce(tenantId: string, caseNo: number, messages: Notification[]): Promise<boolean> {
    try {
      this.outbox.commit(caseSource(tenantId, caseNo), messages);
      return true;
    } catch (error) {
      if (error instanceof DuplicateMessageError) return false;
      throw error;
    }
  }

  /** The plan audit rows of a case, oldest first (SPEC §9). */
  auditOf(tenantId: string, caseNo: number): AuditEntry[] {
    return structuredClone(this.audits.get(key(tenantId, caseNo)) ?? []);
  }

  /** Deletes the audit rows written before `before` (ISO); returns how many. */
  deleteAuditBefore(tenantId: string, before: string): number {
    let deleted = 0;
    for (const [k, rows] of this.audits) {
      if (!k.startsWith(`${tenantId}|`)) continue;
      const kept = rows.filter((r) => r.at >= before);
      deleted += rows.length - kept.length;
      this.audits.set(k, kept);
    }
    return deleted;
  }

  private appendAudit(tenantId: string, caseNo: number, entry: AuditEntry): void {
    const rows = this.audits.get(key(tenantId, caseNo)) ?? [];
    rows.push(structuredClone(entry));
    this.audits.set(key(tenantId, caseNo), rows);
  }
}

const key = (tenantId: string, caseNo: number) => `${tenantId}|${caseNo}`;

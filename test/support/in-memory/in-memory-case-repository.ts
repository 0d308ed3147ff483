import { caseReference, type AgendaEntry, type CaseRecord, type CaseSummary } from "../../../src/domain/case.js";
import type { Notification } from "../../../src/domain/notification.js";
import type { AuditEntry, CasePatch, CaseRepository, NewCase, Placement, RaisedCase } from "../../../src/domain/ports.js";
import { caseSource, DuplicateMessageError, type InMemoryOutbox } from "./in-memory-outbox.js";
import { isFinished } from "../../../src/domain/case-lifecycle.js";
import type { CaseAnonymisation } from "../../../src/domain/case.js";
import { anonymisedCase, monthOf } from "../../../src/domain/retention.js";
import { InMemoryRetentionIndex } from "./retention-index.js";

/**
 * Cases in memory, with the semantics of `TableCaseRepository`: one case per submitted
 * form, numbers 1, 2, 3… per tenant (a repeated submission uses none up, as in storage),
 * conditional changes that commit their audit row and messages with them. Records are
 * copied in and out, so a caller mutating one changes nothing stored.
 */
export class InMemoryCaseRepository implements CaseRepository {
  private readonly records = new Map<string, CaseRecord>();
  private readonly lastCaseNo = new Map<string, number>();
  private readonly submissions = new Map<string, number>();
  private readonly raisedBy = new Map<string, Set<number>>();
  private readonly audits = new Map<string, AuditEntry[]>();

  constructor(
    private readonly outbox: InMemoryOutbox,
    /** Where a case that ends is noted for retention (SPEC §9); shared with the other repositories when given. */
    readonly retention: InMemoryRetentionIndex = new InMemoryRetentionIndex(),
  ) {}

  async raise(
    submissionId: string,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
    alongside: (record: CaseRecord) => Promise<void> = async () => undefined,
  ): Promise<RaisedCase> {
    const { tenantId } = draft;
    const submission = `${tenantId}|${draft.raisedBy}|${submissionId}`;
    // The number and the form's claim go together: a repeated form uses up no number.
    let number = this.submissions.get(submission);
    const claimedNow = number === undefined;
    if (number === undefined) {
      number = (this.lastCaseNo.get(tenantId) ?? 0) + 1;
      this.lastCaseNo.set(tenantId, number);
      this.submissions.set(submission, number);
    }

    const earlier = claimedNow ? undefined : this.records.get(key(tenantId, number));
    if (earlier) {
      this.indexRaised(earlier, number);
      await alongside(structuredClone(earlier));
      return { record: structuredClone(earlier), created: false };
    }
    const placement = await place(number);
    // A repeat of this submission may have completed it while we were placing.
    const completed = this.records.get(key(tenantId, number));
    if (completed) {
      this.indexRaised(completed, number);
      return { record: structuredClone(completed), created: false };
    }
    const record = newRecord(number, draft, placement);
    this.outbox.commit(caseSource(tenantId, number), messages(structuredClone(record)));
    this.records.set(key(tenantId, number), record);
    this.appendAudit(tenantId, number, { at: draft.raisedAt, user: draft.raisedBy, action: "raise", purpose: "raise" });
    this.indexRaised(draft, number);
    await alongside(structuredClone(record));
    // Created by this call, also when an earlier attempt claimed the form but stored nothing.
    return { record: structuredClone(record), created: true };
  }

  async listRaisedBy(tenantId: string, aadObjectId: string, limit: number): Promise<CaseSummary[]> {
    const numbers = [...(this.raisedBy.get(`${tenantId}|${aadObjectId}`) ?? [])].sort((a, b) => b - a).slice(0, limit);
    return numbers.flatMap((caseNo) => {
      const record = this.records.get(key(tenantId, caseNo));
      return record ? [summaryOf(record)] : [];
    });
  }

  async get(tenantId: string, caseNo: number): Promise<CaseRecord | undefined> {
    const record = this.records.get(key(tenantId, caseNo));
    return record && structuredClone(record);
  }

  async agendaEntries(tenantId: string, caseNos: readonly number[]): Promise<AgendaEntry[]> {
    return caseNos.flatMap((caseNo) => {
      const r = this.records.get(key(tenantId, caseNo));
      if (!r) return [];
      return [
        {
          caseNo: r.caseNo,
          reference: r.reference,
          state: r.state,
          forumId: r.forumId,
          department: r.department,
          acute: r.acute,
          meetingKey: r.meetingKey,
          slot: r.slot,
          decision: r.decision,
          ...(r.planFollowUp ? { planFollowUp: r.planFollowUp } : {}),
        },
      ];
    });
  }

  async audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void> {
    this.appendAudit(tenantId, caseNo, entry);
  }

  async change(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    patch: CasePatch,
    audit: AuditEntry,
    messages: (record: CaseRecord) => Notification[] = () => [],
  ): Promise<CaseRecord | undefined> {
    const current = this.records.get(key(tenantId, caseNo));
    if (!current || current.version !== expectedVersion) return undefined;
    // Like a Merge update: properties left undefined keep their stored value.
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const next: CaseRecord = { ...structuredClone(current), ...structuredClone(defined), version: expectedVersion + 1 };
    try {
      this.outbox.commit(caseSource(tenantId, caseNo), messages(structuredClone(next)));
    } catch (error) {
      if (error instanceof DuplicateMessageError) return undefined; // the batch fails as a whole
      throw error;
    }
    if (next.state !== current.state && isFinished(next.state)) {
      const month = [audit.at, patch.decidedAt, patch.withdrawnAt]
        .filter((at): at is string => !!at)
        .map(monthOf)
        .sort()[0]!;
      this.retention.note(tenantId, { kind: "case", caseNo }, month);
    }
    this.records.set(key(tenantId, caseNo), next);
    this.appendAudit(tenantId, caseNo, audit);
    return structuredClone(next);
  }

  /**
   * Retention (`PrivacyStore.anonymiseCase`): the case without its personal data, with its
   * audit row, if still at `expectedVersion`. Returns the CPR number it had ("" when none).
   */
  anonymise(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    anonymisation: CaseAnonymisation,
    audit: AuditEntry,
  ): { cprDigits: string } | undefined {
    const current = this.records.get(key(tenantId, caseNo));
    if (!current || current.version !== expectedVersion) return undefined;
    this.records.set(key(tenantId, caseNo), { ...anonymisedCase(current, anonymisation), version: expectedVersion + 1 });
    this.appendAudit(tenantId, caseNo, audit);
    return { cprDigits: current.cprDigits };
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

  async rememberChannelCard(tenantId: string, caseNo: number, activityId: string): Promise<void> {
    const current = this.records.get(key(tenantId, caseNo));
    if (!current) throw Object.assign(new Error(`No case ${caseNo}`), { statusCode: 404 });
    this.records.set(key(tenantId, caseNo), { ...current, channelActivityId: activityId });
  }

  /** The audit rows of a case, oldest first (SPEC §9), as storage sorts them: by time. */
  auditOf(tenantId: string, caseNo: number): AuditEntry[] {
    return structuredClone(this.audits.get(key(tenantId, caseNo)) ?? []).sort((a, b) => a.at.localeCompare(b.at));
  }

  private appendAudit(tenantId: string, caseNo: number, entry: AuditEntry): void {
    const rows = this.audits.get(key(tenantId, caseNo)) ?? [];
    rows.push(structuredClone(entry));
    this.audits.set(key(tenantId, caseNo), rows);
  }

  private indexRaised(draft: Pick<NewCase, "tenantId" | "raisedBy">, caseNo: number): void {
    const index = `${draft.tenantId}|${draft.raisedBy}`;
    this.raisedBy.set(index, (this.raisedBy.get(index) ?? new Set()).add(caseNo));
  }
}

function newRecord(caseNo: number, draft: NewCase, placement: Placement): CaseRecord {
  return {
    ...structuredClone(draft),
    caseNo,
    reference: caseReference(caseNo),
    state: placement.state,
    postponements: 0,
    decisionNote: "",
    additionalInfo: "",
    version: 1,
    ...(placement.state === "booked"
      ? { meetingKey: placement.meetingKey, slot: placement.slot, forumId: placement.forumId, age: placement.age }
      : {}),
  };
}

/** What a list shows: the record without its case text. */
const SEALED_TEXT = new Set(["health", "social", "question", "acuteReason", "decisionNote", "additionalInfo"]);

function summaryOf(record: CaseRecord): CaseSummary {
  return Object.fromEntries(Object.entries(structuredClone(record)).filter(([field]) => !SEALED_TEXT.has(field))) as CaseSummary;
}

const key = (tenantId: string, caseNo: number) => `${tenantId}|${caseNo}`;

import type { TableClient, TableEntityResult, TransactionAction } from "@azure/data-tables";
import { caseReference, type AgendaEntry, type CaseRecord, type CaseState, type CaseSummary } from "../domain/case.js";
import { cprLookupKey } from "../domain/cpr.js";
import { randomBytes } from "node:crypto";
import type { AuditEntry, CasePatch, CaseRepository, NewCase, Placement, RaisedCase } from "../domain/ports.js";
import { assertWithinTableLimits } from "./entity-limits.js";
import type { Notification } from "../domain/notification.js";
import type { FieldCipher } from "./field-cipher.js";
import type { TableOutbox } from "./table-outbox.js";
import { isBatchConflict, isConflict, isNotFound, isPreconditionFailed } from "./storage-errors.js";
import { assertSafeKeyPart, CASE_ROW, COUNTER_ROW, keys, PENDING_ROW_PREFIX, ROW_PREFIX } from "./table-layout.js";
import { isFinished } from "../domain/case-lifecycle.js";
import type { CaseAnonymisation } from "../domain/case.js";
import { ageOfGroup } from "../domain/retention.js";
import { earliestMonth, noteAuditMonth, noteRetention } from "./table-privacy-index.js";

type CaseEntity = {
  partitionKey: string;
  rowKey: string;
  caseNo: number;
  state: string;
  cprSealed: string;
  cprLookup: string;
  age: number;
  forumId: string;
  department: string;
  healthSealed: string;
  socialSealed: string;
  questionSealed: string;
  acute: boolean;
  acuteReasonSealed: string;
  raisedBy: string;
  raisedByName: string;
  raisedAt: string;
  meetingKey?: string;
  slot?: number;
  postponements: number;
  channelActivityId?: string;
  decision?: string;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: string;
  socialCaseworker?: string;
  decisionNoteSealed?: string;
  additionalInfoSealed?: string;
  version: number;
  planFollowUp?: string;
  withdrawnAt?: string;
  /** Set once retention deleted the case's personal data (with `anonymisedAfterMonths` and `ageGroup`). */
  anonymisedAt?: string;
  anonymisedAfterMonths?: number;
  ageGroup?: string;
};

/** Fields sealed with the field cipher; each name is part of its ciphertext's context. */
type Sensitive = "cpr" | "health" | "social" | "question" | "acuteReason" | "decisionNote" | "additionalInfo";

/** The columns `CaseSummary` needs; the sealed case text stays on the server, unread. */
const SUMMARY_COLUMNS = [
  "caseNo",
  "state",
  "cprSealed",
  "cprLookup",
  "age",
  "forumId",
  "department",
  "acute",
  "raisedBy",
  "raisedByName",
  "raisedAt",
  "meetingKey",
  "slot",
  "postponements",
  "channelActivityId",
  "decision",
  "decidedBy",
  "decidedByName",
  "decidedAt",
  "socialCaseworker",
  "version",
  "planFollowUp",
  "withdrawnAt",
  "anonymisedAt",
  "anonymisedAfterMonths",
  "ageGroup",
] as const;

/** The columns an agenda shows: nothing sealed. */
const AGENDA_COLUMNS = ["caseNo", "state", "forumId", "department", "acute", "meetingKey", "slot", "decision", "planFollowUp"] as const;

/**
 * What a caseworker's row in "mine sager" keeps of each case (`raisedby` partition, see
 * `table-layout.ts`): the summary columns but the CPR look-up hash and the channel card, so
 * the list is one query. The CPR number stays sealed, under the case's own context.
 */
const RAISED_ROW_COLUMNS = SUMMARY_COLUMNS.filter((c) => c !== "cprLookup" && c !== "channelActivityId");

/** A row of a caseworker's `raisedby` partition: a case's summary, or (before this release) only its number. */
type RaisedRow = Partial<CaseEntity> & { caseNo: number; rowKey: string; etag: string; timestamp?: string };

/** A change in flight (or cut off) on one of the caseworker's cases: its summary row is checked against the case. */
type PendingRow = { caseNo: number; rowKey: string; etag: string; timestamp?: string };

/** Where a change announced itself in a caseworker's partition, and that partition's summary row as it was then. */
interface PendingMark {
  partitionKey: string;
  owner: string;
  pendingRowKey: string;
  summaryEtag: string | undefined;
}

/**
 * A pending row older than this belongs to a change that ended long ago (a turn lasts
 * seconds): a listing that finds one writes the case's summary as the case row shows it.
 */
const PENDING_GRACE_MS = 60_000;

/** A listing reads this many rows more than it shows, so a few pending rows (they sort first) do not cost a second page. */
const PENDING_HEADROOM = 10;

const COUNTER_ATTEMPTS = 20;
const SETTLE_ATTEMPTS = 5;

export class TableCaseRepository implements CaseRepository {
  constructor(
    private readonly cases: TableClient,
    private readonly index: TableClient,
    private readonly cipher: FieldCipher,
    private readonly outbox: TableOutbox,
    private readonly options: { pendingGraceMs?: number } = {},
  ) {}

  /**
   * Four sequential round trips for a new case: (1) the counter and the form's claim are
   * read (the caller reads its meeting meanwhile); (2) one batch takes the next number and
   * claims the form, so a repeated form uses up no number; (3) the caller books a slot while
   * the case's messages are announced; (4) the case commits with its messages while its
   * summary row and the caller's `alongside` work are written. A repeated or cut-off
   * submission finds its claim in (1) and completes whatever is missing.
   */
  async raise(
    submissionId: string,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
    alongside: (record: CaseRecord) => Promise<void> = async () => undefined,
  ): Promise<RaisedCase> {
    const tenantId = assertSafeKeyPart(draft.tenantId, "tenant id");
    const user = assertSafeKeyPart(draft.raisedBy, "user id");
    assertSafeKeyPart(submissionId, "submission id");
    const claim = await this.claimSubmission(tenantId, user, submissionId);
    if (claim.claimedNow) return this.createCase(claim.caseNo, draft, place, messages, alongside);
    // The form was seen before (a double click, a re-delivery, or a submission cut off half-way).
    const stored = await this.caseEntity(tenantId, claim.caseNo);
    // Claimed by an attempt that stopped before the case was stored (e.g. no meeting had a free slot): created now.
    if (!stored) return this.createCase(claim.caseNo, draft, place, messages, alongside);
    const record = this.toRecord(tenantId, stored);
    await Promise.all([
      this.createRaisedRow(tenantId, stored),
      noteAuditMonth(this.index, keys.casePartition(tenantId, claim.caseNo), record.raisedAt),
      alongside(record),
    ]);
    return { record, created: false };
  }

  /**
   * The case number and the form's claim in one batch in the counter's partition: the
   * counter row eTag-guarded, the claim created (a conflict means the form was claimed
   * meanwhile). Forms rendered before claims lived here carry a random (v4) submission id;
   * for those the claim is also looked for where it used to be.
   */
  private async claimSubmission(tenantId: string, user: string, submissionId: string): Promise<{ caseNo: number; claimedNow: boolean }> {
    const pk = keys.counterPartition(tenantId);
    const claimRow = keys.submissionRow(user, submissionId);
    const legacy = isLegacySubmissionId(submissionId);
    for (let attempt = 0; attempt < COUNTER_ATTEMPTS; attempt++) {
      const [rows, earlier] = await Promise.all([
        this.indexRows<{ last?: number; caseNo?: number }>(pk, [COUNTER_ROW, claimRow]),
        legacy ? this.readSubmission(keys.submissionPartition(tenantId, user), submissionId) : undefined,
      ]);
      const claimed = rows.get(claimRow)?.caseNo ?? earlier;
      if (claimed !== undefined) return { caseNo: claimed, claimedNow: false };
      const counter = rows.get(COUNTER_ROW);
      const next = (counter?.last ?? 0) + 1;
      const counterRow = { partitionKey: pk, rowKey: COUNTER_ROW, last: next };
      try {
        await this.index.submitTransaction([
          counter ? ["update", counterRow, "Replace", { etag: counter.etag }] : ["create", counterRow],
          ["create", { partitionKey: pk, rowKey: claimRow, caseNo: next }],
        ]);
        return { caseNo: next, claimedNow: true };
      } catch (error) {
        // Another form took the number, or this form was claimed meanwhile: read again, after
        // a growing random pause, so forms raised at the same moment do not collide again.
        if (!isBatchConflict(error)) throw error;
        await sleep(5 + Math.random() * 20 * (attempt + 1));
      }
    }
    throw new Error("Could not allocate a case number: too much contention");
  }

  /** The rows of one partition with these row keys, in one query. */
  private async indexRows<T extends object>(pk: string, rowKeys: string[]): Promise<Map<string, T & { etag: string }>> {
    const filter = `PartitionKey eq '${escapeOData(pk)}' and (${rowKeys.map((rk) => `RowKey eq '${escapeOData(rk)}'`).join(" or ")})`;
    const found = new Map<string, T & { etag: string }>();
    for await (const row of this.index.listEntities<T>({ queryOptions: { filter } })) found.set(row.rowKey!, row as T & { etag: string });
    return found;
  }

  private async readSubmission(pk: string, rk: string): Promise<number | undefined> {
    try {
      return (await this.index.getEntity<{ caseNo: number }>(pk, rk)).caseNo;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async createCase(
    caseNo: number,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
    alongside: (record: CaseRecord) => Promise<void>,
  ): Promise<RaisedCase> {
    const pk = keys.casePartition(draft.tenantId, caseNo);
    // A message's id comes from its event (the case and what happened), not from where the
    // case is booked: they are announced while the slot is claimed. A message that turns out
    // to differ once placed is announced before the commit all the same.
    const early = messages(newRecord(caseNo, draft, { state: "acute" }));
    const [placement] = await Promise.all([place(caseNo), this.outbox.announceAll(pk, early)]);
    const entity = this.toEntity(caseNo, draft, placement);
    assertWithinTableLimits(entity as unknown as Record<string, unknown>);
    const record = newRecord(caseNo, draft, placement);
    const final = messages(record);
    const announced = new Set(early.map((m) => m.id));
    await this.outbox.announceAll(
      pk,
      final.filter((m) => !announced.has(m.id)),
    );
    // The case and its first messages (the card for the forum channel) commit together. The
    // summary row and the caller's work go at the same time; see README ("Raising a case")
    // for what a crash in between leaves, and how submitting the form again completes it.
    // Raising is a change of the citizen's data (SPEC §9): its audit row commits with the case;
    // the audit index notes the month alongside (idempotent; again for a repeated form).
    const [committed, ...others] = await Promise.allSettled([
      this.outbox.submit(
        pk,
        [
          ["create", entity],
          ["create", auditRow(pk, raiseAudit(draft))],
        ],
        final,
      ),
      this.createRaisedRow(draft.tenantId, entity),
      noteAuditMonth(this.index, pk, draft.raisedAt),
      alongside(record),
    ]);
    if (committed.status === "rejected") {
      if (!isConflict(committed.reason) && !isBatchConflict(committed.reason)) throw committed.reason;
      // A repeat of this form stored the case first: that one stands.
      const stored = await this.get(draft.tenantId, caseNo);
      if (!stored) throw committed.reason;
      return { record: stored, created: false };
    }
    for (const other of others) if (other.status === "rejected") throw other.reason;
    // Created by this call: also when an earlier attempt of the same form claimed the
    // number but stopped before the case was stored (e.g. no meeting had a free slot).
    return { record, created: true };
  }

  /** The case's summary row in its caseworker's partition, unless one is there already (then a change keeps it). */
  private async createRaisedRow(tenantId: string, entity: CaseEntity): Promise<void> {
    try {
      await this.index.createEntity(raisedRow(tenantId, entity));
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  /**
   * `mine sager` in one query: the caseworker's summary rows, newest first. A row written
   * before summaries existed (only a case number), or one whose case has a change pending
   * (in flight, or cut off by a crash), is checked against the case row, and repaired once
   * the change is clearly over; neither happens on the common path.
   */
  async listRaisedBy(tenantId: string, aadObjectId: string, limit: number): Promise<CaseSummary[]> {
    const pk = keys.raisedByPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(aadObjectId, "user id"));
    const pending: PendingRow[] = [];
    const rows: RaisedRow[] = [];
    const pages = this.index
      .listEntities<RaisedRow>({ queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'` } })
      .byPage({ maxPageSize: limit + PENDING_HEADROOM });
    for await (const page of pages) {
      for (const row of page) {
        if (row.rowKey!.startsWith(PENDING_ROW_PREFIX)) pending.push(row as PendingRow);
        else if (rows.length < limit) rows.push(row as RaisedRow);
      }
      if (rows.length >= limit) break;
    }
    const pendingCases = new Set(pending.map((p) => p.caseNo));
    const unsure = rows.filter((r) => typeof r.version !== "number" || pendingCases.has(r.caseNo));
    const checked = new Map<number, CaseEntity | undefined>(
      await Promise.all(unsure.map(async (r) => [r.caseNo, await this.summaryEntity(tenantId, r.caseNo)] as const)),
    );
    const out: CaseSummary[] = [];
    for (const row of rows) {
      const e = checked.has(row.caseNo) ? checked.get(row.caseNo) : (row as CaseEntity);
      // A case handed over to another caseworker (or a row whose case is gone) is not theirs to see.
      if (e && e.raisedBy === aadObjectId) out.push(this.toSummary(tenantId, e));
    }
    if (checked.size > 0) await this.repairRaised(tenantId, aadObjectId, rows, pending, checked).catch(() => undefined);
    return out;
  }

  /**
   * Writes what a listing learned from the case rows: a summary for a row from before
   * summaries, and for a case whose pending rows are older than {@link PENDING_GRACE_MS}
   * (those go); a row whose case is no longer the caseworker's goes. Every write is
   * conditional on the row as listed, so a change that wrote meanwhile wins.
   */
  private async repairRaised(
    tenantId: string,
    aadObjectId: string,
    rows: RaisedRow[],
    pending: PendingRow[],
    checked: Map<number, CaseEntity | undefined>,
  ): Promise<void> {
    const staleBefore = Date.now() - (this.options.pendingGraceMs ?? PENDING_GRACE_MS);
    const batches: TransactionAction[][] = [[]];
    const gone: (() => Promise<unknown>)[] = [];
    for (const row of rows) {
      if (!checked.has(row.caseNo)) continue;
      const own = pending.filter((p) => p.caseNo === row.caseNo);
      if (own.some((p) => !p.timestamp || Date.parse(p.timestamp) > staleBefore)) continue; // a change may be committing now
      const e = checked.get(row.caseNo);
      const dropPending = own.map((p): TransactionAction => ["delete", { partitionKey: row.partitionKey!, rowKey: p.rowKey }]);
      if (e && e.raisedBy === aadObjectId) {
        const actions: TransactionAction[] = [["update", raisedRow(tenantId, e), "Replace", { etag: row.etag }], ...dropPending];
        if (batches.at(-1)!.length + actions.length > 100) batches.push([]);
        batches.at(-1)!.push(...actions);
      } else {
        // Handed over (or gone): the row goes if nothing wrote it since, then its pending rows.
        gone.push(async () => {
          await this.index.deleteEntity(row.partitionKey!, row.rowKey, { etag: row.etag });
          if (dropPending.length > 0) await this.index.submitTransaction(dropPending);
        });
      }
    }
    await Promise.all([
      ...batches.filter((b) => b.length > 0).map((b) => this.index.submitTransaction(b).catch(() => undefined)),
      ...gone.map((drop) => drop().catch(() => undefined)),
    ]);
  }

  /** Reads only the columns a list shows. */
  private async summaryEntity(tenantId: string, caseNo: number): Promise<CaseEntity | undefined> {
    try {
      return await this.cases.getEntity<CaseEntity>(keys.casePartition(tenantId, caseNo), CASE_ROW, {
        queryOptions: { select: [...SUMMARY_COLUMNS] },
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async caseEntity(tenantId: string, caseNo: number): Promise<TableEntityResult<CaseEntity> | undefined> {
    try {
      return await this.cases.getEntity<CaseEntity>(keys.casePartition(tenantId, caseNo), CASE_ROW);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async get(tenantId: string, caseNo: number): Promise<CaseRecord | undefined> {
    const entity = await this.caseEntity(tenantId, caseNo);
    return entity && this.toRecord(tenantId, entity);
  }

  async agendaEntries(tenantId: string, caseNos: readonly number[]): Promise<AgendaEntry[]> {
    const rows = await Promise.all(
      caseNos.map(async (caseNo) => {
        try {
          return await this.cases.getEntity<CaseEntity>(keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo), CASE_ROW, {
            queryOptions: { select: [...AGENDA_COLUMNS] },
          });
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      }),
    );
    return rows.flatMap((e) =>
      e
        ? [
            {
              caseNo: e.caseNo,
              reference: caseReference(e.caseNo),
              state: e.state as CaseState,
              forumId: e.forumId,
              department: e.department,
              acute: e.acute,
              meetingKey: e.meetingKey,
              slot: e.slot,
              decision: e.decision as CaseRecord["decision"],
              ...(e.planFollowUp ? { planFollowUp: e.planFollowUp } : {}),
            },
          ]
        : [],
    );
  }

  /**
   * Before a change commits, a pending row in each caseworker's partition it touches, in one
   * batch with a touch of the case's summary row (created with only the case number when
   * missing), whose new eTag the change's summary write is then conditional on.
   */
  private async markPending(tenantId: string, owner: string, caseNo: number, token: string): Promise<PendingMark> {
    const partitionKey = keys.raisedByPartition(tenantId, assertSafeKeyPart(owner, "user id"));
    const pendingRowKey = keys.pendingRow(caseNo, token);
    const rowKey = keys.invertedCaseNo(caseNo);
    const response = await this.index.submitTransaction([
      ["create", { partitionKey, rowKey: pendingRowKey, caseNo }],
      ["upsert", { partitionKey, rowKey, caseNo }, "Merge"],
    ]);
    // Sub-responses come in the order of the operations (an upsert's carries no row key).
    return { partitionKey, owner, pendingRowKey, summaryEtag: response.subResponses[1]?.etag };
  }

  /**
   * After a change committed: each partition's summary row as the case now is (or gone, for
   * the caseworker who handed it over), with the pending row removed, in one batch. If the
   * row changed since it was marked, it is read again: a newer version there wins. Best
   * effort: what fails here leaves the pending row, so listings check the case instead.
   */
  private async settleRaised(tenantId: string, entity: CaseEntity, marks: PendingMark[]): Promise<void> {
    await Promise.all(marks.map((mark) => this.settleOne(tenantId, entity, mark).catch(() => undefined)));
  }

  private async settleOne(tenantId: string, entity: CaseEntity, mark: PendingMark): Promise<void> {
    const rowKey = keys.invertedCaseNo(entity.caseNo);
    const keep = mark.owner === entity.raisedBy;
    const dropPending = () => this.index.deleteEntity(mark.partitionKey, mark.pendingRowKey);
    let etag: string | undefined = mark.summaryEtag ?? (await this.index.getEntity(mark.partitionKey, rowKey)).etag;
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      try {
        if (keep) {
          const summary: TransactionAction = etag
            ? ["update", raisedRow(tenantId, entity), "Replace", { etag }]
            : ["create", raisedRow(tenantId, entity)];
          await this.index.submitTransaction([summary, ["delete", { partitionKey: mark.partitionKey, rowKey: mark.pendingRowKey }]]);
          return;
        }
        // Handed over: this caseworker's row goes first, then the pending row (so it never lists the case unchecked).
        if (etag) await this.index.deleteEntity(mark.partitionKey, rowKey, { etag });
        await dropPending();
        return;
      } catch (error) {
        if (!isBatchConflict(error) && !isNotFound(error)) return;
      }
      let current: TableEntityResult<{ version?: number }> | undefined;
      try {
        current = await this.index.getEntity<{ version?: number }>(mark.partitionKey, rowKey);
      } catch (error) {
        if (!isNotFound(error)) return;
      }
      if (current && (current.version ?? 0) >= entity.version) {
        // Written by this version or a newer one already.
        await dropPending().catch(() => undefined);
        return;
      }
      etag = current?.etag;
      if (!etag && !keep) {
        await dropPending().catch(() => undefined);
        return;
      }
    }
  }

  /** A change that did not commit takes its pending rows back (a listing would only check the case meanwhile). */
  private async dropPending(marks: PendingMark[]): Promise<void> {
    await Promise.all(marks.map((m) => this.index.deleteEntity(m.partitionKey, m.pendingRowKey).catch(() => undefined)));
  }

  private sealContext(tenantId: string, caseNo: number, field: Sensitive): string {
    return `${tenantId}|${caseNo}|${field}`;
  }

  async audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void> {
    const pk = keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
    await noteAuditMonth(this.index, pk, entry.at);
    await this.cases.createEntity(auditRow(pk, entry));
  }

  /**
   * Four sequential round trips: the case row; then, at once, the audit month and retention
   * index rows (SPEC §9), the messages' pointers and a pending row beside each caseworker
   * summary the change touches; the batch; the summaries (see {@link settleRaised}).
   */
  async change(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    patch: CasePatch,
    audit: AuditEntry,
    messages: (record: CaseRecord) => Notification[] = () => [],
  ): Promise<CaseRecord | undefined> {
    const pk = keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
    const current = await this.caseEntity(tenantId, caseNo);
    if (!current || current.version !== expectedVersion) return undefined;
    const { decisionNote, additionalInfo, ...plain } = patch;
    const sealed: Partial<CaseEntity> = {};
    if (decisionNote !== undefined)
      sealed.decisionNoteSealed = this.cipher.encrypt(decisionNote, this.sealContext(tenantId, caseNo, "decisionNote"));
    if (additionalInfo !== undefined)
      sealed.additionalInfoSealed = this.cipher.encrypt(additionalInfo, this.sealContext(tenantId, caseNo, "additionalInfo"));
    const update = { partitionKey: pk, rowKey: CASE_ROW, ...plain, ...sealed, version: expectedVersion + 1 };
    assertWithinTableLimits({ ...current, ...update });
    // What the row holds after a Merge (a property left undefined keeps its stored value), for the summary.
    const merged: CaseEntity = { ...current, ...definedOnly(plain), ...sealed, version: expectedVersion + 1 };
    const next = this.toRecord(tenantId, { ...current, ...plain, ...sealed, version: expectedVersion + 1 });
    const outgoing = messages(next);
    // Sagsbehandlerskift: both caseworkers' partitions get a pending row, so the case shows
    // for neither wrongly while the change commits, nor after a crash before their rows are written.
    const owners = [...new Set([current.raisedBy, assertSafeKeyPart(next.raisedBy, "user id")])];
    const finished = plain.state !== undefined && plain.state !== current.state && isFinished(plain.state);
    const token = randomBytes(6).toString("hex");
    // Privacy (SPEC §9): the audit row's month, and a case that ends now, are indexed before the change commits.
    const [marks] = await Promise.all([
      Promise.all(owners.map((owner) => this.markPending(tenantId, owner, caseNo, token))),
      noteAuditMonth(this.index, pk, audit.at),
      finished
        ? noteRetention(this.index, tenantId, { kind: "case", caseNo }, earliestMonth(audit.at, plain.decidedAt, plain.withdrawnAt))
        : undefined,
      this.outbox.announceAll(pk, outgoing),
    ]);
    try {
      await this.outbox.submit(
        pk,
        [
          ["update", update, "Merge", { etag: current.etag }],
          ["create", auditRow(pk, audit)],
        ],
        outgoing,
      );
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isBatchConflict(error)) {
        await this.dropPending(marks);
        return undefined;
      }
      throw error;
    }
    await this.settleRaised(tenantId, merged, marks);
    return next;
  }

  async rememberChannelCard(tenantId: string, caseNo: number, activityId: string): Promise<void> {
    await this.cases.updateEntity(
      {
        partitionKey: keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo),
        rowKey: CASE_ROW,
        channelActivityId: activityId,
      },
      "Merge",
    );
  }

  /**
   * Retention (SPEC §9, `PrivacyStore.anonymiseCase`): replaces the case row by its anonymous
   * facts — a whitelist, so a column added later is deleted unless it is listed in
   * {@link ANONYMOUS_COLUMNS} — with the anonymisation mark and `audit`, in one transaction,
   * conditional on `expectedVersion`. Before that, the citizen the case was about (its
   * `cprLookup`, which goes now) is noted for retention in `citizenMonth`.
   */
  async anonymise(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    anonymisation: CaseAnonymisation,
    audit: AuditEntry,
    citizenMonth: string,
  ): Promise<{ citizenId: string | undefined } | undefined> {
    const pk = keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
    const current = await this.caseEntity(tenantId, caseNo);
    if (!current || current.version !== expectedVersion) return undefined;
    const citizenId = current.cprLookup ? current.cprLookup : undefined;
    const kept: Record<string, unknown> = {};
    for (const column of ANONYMOUS_COLUMNS) if (current[column] !== undefined && current[column] !== null) kept[column] = current[column];
    const entity = {
      partitionKey: pk,
      rowKey: CASE_ROW,
      ...kept,
      age: ageOfGroup(anonymisation.ageGroup),
      version: expectedVersion + 1,
      anonymisedAt: anonymisation.at,
      anonymisedAfterMonths: anonymisation.afterMonths,
      ageGroup: anonymisation.ageGroup,
    };
    // The caseworker's summary row holds the sealed CPR number too: it is replaced like the case row.
    const [mark] = await Promise.all([
      this.markPending(tenantId, current.raisedBy, caseNo, randomBytes(6).toString("hex")),
      citizenId ? noteRetention(this.index, tenantId, { kind: "citizen", citizenId }, citizenMonth) : undefined,
      noteAuditMonth(this.index, pk, audit.at),
    ]);
    try {
      await this.cases.submitTransaction([
        ["update", entity, "Replace", { etag: current.etag }],
        ["create", auditRow(pk, audit)],
      ]);
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isBatchConflict(error)) {
        await this.dropPending([mark]);
        return undefined;
      }
      throw error;
    }
    await this.settleRaised(tenantId, entity as unknown as CaseEntity, [mark]);
    return { citizenId };
  }

  private toEntity(caseNo: number, draft: NewCase, placement: Placement): CaseEntity {
    const seal = (field: Sensitive, value: string) => this.cipher.encrypt(value, this.sealContext(draft.tenantId, caseNo, field));
    return {
      partitionKey: keys.casePartition(draft.tenantId, caseNo),
      rowKey: CASE_ROW,
      caseNo,
      state: placement.state,
      postponements: 0,
      cprSealed: seal("cpr", draft.cprDigits),
      cprLookup: cprLookupKey(draft.cprDigits, this.cipher.lookupKey),
      age: draft.age,
      forumId: draft.forumId,
      department: draft.department,
      healthSealed: seal("health", draft.health),
      socialSealed: seal("social", draft.social),
      questionSealed: seal("question", draft.question),
      acute: draft.acute,
      acuteReasonSealed: seal("acuteReason", draft.acuteReason),
      raisedBy: draft.raisedBy,
      raisedByName: draft.raisedByName,
      raisedAt: draft.raisedAt,
      version: 1,
      ...(placement.state === "booked"
        ? { meetingKey: placement.meetingKey, slot: placement.slot, forumId: placement.forumId, age: placement.age }
        : {}),
    };
  }

  private open(tenantId: string, caseNo: number, field: Sensitive, sealed: string | undefined): string {
    return sealed ? this.cipher.decrypt(sealed, this.sealContext(tenantId, caseNo, field)) : "";
  }

  private toSummary(tenantId: string, e: CaseEntity): CaseSummary {
    return {
      tenantId,
      caseNo: e.caseNo,
      reference: caseReference(e.caseNo),
      state: e.state as CaseState,
      cprDigits: this.open(tenantId, e.caseNo, "cpr", e.cprSealed),
      age: e.age,
      forumId: e.forumId,
      department: e.department,
      acute: e.acute,
      raisedBy: e.raisedBy,
      raisedByName: e.raisedByName,
      raisedAt: e.raisedAt,
      meetingKey: e.meetingKey,
      slot: e.slot,
      postponements: e.postponements ?? 0,
      channelActivityId: e.channelActivityId,
      decision: e.decision as CaseRecord["decision"],
      decidedBy: e.decidedBy,
      decidedByName: e.decidedByName,
      decidedAt: e.decidedAt,
      socialCaseworker: e.socialCaseworker,
      version: e.version,
      ...(e.planFollowUp ? { planFollowUp: e.planFollowUp } : {}),
      ...(e.withdrawnAt ? { withdrawnAt: e.withdrawnAt } : {}),
      ...(e.anonymisedAt
        ? {
            anonymised: {
              at: e.anonymisedAt,
              afterMonths: e.anonymisedAfterMonths ?? 0,
              ageGroup: (e.ageGroup ?? "30+") as CaseAnonymisation["ageGroup"],
            },
          }
        : {}),
    };
  }

  private toRecord(tenantId: string, e: CaseEntity): CaseRecord {
    const open = (field: Sensitive, sealed: string | undefined) => this.open(tenantId, e.caseNo, field, sealed);
    return {
      ...this.toSummary(tenantId, e),
      health: open("health", e.healthSealed),
      social: open("social", e.socialSealed),
      question: open("question", e.questionSealed),
      acuteReason: open("acuteReason", e.acuteReasonSealed),
      decisionNote: open("decisionNote", e.decisionNoteSealed),
      additionalInfo: open("additionalInfo", e.additionalInfoSealed),
    };
  }
}

/**
 * What an anonymised case row keeps (SPEC §9): the anonymous facts the managers' overview
 * counts — forum, department, state, decision, dates, acute — and the ids the product needs
 * to show the case as anonymised (its caseworkers, meeting, channel card). The CPR number,
 * its look-up hash and every sealed text are not listed, so they go.
 */
const ANONYMOUS_COLUMNS = [
  "caseNo",
  "state",
  "forumId",
  "department",
  "acute",
  "raisedBy",
  "raisedByName",
  "raisedAt",
  "meetingKey",
  "slot",
  "postponements",
  "channelActivityId",
  "decision",
  "decidedBy",
  "decidedByName",
  "decidedAt",
  "socialCaseworker",
  "planFollowUp",
  "withdrawnAt",
] as const satisfies readonly (keyof CaseEntity)[];

/** Row keys sort by time; the random suffix keeps two entries of the same millisecond apart. */
/** The audit row of a case's raising: by the raising caseworker, when the form was accepted. */
export function raiseAudit(draft: Pick<NewCase, "raisedBy" | "raisedAt">): AuditEntry {
  return { at: draft.raisedAt, user: draft.raisedBy, action: "raise", purpose: "raise" };
}

function auditRow(partitionKey: string, entry: AuditEntry) {
  return { partitionKey, rowKey: `${ROW_PREFIX.audit}${entry.at}|${randomBytes(4).toString("hex")}`, ...entry };
}

/** A caseworker's summary row of the case (see {@link RAISED_ROW_COLUMNS}). */
function raisedRow(tenantId: string, e: CaseEntity): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const row: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
    partitionKey: keys.raisedByPartition(tenantId, e.raisedBy),
    rowKey: keys.invertedCaseNo(e.caseNo),
  };
  for (const column of RAISED_ROW_COLUMNS) if (e[column] !== undefined && e[column] !== null) row[column] = e[column];
  return row;
}

/** The case a new form makes, as its caller sees it; the stored row is the same with its text sealed. */
function newRecord(caseNo: number, draft: NewCase, placement: Placement): CaseRecord {
  return {
    tenantId: draft.tenantId,
    caseNo,
    reference: caseReference(caseNo),
    state: placement.state,
    cprDigits: draft.cprDigits,
    age: draft.age,
    forumId: draft.forumId,
    department: draft.department,
    acute: draft.acute,
    raisedBy: draft.raisedBy,
    raisedByName: draft.raisedByName,
    raisedAt: draft.raisedAt,
    postponements: 0,
    version: 1,
    health: draft.health,
    social: draft.social,
    question: draft.question,
    acuteReason: draft.acuteReason,
    decisionNote: "",
    additionalInfo: "",
    ...(placement.state === "booked"
      ? { meetingKey: placement.meetingKey, slot: placement.slot, forumId: placement.forumId, age: placement.age }
      : {}),
  };
}

/**
 * Forms get a time-ordered (v7) submission id since their claims moved into the counter's
 * partition (see `newSubmissionId`); any other id was rendered before, and its claim may be
 * in the old place.
 */
function isLegacySubmissionId(submissionId: string): boolean {
  return submissionId.charAt(14) !== "7";
}

/** A Merge update keeps what a patch leaves undefined. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

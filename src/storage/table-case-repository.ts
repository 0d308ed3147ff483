import type { TableClient, TableEntityResult } from "@azure/data-tables";
import { caseReference, type AgendaEntry, type CaseRecord, type CaseState, type CaseSummary } from "../domain/case.js";
import { cprLookupKey } from "../domain/cpr.js";
import { randomBytes } from "node:crypto";
import type { AuditEntry, CasePatch, CaseRepository, NewCase, Placement, RaisedCase } from "../domain/ports.js";
import { assertWithinTableLimits } from "./entity-limits.js";
import type { Notification } from "../domain/notification.js";
import type { FieldCipher } from "./field-cipher.js";
import type { TableOutbox } from "./table-outbox.js";
import { isBatchConflict, isConflict, isNotFound, isPreconditionFailed } from "./storage-errors.js";
import { assertSafeKeyPart, CASE_ROW, COUNTER_ROW, keys, ROW_PREFIX } from "./table-layout.js";
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

const COUNTER_ATTEMPTS = 20;

export class TableCaseRepository implements CaseRepository {
  constructor(
    private readonly cases: TableClient,
    private readonly index: TableClient,
    private readonly cipher: FieldCipher,
    private readonly outbox: TableOutbox,
  ) {}

  async raise(
    submissionId: string,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
  ): Promise<RaisedCase> {
    const tenantId = assertSafeKeyPart(draft.tenantId, "tenant id");
    const user = assertSafeKeyPart(draft.raisedBy, "user id");
    assertSafeKeyPart(submissionId, "submission id");
    const submissionKey = { pk: keys.submissionPartition(tenantId, user), rk: submissionId };

    const caseNo = await this.nextCaseNo(tenantId);
    try {
      await this.index.createEntity({ partitionKey: submissionKey.pk, rowKey: submissionKey.rk, caseNo });
    } catch (error) {
      if (!isConflict(error)) throw error;
      // The form was seen before (a double click, a re-delivery, or a submission cut off
      // half-way): its number wins, ours stays unused, and its case is finished and returned.
      const winner = await this.readSubmission(submissionKey.pk, submissionKey.rk);
      if (winner === undefined) throw error;
      return this.completeRaise(winner, draft, place, messages, false);
    }
    return this.completeRaise(caseNo, draft, place, messages, true);
  }

  async listRaisedBy(tenantId: string, aadObjectId: string, limit: number): Promise<CaseSummary[]> {
    const pk = keys.raisedByPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(aadObjectId, "user id"));
    const numbers: number[] = [];
    const pages = this.index
      .listEntities<{ caseNo: number }>({ queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'`, select: ["caseNo"] } })
      .byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const row of page) if (numbers.length < limit) numbers.push(row.caseNo);
      break;
    }
    const summaries = await Promise.all(numbers.map((n) => this.summary(tenantId, n)));
    // A case handed over to another caseworker may leave its old row behind (a write cut off after the hand-over).
    return summaries.filter((r): r is CaseSummary => r !== undefined && r.raisedBy === aadObjectId);
  }

  /** Reads only the columns a list shows and decrypts only the CPR (to mask it). */
  private async summary(tenantId: string, caseNo: number): Promise<CaseSummary | undefined> {
    try {
      const e = await this.cases.getEntity<CaseEntity>(keys.casePartition(tenantId, caseNo), CASE_ROW, {
        queryOptions: { select: [...SUMMARY_COLUMNS] },
      });
      return this.toSummary(tenantId, e);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async get(tenantId: string, caseNo: number): Promise<CaseRecord | undefined> {
    try {
      const entity = await this.cases.getEntity<CaseEntity>(keys.casePartition(tenantId, caseNo), CASE_ROW);
      return this.toRecord(tenantId, entity);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
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
   * Writes the case row and its "mine sager" index row. Every step tolerates a repeat, so
   * a submission cut off half-way (crash, timeout) is completed by the next attempt.
   */
  private async completeRaise(
    caseNo: number,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
    claimedNow: boolean,
  ): Promise<RaisedCase> {
    let record = claimedNow ? undefined : await this.get(draft.tenantId, caseNo);
    let created = false;
    if (!record) {
      // Placement is idempotent per case number (a slot already held is returned), so a
      // retried submission lands in the same meeting.
      const entity = this.toEntity(caseNo, draft, await place(caseNo));
      assertWithinTableLimits(entity as unknown as Record<string, unknown>);
      const fresh = this.toRecord(draft.tenantId, entity);
      try {
        // The case and its first messages (the card for the forum channel) commit together;
        // the "mine sager" row may go first, as a listing skips numbers without a case.
        await Promise.all([
          this.outbox.commit(entity.partitionKey, [["create", entity]], messages(fresh)),
          this.indexRaised(draft, caseNo),
        ]);
        record = fresh;
        // Created by this call: also when an earlier attempt of the same form claimed the
        // number but stopped before the case was stored (e.g. no meeting had a free slot).
        created = true;
        return { record, created };
      } catch (error) {
        if (!isConflict(error) && !isBatchConflict(error)) throw error;
        record = await this.get(draft.tenantId, caseNo);
        if (!record) throw error;
      }
    }
    await this.indexRaised(draft, caseNo);
    return { record, created };
  }

  private async indexRaised(draft: Pick<NewCase, "tenantId" | "raisedBy">, caseNo: number): Promise<void> {
    await this.index.upsertEntity(
      { partitionKey: keys.raisedByPartition(draft.tenantId, draft.raisedBy), rowKey: keys.invertedCaseNo(caseNo), caseNo },
      "Replace",
    );
  }

  private async nextCaseNo(tenantId: string): Promise<number> {
    const pk = keys.counterPartition(tenantId);
    for (let attempt = 0; attempt < COUNTER_ATTEMPTS; attempt++) {
      let current: TableEntityResult<{ last: number }> | undefined;
      try {
        current = await this.index.getEntity<{ last: number }>(pk, COUNTER_ROW);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      try {
        if (!current) {
          await this.index.createEntity({ partitionKey: pk, rowKey: COUNTER_ROW, last: 1 });
          return 1;
        }
        const next = current.last + 1;
        await this.index.updateEntity({ partitionKey: pk, rowKey: COUNTER_ROW, last: next }, "Replace", {
          etag: current.etag,
        });
        return next;
      } catch (error) {
        if (!isConflict(error) && !isPreconditionFailed(error)) throw error;
        await sleep(5 + Math.random() * 20 * (attempt + 1));
      }
    }
    throw new Error("Could not allocate a case number: too much contention");
  }

  private async readSubmission(pk: string, rk: string): Promise<number | undefined> {
    try {
      return (await this.index.getEntity<{ caseNo: number }>(pk, rk)).caseNo;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private sealContext(tenantId: string, caseNo: number, field: Sensitive): string {
    return `${tenantId}|${caseNo}|${field}`;
  }

  async audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void> {
    const pk = keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
    await noteAuditMonth(this.index, pk, entry.at);
    await this.cases.createEntity(auditRow(pk, entry));
  }

  async change(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    patch: CasePatch,
    audit: AuditEntry,
    messages: (record: CaseRecord) => Notification[] = () => [],
  ): Promise<CaseRecord | undefined> {
    const pk = keys.casePartition(assertSafeKeyPart(tenantId, "tenant id"), caseNo);
    let current: TableEntityResult<CaseEntity>;
    try {
      current = await this.cases.getEntity<CaseEntity>(pk, CASE_ROW);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (current.version !== expectedVersion) return undefined;
    const { decisionNote, additionalInfo, ...plain } = patch;
    const sealed: Partial<CaseEntity> = {};
    if (decisionNote !== undefined)
      sealed.decisionNoteSealed = this.cipher.encrypt(decisionNote, this.sealContext(tenantId, caseNo, "decisionNote"));
    if (additionalInfo !== undefined)
      sealed.additionalInfoSealed = this.cipher.encrypt(additionalInfo, this.sealContext(tenantId, caseNo, "additionalInfo"));
    const update = { partitionKey: pk, rowKey: CASE_ROW, ...plain, ...sealed, version: expectedVersion + 1 };
    assertWithinTableLimits({ ...current, ...update });
    const next = this.toRecord(tenantId, { ...current, ...plain, ...sealed, version: expectedVersion + 1 });
    // Sagsbehandlerskift: the new caseworker's "mine sager" row goes first (a listing skips a
    // case that is not theirs), the old one is removed once the change has committed.
    const handedOver = plain.raisedBy !== undefined && plain.raisedBy !== current.raisedBy;
    if (handedOver) await this.indexRaised({ tenantId, raisedBy: assertSafeKeyPart(next.raisedBy, "user id") }, caseNo);
    // Privacy (SPEC §9): the audit row's month, and a case that ends now, are indexed before the change commits.
    await noteAuditMonth(this.index, pk, audit.at);
    if (plain.state !== undefined && plain.state !== current.state && isFinished(plain.state))
      await noteRetention(this.index, tenantId, { kind: "case", caseNo }, earliestMonth(audit.at, plain.decidedAt, plain.withdrawnAt));
    try {
      await this.outbox.commit(
        pk,
        [
          ["update", update, "Merge", { etag: current.etag }],
          ["create", auditRow(pk, audit)],
        ],
        messages(next),
      );
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isBatchConflict(error)) return undefined;
      throw error;
    }
    if (handedOver) await this.dropRaisedIndex(tenantId, current.raisedBy, caseNo);
    return next;
  }

  private async dropRaisedIndex(tenantId: string, raisedBy: string, caseNo: number): Promise<void> {
    try {
      await this.index.deleteEntity(keys.raisedByPartition(tenantId, raisedBy), keys.invertedCaseNo(caseNo));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
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
    let current: TableEntityResult<CaseEntity>;
    try {
      current = await this.cases.getEntity<CaseEntity>(pk, CASE_ROW);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (current.version !== expectedVersion) return undefined;
    const citizenId = current.cprLookup ? current.cprLookup : undefined;
    if (citizenId) await noteRetention(this.index, tenantId, { kind: "citizen", citizenId }, citizenMonth);
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
    await noteAuditMonth(this.index, pk, audit.at);
    try {
      await this.cases.submitTransaction([
        ["update", entity, "Replace", { etag: current.etag }],
        ["create", auditRow(pk, audit)],
      ]);
    } catch (error) {
      if (isPreconditionFailed(error) || isConflict(error) || isBatchConflict(error)) return undefined;
      throw error;
    }
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
function auditRow(partitionKey: string, entry: AuditEntry) {
  return { partitionKey, rowKey: `${ROW_PREFIX.audit}${entry.at}|${randomBytes(4).toString("hex")}`, ...entry };
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

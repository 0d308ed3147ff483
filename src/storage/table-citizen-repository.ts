import { randomBytes } from "node:crypto";
import type { TableClient, TableEntityResult, TransactionAction } from "@azure/data-tables";
import type { BostotteDecision, BostotteRecord, BostotteSource, HoursUnit, LegalBasis } from "../domain/bostotte.js";
import type { CitizenLinks, FollowedCitizen, Follower, FollowPurpose } from "../domain/citizen.js";
import { cprLookupKey, parseCpr } from "../domain/cpr.js";
import type { Notification } from "../domain/notification.js";
import type { AuditEntry, BostotteClaim, CitizenRepository, FollowResult, StoreBostotteResult } from "../domain/ports.js";
import { monthDayKey } from "../domain/target-group-change.js";
import { assertWithinTableLimits } from "./entity-limits.js";
import type { FieldCipher } from "./field-cipher.js";
import { isBatchConflict, isConflict, isNotFound, storageStatusOf } from "./storage-errors.js";
import type { TableOutbox } from "./table-outbox.js";
import { assertSafeKeyPart, BOSTOTTE_EVENT_ROW, CITIZEN_ROW, keys, ROW_PREFIX, rowsWithPrefix } from "./table-layout.js";
import type { CitizenErasure } from "../domain/ports.js";
import { earliestMonth, noteAuditMonth, noteRetention } from "./table-privacy-index.js";

type CitizenEntity = { cprSealed: string; monthDay: string };
type FollowerEntity = { aadObjectId: string; purpose: string; since: string };
type CaseLinkEntity = { caseNo: number; raisedBy: string };
type FollowingEntity = { cprSealed: string; purpose: string; since: string };
type BirthdayEntity = { cprSealed: string };
type EventEntity = { citizenId: string; fingerprint: string; claimedAt: string };
type BostotteEntity = {
  partitionKey: string;
  rowKey: string;
  decisionId: string;
  kind: string;
  legalBasis: string;
  cprSealed: string;
  hours?: number;
  per?: string;
  from?: string;
  to?: string;
  review?: string;
  purposeSealed?: string;
  reasonCategory?: string;
  reasonTextSealed?: string;
  endDate?: string;
  source: string;
  eventId: string;
  recordedBy: string;
  decidedByNameSealed: string;
  decidedAt: string;
  recordedAt: string;
  /** JSON array of the Entra object ids told. */
  notified: string;
  fallbackForumId?: string;
};

/** Fields of a decision sealed with the field cipher; each name is part of its ciphertext's context. */
type SealedDecisionField = "cpr" | "purpose" | "reasonText" | "decidedByName";

/** Rows of one citizen partition as read for its links, with their eTags. */
interface CitizenRows {
  citizen?: TableEntityResult<CitizenEntity>;
  followers: TableEntityResult<FollowerEntity>[];
  cases: TableEntityResult<CaseLinkEntity>[];
}

/**
 * Citizens in Table Storage (see table-layout.ts): one partition per citizen in the
 * `cases` table — found through the keyed hash of the CPR number only — with its followers,
 * case links, bostøtte decisions, and their outbox and audit rows; the follower, birthday
 * and event-id indexes in `caseindex`. The CPR number and all free text are sealed.
 */
export class TableCitizenRepository implements CitizenRepository {
  constructor(
    /** The table of case, meeting and citizen partitions (the outbox's source table). */
    private readonly cases: TableClient,
    private readonly index: TableClient,
    private readonly cipher: FieldCipher,
    private readonly outbox: TableOutbox,
  ) {}

  async follow(tenantId: string, cprDigits: string, follower: Follower, audit: AuditEntry, maxFollowers: number): Promise<FollowResult> {
    const citizenId = this.citizenIdOf(cprDigits);
    const pk = this.partition(tenantId, citizenId);
    const user = assertSafeKeyPart(follower.aadObjectId, "user id");
    const rows = await this.readRows(pk);
    const existing = rows.followers.find((f) => f.aadObjectId === user);
    if (existing) {
      // Repairs an index row a cut-off follow did not write.
      await this.indexFollowing(tenantId, citizenId, cprDigits, { ...existing, purpose: existing.purpose as FollowPurpose });
      return { kind: "already-following", citizenId };
    }
    if (rows.followers.length >= maxFollowers) return { kind: "too-many-followers", citizenId };
    // Privacy (SPEC §9): the audit row's month and the following's retention clock are indexed first.
    await noteAuditMonth(this.index, pk, audit.at);
    await noteRetention(this.index, tenantId, { kind: "citizen", citizenId }, earliestMonth(audit.at, follower.since));
    try {
      await this.cases.submitTransaction([
        this.citizenUpsert(pk, tenantId, citizenId, cprDigits),
        [
          "create",
          { partitionKey: pk, rowKey: keys.followerRow(user), aadObjectId: user, purpose: follower.purpose, since: follower.since },
        ],
        ["create", auditRow(pk, audit)],
      ]);
    } catch (error) {
      if (!isBatchConflict(error)) throw error;
      return this.follow(tenantId, cprDigits, follower, audit, maxFollowers);
    }
    await this.indexFollowing(tenantId, citizenId, cprDigits, follower);
    return { kind: "followed", citizenId };
  }

  async unfollow(tenantId: string, citizenId: string, aadObjectId: string, audit: AuditEntry): Promise<boolean> {
    const pk = this.partition(tenantId, citizenId);
    const user = assertSafeKeyPart(aadObjectId, "user id");
    const row = await this.readRow<FollowerEntity>(pk, keys.followerRow(user));
    if (row) {
      await noteAuditMonth(this.index, pk, audit.at);
      try {
        await this.cases.submitTransaction([
          // A batch delete is unconditional, but fails when the row is gone (another unfollow came first).
          ["delete", { partitionKey: pk, rowKey: row.rowKey! }],
          ["create", auditRow(pk, audit)],
        ]);
      } catch (error) {
        if (!isBatchConflict(error) && !isMissing(error)) throw error;
        return this.unfollow(tenantId, citizenId, aadObjectId, audit);
      }
    }
    await this.dropFollowingIndex(tenantId, user, citizenId);
    return row !== undefined;
  }

  async followedBy(tenantId: string, aadObjectId: string, limit: number): Promise<FollowedCitizen[]> {
    const pk = keys.followingPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(aadObjectId, "user id"));
    const rows: FollowedCitizen[] = [];
    for await (const row of this.index.listEntities<FollowingEntity>({
      queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'` },
    })) {
      const citizenId = row.rowKey!;
      rows.push({
        citizenId,
        cprDigits: this.openCpr(tenantId, citizenId, row.cprSealed),
        purpose: row.purpose as FollowPurpose,
        since: row.since,
      });
    }
    return rows.sort((a, b) => b.since.localeCompare(a.since)).slice(0, limit);
  }

  async handOverFollowing(
    tenantId: string,
    citizenId: string,
    from: string,
    to: string,
    at: string,
    audit: AuditEntry,
    messages: (handedOver: Follower) => Notification[],
  ): Promise<"handed-over" | "not-following" | "already-following"> {
    const pk = this.partition(tenantId, citizenId);
    assertSafeKeyPart(from, "user id");
    assertSafeKeyPart(to, "user id");
    const rows = await this.readRows(pk);
    const current = rows.followers.find((f) => f.aadObjectId === from);
    if (!current || !rows.citizen) return "not-following";
    if (rows.followers.some((f) => f.aadObjectId === to)) return "already-following";
    const handedOver: Follower = { aadObjectId: from, purpose: current.purpose as FollowPurpose, since: current.since };
    await noteAuditMonth(this.index, pk, audit.at);
    try {
      await this.outbox.commit(
        pk,
        [
          // Fails the batch when the row is gone: another hand-over or an unfollow came first.
          ["delete", { partitionKey: pk, rowKey: current.rowKey! }],
          [
            "create",
            { partitionKey: pk, rowKey: keys.followerRow(to), aadObjectId: to, purpose: current.purpose, since: at, handedOverBy: from },
          ],
          ["create", auditRow(pk, audit)],
        ],
        messages(handedOver),
      );
    } catch (error) {
      if (!isBatchConflict(error) && !isMissing(error)) throw error;
      return this.handOverFollowing(tenantId, citizenId, from, to, at, audit, messages);
    }
    const cprDigits = this.openCpr(tenantId, citizenId, rows.citizen.cprSealed);
    await this.indexFollowing(tenantId, citizenId, cprDigits, { aadObjectId: to, purpose: handedOver.purpose, since: at });
    await this.dropFollowingIndex(tenantId, from, citizenId);
    return "handed-over";
  }

  async linkCase(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void> {
    const citizenId = this.citizenIdOf(cprDigits);
    const pk = this.partition(tenantId, citizenId);
    const link: CaseLinkEntity = { caseNo, raisedBy: assertSafeKeyPart(raisedBy, "user id") };
    await Promise.all([
      this.cases.submitTransaction([
        this.citizenUpsert(pk, tenantId, citizenId, cprDigits),
        ["upsert", { partitionKey: pk, rowKey: keys.caseLinkRow(caseNo), ...link }, "Replace"],
      ]),
      this.index.upsertEntity(
        {
          partitionKey: keys.birthdayPartition(tenantId, monthDayOf(cprDigits)),
          rowKey: citizenId,
          cprSealed: this.sealCpr(tenantId, citizenId, cprDigits),
        },
        "Replace",
      ),
    ]);
  }

  /** The same write as {@link linkCase}: the link row holds the case's current raising caseworker. */
  async changeCaseworker(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void> {
    await this.linkCase(tenantId, cprDigits, caseNo, raisedBy);
  }

  async links(tenantId: string, citizenId: string): Promise<CitizenLinks | undefined> {
    const rows = await this.readRows(this.partition(tenantId, citizenId));
    return this.toLinks(tenantId, citizenId, rows);
  }

  async linksByCpr(tenantId: string, cprDigits: string): Promise<CitizenLinks | undefined> {
    return this.links(tenantId, this.citizenIdOf(cprDigits));
  }

  async recordBostotte(
    claim: BostotteClaim,
    build: (links: CitizenLinks) => { record: BostotteRecord; messages: Notification[] },
    audit: AuditEntry,
  ): Promise<StoreBostotteResult> {
    const tenantId = assertSafeKeyPart(claim.tenantId, "tenant id");
    const decisionId = assertSafeKeyPart(claim.decisionId, "decision id");
    const citizenId = this.citizenIdOf(claim.cprDigits);
    const fingerprint = cprLookupKey(`bostotte-fingerprint\n${claim.fingerprint}`, this.cipher.lookupKey);
    const eventPk = keys.bostotteEventPartition(tenantId, decisionId);
    try {
      await this.index.createEntity({ partitionKey: eventPk, rowKey: BOSTOTTE_EVENT_ROW, citizenId, fingerprint, claimedAt: audit.at });
    } catch (error) {
      if (!isConflict(error)) throw error;
      const claimed = await this.readIndexRow<EventEntity>(eventPk, BOSTOTTE_EVENT_ROW);
      if (!claimed) throw error;
      if (claimed.fingerprint !== fingerprint) return { kind: "conflict" };
      const stored = await this.readDecision(tenantId, claimed.citizenId, decisionId);
      if (stored) return { kind: "duplicate", record: stored };
      // Claimed by an attempt that stopped before its decision was stored: this one completes it.
    }

    const pk = this.partition(tenantId, citizenId);
    const links = this.toLinks(tenantId, citizenId, await this.readRows(pk)) ?? {
      citizenId,
      cprDigits: claim.cprDigits,
      followers: [],
      cases: [],
    };
    const { record, messages } = build(links);
    const stored: BostotteRecord = { ...record, tenantId, id: decisionId, citizenId };
    const entity = this.toBostotteEntity(pk, stored);
    assertWithinTableLimits(entity);
    // Privacy (SPEC §9): the audit row's month and the decision's retention clock are indexed first.
    await noteAuditMonth(this.index, pk, audit.at);
    await noteRetention(this.index, tenantId, { kind: "citizen", citizenId }, earliestMonth(audit.at, stored.decidedAt));
    try {
      await this.outbox.commit(
        pk,
        [this.citizenUpsert(pk, tenantId, citizenId, claim.cprDigits), ["create", entity], ["create", auditRow(pk, audit)]],
        messages,
      );
    } catch (error) {
      if (!isBatchConflict(error)) throw error;
      // Another attempt of the same event committed first.
      const winner = await this.readDecision(tenantId, citizenId, decisionId);
      if (!winner) throw error;
      return { kind: "duplicate", record: winner };
    }
    return { kind: "recorded", record: stored };
  }

  async bostotte(tenantId: string, decisionId: string): Promise<{ record: BostotteRecord; links: CitizenLinks } | undefined> {
    const eventPk = keys.bostotteEventPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(decisionId, "decision id"));
    const claimed = await this.readIndexRow<EventEntity>(eventPk, BOSTOTTE_EVENT_ROW);
    if (!claimed) return undefined;
    const [record, rows] = await Promise.all([
      this.readDecision(tenantId, claimed.citizenId, decisionId),
      this.readRows(this.partition(tenantId, claimed.citizenId)),
    ]);
    if (!record) return undefined;
    const links = this.toLinks(tenantId, claimed.citizenId, rows) ?? {
      citizenId: claimed.citizenId,
      cprDigits: record.decision.cprDigits,
      followers: [],
      cases: [],
    };
    return { record, links };
  }

  async audit(tenantId: string, citizen: { citizenId: string } | { cprDigits: string }, entry: AuditEntry): Promise<void> {
    const citizenId = "citizenId" in citizen ? citizen.citizenId : this.citizenIdOf(citizen.cprDigits);
    const pk = this.partition(tenantId, citizenId);
    await noteAuditMonth(this.index, pk, entry.at);
    await this.cases.createEntity(auditRow(pk, entry));
  }

  async birthdaysOn(tenantId: string, monthDay: string): Promise<{ citizenId: string; cprDigits: string }[]> {
    const pk = keys.birthdayPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(monthDay, "month and day"));
    const out: { citizenId: string; cprDigits: string }[] = [];
    for await (const row of this.index.listEntities<BirthdayEntity>({ queryOptions: { filter: `PartitionKey eq '${escapeOData(pk)}'` } })) {
      out.push({ citizenId: row.rowKey!, cprDigits: this.openCpr(tenantId, row.rowKey!, row.cprSealed) });
    }
    return out;
  }

  async notifyOnce(tenantId: string, citizenId: string, messages: Notification[]): Promise<boolean> {
    if (messages.length === 0) return false;
    try {
      await this.outbox.commit(this.partition(tenantId, citizenId), [], messages);
      return true;
    } catch (error) {
      if (isBatchConflict(error)) return false;
      throw error;
    }
  }

  // ─── Retention (SPEC §9; see `PrivacyStore`) ─────────────────────────────────────

  /** The citizen's links and bostøtte decisions; undefined when the citizen row is gone. */
  async retentionRecords(tenantId: string, citizenId: string): Promise<{ links: CitizenLinks; decisions: BostotteRecord[] } | undefined> {
    const pk = this.partition(tenantId, citizenId);
    const links = this.toLinks(tenantId, citizenId, await this.readRows(pk));
    if (!links) return undefined;
    const decisions: BostotteRecord[] = [];
    for await (const row of this.cases.listEntities<BostotteEntity>({
      queryOptions: { filter: rowsWithPrefix(pk, ROW_PREFIX.bostotte) },
    })) {
      decisions.push(this.toBostotteRecord(tenantId, citizenId, row));
    }
    return { links, decisions };
  }

  /**
   * Deletes what `erasure` names, with `audit`. The index rows that repeat the citizen's
   * sealed CPR number (following, birthday) and the decisions' event claims go first: they
   * are derived, so a run cut off after them only leaves the partition's rows for the next.
   */
  async eraseRetained(tenantId: string, citizenId: string, erasure: CitizenErasure, audit: AuditEntry): Promise<void> {
    const pk = this.partition(tenantId, citizenId);
    const rows = await this.readRows(pk);
    const decisionRows = new Set<string>();
    for await (const row of this.cases.listEntities({
      queryOptions: { filter: rowsWithPrefix(pk, ROW_PREFIX.bostotte), select: ["RowKey"] },
    })) {
      decisionRows.add(row.rowKey!);
    }
    const links = erasure.caseLinks.map((caseNo) => keys.caseLinkRow(caseNo)).filter((rk) => rows.cases.some((c) => c.rowKey === rk));
    const followers = erasure.followers.filter((id) => rows.followers.some((f) => f.aadObjectId === id));
    const decisions = erasure.decisionIds.filter((id) => decisionRows.has(keys.bostotteRow(assertSafeKeyPart(id, "decision id"))));
    const citizen = erasure.citizen ? rows.citizen : undefined;
    await Promise.all([
      ...followers.map((id) => this.dropFollowingIndex(tenantId, id, citizenId)),
      ...decisions.map((id) => this.dropIndexRow(keys.bostotteEventPartition(tenantId, id), BOSTOTTE_EVENT_ROW)),
      ...(citizen ? [this.dropIndexRow(keys.birthdayPartition(tenantId, citizen.monthDay), citizenId)] : []),
    ]);
    const deletes: TransactionAction[] = [
      ...links.map((rk): TransactionAction => ["delete", { partitionKey: pk, rowKey: rk }]),
      ...followers.map((id): TransactionAction => ["delete", { partitionKey: pk, rowKey: keys.followerRow(id) }]),
      ...decisions.map((id): TransactionAction => ["delete", { partitionKey: pk, rowKey: keys.bostotteRow(id) }]),
      ...(citizen ? [["delete", { partitionKey: pk, rowKey: CITIZEN_ROW }] as TransactionAction] : []),
    ];
    await noteAuditMonth(this.index, pk, audit.at);
    // A batch holds 100 operations; the audit row goes with the last one.
    for (let from = 0; from === 0 || from < deletes.length; from += 99) {
      const batch = deletes.slice(from, from + 99);
      await this.cases.submitTransaction(from + 99 >= deletes.length ? [...batch, ["create", auditRow(pk, audit)]] : batch);
    }
  }

  private async dropIndexRow(pk: string, rk: string): Promise<void> {
    try {
      await this.index.deleteEntity(pk, rk);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  // ─── Rows ───────────────────────────────────────────────────────────────────────

  private citizenIdOf(cprDigits: string): string {
    return cprLookupKey(cprDigits, this.cipher.lookupKey);
  }

  private partition(tenantId: string, citizenId: string): string {
    return keys.citizenPartition(assertSafeKeyPart(tenantId, "tenant id"), assertSafeKeyPart(citizenId, "citizen id"));
  }

  private citizenUpsert(pk: string, tenantId: string, citizenId: string, cprDigits: string): TransactionAction {
    const row: CitizenEntity = { cprSealed: this.sealCpr(tenantId, citizenId, cprDigits), monthDay: monthDayOf(cprDigits) };
    return ["upsert", { partitionKey: pk, rowKey: CITIZEN_ROW, ...row }, "Merge"];
  }

  /** The citizen row, its followers and its case links: one range query (`case|` … `follower|`). */
  private async readRows(pk: string): Promise<CitizenRows> {
    const from = ROW_PREFIX.caseLink;
    const until =
      ROW_PREFIX.follower.slice(0, -1) + String.fromCharCode(ROW_PREFIX.follower.charCodeAt(ROW_PREFIX.follower.length - 1) + 1);
    const rows: CitizenRows = { followers: [], cases: [] };
    const filter = `PartitionKey eq '${escapeOData(pk)}' and RowKey ge '${from}' and RowKey lt '${until}'`;
    for await (const row of this.cases.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const rowKey = row.rowKey!;
      if (rowKey === CITIZEN_ROW) rows.citizen = row as unknown as TableEntityResult<CitizenEntity>;
      else if (rowKey.startsWith(ROW_PREFIX.follower)) rows.followers.push(row as unknown as TableEntityResult<FollowerEntity>);
      else if (rowKey.startsWith(ROW_PREFIX.caseLink)) rows.cases.push(row as unknown as TableEntityResult<CaseLinkEntity>);
    }
    return rows;
  }

  private toLinks(tenantId: string, citizenId: string, rows: CitizenRows): CitizenLinks | undefined {
    if (!rows.citizen) return undefined;
    return {
      citizenId,
      cprDigits: this.openCpr(tenantId, citizenId, rows.citizen.cprSealed),
      followers: rows.followers.map((f) => ({ aadObjectId: f.aadObjectId, purpose: f.purpose as FollowPurpose, since: f.since })),
      cases: rows.cases.map((c) => ({ caseNo: c.caseNo, raisedBy: c.raisedBy })),
    };
  }

  private async readRow<T extends object>(pk: string, rk: string): Promise<TableEntityResult<T> | undefined> {
    try {
      return await this.cases.getEntity<T>(pk, rk);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async readIndexRow<T extends object>(pk: string, rk: string): Promise<TableEntityResult<T> | undefined> {
    try {
      return await this.index.getEntity<T>(pk, rk);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async indexFollowing(tenantId: string, citizenId: string, cprDigits: string, follower: Follower): Promise<void> {
    const row: FollowingEntity = {
      cprSealed: this.sealCpr(tenantId, citizenId, cprDigits),
      purpose: follower.purpose,
      since: follower.since,
    };
    await this.index.upsertEntity(
      { partitionKey: keys.followingPartition(tenantId, follower.aadObjectId), rowKey: citizenId, ...row },
      "Replace",
    );
  }

  private async dropFollowingIndex(tenantId: string, aadObjectId: string, citizenId: string): Promise<void> {
    try {
      await this.index.deleteEntity(keys.followingPartition(tenantId, aadObjectId), citizenId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private sealCpr(tenantId: string, citizenId: string, cprDigits: string): string {
    return this.cipher.encrypt(cprDigits, `${tenantId}|citizen|${citizenId}|cpr`);
  }

  private openCpr(tenantId: string, citizenId: string, sealed: string): string {
    return this.cipher.decrypt(sealed, `${tenantId}|citizen|${citizenId}|cpr`);
  }

  // ─── Decisions ──────────────────────────────────────────────────────────────────

  private decisionContext(tenantId: string, decisionId: string, field: SealedDecisionField): string {
    return `${tenantId}|bostotte|${decisionId}|${field}`;
  }

  private async readDecision(tenantId: string, citizenId: string, decisionId: string): Promise<BostotteRecord | undefined> {
    const row = await this.readRow<BostotteEntity>(this.partition(tenantId, citizenId), keys.bostotteRow(decisionId));
    return row && this.toBostotteRecord(tenantId, citizenId, row);
  }

  private toBostotteEntity(pk: string, record: BostotteRecord): BostotteEntity {
    const seal = (field: SealedDecisionField, value: string) =>
      this.cipher.encrypt(value, this.decisionContext(record.tenantId, record.id, field));
    const d = record.decision;
    const base: BostotteEntity = {
      partitionKey: pk,
      rowKey: keys.bostotteRow(record.id),
      decisionId: record.id,
      kind: d.kind,
      legalBasis: d.legalBasis,
      cprSealed: seal("cpr", d.cprDigits),
      source: record.source,
      eventId: record.eventId,
      recordedBy: record.recordedBy,
      decidedByNameSealed: seal("decidedByName", record.decidedByName),
      decidedAt: record.decidedAt,
      recordedAt: record.recordedAt,
      notified: JSON.stringify(record.notified),
      ...(record.fallbackForumId ? { fallbackForumId: record.fallbackForumId } : {}),
    };
    switch (d.kind) {
      case "bevilling":
        return {
          ...base,
          hours: d.frame.hours,
          per: d.frame.per,
          from: d.frame.from,
          ...(d.frame.to ? { to: d.frame.to } : {}),
          ...(d.frame.review ? { review: d.frame.review } : {}),
          purposeSealed: seal("purpose", d.frame.purpose),
        };
      case "afslag":
        return { ...base, reasonCategory: d.reasonCategory, reasonTextSealed: seal("reasonText", d.reasonText) };
      case "ophoer":
        return { ...base, reasonCategory: d.reasonCategory, reasonTextSealed: seal("reasonText", d.reasonText), endDate: d.endDate };
    }
  }

  private toBostotteRecord(tenantId: string, citizenId: string, e: BostotteEntity): BostotteRecord {
    const open = (field: SealedDecisionField, sealed: string | undefined) =>
      sealed ? this.cipher.decrypt(sealed, this.decisionContext(tenantId, e.decisionId, field)) : "";
    const cprDigits = open("cpr", e.cprSealed);
    const legalBasis = e.legalBasis as LegalBasis;
    let decision: BostotteDecision;
    if (e.kind === "bevilling") {
      decision = {
        kind: "bevilling",
        cprDigits,
        legalBasis,
        frame: {
          hours: Number(e.hours),
          per: e.per as HoursUnit,
          from: e.from ?? "",
          ...(e.to ? { to: e.to } : {}),
          ...(e.review ? { review: e.review } : {}),
          purpose: open("purpose", e.purposeSealed),
        },
      };
    } else if (e.kind === "afslag") {
      decision = {
        kind: "afslag",
        cprDigits,
        legalBasis,
        reasonCategory: e.reasonCategory ?? "",
        reasonText: open("reasonText", e.reasonTextSealed),
      };
    } else {
      decision = {
        kind: "ophoer",
        cprDigits,
        legalBasis,
        endDate: e.endDate ?? "",
        reasonCategory: e.reasonCategory ?? "",
        reasonText: open("reasonText", e.reasonTextSealed),
      };
    }
    return {
      tenantId,
      id: e.decisionId,
      citizenId,
      decision,
      source: e.source as BostotteSource,
      eventId: e.eventId,
      recordedBy: e.recordedBy,
      decidedByName: open("decidedByName", e.decidedByNameSealed),
      decidedAt: e.decidedAt,
      recordedAt: e.recordedAt,
      notified: JSON.parse(e.notified) as string[],
      ...(e.fallbackForumId ? { fallbackForumId: e.fallbackForumId } : {}),
    };
  }
}

/** "MMDD" of the birth date the CPR number holds: the birthday index key. */
function monthDayOf(cprDigits: string): string {
  const parsed = parseCpr(cprDigits);
  if (!parsed.ok) throw new Error("A citizen's CPR number must be valid");
  return monthDayKey(parsed.cpr.birthDate.month, parsed.cpr.birthDate.day);
}

/** Row keys sort by time; the random suffix keeps two entries of the same millisecond apart. */
function auditRow(partitionKey: string, entry: AuditEntry) {
  return { partitionKey, rowKey: `${ROW_PREFIX.audit}${entry.at}|${randomBytes(4).toString("hex")}`, ...entry };
}

/** A batch whose row was deleted meanwhile reports 404 (or only its code). */
function isMissing(error: unknown): boolean {
  return storageStatusOf(error) === 404 || /ResourceNotFound/.test((error as { code?: string }).code ?? "");
}

function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

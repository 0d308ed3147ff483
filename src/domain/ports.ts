import type { MeetingRef } from "./booking.js";
import type { BostotteRecord } from "./bostotte.js";
import type { AgendaEntry, CaseRecord, CaseSummary } from "./case.js";
import type { CitizenLinks, FollowedCitizen, Follower } from "./citizen.js";
import type { Municipality } from "./municipality.js";
import type { Notification, NotificationContent, NotificationTarget } from "./notification.js";
import type { FollowUpKind, PlanRecord, PlanSummary } from "./plan.js";

/** A new case as the use case hands it to storage; the repository assigns the number. */
export type NewCase = Pick<
  CaseRecord,
  | "tenantId"
  | "cprDigits"
  | "age"
  | "forumId"
  | "department"
  | "health"
  | "social"
  | "question"
  | "acute"
  | "acuteReason"
  | "raisedBy"
  | "raisedByName"
  | "raisedAt"
>;

/** Where a new case goes, decided once its number is known (booking needs the number). */
export type Placement = { state: "booked"; meetingKey: string; slot: number; forumId: string; age: number } | { state: "acute" };

export interface RaisedCase {
  record: CaseRecord;
  /** False when the same form submission was seen before and the earlier case is returned. */
  created: boolean;
}

/**
 * Where cases live. Implementations own keys, eTags and encryption; every call is
 * scoped to one tenant.
 */
export interface CaseRepository {
  /**
   * Stores a case once per `submissionId` (one rendered form): a double click or a
   * re-delivered activity returns the case created the first time, and uses up no case
   * number. `alongside` is work that belongs to the new case but is stored elsewhere (its
   * citizen link, its overview event): it runs while the case commits, so it costs no
   * round trip of its own, and again for a repeated submission (so it must be idempotent),
   * which completes a submission cut off half-way. The raise fails when it fails. The case's
   * first audit row ("raise", by the raising caseworker) commits with it (SPEC §9).
   */
  raise(
    submissionId: string,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
    alongside?: (record: CaseRecord) => Promise<void>,
  ): Promise<RaisedCase>;
  /** The caseworker's own cases, newest first, without their case text. */
  listRaisedBy(tenantId: string, aadObjectId: string, limit: number): Promise<CaseSummary[]>;
  get(tenantId: string, caseNo: number): Promise<CaseRecord | undefined>;
  /** What an agenda shows of each case, in the order asked; nothing sealed is read or decrypted. Unknown numbers are left out. */
  agendaEntries(tenantId: string, caseNos: readonly number[]): Promise<AgendaEntry[]>;
  /** Writes an audit row in the case's partition (SPEC §9: who saw or changed what, when, why). */
  audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void>;
  /**
   * Changes the case if it is still at `expectedVersion`, together with its audit row, in
   * one transaction. Returns the new record, or undefined when the case changed first
   * (a stale card, a double click, a re-delivered activity).
   */
  change(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    patch: CasePatch,
    audit: AuditEntry,
    messages?: (record: CaseRecord) => Notification[],
  ): Promise<CaseRecord | undefined>;
  /** Remembers the case's card in the forum channel, so later changes edit it in place. */
  rememberChannelCard(tenantId: string, caseNo: number, activityId: string): Promise<void>;
}

export type CasePatch = Partial<
  Pick<
    CaseRecord,
    | "state"
    | "meetingKey"
    | "slot"
    | "postponements"
    | "channelActivityId"
    | "forumId"
    | "age"
    | "decision"
    | "decidedBy"
    | "decidedByName"
    | "decidedAt"
    | "socialCaseworker"
    | "decisionNote"
    | "additionalInfo"
    | "planFollowUp"
    // Sagsbehandlerskift (src/domain/hand-over.ts): the case gets another employment caseworker.
    | "raisedBy"
    | "raisedByName"
    // Withdrawal (src/domain/withdraw-case.ts): when, so retention knows when the case ended.
    | "withdrawnAt"
  >
>;

export interface AuditEntry {
  at: string;
  user: string;
  action:
    | "view-details"
    | "view-refused"
    | "raise"
    | "move"
    | "cancel-meeting"
    | "refused"
    | "decide"
    | "decide-refused"
    | "add-information"
    | "withdraw"
    | "withdraw-refused"
    // The joint plan (SPEC §5, §9): every view, change, approval, consent and export, and every refusal.
    | "plan-open"
    | "plan-view"
    | "plan-refused"
    | "plan-edit"
    | "plan-approve"
    | "plan-meetings"
    | "plan-consent"
    | "plan-refusal"
    | "plan-withdraw"
    | "plan-follow-up"
    | "plan-end"
    | "plan-export"
    | "plan-forum-follow-up"
    // Following a citizen, bostøtte decisions, and sagsbehandlerskift (SPEC §7, §9): every change and view, and every refusal.
    | "follow"
    | "follow-refused"
    | "unfollow"
    | "follow-hand-over"
    | "bostotte-record"
    | "bostotte-view"
    | "bostotte-view-refused"
    | "hand-over"
    | "hand-over-refused"
    // Retention and access requests (SPEC §9, src/domain/retention.ts and access-request.ts).
    | "anonymise"
    | "retention-erase"
    | "access-request"
    | "access-request-refused";
  purpose: string;
}

export interface Clock {
  now(): Date;
}

/**
 * Where the bot can reach someone later (proactive messages). The reference is opaque
 * to the domain: the Teams edge writes and reads it.
 */
export interface ConversationAddress {
  reference: string;
  savedAt: string;
}

export interface ForumChannel extends ConversationAddress {
  forumId: string;
  /** The channel's conversation id, to find the forum a channel command came from. */
  conversationId: string;
  channelName: string;
  boundBy: string;
}

export interface AddressBook {
  /** Binds a forum to a channel; a later binding replaces the earlier one. Returns the one replaced. */
  bindForumChannel(tenantId: string, channel: ForumChannel): Promise<ForumChannel | undefined>;
  forumChannel(tenantId: string, forumId: string): Promise<ForumChannel | undefined>;
  /** The personal chat with a user, saved when the bot is installed or first spoken to. */
  savePersonalChat(tenantId: string, aadObjectId: string, address: ConversationAddress): Promise<void>;
  personalChat(tenantId: string, aadObjectId: string): Promise<ConversationAddress | undefined>;
}

export interface MeetingSlotRef {
  forumId: string;
  date: string;
  capacity: number;
}

export interface MeetingStatus {
  cancelled: boolean;
  cancelledBy?: string;
  agendaPublishedAt?: string;
  rolledOverAt?: string;
}

/** What one read of a meeting saw: its bookings, and whether it was cancelled. */
export interface MeetingSlotsSeen {
  bookings: { slot: number; caseNo: number }[];
  cancelled: boolean;
}

/** Slots of forum meetings. A slot is one row, so two bookings can never share one. */
export interface MeetingRepository {
  /**
   * Claims the lowest free slot for the case, or returns the slot it already holds.
   * Undefined when the meeting is full or cancelled. `seen` (from {@link slotsSeen}, read
   * earlier, maybe in parallel with other work) saves reading the meeting again; a stale
   * one costs a retry, never a wrong booking.
   */
  claimSlot(tenantId: string, meeting: MeetingSlotRef, caseNo: number, seen?: MeetingSlotsSeen): Promise<number | undefined>;
  /** The meeting's bookings and whether it is cancelled, as one read, for {@link claimSlot}. */
  slotsSeen(tenantId: string, meeting: { forumId: string; date: string }): Promise<MeetingSlotsSeen>;
  releaseSlot(tenantId: string, meeting: { forumId: string; date: string }, slot: number, caseNo: number): Promise<void>;
  /** Booked slots in slot order. */
  bookings(tenantId: string, meeting: { forumId: string; date: string }): Promise<{ slot: number; caseNo: number }[]>;
  status(tenantId: string, meeting: { forumId: string; date: string }): Promise<MeetingStatus>;
  /**
   * Marks the meeting cancelled (false when it already was) and closes its free slots, so no
   * booking lands after this returns: the caller then moves on the cases in {@link bookings}.
   */
  cancel(tenantId: string, meeting: MeetingSlotRef, by: string): Promise<boolean>;
  /**
   * Marks the agenda published and stores its message in one transaction; false when it
   * already was (another instance, or an earlier run), so an agenda goes out once.
   */
  publishAgenda(tenantId: string, meeting: { forumId: string; date: string }, at: Date, message: Notification): Promise<boolean>;
  /** Marks that the meeting's open cases were moved on; false when already done. */
  markRolledOver(tenantId: string, meeting: { forumId: string; date: string }, at: Date): Promise<boolean>;
}

/** A meeting as the calendar computes it: wall-clock times already resolved to instants. */
export interface ScheduledMeeting extends MeetingRef {
  endsAt: Date;
  agendaDeadline: Date;
  slotMinutes: number;
}

/** The forums' meeting calendars, per municipality (SPEC §4). */
export interface MeetingCalendar {
  /** Meetings of every forum whose agenda deadline has not passed at `now`. */
  openForBooking(municipality: Municipality, now: Date): ScheduledMeeting[];
  /** The meeting on that date, if the forum's calendar has one (holidays and days off excluded). */
  find(municipality: Municipality, forumId: string, date: string): ScheduledMeeting | undefined;
  /** Meetings of a forum whose agenda deadline fell in (since, until]. */
  withDeadlineBetween(municipality: Municipality, forumId: string, since: Date, until: Date): ScheduledMeeting[];
  /** The next `count` meetings of a forum starting after `from`. */
  upcoming(municipality: Municipality, forumId: string, from: Date, count: number): ScheduledMeeting[];
}

/** A message waiting in the outbox: where it is stored, when it is due, who holds it now. */
export interface OutboxPointer {
  tenantId: string;
  id: string;
  sourcePk: string;
  sourceRk: string;
  dueAt: string;
  attempts: number;
  leaseUntil: string;
  createdAt: string;
  /** The latest time a change announced this message; the orphan grace runs from here. */
  announcedAt?: string;
  etag: string;
}

/** Messages that could not be delivered (SPEC §7: never dropped silently), as an administrator's `status` shows them. */
export interface ParkedMessages {
  count: number;
  /** When the oldest was parked (ISO instant); undefined when none is. */
  oldestAt?: string;
}

/** A message as it was committed with its change. */
export interface OutboxMessage {
  tenantId: string;
  id: string;
  target: NotificationTarget;
  content: NotificationContent;
  state: "pending" | "sent" | "failed";
  createdAt: string;
  etag: string;
}

/**
 * The durable outbox as its sender sees it (SPEC §7, §9). Messages are written by the
 * repositories in the same transaction as their change; the dispatcher claims each due
 * message with a lease, so several instances never send the same one at once.
 */
export interface Outbox {
  /** Pointers due at `now` and not leased by a live instance, at most `limit`, oldest first among those read. */
  due(tenantId: string, now: Date, limit: number): Promise<OutboxPointer[]>;
  /** Takes a pointer for `ttlMs`; undefined when another instance holds it or changed it first. */
  claim(pointer: OutboxPointer, now: Date, ttlMs: number): Promise<OutboxPointer | undefined>;
  /** The committed message; undefined when its change has not (yet) committed. */
  load(pointer: OutboxPointer): Promise<OutboxMessage | undefined>;
  markSent(pointer: OutboxPointer, message: OutboxMessage, sentAt: Date, sentActivityId: string | undefined): Promise<void>;
  /** Parks a message Teams refused for good (blocked bot, unknown conversation): kept, counted, never dropped silently. */
  markFailed(pointer: OutboxPointer, message: OutboxMessage, reason: string, at: Date): Promise<void>;
  /** How many messages of a tenant are parked, and since when the oldest (no content: counts only). */
  parked(tenantId: string): Promise<ParkedMessages>;
  /** Due again at `dueAt`; does nothing when the pointer changed since it was claimed. */
  reschedule(pointer: OutboxPointer, dueAt: Date): Promise<void>;
  /** Deletes a pointer whose message never committed, unless it was announced again; false when kept. */
  dropOrphan(pointer: OutboxPointer): Promise<boolean>;
  drop(pointer: OutboxPointer): Promise<void>;
}

/**
 * One lease per scheduled job, so with several instances a job runs on one at a time
 * (SPEC §9). Taking an expired lease is conditional: two instances racing cannot both win.
 */
export interface LeaseStore {
  tryAcquire(job: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  release(job: string, holder: string): Promise<void>;
}

/**
 * The joint plans (SPEC §5), one per case, kept beside the case so that a plan change, its
 * audit row and its messages commit in one transaction. Implementations own keys, eTags,
 * encryption, and the owner and follow-up indexes, which they keep in step with each plan.
 */
export interface PlanRepository {
  get(tenantId: string, caseNo: number): Promise<PlanRecord | undefined>;
  /** Stores a new plan with its audit row and messages in one transaction; false when the case has a plan already. */
  create(plan: PlanRecord, audit: AuditEntry, messages: Notification[]): Promise<boolean>;
  /**
   * Stores `next` (with revision `expectedRevision + 1`) if the stored plan is still at
   * `expectedRevision`, with its audit row and messages in one transaction. Undefined when
   * another change came first, or a message of the same event was committed before.
   */
  save(next: PlanRecord, expectedRevision: number, audit: AuditEntry, messages: Notification[]): Promise<PlanRecord | undefined>;
  /** Writes an audit row beside the case (a view, or a refused attempt). */
  audit(tenantId: string, caseNo: number, entry: AuditEntry): Promise<void>;
  /** The plans a caseworker owns, newest case first, at most `limit`; nothing sealed is read. */
  listOwnedBy(tenantId: string, aadObjectId: string, limit: number): Promise<PlanSummary[]>;
  /** The plans with a follow-up on `date` (an index; the plan itself is the truth). */
  followUpsOn(tenantId: string, date: string): Promise<{ caseNo: number; kind: FollowUpKind }[]>;
  /**
   * Commits messages that belong to no change (a reminder) beside the plan, all or none,
   * once: false when they were committed before (by an earlier run or another instance).
   */
  notifyOnce(tenantId: string, caseNo: number, messages: Notification[]): Promise<boolean>;
}

/** What {@link CitizenRepository.follow} did, and the citizen's opaque id. */
export interface FollowResult {
  kind: "followed" | "already-following" | "too-many-followers";
  citizenId: string;
}

/** A bostøtte decision about to be stored, once per `decisionId`. */
export interface BostotteClaim {
  tenantId: string;
  /** See `bostotteDecisionId`: one per event id and source. */
  decisionId: string;
  /** See `bostotteFingerprint`. It is derived from the CPR number, so implementations keep it keyed (HMAC). */
  fingerprint: string;
  cprDigits: string;
}

export type StoreBostotteResult =
  | { kind: "recorded"; record: BostotteRecord }
  /** The decision was stored before (the same event again); nothing was written now. */
  | { kind: "duplicate"; record: BostotteRecord }
  /** The decision id was claimed before by an event with other content; nothing was written. */
  | { kind: "conflict" };

/**
 * Citizens as the employment side is linked to them (SPEC §7): who follows them, which
 * cases were raised about them, the bostøtte decisions recorded about them. Everything of
 * one citizen lives together, found only through a keyed hash of the CPR number (the
 * opaque `citizenId`), so "who is linked" is one read and a decision commits with its
 * messages and its audit row in one transaction. Implementations own keys, encryption and
 * the follower and birthday indexes, which they keep in step.
 */
export interface CitizenRepository {
  /**
   * Adds a follower with its audit row, unless they follow already or the citizen has
   * `maxFollowers` followers (then nothing is written).
   */
  follow(tenantId: string, cprDigits: string, follower: Follower, audit: AuditEntry, maxFollowers: number): Promise<FollowResult>;
  /** Ends a following with its audit row; false when the user did not follow the citizen. */
  unfollow(tenantId: string, citizenId: string, aadObjectId: string, audit: AuditEntry): Promise<boolean>;
  /** The citizens a caseworker follows, most recently followed first, at most `limit`. */
  followedBy(tenantId: string, aadObjectId: string, limit: number): Promise<FollowedCitizen[]>;
  /**
   * Moves `from`'s following (its purpose kept, `since` set to `at`) to `to`, with its audit
   * row and messages in one transaction; `messages` gets `from`'s following as it was.
   * Nothing changes when `from` does not follow or `to` follows already.
   */
  handOverFollowing(
    tenantId: string,
    citizenId: string,
    from: string,
    to: string,
    at: string,
    audit: AuditEntry,
    messages: (handedOver: Follower) => Notification[],
  ): Promise<"handed-over" | "not-following" | "already-following">;
  /**
   * Links a case to its citizen (and the citizen's birthday to the målgruppeskift index).
   * Idempotent: the raise path calls it after every (repeated) submission.
   */
  linkCase(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void>;
  /** The case's raising caseworker changed (sagsbehandlerskift): its link follows. Idempotent. */
  changeCaseworker(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void>;
  /** Everyone and every case linked to the citizen; undefined for a citizen never linked, followed or decided on. */
  links(tenantId: string, citizenId: string): Promise<CitizenLinks | undefined>;
  /**
   * Stores a decision once per `claim.decisionId`: `build` gets the citizen's links as they
   * are now and returns the record and its messages, committed with `audit` in one
   * transaction. The same content again is a `duplicate` (the stored record; no messages),
   * other content under the same id a `conflict`. A claim cut off before its decision was
   * stored is completed by the next attempt with the same content.
   */
  recordBostotte(
    claim: BostotteClaim,
    build: (links: CitizenLinks) => { record: BostotteRecord; messages: Notification[] },
    audit: AuditEntry,
  ): Promise<StoreBostotteResult>;
  /** A stored decision with its citizen's links as they are now. */
  bostotte(tenantId: string, decisionId: string): Promise<{ record: BostotteRecord; links: CitizenLinks } | undefined>;
  /** Writes an audit row beside the citizen (a view, or a refused attempt). */
  audit(tenantId: string, citizen: { citizenId: string } | { cprDigits: string }, entry: AuditEntry): Promise<void>;
  /**
   * Citizens with a linked case whose birth date (from the CPR number) falls on `monthDay`
   * ("MMDD"): the målgruppeskift index. An index: the caller checks the citizen's cases.
   */
  birthdaysOn(tenantId: string, monthDay: string): Promise<{ citizenId: string; cprDigits: string }[]>;
  /**
   * Commits messages that belong to no change (a job's) beside the citizen, all or none,
   * once: false when they were committed before (an earlier run, another instance).
   */
  notifyOnce(tenantId: string, citizenId: string, messages: Notification[]): Promise<boolean>;
  /**
   * The citizen's links found by CPR number (through its keyed hash: one partition read, no
   * scan), for an access request (SPEC §9); undefined for a citizen never linked, followed or decided on.
   */
  linksByCpr(tenantId: string, cprDigits: string): Promise<CitizenLinks | undefined>;
}

/** The managers' overview (SPEC §8): its events and subscriptions, see `overview-events.ts`. */
export type { OverviewEvent, OverviewLog } from "./overview-events.js";

/** Roles from Entra ID (SPEC §1): the directory the role lists' groups and e-mail addresses are looked up in, see `roles.ts`. */
export type { Directory, DirectoryEntry, ResolvedEntries } from "./roles.js";

/** What retention (SPEC §9) looks at: a case, or a citizen's own rows (followers, bostøtte decisions). */
export type RetentionSubject = { kind: "case"; caseNo: number } | { kind: "citizen"; citizenId: string };

/** A subject noted for retention in a (UTC) month `YYYY-MM`: no earlier than the month its retention clock starts. */
export interface RetentionCandidate {
  month: string;
  subject: RetentionSubject;
}

/** What retention deletes of a citizen's partition (see `retention.ts`). */
export interface CitizenErasure {
  /** Links to cases whose personal data is gone: they no longer tie the case to the citizen. */
  caseLinks: number[];
  decisionIds: string[];
  /** Object ids of followers whose following lapsed. */
  followers: string[];
  /** The citizen row itself (the sealed CPR number) and its birthday index row: nothing else of the citizen is left. */
  citizen: boolean;
}

/** The audit rows of one place: beside a case (its plan's included), or beside the citizen with this CPR number. */
export type AuditSource = { kind: "case"; caseNo: number } | { kind: "citizen"; cprDigits: string };

/**
 * What privacy (SPEC §9) needs of storage: the retention index — so finding what is due
 * reads only the months due, never every case — deleting personal data, deleting audit rows
 * after their period (through an index of audit rows by month), and reading audit rows for
 * a citizen's access request. The repositories note closed cases and citizens' rows in the
 * index themselves, before the change that starts the clock commits.
 */
export interface PrivacyStore {
  /** Candidates noted in months up to and including `untilMonth`, oldest month first, at most `limit`. */
  retentionCandidates(tenantId: string, untilMonth: string, limit: number): Promise<RetentionCandidate[]>;
  /** Notes a subject in a month (idempotent). */
  noteRetention(tenantId: string, subject: RetentionSubject, month: string): Promise<void>;
  /** Removes a candidate (idempotent). */
  dropRetention(tenantId: string, candidate: RetentionCandidate): Promise<void>;
  /**
   * Deletes the case's CPR number, its look-up hash and every text, keeps the anonymous
   * facts, sets `anonymised`, and writes `audit`, in one transaction, if the case is still at
   * `expectedVersion`. First notes the citizen the case was about in `citizenMonth`, so a run
   * cut off after the change still reaches the citizen's link to it (the look-up hash that
   * finds the citizen is gone with the change). Returns that citizen's id (undefined when
   * unknown), or undefined as a whole when the case changed first or is gone.
   */
  anonymiseCase(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    anonymisation: NonNullable<CaseRecord["anonymised"]>,
    audit: AuditEntry,
    citizenMonth: string,
  ): Promise<{ citizenId: string | undefined } | undefined>;
  /** The citizen's links and bostøtte decisions, for retention to judge; undefined when no citizen row is left. */
  citizenRecords(tenantId: string, citizenId: string): Promise<{ links: CitizenLinks; decisions: BostotteRecord[] } | undefined>;
  /** Deletes what `erasure` names of the citizen (and the index rows that hold their sealed CPR), with `audit` beside the citizen. */
  eraseCitizenData(tenantId: string, citizenId: string, erasure: CitizenErasure, audit: AuditEntry): Promise<void>;
  /** Deletes audit rows written before `before`, at most about `limit` per call; returns how many went. */
  deleteAuditBefore(tenantId: string, before: Date, limit: number): Promise<number>;
  /** The audit rows of one place, oldest first. */
  auditTrail(tenantId: string, source: AuditSource): Promise<AuditEntry[]>;
}

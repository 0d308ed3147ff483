import type { MeetingRef } from "./booking.js";
import type { AgendaEntry, CaseRecord, CaseSummary } from "./case.js";
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
export type Placement =
  | { state: "booked"; meetingKey: string; slot: number; forumId: string; age: number }
  | { state: "acute" };

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
   * re-delivered activity returns the case created the first time.
   */
  raise(
    submissionId: string,
    draft: NewCase,
    place: (caseNo: number) => Promise<Placement>,
    messages: (record: CaseRecord) => Notification[],
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
  >
>;

export interface AuditEntry {
  at: string;
  user: string;
  action: "view-details" | "view-refused" | "raise" | "move" | "cancel-meeting" | "refused" | "decide" | "decide-refused" | "add-information"
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
    | "plan-forum-follow-up";
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

/** Slots of forum meetings. A slot is one row, so two bookings can never share one. */
export interface MeetingRepository {
  /**
   * Claims the lowest free slot for the case, or returns the slot it already holds.
   * Undefined when the meeting is full or cancelled.
   */
  claimSlot(tenantId: string, meeting: MeetingSlotRef, caseNo: number): Promise<number | undefined>;
  releaseSlot(tenantId: string, meeting: { forumId: string; date: string }, slot: number, caseNo: number): Promise<void>;
  /** Booked slots in slot order. */
  bookings(tenantId: string, meeting: { forumId: string; date: string }): Promise<{ slot: number; caseNo: number }[]>;
  status(tenantId: string, meeting: { forumId: string; date: string }): Promise<MeetingStatus>;
  /** Marks the meeting cancelled; false when it already was. */
  cancel(tenantId: string, meeting: { forumId: string; date: string }, by: string): Promise<boolean>;
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
  /** Parks a message Teams refused for good (blocked bot, unknown conversation). */
  markFailed(pointer: OutboxPointer, message: OutboxMessage, reason: string): Promise<void>;
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

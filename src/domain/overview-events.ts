import type { BostotteRecord } from "./bostotte.js";
import type { CaseRecord } from "./case.js";
import type { DecisionKind } from "./case-lifecycle.js";
import type { MoveReason } from "./move-case.js";
import type { Notification } from "./notification.js";

/**
 * The managers' overview (SPEC §8) is computed from small, personal-data-free events the
 * use cases write when they change something: one row per change, stored by tenant and
 * month, ordered by time, so a period is read without touching anything else.
 *
 * Each event has a deterministic id built from what changed (case number and version, or
 * the bostøtte decision id) and its time is the change's own stored time (`raisedAt`,
 * `decidedAt`, `recordedAt`), so writing the same event again — a re-delivered turn, a
 * double click, a repeated API call — hits the same row: nothing is counted twice.
 */

/** The seed's population table (001, Tabel 1) splits citizens into these age groups. */
export const AGE_GROUPS = ["15-17", "18-29", "30+"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export function ageGroupOf(age: number): AgeGroup {
  if (age < 18) return "15-17";
  return age < 30 ? "18-29" : "30+";
}

export type BostotteKind = "bevilling" | "afslag" | "ophoer";

interface EventBase {
  /** Deterministic per change: the same change always yields the same id. */
  id: string;
  /** ISO instant of the change. */
  at: string;
}

export type OverviewEvent = EventBase &
  (
    | { kind: "raised"; caseNo: number; forumId: string; ageGroup: AgeGroup; acute: boolean }
    | { kind: "decided"; caseNo: number; forumId: string; ageGroup: AgeGroup; decision: DecisionKind; raisedAt: string }
    | { kind: "moved"; caseNo: number; forumId: string; ageGroup: AgeGroup; reason: MoveReason }
    | { kind: "withdrawn"; caseNo: number; forumId: string; ageGroup: AgeGroup }
    | { kind: "bostotte"; ageGroup: AgeGroup; decision: BostotteKind; reached: "caseworker" | "forum" }
    /** The joint plans (SPEC §5); not written yet by the plan use cases (see `OverviewFigures.plans.recorded`). */
    | { kind: "plan"; caseNo: number; step: "agreed" | "active" | "follow-up-on-time" | "follow-up-overdue" }
  );

export type OverviewEventKind = OverviewEvent["kind"];

/**
 * Where overview events and the managers' subscriptions live (SPEC §8). Implementations
 * keep events in one partition per tenant and month with row keys by time, so reading a
 * period reads only that period's rows, however many years are stored.
 */
export interface OverviewLog {
  /** Stores events; an event stored before (same id and time) is overwritten with itself. */
  record(tenantId: string, events: readonly OverviewEvent[]): Promise<void>;
  /** Events with `from <= at < until`, oldest first. */
  between(tenantId: string, from: Date, until: Date): Promise<OverviewEvent[]>;
  /** False when the manager was subscribed already. */
  subscribe(tenantId: string, aadObjectId: string, at: Date): Promise<boolean>;
  /** False when the manager was not subscribed. */
  unsubscribe(tenantId: string, aadObjectId: string): Promise<boolean>;
  /** The subscribed managers and since when (ISO instant). */
  subscribers(tenantId: string): Promise<{ aadObjectId: string; since: string }[]>;
  /**
   * Commits messages that belong to no change (a scheduled overview) beside the
   * subscriptions, all or none, once: false when they were committed before.
   */
  notifyOnce(tenantId: string, messages: readonly Notification[]): Promise<boolean>;
}

/** The events of a case change, built from the stored record (so a repeat builds the same ones). */
export function raisedEvent(record: CaseRecord): OverviewEvent {
  return {
    kind: "raised",
    id: `case:${record.caseNo}:raised`,
    at: record.raisedAt,
    caseNo: record.caseNo,
    forumId: record.forumId,
    ageGroup: ageGroupOf(record.age),
    acute: record.acute,
  };
}

export function decidedEvent(record: CaseRecord): OverviewEvent | undefined {
  if (!record.decision || !record.decidedAt) return undefined;
  return {
    kind: "decided",
    id: `case:${record.caseNo}:v${record.version}:decided`,
    at: record.decidedAt,
    caseNo: record.caseNo,
    forumId: record.forumId,
    ageGroup: ageGroupOf(record.age),
    decision: record.decision,
    raisedAt: record.raisedAt,
  };
}

export function movedEvent(record: CaseRecord, reason: MoveReason, at: Date): OverviewEvent {
  return {
    kind: "moved",
    id: `case:${record.caseNo}:v${record.version}:moved`,
    at: at.toISOString(),
    caseNo: record.caseNo,
    forumId: record.forumId,
    ageGroup: ageGroupOf(record.age),
    reason,
  };
}

export function withdrawnEvent(record: CaseRecord, at: Date): OverviewEvent {
  return {
    kind: "withdrawn",
    id: `case:${record.caseNo}:v${record.version}:withdrawn`,
    at: at.toISOString(),
    caseNo: record.caseNo,
    forumId: record.forumId,
    ageGroup: ageGroupOf(record.age),
  };
}

export function bostotteEvent(record: BostotteRecord, age: number): OverviewEvent {
  return {
    kind: "bostotte",
    id: `bostotte:${record.id}`,
    at: record.recordedAt,
    ageGroup: ageGroupOf(age),
    decision: record.decision.kind,
    reached: record.notified.length > 0 ? "caseworker" : "forum",
  };
}

/**
 * Writes events after their change committed. Never fails the change: a lost event costs
 * one count in an overview (logged by the caller's error handling), never a user's turn.
 */
export async function recordOverview(
  log: Pick<OverviewLog, "record"> | undefined,
  tenantId: string,
  events: readonly (OverviewEvent | undefined)[],
): Promise<void> {
  if (!log) return;
  const defined = events.filter((e): e is OverviewEvent => e !== undefined);
  if (defined.length === 0) return;
  try {
    await log.record(tenantId, defined);
  } catch {
    // The change stands; see the crash window in README ("Managers' overview").
  }
}

import { DateTime } from "luxon";
import type { BostotteRecord } from "./bostotte.js";
import type { CaseRecord } from "./case.js";
import type { DecisionKind } from "./case-lifecycle.js";
import type { MoveReason } from "./move-case.js";
import type { Notification } from "./notification.js";
import type { OverviewTally } from "./overview.js";
import type { FollowUpKind, FollowUpRecord, PlanRecord } from "./plan.js";
import { isOverdue, overdueFrom, type WorkingDays } from "./working-days.js";

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
    /** The joint plans (SPEC §5): agreed, became active, ended, and each follow-up held on time, held late or overdue. */
    | { kind: "plan"; caseNo: number; forumId: string; step: PlanStep }
  );

/**
 * A joint plan's steps the overview counts: first agreed ("enige"), first active (the
 * citizen's consent), ended (completed, given up, refused or consent withdrawn), and each
 * follow-up held within the grace of working days after its date, held after it, or not
 * held by then (overdue; one that is held later counts as held late too).
 */
export const PLAN_STEPS = ["agreed", "active", "ended", "follow-up-on-time", "follow-up-late", "follow-up-overdue"] as const;
export type PlanStep = (typeof PLAN_STEPS)[number];

export type OverviewEventKind = OverviewEvent["kind"];

/**
 * Where overview events and the managers' subscriptions live (SPEC §8). Implementations
 * keep events in one partition per tenant and month with row keys by time, so reading a
 * period reads only that period's rows, however many years are stored.
 */
export interface OverviewLog {
  /**
   * Stores events; an event stored before (same id and time) is overwritten with itself.
   * An event before `settledBefore` may fall in a span that is summarised already: it is
   * written only if it is new, and then the summaries of its UTC day and month are dropped
   * (the next read computes them again), so a late event is never lost from a summary.
   */
  record(tenantId: string, events: readonly OverviewEvent[], options?: { settledBefore?: Date }): Promise<void>;
  /** Events with `from <= at < until`, oldest first. */
  between(tenantId: string, from: Date, until: Date): Promise<OverviewEvent[]>;
  /**
   * The stored summaries of the spans in each run (UTC days `YYYY-MM-DD` from `from` to `to`,
   * or UTC months `YYYY-MM`, inclusive); spans with none are left out. One range read per run.
   */
  summaries(tenantId: string, runs: readonly SpanRun[]): Promise<OverviewSummary[]>;
  /** Stores summaries, each replacing any stored for its span (the same events give the same summary). */
  storeSummaries(tenantId: string, summaries: readonly OverviewSummary[]): Promise<void>;
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

/** Consecutive UTC days (`2026-11-01`…`2026-11-20`) or months (`2025-12`…`2026-10`), both ends included. */
export interface SpanRun {
  from: string;
  to: string;
}

/**
 * The overview's figures of one settled UTC day (`span` `YYYY-MM-DD`) or month (`YYYY-MM`),
 * computed once from that span's event rows (a month from its days), so a long period reads
 * a row per month instead of every event. Counts, the case numbers that pending needs, and a
 * histogram of durations for the medians; no personal data. A summary made with another
 * `version` or `timeZone` is ignored and made again.
 */
export interface OverviewSummary {
  span: string;
  version: number;
  /** The zone its per-day fields (decisions per local day) were computed in. */
  timeZone: string;
  /** How many event rows it summarises. */
  events: number;
  tally: OverviewTally;
}

/**
 * A UTC day is summarised only once it ended at least this long ago: events are written
 * within seconds of their time, and what comes later (a re-delivered turn, a job catching up
 * after downtime) drops the summary it falls in (see {@link OverviewLog.record}).
 */
export const SETTLE_MS = 86_400_000;

/** Days ending at or before this instant are settled (the start of a UTC day). */
export function settledBefore(now: Date): Date {
  const t = now.getTime() - SETTLE_MS;
  return new Date(t - (((t % SETTLE_MS) + SETTLE_MS) % SETTLE_MS));
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
 * The joint plan's events (SPEC §5, §8), built from the stored plan so a repeat builds the
 * same: ids per plan (or per follow-up) and times from the plan's own first-agreed,
 * activated, ended and recorded times. `forumId` is the forum of the plan's case.
 */
export function planAgreedEvent(plan: PlanRecord, forumId: string): OverviewEvent | undefined {
  if (!plan.firstAgreedAt) return undefined;
  return { kind: "plan", id: `plan:${plan.caseNo}:agreed`, at: plan.firstAgreedAt, caseNo: plan.caseNo, forumId, step: "agreed" };
}

export function planActiveEvent(plan: PlanRecord, forumId: string): OverviewEvent | undefined {
  if (!plan.activatedAt) return undefined;
  return { kind: "plan", id: `plan:${plan.caseNo}:active`, at: plan.activatedAt, caseNo: plan.caseNo, forumId, step: "active" };
}

export function planEndedEvent(plan: PlanRecord, forumId: string): OverviewEvent | undefined {
  if (!plan.ended) return undefined;
  return { kind: "plan", id: `plan:${plan.caseNo}:ended`, at: plan.ended.at, caseNo: plan.caseNo, forumId, step: "ended" };
}

/** A follow-up recorded as held: on time when held within the grace of working days after its date. */
export function planFollowUpHeldEvent(
  plan: Pick<PlanRecord, "caseNo">,
  forumId: string,
  held: FollowUpRecord,
  workingDays: WorkingDays,
): OverviewEvent {
  const late = isOverdue({ date: held.date }, held.heldOn, workingDays);
  return {
    kind: "plan",
    id: `plan:${plan.caseNo}:follow-up:${held.kind}:${held.date}:held`,
    at: held.recordedAt,
    caseNo: plan.caseNo,
    forumId,
    step: late ? "follow-up-late" : "follow-up-on-time",
  };
}

/**
 * A follow-up not held by the end of its grace: its time is the start (local midnight) of
 * the first day it is overdue, whenever the job notices, so every run writes the same row.
 */
export function planFollowUpOverdueEvent(
  plan: Pick<PlanRecord, "caseNo">,
  forumId: string,
  followUp: { kind: FollowUpKind; date: string },
  workingDays: WorkingDays,
  timeZone: string,
): OverviewEvent {
  const from = DateTime.fromISO(overdueFrom(followUp.date, workingDays), { zone: timeZone }).startOf("day");
  return {
    kind: "plan",
    id: `plan:${plan.caseNo}:follow-up:${followUp.kind}:${followUp.date}:overdue`,
    at: from.toJSDate().toISOString(),
    caseNo: plan.caseNo,
    forumId,
    step: "follow-up-overdue",
  };
}

/**
 * Writes events after their change committed. Never fails the change: a lost event costs
 * one count in an overview (logged by the caller's error handling), never a user's turn.
 * With `now`, an event of a settled day (a repeat, a job catching up) drops the summaries it
 * falls in when it is new, so they are made again with it.
 */
export async function recordOverview(
  log: Pick<OverviewLog, "record"> | undefined,
  tenantId: string,
  events: readonly (OverviewEvent | undefined)[],
  now?: Date,
): Promise<void> {
  if (!log) return;
  const defined = events.filter((e): e is OverviewEvent => e !== undefined);
  if (defined.length === 0) return;
  try {
    await log.record(tenantId, defined, now ? { settledBefore: settledBefore(now) } : undefined);
  } catch {
    // The change stands; see the crash window in README ("Managers' overview").
  }
}

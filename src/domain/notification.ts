import { createHash } from "node:crypto";

/** Who a proactive message goes to. The Teams edge resolves it to a saved conversation. */
export type NotificationTarget = { kind: "forum-channel"; forumId: string } | { kind: "personal"; aadObjectId: string };

/** What to send; rendered by the Teams edge at send time, so cards show the latest state. */
export type NotificationContent =
  /** The case's card in its forum channel: posted once (acute: with an @mention of the coordinators), then edited in place. */
  | { kind: "case-card"; caseNo: number; mode: "post" | "update" }
  /**
   * The case left this forum for another (målgruppeskift: the citizen turned 18 or 30 before
   * its meeting): its old card in this forum's channel is edited to say where it went.
   */
  | { kind: "case-card-moved-away"; caseNo: number; activityId: string; toForumId: string }
  /** Tells the raising caseworker that their case moved to another meeting, and why. */
  | { kind: "case-moved"; caseNo: number; reason: "moved" | "meeting-cancelled" | "rolled-over" | "postponed" | "information-added" }
  /** The forum's decision, for the raising caseworker or the social caseworker it was visitated to. */
  | { kind: "decision"; caseNo: number; audience: "raiser" | "social-caseworker" }
  | { kind: "agenda"; forumId: string; date: string; late: boolean }
  | { kind: "text"; text: string }
  /**
   * The joint plan, for one of its owners (SPEC §5, §7): the other owner opened, changed or
   * approved it ("changed": see the plan's `changes`), both agreed, it became active, or it ended.
   */
  | { kind: "plan"; caseNo: number; event: "opened" | "changed" | "approved" | "agreed" | "active" | "ended"; version: number }
  /** A follow-up date of the plan has come (employment, social or forum follow-up). */
  | { kind: "plan"; caseNo: number; event: "follow-up-due"; followUp: "employment" | "social" | "forum"; date: string }
  /** The plan's follow-up in the forum is booked into the meeting `meetingKey` (`forumId:YYYY-MM-DD`). */
  | { kind: "plan"; caseNo: number; event: "forum-follow-up-booked"; date: string; meetingKey: string }
  /**
   * A bostøtte decision (SPEC §7; seed 001 "Afgørelser om bostøtte"), for a linked employment
   * caseworker ("caseworker": the bevillingsramme, the refusal's reason category, or the end
   * date), or — when none is linked — for the channel of the citizen's age group ("forum": a
   * card without CPR number or text, with "Vis detaljer" for the forum's coordinators).
   */
  | { kind: "bostotte"; decisionId: string; decision: "bevilling" | "afslag" | "ophoer"; audience: "caseworker" | "forum" }
  /**
   * Målgruppeskift (seed 001 "gensidig orientering ved målgruppeskift"): the citizen of
   * these cases turned `age` on `date` (YYYY-MM-DD), for the raising or the social caseworker.
   */
  | { kind: "target-group-change"; caseNos: number[]; age: number; date: string; audience: "caseworker" | "social-caseworker" }
  /**
   * Sagsbehandlerskift on a case (seed 001 "gensidig orientering ved … sagsbehandlerskift"):
   * the case was handed to a new employment caseworker; for the new one, the previous one
   * (when an administrator handed it over), and the social caseworker it is visitated to.
   */
  | { kind: "caseworker-change"; caseNo: number; version: number; audience: "new-caseworker" | "previous-caseworker" | "social-caseworker" }
  /** The following of a citizen was handed to this caseworker by `from` (an Entra object id). */
  | { kind: "following-handed-over"; citizenId: string; from: string }
  /** The managers' overview of the `days` days up to `until` (SPEC §8), on the schedule; `late` after downtime. */
  | { kind: "overview"; until: string; days: number; late: boolean };

export interface Notification {
  id: string;
  tenantId: string;
  target: NotificationTarget;
  content: NotificationContent;
  /** The event this message is about; the same event never yields two messages. */
  dedupeKey: string;
  createdAt: string;
}

/** A deterministic id: writing the same event twice hits the same row and fails as a duplicate. */
export function notificationId(tenantId: string, dedupeKey: string): string {
  return createHash("sha256").update(`${tenantId}\n${dedupeKey}`).digest("hex").slice(0, 32);
}

export function notification(
  tenantId: string,
  dedupeKey: string,
  target: NotificationTarget,
  content: NotificationContent,
  now: Date,
): Notification {
  return { id: notificationId(tenantId, dedupeKey), tenantId, target, content, dedupeKey, createdAt: now.toISOString() };
}

/**
 * A message is announced (its pointer written) before the change carrying it commits. A
 * pointer whose message is still missing this long after its latest announcement belongs
 * to a change that never committed, and is dropped.
 */
export const ORPHAN_GRACE_MS = 2 * 60_000;

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * When to try again after `attempts` failures: exponential from 2 s with jitter, capped
 * at 10 minutes, never sooner than Teams' `Retry-After` (SPEC §9).
 */
export function nextAttemptDelayMs(attempts: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

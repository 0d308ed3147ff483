import {
  checkCitizenCpr,
  FOLLOW_PURPOSES,
  UNFOLLOW_REASONS,
  type CitizenCprError,
  type FollowedCitizen,
  type FollowPurpose,
  type UnfollowReason,
} from "./citizen.js";
import { isAdministrator, isCaseworker, type Municipality } from "./municipality.js";
import { notification } from "./notification.js";
import type { CitizenRepository, Clock } from "./ports.js";
import { localDateIn } from "./time.js";

/**
 * Following a citizen (SPEC §7): "Most citizens with bostøtte have no cross-department
 * case: an employment caseworker can *follow* a citizen to be told." Only employment
 * caseworkers follow; every follow, unfollow and hand-over is an audit row beside the
 * citizen (who, when, why — SPEC §9).
 */
export interface FollowDeps {
  citizens: CitizenRepository;
  clock: Clock;
  timeZone: string;
}

/** A citizen has at most this many followers: a decision's messages commit in one transaction (≤ 100 rows). */
export const MAX_FOLLOWERS = 40;
/** How many followed citizens `følger` lists. */
export const MAX_FOLLOWED_LISTED = 100;

export type FollowFieldErrors = Partial<{ cpr: CitizenCprError; purpose: "required" | "purpose.unknown" }>;

export type FollowOutcome =
  | { kind: "followed"; citizenId: string; cprDigits: string }
  | { kind: "already-following"; citizenId: string; cprDigits: string }
  | { kind: "invalid"; errors: FollowFieldErrors }
  | { kind: "too-many-followers" }
  /** Not an employment caseworker. */
  | { kind: "not-allowed" };

/**
 * An employment caseworker starts following a citizen, giving why (a purpose from
 * {@link FOLLOW_PURPOSES}). The CPR number is checked as on the raise-case form. A refused
 * attempt with a valid CPR number is audited beside the citizen too.
 */
export async function follow(
  deps: FollowDeps,
  command: { municipality: Municipality; cpr: string; purpose: string; user: string },
): Promise<FollowOutcome> {
  const { municipality, user } = command;
  const tenantId = municipality.tenantId;
  const now = deps.clock.now();
  const cpr = checkCitizenCpr(command.cpr, municipality, localDateIn(now, deps.timeZone));
  if (!isCaseworker(municipality, user)) {
    if (cpr.ok) {
      await deps.citizens.audit(
        tenantId,
        { cprDigits: cpr.cpr.digits },
        { at: now.toISOString(), user, action: "follow-refused", purpose: "not an employment caseworker" },
      );
    }
    return { kind: "not-allowed" };
  }
  const errors: FollowFieldErrors = {};
  if (!cpr.ok) errors.cpr = cpr.error;
  const purpose = command.purpose.trim();
  if (purpose === "") errors.purpose = "required";
  else if (!isFollowPurpose(purpose)) errors.purpose = "purpose.unknown";
  if (!cpr.ok || !isFollowPurpose(purpose)) return { kind: "invalid", errors };

  const result = await deps.citizens.follow(
    tenantId,
    cpr.cpr.digits,
    { aadObjectId: user, purpose, since: now.toISOString() },
    { at: now.toISOString(), user, action: "follow", purpose },
    MAX_FOLLOWERS,
  );
  if (result.kind === "too-many-followers") return { kind: "too-many-followers" };
  return { kind: result.kind, citizenId: result.citizenId, cprDigits: cpr.cpr.digits };
}

export type UnfollowOutcome =
  { kind: "unfollowed" } | { kind: "not-following" } | { kind: "invalid"; errors: { reason: "required" | "reason.unknown" } };

/** A caseworker stops following a citizen, giving why (a reason from {@link UNFOLLOW_REASONS}). */
export async function unfollow(
  deps: Pick<FollowDeps, "citizens" | "clock">,
  command: { municipality: Municipality; citizenId: string; reason: string; user: string },
): Promise<UnfollowOutcome> {
  const reason = command.reason.trim();
  if (!(UNFOLLOW_REASONS as readonly string[]).includes(reason)) {
    return { kind: "invalid", errors: { reason: reason === "" ? "required" : "reason.unknown" } };
  }
  // Nobody (an activity without an Entra object id) follows anyone.
  if (!command.user) return { kind: "not-following" };
  const at = deps.clock.now().toISOString();
  const done = await deps.citizens.unfollow(command.municipality.tenantId, command.citizenId, command.user, {
    at,
    user: command.user,
    action: "unfollow",
    purpose: reason as UnfollowReason,
  });
  return done ? { kind: "unfollowed" } : { kind: "not-following" };
}

/**
 * The citizens a caseworker follows, most recently followed first, with the CPR number
 * for the edge to mask (`maskCpr`) — the user's own list, so it is not audited.
 */
export async function followedBy(
  deps: Pick<FollowDeps, "citizens">,
  command: { municipality: Municipality; user: string },
): Promise<{ kind: "list"; citizens: FollowedCitizen[] }> {
  if (!command.user) return { kind: "list", citizens: [] };
  return { kind: "list", citizens: await deps.citizens.followedBy(command.municipality.tenantId, command.user, MAX_FOLLOWED_LISTED) };
}

export type HandOverFollowingOutcome =
  | { kind: "handed-over" }
  | { kind: "not-following" }
  /** `to` follows the citizen already; nothing changed. */
  | { kind: "already-following" }
  /** `to` is not an employment caseworker, or is the follower. */
  | { kind: "not-caseworker" }
  /** Only the follower (or an administrator) hands a following over. */
  | { kind: "not-allowed" };

/**
 * Sagsbehandlerskift for a followed citizen (seed 001 "gensidig orientering ved …
 * sagsbehandlerskift"): the follower (or an administrator on the follower's behalf) hands
 * the following to another employment caseworker, who is told once. The purpose is kept.
 */
export async function handOverFollowing(
  deps: Pick<FollowDeps, "citizens" | "clock">,
  command: { municipality: Municipality; citizenId: string; from: string; to: string; follower?: string },
): Promise<HandOverFollowingOutcome> {
  const { municipality, from, to } = command;
  const follower = command.follower ?? from;
  if (!follower) return { kind: "not-following" };
  if (follower !== from && !isAdministrator(municipality, from)) return { kind: "not-allowed" };
  if (to === follower || !isCaseworker(municipality, to)) return { kind: "not-caseworker" };
  const now = deps.clock.now();
  const outcome = await deps.citizens.handOverFollowing(
    municipality.tenantId,
    command.citizenId,
    follower,
    to,
    now.toISOString(),
    { at: now.toISOString(), user: from, action: "follow-hand-over", purpose: `following handed over to ${to}` },
    (handedOver) => [
      notification(
        municipality.tenantId,
        `citizen:${command.citizenId}:following:${follower}:${handedOver.since}:to:${to}`,
        { kind: "personal", aadObjectId: to },
        { kind: "following-handed-over", citizenId: command.citizenId, from: follower },
        now,
      ),
    ],
  );
  return { kind: outcome };
}

function isFollowPurpose(value: string): value is FollowPurpose {
  return (FOLLOW_PURPOSES as readonly string[]).includes(value);
}

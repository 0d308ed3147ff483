import { ageOn, parseCpr, type Cpr, type LocalDate } from "./cpr.js";
import { forumForAge, type Municipality } from "./municipality.js";

/**
 * A citizen as the employment side is linked to them (SPEC §7): the caseworkers who follow
 * the citizen and the cases raised about them. Read in one go, so "who must be told" is
 * one look-up. `citizenId` is opaque (storage derives it with a keyed hash from the CPR
 * number, SPEC §9); it is what a card may carry instead of the CPR number.
 */
export interface CitizenLinks {
  citizenId: string;
  cprDigits: string;
  followers: readonly Follower[];
  cases: readonly CaseLink[];
}

/** Why an employment caseworker follows a citizen (a short fixed list; the edge shows Danish labels). */
export const FOLLOW_PURPOSES = [
  /** "Bostøtte-orientering": to be told of bostøtte decisions. */
  "bostotte-orientering",
  /** "Igangværende beskæftigelsessag": the citizen has an employment case here. */
  "beskaeftigelsessag",
  /** "Andet". */
  "andet",
] as const;
export type FollowPurpose = (typeof FOLLOW_PURPOSES)[number];

/** Why a caseworker stops following (audited: who, when, why — SPEC §9). */
export const UNFOLLOW_REASONS = [
  /** "Ikke længere relevant". */
  "ikke-relevant",
  /** "Sagen er afsluttet". */
  "sagen-afsluttet",
  /** "Andet". */
  "andet",
] as const;
export type UnfollowReason = (typeof UNFOLLOW_REASONS)[number];

/** An employment caseworker following a citizen. */
export interface Follower {
  aadObjectId: string;
  purpose: FollowPurpose;
  /** When the following began (ISO instant). */
  since: string;
}

/** A case raised about the citizen, and its current raising (employment) caseworker. */
export interface CaseLink {
  caseNo: number;
  raisedBy: string;
}

/** A citizen a caseworker follows, for `følger`: the edge masks the CPR with `maskCpr`. */
export interface FollowedCitizen {
  citizenId: string;
  cprDigits: string;
  purpose: FollowPurpose;
  since: string;
}

export type CitizenCprError = "required" | "cpr.format" | "cpr.date" | "cpr.too-young" | "cpr.future";

/**
 * A CPR number typed into a form, checked exactly as on the raise-case form (SPEC §3,
 * `validateDraft`): format and real birth date, born by `today`, and old enough for one of
 * the municipality's forums.
 */
export function checkCitizenCpr(
  typed: string,
  municipality: Municipality,
  today: LocalDate,
): { ok: true; cpr: Cpr; age: number } | { ok: false; error: CitizenCprError } {
  if (typed.trim() === "") return { ok: false, error: "required" };
  const parsed = parseCpr(typed);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const age = ageOn(parsed.cpr.birthDate, today);
  if (age < 0) return { ok: false, error: "cpr.future" };
  if (!forumForAge(municipality, age)) return { ok: false, error: "cpr.too-young" };
  return { ok: true, cpr: parsed.cpr, age };
}

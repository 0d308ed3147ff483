import { parseCpr } from "./cpr.js";
import type { FollowedCitizen } from "./citizen.js";
import { followedBy } from "./following.js";
import type { Municipality } from "./municipality.js";
import type { CitizenRepository } from "./ports.js";

export type FindFollowedOutcome =
  | { kind: "found"; citizen: FollowedCitizen }
  | { kind: "not-following" }
  | { kind: "invalid-cpr"; error: "required" | "cpr.format" | "cpr.date" };

/**
 * `stop følg <CPR>`: the citizen among those this caseworker follows (the caseworker's own
 * list, one partition read); nobody else's followings are looked at.
 */
export async function findFollowed(
  deps: { citizens: CitizenRepository },
  command: { municipality: Municipality; cpr: string; user: string },
): Promise<FindFollowedOutcome> {
  if (command.cpr.trim() === "") return { kind: "invalid-cpr", error: "required" };
  const parsed = parseCpr(command.cpr);
  if (!parsed.ok) return { kind: "invalid-cpr", error: parsed.error };
  const { citizens } = await followedBy(deps, { municipality: command.municipality, user: command.user });
  const citizen = citizens.find((c) => c.cprDigits === parsed.cpr.digits);
  return citizen ? { kind: "found", citizen } : { kind: "not-following" };
}

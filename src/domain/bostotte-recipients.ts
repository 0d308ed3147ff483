import type { BostotteKind } from "./bostotte.js";
import type { CitizenLinks } from "./citizen.js";
import { forumForAge, isCaseworker, type Municipality } from "./municipality.js";
import { notification, type Notification } from "./notification.js";

/** Who is told of a bostøtte decision (SPEC §7). */
export type BostotteRecipients =
  /** The employment caseworkers linked to the citizen, each once, in a stable order. */
  | { kind: "caseworkers"; aadObjectIds: string[] }
  /** Nobody is linked: the municipality's fallback, the channel of the forum of the citizen's age. */
  | { kind: "forum"; forumId: string };

/**
 * Every employment caseworker linked to the citizen — its followers and the raising
 * caseworker of any case about it — each once; only people who still hold the
 * caseworker role count. With none, the municipality's fallback (`bostotte.fallback`):
 * the channel of the forum the citizen's `age` belongs to (forumForAge), so the decision is
 * never silently dropped.
 */
export function bostotteRecipients(
  municipality: Municipality,
  links: Pick<CitizenLinks, "followers" | "cases">,
  age: number,
): BostotteRecipients {
  const linked = new Set([...links.followers.map((f) => f.aadObjectId), ...links.cases.map((c) => c.raisedBy)]);
  const caseworkers = [...linked].filter((id) => id && isCaseworker(municipality, id)).sort();
  if (caseworkers.length > 0) return { kind: "caseworkers", aadObjectIds: caseworkers };
  return { kind: "forum", forumId: fallbackForum(municipality, age) };
}

/** The forum of the citizen's age; the youngest forum for an age below the municipality's minimum. */
function fallbackForum(municipality: Municipality, age: number): string {
  const forum = forumForAge(municipality, Math.max(age, municipality.minimumAge)) ?? municipality.forums[0]!;
  return forum.id;
}

/**
 * The messages of one decision, each keyed to the decision and its recipient, so the same
 * decision can never send a recipient two.
 */
export function bostotteMessages(
  tenantId: string,
  decisionId: string,
  decision: BostotteKind,
  recipients: BostotteRecipients,
  now: Date,
): Notification[] {
  if (recipients.kind === "forum") {
    return [
      notification(
        tenantId,
        `bostotte:${decisionId}:forum:${recipients.forumId}`,
        { kind: "forum-channel", forumId: recipients.forumId },
        { kind: "bostotte", decisionId, decision, audience: "forum" },
        now,
      ),
    ];
  }
  return recipients.aadObjectIds.map((aadObjectId) =>
    notification(
      tenantId,
      `bostotte:${decisionId}:caseworker:${aadObjectId}`,
      { kind: "personal", aadObjectId },
      { kind: "bostotte", decisionId, decision, audience: "caseworker" },
      now,
    ),
  );
}

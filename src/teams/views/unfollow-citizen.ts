import { UNFOLLOW_REASONS } from "../../domain/citizen.js";
import { maskCpr } from "../../domain/cpr.js";
import { renderCard, type CardJson } from "../cards.js";
import { FOLLOW_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface UnfollowCitizenCard {
  citizenId: string;
  question: string;
  reason: string;
  error: string;
  reasons: { title: string; value: string }[];
  unfollowCitizen: typeof VERBS.unfollowCitizen;
}

/** `stop følg <CPR>`: why the caseworker stops following (audited). */
export function unfollowCitizenCard(
  citizen: { citizenId: string; cprDigits: string },
  form: { reason?: string; error?: string } = {},
): CardJson {
  return renderCard("unfollow-citizen", {
    citizenId: citizen.citizenId,
    question: FOLLOW_TEXT.unfollowQuestion(maskCpr(citizen.cprDigits)),
    reason: form.reason ?? "",
    error: form.error ?? "",
    reasons: UNFOLLOW_REASONS.map((value) => ({ title: FOLLOW_TEXT.unfollowReason[value], value })),
    unfollowCitizen: VERBS.unfollowCitizen,
  });
}

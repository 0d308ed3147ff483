import type { FollowedCitizen } from "../../domain/citizen.js";
import { maskCpr } from "../../domain/cpr.js";
import type { Municipality } from "../../domain/municipality.js";
import { renderCard, type CardJson } from "../cards.js";
import { personName } from "../format.js";
import { FOLLOW_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface HandOverFollowingCard {
  citizenId: string;
  question: string;
  selected: string;
  error: string;
  colleagues: { id: string; name: string }[];
  handOverFollowing: typeof VERBS.handOverFollowing;
}

/** "Giv videre" on a followed citizen (sagsbehandlerskift): the colleague who follows the citizen from now on. */
export function handOverFollowingCard(
  municipality: Municipality,
  citizen: FollowedCitizen,
  user: string,
  form: { selected?: string; error?: string } = {},
): CardJson {
  return renderCard("hand-over-following", {
    citizenId: citizen.citizenId,
    question: FOLLOW_TEXT.handOverFollowingQuestion(maskCpr(citizen.cprDigits)),
    selected: form.selected ?? "",
    error: form.error ?? "",
    colleagues: municipality.roles.caseworkers.filter((id) => id !== user).map((id) => ({ id, name: personName(municipality, id) })),
    handOverFollowing: VERBS.handOverFollowing,
  });
}

import { FOLLOW_PURPOSES } from "../../domain/citizen.js";
import type { FollowFieldErrors } from "../../domain/following.js";
import { renderCard, type CardJson } from "../cards.js";
import { FOLLOW_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface FollowCitizenCard {
  formError: string;
  values: { cpr: string; purpose: string };
  errors: { cpr: string; purpose: string };
  purposes: { title: string; value: string }[];
  followCitizen: typeof VERBS.followCitizen;
}

/** `følg <CPR>`: the caseworker says why they follow the citizen (audited), then follows. */
export function followCitizenCard(values: { cpr: string; purpose: string }, errors: FollowFieldErrors = {}, formError = ""): CardJson {
  return renderCard("follow-citizen", {
    formError,
    values,
    errors: {
      cpr: errors.cpr ? FOLLOW_TEXT.fieldError[errors.cpr] : "",
      purpose: errors.purpose ? FOLLOW_TEXT.fieldError[errors.purpose] : "",
    },
    purposes: FOLLOW_PURPOSES.map((value) => ({ title: FOLLOW_TEXT.purpose[value], value })),
    followCitizen: VERBS.followCitizen,
  });
}

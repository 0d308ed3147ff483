import type { FollowedCitizen } from "../../domain/citizen.js";
import { maskCpr } from "../../domain/cpr.js";
import { renderCard, type CardJson } from "../cards.js";
import { shortDateText, type ViewContext } from "../format.js";
import { FOLLOW_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface FollowedCitizensCard {
  count: number;
  summary: string;
  citizens: {
    citizenId: string;
    maskedCpr: string;
    purpose: string;
    since: string;
    showHandOverFollowing: typeof VERBS.showHandOverFollowing;
  }[];
}

/** How many followed citizens one card lists: more would pass Teams' message size. */
export const FOLLOWED_SHOWN = 30;

/** `følger`: the citizens the caseworker follows, masked, newest first. */
export function followedCitizensCard(view: ViewContext, citizens: FollowedCitizen[]): CardJson {
  return renderCard("followed-citizens", {
    count: citizens.length,
    summary:
      citizens.length > FOLLOWED_SHOWN
        ? FOLLOW_TEXT.listSummaryCut(citizens.length, FOLLOWED_SHOWN)
        : FOLLOW_TEXT.listSummary(citizens.length),
    citizens: citizens.slice(0, FOLLOWED_SHOWN).map((c) => ({
      citizenId: c.citizenId,
      showHandOverFollowing: VERBS.showHandOverFollowing,
      maskedCpr: maskCpr(c.cprDigits),
      purpose: FOLLOW_TEXT.purpose[c.purpose],
      since: shortDateText(c.since, view.timeZone),
    })),
  });
}

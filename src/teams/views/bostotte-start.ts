import { renderCard, type CardJson } from "../cards.js";
import { VERBS } from "../verbs.js";

export interface BostotteStartCard {
  showBostotteForm: typeof VERBS.showBostotteForm;
}

/** `bostøtte`: which decision to record — bevilling, afslag or ophør — each answered with its form. */
export function bostotteStartCard(): CardJson {
  return renderCard("bostotte-start", { showBostotteForm: VERBS.showBostotteForm });
}

import type { BostotteRecord } from "../../domain/bostotte.js";
import { maskCpr } from "../../domain/cpr.js";
import { renderCard, type CardJson } from "../cards.js";
import { bostotteFacts, type ViewContext } from "../format.js";
import { BOSTOTTE_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface BostotteNoticeCard {
  id: string;
  title: string;
  color: string;
  intro: string;
  facts: { title: string; value: string }[];
  note: string;
  showBostotteDetails: typeof VERBS.showBostotteDetails;
}

/**
 * The employment caseworker is told (SPEC §7; seed 001 "Afgørelser om bostøtte"): the kind,
 * the bevillingsramme of a grant, the end date of a termination, the reason of a refusal or
 * termination, the masked CPR, and Vis detaljer for the rest.
 */
export function bostotteNoticeCard(view: ViewContext, record: BostotteRecord): CardJson {
  const kind = record.decision.kind;
  return renderCard("bostotte-notice", {
    id: record.id,
    title: BOSTOTTE_TEXT.kindTitle[kind],
    color: kind === "bevilling" ? "Good" : "Attention",
    intro: BOSTOTTE_TEXT.noticeIntro[kind],
    facts: bostotteFacts(view, record, { title: BOSTOTTE_TEXT.fact.citizen, value: maskCpr(record.decision.cprDigits) }),
    note: BOSTOTTE_TEXT.sourceText[record.source],
    showBostotteDetails: VERBS.showBostotteDetails,
  });
}

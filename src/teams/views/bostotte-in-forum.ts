import type { BostotteRecord } from "../../domain/bostotte.js";
import { renderCard, type CardJson } from "../cards.js";
import { ageGroupText, bostotteFacts, type ViewContext } from "../format.js";
import { BOSTOTTE_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface BostotteInForumCard {
  id: string;
  title: string;
  color: string;
  facts: { title: string; value: string }[];
  showBostotteDetails: typeof VERBS.showBostotteDetails;
}

/**
 * The fallback when no employment caseworker is linked (SPEC §7): the forum of the
 * citizen's age is told in its channel — the decision without CPR number or any text;
 * the forum's coordinators see the rest with Vis detaljer (audited).
 */
export function bostotteInForumCard(view: ViewContext, record: BostotteRecord): CardJson {
  const kind = record.decision.kind;
  const ageGroup = record.fallbackForumId ? ageGroupText(view.municipality, record.fallbackForumId) : "";
  return renderCard("bostotte-in-forum", {
    id: record.id,
    title: BOSTOTTE_TEXT.kindTitle[kind],
    color: kind === "bevilling" ? "Good" : "Attention",
    facts: bostotteFacts(view, record, ageGroup ? { title: BOSTOTTE_TEXT.fact.ageGroup, value: ageGroup } : undefined),
    showBostotteDetails: VERBS.showBostotteDetails,
  });
}

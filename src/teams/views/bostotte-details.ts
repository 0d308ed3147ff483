import type { BostotteRecord } from "../../domain/bostotte.js";
import { renderCard, type CardJson } from "../cards.js";
import { bostotteFacts, escapeMarkdown, shortDateTimeText, type ViewContext } from "../format.js";
import { BOSTOTTE_TEXT } from "../messages.js";

export interface BostotteDetailsCard {
  title: string;
  facts: { title: string; value: string }[];
  textLabel: string;
  text: string;
}

/** "Vis detaljer" on a bostøtte card: the full CPR number and the decision's text, for those allowed (audited). */
export function bostotteDetailsCard(view: ViewContext, record: BostotteRecord): CardJson {
  const d = record.decision;
  const cpr = `${d.cprDigits.slice(0, 6)}-${d.cprDigits.slice(6)}`;
  const facts = bostotteFacts(view, record, { title: BOSTOTTE_TEXT.fact.citizen, value: cpr });
  facts.push(
    { title: BOSTOTTE_TEXT.fact.source, value: BOSTOTTE_TEXT.sourceText[record.source] },
    { title: BOSTOTTE_TEXT.fact.recordedAt, value: shortDateTimeText(record.recordedAt, view.timeZone) },
  );
  const text = d.kind === "bevilling" ? d.frame.purpose : d.reasonText;
  return renderCard("bostotte-details", {
    title: BOSTOTTE_TEXT.detailsTitle(d.kind),
    facts,
    textLabel: BOSTOTTE_TEXT.textLabel[d.kind],
    text: escapeMarkdown(text),
  });
}

import type { BostotteRecord } from "../../domain/bostotte.js";
import { maskCpr } from "../../domain/cpr.js";
import { renderCard, type CardJson } from "../cards.js";
import { bostotteFacts, forumName, type ViewContext } from "../format.js";
import { BOSTOTTE_TEXT } from "../messages.js";

export interface BostotteRecordedCard {
  title: string;
  repeated: boolean;
  facts: { title: string; value: string }[];
  told: string;
}

/** The confirmation that replaces the form: what was recorded, and who was told. */
export function bostotteRecordedCard(view: ViewContext, record: BostotteRecord, repeated: boolean): CardJson {
  return renderCard("bostotte-recorded", {
    title: BOSTOTTE_TEXT.recordedTitle(record.decision.kind),
    repeated,
    facts: bostotteFacts(view, record, { title: BOSTOTTE_TEXT.fact.citizen, value: maskCpr(record.decision.cprDigits) }),
    told: record.fallbackForumId
      ? BOSTOTTE_TEXT.toldForum(forumName(view.municipality, record.fallbackForumId))
      : BOSTOTTE_TEXT.toldCaseworkers(record.notified.length),
  });
}

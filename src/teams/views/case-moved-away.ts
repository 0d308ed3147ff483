import type { CaseRecord } from "../../domain/case.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, forumName, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";

export interface CaseMovedAwayCard {
  reference: string;
  text: string;
}

/** The old card of a case that moved to another forum (målgruppeskift): where it went. No CPR, no text. */
export function caseMovedAwayCard(view: ViewContext, record: CaseRecord, toForumId: string): CardJson {
  return renderCard("case-moved-away", {
    reference: record.reference,
    text: TEXT.movedToForum(forumName(view.municipality, toForumId), caseMeetingText(view, record)),
  });
}

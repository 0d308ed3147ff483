import type { CaseRecord } from "../../domain/case.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, escapeMarkdown, forumName, type ViewContext } from "../format.js";
import { VERBS } from "../verbs.js";

export interface CaseDetailsCard {
  caseNo: number;
  reference: string;
  cpr: string;
  age: number;
  forumName: string;
  meetingText: string;
  raisedByName: string;
  department: string;
  acute: boolean;
  acuteReason: string;
  health: string;
  social: string;
  question: string;
  /** What the caseworker added after the forum asked for more information; "" when nothing. */
  additionalInfo: string;
  showCaseCard: typeof VERBS.showCaseCard;
}

/** "Vis detaljer": the whole case, shown only to the one who asked and was allowed (SPEC §6). */
export function caseDetailsCard(view: ViewContext, record: CaseRecord): CardJson {
  return renderCard("case-details", {
    caseNo: record.caseNo,
    reference: record.reference,
    cpr: `${record.cprDigits.slice(0, 6)}-${record.cprDigits.slice(6)}`,
    age: record.age,
    forumName: forumName(view.municipality, record.forumId),
    meetingText: caseMeetingText(view, record),
    raisedByName: escapeMarkdown(record.raisedByName),
    department: escapeMarkdown(record.department),
    acute: record.acute,
    acuteReason: escapeMarkdown(record.acuteReason),
    health: escapeMarkdown(record.health),
    social: escapeMarkdown(record.social),
    question: escapeMarkdown(record.question),
    additionalInfo: escapeMarkdown(record.additionalInfo),
    showCaseCard: VERBS.showCaseCard,
  });
}

import type { CaseRecord } from "../../domain/case.js";
import { maskCpr } from "../../domain/cpr.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface WithdrawCaseCard {
  caseNo: number;
  version: number;
  reference: string;
  maskedCpr: string;
  meetingText: string;
  question: string;
  withdrawCase: typeof VERBS.withdrawCase;
}

/** "Træk tilbage?": the caseworker confirms taking an undecided case back from the forum. */
export function withdrawCaseCard(view: ViewContext, record: CaseRecord): CardJson {
  return renderCard("withdraw-case", {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    maskedCpr: maskCpr(record.cprDigits),
    meetingText: caseMeetingText(view, record),
    question: TEXT.withdrawQuestion(record.reference),
    withdrawCase: VERBS.withdrawCase,
  });
}

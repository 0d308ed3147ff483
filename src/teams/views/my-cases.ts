import type { CaseSummary } from "../../domain/case.js";
import { maskCpr } from "../../domain/cpr.js";
import { canBeWithdrawn } from "../../domain/case-lifecycle.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, forumName, shortDateText, type ViewContext } from "../format.js";
import { PRIVACY_TEXT, TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface MyCasesCard {
  count: number;
  summary: string;
  cases: {
    reference: string;
    /** The masked CPR and age, or — once retention deleted them — that they are gone. */
    citizen: string;
    maskedCpr: string;
    age: number;
    stateText: string;
    stateColor: string;
    forumName: string;
    meetingText: string;
    raisedAt: string;
    caseNo: number;
    canWithdraw: boolean;
    showWithdrawCase: typeof VERBS.showWithdrawCase;
    canHandOver: boolean;
    showHandOverCase: typeof VERBS.showHandOverCase;
  }[];
}

/** `mine sager`: the caseworker's own cases, masked, newest first. */
export function myCasesCard(view: ViewContext, mine: { cases: CaseSummary[]; limited: boolean }): CardJson {
  return renderCard("my-cases", {
    count: mine.cases.length,
    summary: TEXT.myCasesSummary(mine.cases.length, mine.limited),
    cases: mine.cases.map((r) => ({
      reference: r.reference,
      citizen: r.anonymised ? PRIVACY_TEXT.personalDataDeleted(r.anonymised.afterMonths) : `${maskCpr(r.cprDigits)} · ${r.age} år`,
      maskedCpr: maskCpr(r.cprDigits),
      age: r.age,
      stateText: (r.acute ? TEXT.acuteStatePrefix : "") + TEXT.stateText[r.state],
      stateColor: r.acute ? "Attention" : "Default",
      forumName: forumName(view.municipality, r.forumId),
      meetingText: caseMeetingText(view, r),
      raisedAt: shortDateText(r.raisedAt, view.timeZone),
      caseNo: r.caseNo,
      canWithdraw: canBeWithdrawn(r.state),
      showWithdrawCase: VERBS.showWithdrawCase,
      canHandOver: r.state !== "closed" && r.state !== "withdrawn" && !r.anonymised,
      showHandOverCase: VERBS.showHandOverCase,
    })),
  });
}

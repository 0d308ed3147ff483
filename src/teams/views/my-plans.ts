import type { PlanSummary } from "../../domain/plan.js";
import { renderCard, type CardJson } from "../cards.js";
import { escapeMarkdown, isoDateText } from "../format.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface MyPlansCard {
  title: string;
  count: number;
  summary: string;
  empty: string;
  plans: {
    caseNo: number;
    reference: string;
    stateText: string;
    stateColor: string;
    details: string;
    openPlan: typeof VERBS.openPlan;
  }[];
}

const STATE_COLOR = { draft: "Warning", agreed: "Accent", active: "Good", ended: "Default" } as const;

/** `planer`: the joint plans the caseworker takes part in, newest case first, each with a button to open it. */
export function myPlansCard(mine: { plans: PlanSummary[]; limited: boolean }, viewer: string): CardJson {
  return renderCard("my-plans", {
    title: PLAN_TEXT.listTitle,
    count: mine.plans.length,
    summary: PLAN_TEXT.listSummary(mine.plans.length, mine.limited),
    empty: PLAN_TEXT.listEmpty,
    plans: mine.plans.map((p) => {
      const other = p.owners.employment.aadObjectId === viewer ? p.owners.social : p.owners.employment;
      const details = [PLAN_TEXT.listWith(escapeMarkdown(other.name))];
      if (p.version > 0) details.push(PLAN_TEXT.listApprovals(new Set(p.approvedBy).size));
      if (p.nextFollowUp && p.state !== "ended")
        details.push(PLAN_TEXT.listNextFollowUp(p.nextFollowUp.kind, isoDateText(p.nextFollowUp.date)));
      return {
        caseNo: p.caseNo,
        reference: p.reference,
        stateText: PLAN_TEXT.stateLine(PLAN_TEXT.state[p.state], p.version),
        stateColor: STATE_COLOR[p.state],
        details: details.join(" · "),
        openPlan: VERBS.openPlan,
      };
    }),
  });
}

import type { FollowUpKind } from "../../domain/plan.js";
import { renderCard, type CardJson } from "../cards.js";
import { PLAN_TEXT, type PlanNoticeEvent } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface PlanNoticeCard {
  caseNo: number;
  title: string;
  color: string;
  text: string;
  lines: { text: string }[];
  canRecordFollowUp: boolean;
  followUpKind: string;
  showPlanFollowUp: typeof VERBS.showPlanFollowUp;
  openPlan: typeof VERBS.openPlan;
}

const COLOR = {
  opened: "Default",
  changed: "Warning",
  approved: "Default",
  agreed: "Good",
  active: "Good",
  ended: "Default",
  "follow-up-due": "Attention",
  "forum-follow-up-booked": "Default",
} satisfies Record<PlanNoticeEvent, string>;

/**
 * A message to one of the plan's owners (SPEC §7): the other opened, changed or approved
 * it, both agreed, it became active or ended, a follow-up date has come (with the plan's
 * efforts and a button to record it), or the forum follow-up was booked. `text` and
 * `lines` are formatted and escaped by the caller.
 */
export function planNoticeCard(
  caseNo: number,
  event: PlanNoticeEvent,
  text: string,
  lines: string[] = [],
  followUp?: FollowUpKind,
): CardJson {
  return renderCard("plan-notice", {
    caseNo,
    title: PLAN_TEXT.noticeTitle[event],
    color: COLOR[event],
    text,
    lines: lines.map((t) => ({ text: t })),
    canRecordFollowUp: followUp !== undefined,
    followUpKind: followUp ?? "",
    showPlanFollowUp: VERBS.showPlanFollowUp,
    openPlan: VERBS.openPlan,
  });
}

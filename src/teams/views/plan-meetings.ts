import type { PlanRecord } from "../../domain/plan.js";
import type { MeetingsFieldError, MeetingsInput } from "../../domain/plan-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Field = keyof MeetingsInput;

export interface PlanMeetingsCard {
  caseNo: number;
  title: string;
  banner: string;
  values: Record<Field, string>;
  errors: Record<Field, string>;
  registerPlanMeetings: typeof VERBS.registerPlanMeetings;
  openPlan: typeof VERBS.openPlan;
}

/** The koordineringsmøde and the fællessamtale (seed 001), planned or held; kept as typed on error. */
export function planMeetingsCard(
  plan: PlanRecord,
  values: MeetingsInput,
  o: { errors?: Partial<Record<Field, MeetingsFieldError>>; banner?: string } = {},
): CardJson {
  const errors = o.errors ?? {};
  return renderCard("plan-meetings", {
    caseNo: plan.caseNo,
    title: PLAN_TEXT.meetingsTitle(plan.reference),
    banner: o.banner ?? "",
    values,
    errors: {
      coordinationMeeting: errors.coordinationMeeting ? PLAN_TEXT.meetingsError[errors.coordinationMeeting] : "",
      jointConversation: errors.jointConversation ? PLAN_TEXT.meetingsError[errors.jointConversation] : "",
    },
    registerPlanMeetings: VERBS.registerPlanMeetings,
    openPlan: VERBS.openPlan,
  });
}

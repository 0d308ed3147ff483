import { MAX_NOTE_CHARS, type PlanRecord } from "../../domain/plan.js";
import type { DatedNoteFieldError, DatedNoteInput } from "../../domain/plan-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Field = keyof DatedNoteInput;

export interface PlanWithdrawConsentCard {
  caseNo: number;
  title: string;
  banner: string;
  maxNoteChars: number;
  values: Record<Field, string>;
  errors: Record<Field, string>;
  withdrawPlanConsent: typeof VERBS.withdrawPlanConsent;
  openPlan: typeof VERBS.openPlan;
}

/** The citizen withdraws their consent (LAB § 40, stk. 3): the day and a note; the plan then ends. */
export function planWithdrawConsentCard(
  plan: PlanRecord,
  values: DatedNoteInput,
  o: { errors?: Partial<Record<Field, DatedNoteFieldError>>; banner?: string } = {},
): CardJson {
  const errors = o.errors ?? {};
  return renderCard("plan-withdraw-consent", {
    caseNo: plan.caseNo,
    title: PLAN_TEXT.withdrawTitle(plan.reference),
    banner: o.banner ?? "",
    maxNoteChars: MAX_NOTE_CHARS,
    values,
    errors: {
      on: errors.on ? PLAN_TEXT.datedNoteError[errors.on] : "",
      note: errors.note ? PLAN_TEXT.datedNoteError[errors.note] : "",
    },
    withdrawPlanConsent: VERBS.withdrawPlanConsent,
    openPlan: VERBS.openPlan,
  });
}

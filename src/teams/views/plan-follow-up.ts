import { followUpDatesOf, isFollowUpRecorded, MAX_NOTE_CHARS, type PlanRecord } from "../../domain/plan.js";
import type { FollowUpFieldError } from "../../domain/plan-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { isoDateText } from "../format.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Field = "kind" | "heldOn" | "note";

export interface PlanFollowUpCard {
  caseNo: number;
  title: string;
  banner: string;
  maxNoteChars: number;
  values: Record<Field, string>;
  errors: Record<Field, string>;
  kinds: { title: string; value: string }[];
  recordPlanFollowUp: typeof VERBS.recordPlanFollowUp;
  openPlan: typeof VERBS.openPlan;
}

/**
 * A follow-up of the plan took place (SPEC §5, §7): which one (of the plan's dates not yet
 * recorded), when, and a short note. Kept as typed on error.
 */
export function planFollowUpCard(
  plan: PlanRecord,
  values: Record<Field, string>,
  o: { errors?: Partial<Record<"heldOn" | "note", FollowUpFieldError>>; kindMissing?: boolean; banner?: string } = {},
): CardJson {
  const errors = o.errors ?? {};
  return renderCard("plan-follow-up", {
    caseNo: plan.caseNo,
    title: PLAN_TEXT.followUpTitle(plan.reference),
    banner: o.banner ?? "",
    maxNoteChars: MAX_NOTE_CHARS,
    values,
    errors: {
      kind: o.kindMissing ? PLAN_TEXT.followUpChooseKind : "",
      heldOn: errors.heldOn ? PLAN_TEXT.followUpError[errors.heldOn] : "",
      note: errors.note ? PLAN_TEXT.followUpError[errors.note] : "",
    },
    kinds: followUpDatesOf(plan)
      .filter((f) => !isFollowUpRecorded(plan, f.kind, f.date))
      .map((f) => ({ title: PLAN_TEXT.followUpChoice(f.kind, isoDateText(f.date)), value: f.kind })),
    recordPlanFollowUp: VERBS.recordPlanFollowUp,
    openPlan: VERBS.openPlan,
  });
}

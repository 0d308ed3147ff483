import { MAX_NOTE_CHARS, SHARED_INFORMATION, type PlanRecord } from "../../domain/plan.js";
import type { ConsentInput } from "../../domain/plan-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Field = keyof ConsentInput;

export interface PlanConsentCard {
  caseNo: number;
  version: number;
  title: string;
  intro: string;
  banner: string;
  maxNoteChars: number;
  /** Multi-select values as the card sends them: ids joined with ",". */
  values: Record<Field, string>;
  errors: Record<Field, string>;
  effortChoices: { title: string; value: string }[];
  informationChoices: { title: string; value: string }[];
  recordPlanConsent: typeof VERBS.recordPlanConsent;
  recordPlanRefusal: typeof VERBS.recordPlanRefusal;
  openPlan: typeof VERBS.openPlan;
}

/**
 * The citizen's answer to the offer (LAB § 40, stk. 3; SPEC §5): the day, the efforts the
 * consent covers and what the departments may share — or the refusal, with the same day and
 * note. Kept as typed on error; `errors` are the texts of a consent's or a refusal's codes.
 */
export function planConsentCard(
  plan: PlanRecord,
  values: ConsentInput,
  o: { errors?: Partial<Record<Field, string>>; banner?: string } = {},
): CardJson {
  const errors = o.errors ?? {};
  return renderCard("plan-consent", {
    caseNo: plan.caseNo,
    version: plan.version,
    title: PLAN_TEXT.consentTitle(plan.reference),
    intro: PLAN_TEXT.consentIntro(plan.version),
    banner: o.banner ?? "",
    maxNoteChars: MAX_NOTE_CHARS,
    values: {
      givenOn: values.givenOn,
      efforts: values.efforts.join(","),
      sharedInformation: values.sharedInformation.join(","),
      note: values.note,
    },
    errors: {
      givenOn: errors.givenOn ?? "",
      efforts: errors.efforts ?? "",
      sharedInformation: errors.sharedInformation ?? "",
      note: errors.note ?? "",
    },
    effortChoices: (plan.content?.efforts ?? []).map((e, i) => ({ title: `${i + 1}. ${e.title}`, value: e.id })),
    informationChoices: SHARED_INFORMATION.map((s) => ({ title: PLAN_TEXT.sharedInformation[s], value: s })),
    recordPlanConsent: VERBS.recordPlanConsent,
    recordPlanRefusal: VERBS.recordPlanRefusal,
    openPlan: VERBS.openPlan,
  });
}

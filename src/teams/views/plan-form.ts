import { MAX_CHARS } from "../../domain/case.js";
import {
  EFFORT_FIELDS,
  MAX_EFFORTS,
  newEffortId,
  type EffortField,
  type PlanContent,
  type PlanFieldErrors,
  type PlanRecord,
} from "../../domain/plan.js";
import { renderCard, type CardJson } from "../cards.js";
import { escapeMarkdown } from "../format.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";
import { ownerName, planChangeTexts } from "./plan.js";

/**
 * One effort row as typed. `person` is a name (a colleague in the directory is recognised by
 * it); `after` is the id of the effort this one starts after (the form shows its number), or
 * what was typed when it names no effort.
 */
export type EffortFormValues = Record<"id" | "title" | "purpose" | "department" | "person" | "from" | "to" | "after", string>;

const TOP_FIELDS = ["framework", "employmentFollowUp", "socialFollowUp", "fixedCaseworker", "budgetKr", "forumFollowUp"] as const;
type TopField = (typeof TOP_FIELDS)[number];

/** The plan form as typed, every field a string. */
export type PlanFormValues = { efforts: EffortFormValues[] } & Record<TopField, string>;

export interface PlanFormCard {
  caseNo: number;
  version: number;
  title: string;
  intro: string;
  banner: string;
  notes: { text: string }[];
  notesNext: string;
  /**
   * The rows' effort ids in order, space-separated, in a hidden input: every button submits
   * them with the typed fields (named by position, as the domain's error paths), so each row
   * keeps its id.
   */
  effortIds: string;
  effortsError: string;
  efforts: {
    index: number;
    number: number;
    values: EffortFormValues;
    errors: Record<EffortField, string>;
    /** The number of the effort this one starts after, as the caseworker types it; "" for parallel. */
    after: string;
  }[];
  canAdd: boolean;
  maxChars: number;
  values: Record<TopField, string>;
  errors: Record<TopField, string>;
  owners: { title: string; value: string }[];
  editPlan: typeof VERBS.editPlan;
  addPlanEffort: typeof VERBS.addPlanEffort;
  removePlanEffort: typeof VERBS.removePlanEffort;
  openPlan: typeof VERBS.openPlan;
}

/** An empty effort row with an id not used on the form. */
export function emptyEffort(existing: readonly string[]): EffortFormValues {
  return { id: newEffortId(existing), title: "", purpose: "", department: "", person: "", from: "", to: "", after: "" };
}

/** The form filled with the stored plan, or with one empty effort row for a plan not written yet. */
export function planFormValuesOf(content: PlanContent | undefined): PlanFormValues {
  if (!content) {
    return {
      efforts: [emptyEffort([])],
      framework: "",
      employmentFollowUp: "",
      socialFollowUp: "",
      fixedCaseworker: "",
      budgetKr: "",
      forumFollowUp: "",
    };
  }
  return {
    efforts: content.efforts.map((e) => ({
      id: e.id,
      title: e.title,
      purpose: e.purpose,
      department: e.department,
      person: e.performer.name,
      from: e.from,
      to: e.to,
      after: e.after ?? "",
    })),
    framework: content.framework,
    employmentFollowUp: content.employmentFollowUp,
    socialFollowUp: content.socialFollowUp,
    fixedCaseworker: content.fixedCaseworker,
    budgetKr: content.budgetKr === undefined ? "" : String(content.budgetKr),
    forumFollowUp: content.forumFollowUp ?? "",
  };
}

/**
 * The plan form (SPEC §5): every field of the plan and one row per effort. It answers every
 * button — Tilføj indsats, Fjern, Gem — with itself, everything typed kept and each error
 * beside its field, because the Playground opens no dialogs and ignores `refresh`.
 * `version` is the version the caseworker is editing: saving over a newer one is a conflict.
 */
export function planFormCard(
  plan: PlanRecord,
  values: PlanFormValues,
  o: { version: number; errors?: PlanFieldErrors; banner?: string; conflict?: boolean },
): CardJson {
  const errors = o.errors ?? {};
  const text = (code: keyof typeof PLAN_TEXT.fieldError | undefined) => (code ? PLAN_TEXT.fieldError[code] : "");
  const ids = values.efforts.map((e) => e.id);
  const by = escapeMarkdown(ownerName(plan, plan.changedBy ?? ""));
  return renderCard("plan-form", {
    caseNo: plan.caseNo,
    version: o.version,
    title: PLAN_TEXT.formTitle(plan.reference),
    intro: PLAN_TEXT.formIntro(o.version),
    banner: o.conflict ? PLAN_TEXT.conflict(by, plan.version) : (o.banner ?? ""),
    notes: o.conflict ? planChangeTexts(plan.changes).map((t) => ({ text: t })) : [],
    notesNext: o.conflict ? PLAN_TEXT.conflictNext(plan.version) : "",
    effortIds: ids.join(" "),
    effortsError: text(errors.efforts),
    efforts: values.efforts.map((effort, index) => ({
      index,
      number: index + 1,
      values: effort,
      errors: Object.fromEntries(EFFORT_FIELDS.map((f) => [f, text(errors[`efforts.${index}.${f}`])])) as Record<EffortField, string>,
      after: effort.after && ids.includes(effort.after) ? String(ids.indexOf(effort.after) + 1) : effort.after,
    })),
    canAdd: values.efforts.length < MAX_EFFORTS,
    maxChars: MAX_CHARS,
    values: Object.fromEntries(TOP_FIELDS.map((f) => [f, values[f]])) as Record<TopField, string>,
    errors: Object.fromEntries(TOP_FIELDS.map((f) => [f, text(errors[f])])) as Record<TopField, string>,
    owners: (["employment", "social"] as const).map((side) => ({
      title: PLAN_TEXT.owner(plan.owners[side].name, PLAN_TEXT.side[side]),
      value: plan.owners[side].aadObjectId,
    })),
    editPlan: VERBS.editPlan,
    addPlanEffort: VERBS.addPlanEffort,
    removePlanEffort: VERBS.removePlanEffort,
    openPlan: VERBS.openPlan,
  });
}

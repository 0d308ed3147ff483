import { DRAFT_FIELDS, MAX_CHARS, MAX_LINES, type CaseDraft, type FieldErrors } from "../../domain/case.js";
import type { Municipality } from "../../domain/municipality.js";
import { renderCard, type CardJson } from "../cards.js";
import { fieldErrorText } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface CaseFormCard {
  submitCase: typeof VERBS.submitCase;
  submissionId: string;
  maxLines: number;
  maxChars: number;
  formError: string;
  values: { cpr: string; health: string; social: string; question: string; department: string; acute: string; acuteReason: string };
  errors: { cpr: string; health: string; social: string; question: string; department: string; acuteReason: string };
  departments: { title: string; value: string }[];
}

export const EMPTY_DRAFT: CaseDraft = { cpr: "", health: "", social: "", question: "", department: "", acute: false, acuteReason: "" };

/**
 * The raise-case form (SPEC §3). It comes back after a failed submit with everything typed
 * kept and a Danish error beside each wrong field; `submissionId` makes one case per form.
 */
export function caseFormCard(
  municipality: Municipality,
  submissionId: string,
  draft: CaseDraft = EMPTY_DRAFT,
  errors: FieldErrors = {},
  formError = "",
): CardJson {
  const errorTexts = Object.fromEntries(
    DRAFT_FIELDS.map((f) => [f, errors[f] ? fieldErrorText(errors[f], municipality.minimumAge) : ""]),
  ) as CaseFormCard["errors"];
  return renderCard("case-form", {
    submitCase: VERBS.submitCase,
    submissionId,
    maxLines: MAX_LINES,
    maxChars: MAX_CHARS,
    formError,
    values: { ...draft, acute: draft.acute ? "true" : "false" },
    errors: errorTexts,
    departments: municipality.departments.map((d) => ({ title: d, value: d })),
  });
}

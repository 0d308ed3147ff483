import { BOSTOTTE_FIELDS, LEGAL_BASES, type BostotteDraft, type BostotteFieldErrors, type BostotteKind } from "../../domain/bostotte.js";
import { MAX_CHARS } from "../../domain/case.js";
import type { Municipality } from "../../domain/municipality.js";
import { renderCard, type CardJson } from "../cards.js";
import { BOSTOTTE_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Field = (typeof BOSTOTTE_FIELDS)[number];

export interface BostotteFormCard {
  kind: BostotteKind;
  title: string;
  intro: string;
  isGrant: boolean;
  isTermination: boolean;
  submissionId: string;
  maxChars: number;
  formError: string;
  values: Record<Field, string>;
  errors: Record<Field, string>;
  legalBases: { title: string; value: string }[];
  reasons: { title: string; value: string }[];
  submitBostotte: typeof VERBS.submitBostotte;
}

/**
 * The social caseworker's form for one kind of bostøtte decision (SPEC §7). It comes back
 * after a failed submit with everything typed kept and a Danish error beside each field.
 */
export function bostotteFormCard(
  municipality: Municipality,
  kind: BostotteKind,
  submissionId: string,
  draft: BostotteDraft,
  errors: BostotteFieldErrors = {},
  formError = "",
): CardJson {
  const reasons = kind === "ophoer" ? municipality.bostotte.terminationReasons : municipality.bostotte.refusalReasons;
  return renderCard("bostotte-form", {
    kind,
    title: BOSTOTTE_TEXT.formTitle[kind],
    intro: BOSTOTTE_TEXT.formIntro[kind],
    isGrant: kind === "bevilling",
    isTermination: kind === "ophoer",
    submissionId,
    maxChars: MAX_CHARS,
    formError,
    values: { ...draft, kind, hoursPer: draft.hoursPer || "week" },
    errors: Object.fromEntries(BOSTOTTE_FIELDS.map((f) => [f, errors[f] ? BOSTOTTE_TEXT.fieldError[errors[f]] : ""])) as Record<
      Field,
      string
    >,
    legalBases: LEGAL_BASES.map((value) => ({ title: BOSTOTTE_TEXT.legalBasis[value], value })),
    reasons: reasons.map((r) => ({ title: r.label, value: r.id })),
    submitBostotte: VERBS.submitBostotte,
  });
}

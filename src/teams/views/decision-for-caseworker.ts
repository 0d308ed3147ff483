import type { CaseRecord } from "../../domain/case.js";
import { renderCard, type CardJson } from "../cards.js";
import { decidedText, decisionText, escapeMarkdown, personName, type ViewContext } from "../format.js";
import { TEXT, type DecisionAudience } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface DecisionForCaseworkerCard {
  caseNo: number;
  version: number;
  title: string;
  reference: string;
  decisionText: string;
  decidedText: string;
  noteLabel: string;
  note: string;
  nextStep: string;
  askForInformation: boolean;
  information: string;
  error: string;
  showDetails: boolean;
  addInformation: typeof VERBS.addInformation;
  showCaseDetails: typeof VERBS.showCaseDetails;
  /** After "Start sag": both caseworkers open the joint plan from here (SPEC §5). */
  canOpenPlan: boolean;
  openPlan: typeof VERBS.openPlan;
}

/**
 * The decision as the raising caseworker or the visitated social caseworker reads it
 * (SPEC §7); for "Mere information" with a form to add what is missing, kept on error.
 */
export function decisionForCaseworkerCard(
  view: ViewContext,
  record: CaseRecord,
  audience: DecisionAudience,
  form: { information?: string; error?: string } = {},
): CardJson {
  const { municipality } = view;
  const decision = record.decision ?? "postpone";
  const social = record.socialCaseworker ? personName(municipality, record.socialCaseworker) : "";
  return renderCard("decision-for-caseworker", {
    caseNo: record.caseNo,
    version: record.version,
    title: TEXT.decisionTitle[audience],
    reference: record.reference,
    decisionText: decisionText(municipality, record),
    decidedText: decidedText(record, view.timeZone),
    noteLabel: audience === "raiser" ? TEXT.decisionNoteLabel[decision] : "",
    note: escapeMarkdown(record.decisionNote),
    nextStep: audience === "raiser" ? TEXT.nextStepAfter[decision](social) : TEXT.nextStepSocial(escapeMarkdown(record.raisedByName)),
    askForInformation: audience === "raiser" && record.state === "awaiting-information",
    information: form.information ?? "",
    error: form.error ?? "",
    showDetails: audience === "social-caseworker",
    addInformation: VERBS.addInformation,
    showCaseDetails: VERBS.showCaseDetails,
    canOpenPlan: record.decision === "start" && record.state === "visitated",
    openPlan: VERBS.openPlan,
  });
}

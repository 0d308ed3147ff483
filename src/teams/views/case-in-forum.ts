import type { CaseRecord } from "../../domain/case.js";
import { canBeDecided } from "../../domain/case-lifecycle.js";
import { renderCard, type CardJson } from "../cards.js";
import { ageGroupText, caseMeetingText, decidedText, decisionText, escapeMarkdown, personName, type ViewContext } from "../format.js";
import { PRIVACY_TEXT, TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface CaseInForumCard {
  caseNo: number;
  version: number;
  reference: string;
  acute: boolean;
  banner: string;
  ageGroup: string;
  department: string;
  meetingText: string;
  stateText: string;
  decisionText: string;
  decidedText: string;
  canDecide: boolean;
  canMove: boolean;
  values: DecisionValues;
  errors: DecisionValues;
  socialCaseworkers: { id: string; name: string }[];
  decideCase: typeof VERBS.decideCase;
  showCaseDetails: typeof VERBS.showCaseDetails;
  showMoveCase: typeof VERBS.showMoveCase;
}

export interface DecisionValues {
  decision: string;
  socialCaseworker: string;
  note: string;
}

/** What the decision form shows besides the case: a banner, and the input kept with its errors. */
export interface DecisionFormState {
  banner?: string;
  values?: DecisionValues;
  errors?: Partial<DecisionValues>;
}

/**
 * The case's card in the forum channel (SPEC §6): no CPR and no health or social text —
 * reference, age group, department, meeting, state, and the coordinators' decision form.
 */
export function caseInForumCard(view: ViewContext, record: CaseRecord, form: DecisionFormState = {}): CardJson {
  const { municipality } = view;
  return renderCard("case-in-forum", {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    acute: record.acute,
    banner: form.banner ?? (record.anonymised ? PRIVACY_TEXT.personalDataDeleted(record.anonymised.afterMonths) : ""),
    ageGroup: ageGroupText(municipality, record.forumId),
    department: escapeMarkdown(record.department),
    meetingText:
      record.state === "awaiting-information" || record.state === "withdrawn"
        ? TEXT.stateText[record.state]
        : caseMeetingText(view, record),
    stateText: TEXT.stateText[record.state],
    decisionText: record.decision && record.decision !== "postpone" ? decisionText(municipality, record) : "",
    decidedText: decidedText(record, view.timeZone),
    canDecide: canBeDecided(record.state),
    canMove: record.state === "booked",
    values: form.values ?? { decision: "", socialCaseworker: "", note: "" },
    errors: { decision: "", socialCaseworker: "", note: "", ...form.errors },
    socialCaseworkers: municipality.roles.socialCaseworkers.map((id) => ({ id, name: personName(municipality, id) })),
    decideCase: VERBS.decideCase,
    showCaseDetails: VERBS.showCaseDetails,
    showMoveCase: VERBS.showMoveCase,
  });
}

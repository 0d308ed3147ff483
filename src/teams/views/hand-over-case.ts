import type { CaseRecord } from "../../domain/case.js";
import { maskCpr } from "../../domain/cpr.js";
import type { Municipality } from "../../domain/municipality.js";
import { renderCard, type CardJson } from "../cards.js";
import { personName } from "../format.js";
import { TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface HandOverCaseCard {
  caseNo: number;
  version: number;
  reference: string;
  maskedCpr: string;
  stateText: string;
  selected: string;
  error: string;
  colleagues: { id: string; name: string }[];
  handOverCase: typeof VERBS.handOverCase;
}

/** "Skift sagsbehandler": the colleague (an employment caseworker) who takes the case over. */
export function handOverCaseCard(
  municipality: Municipality,
  record: CaseRecord,
  user: string,
  form: { selected?: string; error?: string } = {},
): CardJson {
  return renderCard("hand-over-case", {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    maskedCpr: maskCpr(record.cprDigits),
    stateText: TEXT.stateText[record.state],
    selected: form.selected ?? "",
    error: form.error ?? "",
    colleagues: municipality.roles.caseworkers.filter((id) => id !== user).map((id) => ({ id, name: personName(municipality, id) })),
    handOverCase: VERBS.handOverCase,
  });
}

import type { CaseRecord } from "./case.js";
import { isAdministrator, type Municipality } from "./municipality.js";
import type { CaseRepository } from "./ports.js";

export type HandOverPreview =
  { kind: "choose"; record: CaseRecord } | { kind: "not-allowed" } | { kind: "closed"; record: CaseRecord } | { kind: "unknown-case" };

/** "Skift sagsbehandler", step one: the case, for its caseworker (or an administrator) to choose a colleague. Changes nothing. */
export async function prepareHandOver(
  deps: { cases: Pick<CaseRepository, "get"> },
  command: { municipality: Municipality; caseNo: number; user: string },
): Promise<HandOverPreview> {
  const { municipality, user } = command;
  const record = await deps.cases.get(municipality.tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (!user || (record.raisedBy !== user && !isAdministrator(municipality, user))) return { kind: "not-allowed" };
  if (record.state === "closed" || record.state === "withdrawn") return { kind: "closed", record };
  return { kind: "choose", record };
}

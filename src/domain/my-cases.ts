import type { CaseSummary } from "./case.js";
import type { Municipality } from "./municipality.js";
import type { CaseRepository } from "./ports.js";

/** How many cases `mine sager` lists: the newest ones. */
export const MY_CASES_LIMIT = 20;

/** `mine sager` (SPEC §3): the caseworker's own cases, newest first, without their case text. */
export async function myCases(
  deps: { cases: CaseRepository },
  command: { municipality: Municipality; user: string },
): Promise<{ cases: CaseSummary[]; limited: boolean }> {
  const cases = await deps.cases.listRaisedBy(command.municipality.tenantId, command.user, MY_CASES_LIMIT);
  return { cases, limited: cases.length >= MY_CASES_LIMIT };
}

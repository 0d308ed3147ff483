import { canViewDetails } from "./access.js";
import type { CaseRecord } from "./case.js";
import type { Municipality } from "./municipality.js";
import type { CaseRepository, Clock } from "./ports.js";

export type ViewDetailsOutcome =
  | { kind: "shown"; record: CaseRecord }
  /** Retention deleted the case's personal data `afterMonths` after it ended (SPEC §9): there is nothing to show. */
  | { kind: "anonymised"; afterMonths: number }
  | { kind: "refused" }
  | { kind: "unknown-case" };

/**
 * "Vis detaljer" (SPEC §6): the full case — CPR, health and social text — for the
 * forum's coordinators and the case's own caseworkers only. Every view and every refusal
 * is an audit row (SPEC §9).
 */
export async function viewCaseDetails(
  deps: { cases: CaseRepository; clock: Clock },
  command: { municipality: Municipality; caseNo: number; user: string },
): Promise<ViewDetailsOutcome> {
  const { municipality, user } = command;
  const record = await deps.cases.get(municipality.tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  const allowed = canViewDetails(municipality, record, user);
  const at = deps.clock.now().toISOString();
  await deps.cases.audit(municipality.tenantId, record.caseNo, {
    at,
    user,
    action: allowed ? "view-details" : "view-refused",
    purpose: "sparring",
  });
  if (allowed && record.anonymised) return { kind: "anonymised", afterMonths: record.anonymised.afterMonths };
  return allowed ? { kind: "shown", record } : { kind: "refused" };
}

/** The case a card points at, for its privacy-safe card (SPEC §6); nothing special is shown, so nothing is audited. */
export async function caseOfCard(
  deps: { cases: CaseRepository },
  command: { municipality: Municipality; caseNo: number },
): Promise<{ kind: "found"; record: CaseRecord } | { kind: "unknown-case" }> {
  const record = await deps.cases.get(command.municipality.tenantId, command.caseNo);
  return record ? { kind: "found", record } : { kind: "unknown-case" };
}

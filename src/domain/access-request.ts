import { parseCpr, type CprError } from "./cpr.js";
import { isAdministrator, type Municipality } from "./municipality.js";
import type { AuditEntry, CitizenRepository, Clock, PrivacyStore } from "./ports.js";

/** One logged access to the citizen's data: the audit row, and the case it sits beside (none: beside the citizen). */
export interface AccessLogEntry extends AuditEntry {
  caseNo?: number;
}

export type AccessRequestOutcome =
  | {
      kind: "report";
      cprDigits: string;
      /** The cases about the citizen whose data is still held. */
      caseNos: number[];
      /** Oldest first; the request itself is the last. */
      entries: AccessLogEntry[];
      /** How long audit rows are kept: older accesses are no longer logged. */
      auditMonths: number;
    }
  | { kind: "not-administrator" }
  | { kind: "invalid-cpr"; error: "required" | CprError };

export interface AccessRequestDeps {
  citizens: Pick<CitizenRepository, "linksByCpr" | "audit">;
  privacy: Pick<PrivacyStore, "auditTrail">;
  clock: Clock;
}

/**
 * A citizen's access request (GDPR art. 15; SPEC §9: "a citizen's access request can be
 * answered from them"), for an administrator: every logged access to the data Sparring still
 * holds about the citizen with this CPR number — the audit rows beside each case about them
 * (found through the citizen's case links, never by scanning) and beside the citizen. The
 * request itself is audited beside the citizen, and so is a refused one.
 */
export async function answerAccessRequest(
  deps: AccessRequestDeps,
  command: { municipality: Municipality; user: string; typed: string },
): Promise<AccessRequestOutcome> {
  const { municipality, user } = command;
  const tenantId = municipality.tenantId;
  const typed = command.typed.trim();
  const cpr = typed === "" ? undefined : parseCpr(typed);
  const at = deps.clock.now().toISOString();
  if (!isAdministrator(municipality, user)) {
    if (cpr?.ok) {
      await deps.citizens.audit(
        tenantId,
        { cprDigits: cpr.cpr.digits },
        { at, user, action: "access-request-refused", purpose: "access request: not an administrator" },
      );
    }
    return { kind: "not-administrator" };
  }
  if (!cpr) return { kind: "invalid-cpr", error: "required" };
  if (!cpr.ok) return { kind: "invalid-cpr", error: cpr.error };
  const cprDigits = cpr.cpr.digits;

  await deps.citizens.audit(tenantId, { cprDigits }, { at, user, action: "access-request", purpose: "access request (GDPR art. 15)" });
  const links = await deps.citizens.linksByCpr(tenantId, cprDigits);
  const caseNos = [...new Set((links?.cases ?? []).map((c) => c.caseNo))].sort((a, b) => a - b);
  const [citizenRows, ...caseRows] = await Promise.all([
    deps.privacy.auditTrail(tenantId, { kind: "citizen", cprDigits }),
    ...caseNos.map((caseNo) => deps.privacy.auditTrail(tenantId, { kind: "case", caseNo })),
  ]);
  const entries: AccessLogEntry[] = [
    ...(citizenRows ?? []),
    ...caseRows.flatMap((rows, i) => rows.map((row) => ({ ...row, caseNo: caseNos[i]! }))),
  ];
  // Oldest first; at the same instant a case's rows before the citizen's (so the request, just written, is last).
  const order = (e: AccessLogEntry) => e.caseNo ?? Number.MAX_SAFE_INTEGER;
  entries.sort((a, b) => a.at.localeCompare(b.at) || order(a) - order(b));
  return { kind: "report", cprDigits, caseNos, entries, auditMonths: municipality.retention.auditMonths };
}

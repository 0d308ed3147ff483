import type { CaseRecord } from "./case.js";
import { isAdministrator, isCaseworker, type Municipality } from "./municipality.js";
import { notification, type Notification } from "./notification.js";
import type { CaseRepository, CitizenRepository, Clock } from "./ports.js";

export interface HandOverDeps {
  cases: CaseRepository;
  citizens: Pick<CitizenRepository, "changeCaseworker">;
  clock: Clock;
}

export interface HandOverCommand {
  municipality: Municipality;
  caseNo: number;
  /** The case version the card showed. */
  expectedVersion: number;
  /** Who hands the case over: its raising caseworker, or an administrator. */
  from: { aadObjectId: string; name: string };
  /** The employment caseworker who takes the case over. */
  to: { aadObjectId: string; name: string };
}

export type HandOverOutcome =
  | { kind: "handed-over"; record: CaseRecord }
  /**
   * The case is `to`'s already (a double click, a re-delivered action); its citizen link is
   * brought in step again. Only the reference is given: the actor may no longer hold the case.
   */
  | { kind: "already-handed-over"; caseNo: number; reference: string; raisedByName: string }
  | { kind: "stale"; record: CaseRecord }
  /** Neither the raising caseworker nor an administrator. */
  | { kind: "not-allowed" }
  /** `to` is not an employment caseworker (role `caseworkers`). */
  | { kind: "not-caseworker"; record: CaseRecord }
  /** A closed case has nobody to hand it to. */
  | { kind: "closed"; record: CaseRecord }
  | { kind: "unknown-case" };

/**
 * Sagsbehandlerskift (seed 001: "gensidig orientering ved … sagsbehandlerskift"): the
 * case's raising caseworker (or an administrator) hands it to another employment
 * caseworker. The case's `raisedBy` changes (so it moves to the new caseworker's "mine
 * sager"), conditional on the version the card showed; the new caseworker, the social
 * caseworker it is visitated to, the previous caseworker when an administrator acted, and
 * the case's channel card are each told once, committed with the change. The citizen's
 * case link follows after, so bostøtte decisions reach the new caseworker.
 */
export async function handOverCase(deps: HandOverDeps, command: HandOverCommand): Promise<HandOverOutcome> {
  const { municipality, from, to } = command;
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  // Retention deleted the citizen's data: there is no one left to hand over (SPEC §9).
  if (record.anonymised) return { kind: "closed", record };
  const now = deps.clock.now();
  const acting = from.aadObjectId;
  if (record.raisedBy === to.aadObjectId) {
    await deps.citizens.changeCaseworker(tenantId, record.cprDigits, record.caseNo, record.raisedBy);
    return alreadyHandedOver(record);
  }
  if (!acting || (record.raisedBy !== acting && !isAdministrator(municipality, acting))) {
    await deps.cases.audit(tenantId, record.caseNo, {
      at: now.toISOString(),
      user: acting,
      action: "hand-over-refused",
      purpose: "not the case's caseworker",
    });
    return { kind: "not-allowed" };
  }
  if (!isCaseworker(municipality, to.aadObjectId)) return { kind: "not-caseworker", record };
  if (record.version !== command.expectedVersion) return { kind: "stale", record };
  if (record.state === "closed") return { kind: "closed", record };

  const previous = record.raisedBy;
  const changed = await deps.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    { raisedBy: to.aadObjectId, raisedByName: to.name },
    { at: now.toISOString(), user: acting, action: "hand-over", purpose: `handed over from ${previous} to ${to.aadObjectId}` },
    (next) => handOverMessages(next, previous, acting, now),
  );
  if (!changed) {
    const latest = await deps.cases.get(tenantId, record.caseNo);
    if (!latest) return { kind: "unknown-case" };
    return latest.raisedBy === to.aadObjectId ? alreadyHandedOver(latest) : { kind: "stale", record: latest };
  }
  await deps.citizens.changeCaseworker(tenantId, changed.cprDigits, changed.caseNo, changed.raisedBy);
  return { kind: "handed-over", record: changed };
}

function alreadyHandedOver(record: CaseRecord): HandOverOutcome {
  return { kind: "already-handed-over", caseNo: record.caseNo, reference: record.reference, raisedByName: record.raisedByName };
}

/** Who is told of a hand-over, each once, keyed to the case version it made. */
export function handOverMessages(record: CaseRecord, previous: string, acting: string, now: Date): Notification[] {
  const t = record.tenantId;
  const key = `case:${record.caseNo}:v${record.version}`;
  const told = (to: string, audience: "new-caseworker" | "previous-caseworker" | "social-caseworker") =>
    notification(
      t,
      `${key}:hand-over:${audience}`,
      { kind: "personal", aadObjectId: to },
      { kind: "caseworker-change", caseNo: record.caseNo, version: record.version, audience },
      now,
    );
  const messages = [
    notification(
      t,
      `${key}:card`,
      { kind: "forum-channel", forumId: record.forumId },
      { kind: "case-card", caseNo: record.caseNo, mode: "update" },
      now,
    ),
    told(record.raisedBy, "new-caseworker"),
  ];
  if (acting !== previous) messages.push(told(previous, "previous-caseworker"));
  if (record.state === "visitated" && record.socialCaseworker) messages.push(told(record.socialCaseworker, "social-caseworker"));
  return messages;
}

import { parseMeetingKey } from "./booking.js";
import type { CaseRecord } from "./case.js";
import { canBeWithdrawn, transition } from "./case-lifecycle.js";
import type { Municipality } from "./municipality.js";
import { notification } from "./notification.js";
import type { CaseRepository, Clock, MeetingRepository } from "./ports.js";
import { recordOverview, withdrawnEvent, type OverviewLog } from "./overview-events.js";

export type WithdrawOutcome =
  | { kind: "withdrawn"; record: CaseRecord }
  | { kind: "confirm"; record: CaseRecord }
  | { kind: "not-allowed" }
  | { kind: "already-finished"; record: CaseRecord }
  | { kind: "stale"; record: CaseRecord }
  | { kind: "unknown-case" };

export interface WithdrawDeps {
  cases: CaseRepository;
  meetings: MeetingRepository;
  clock: Clock;
  /** The managers' overview (SPEC §8): an event per withdrawal. */
  overview?: Pick<OverviewLog, "record">;
}

/**
 * "Træk tilbage", step one (SPEC §3: a caseworker can withdraw a case that has not been
 * decided): only the raising caseworker, only an undecided case. Changes nothing.
 */
export async function prepareWithdrawal(
  deps: Pick<WithdrawDeps, "cases">,
  command: { municipality: Municipality; caseNo: number; user: string },
): Promise<WithdrawOutcome> {
  const record = await deps.cases.get(command.municipality.tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (record.raisedBy !== command.user) return { kind: "not-allowed" };
  if (!canBeWithdrawn(record.state)) return { kind: "already-finished", record };
  return { kind: "confirm", record };
}

/**
 * "Træk tilbage", confirmed: the case leaves the forum. Its slot is freed for another
 * case, its channel card is edited to say so (no reason in the channel), and coordinators
 * can no longer decide it. Conditional on the version the caseworker confirmed.
 */
export async function withdrawCase(
  deps: WithdrawDeps,
  command: { municipality: Municipality; caseNo: number; expectedVersion: number; user: string },
): Promise<WithdrawOutcome> {
  const { municipality, user } = command;
  const tenantId = municipality.tenantId;
  const now = deps.clock.now();
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (record.raisedBy !== user) {
    await deps.cases.audit(tenantId, record.caseNo, {
      at: now.toISOString(),
      user,
      action: "withdraw-refused",
      purpose: "not the case's caseworker",
    });
    return { kind: "not-allowed" };
  }
  const step = transition(record.state, "withdraw");
  if (!step.ok) return { kind: "already-finished", record };
  if (record.version !== command.expectedVersion) return { kind: "stale", record };
  const changed = await deps.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    { state: step.next, withdrawnAt: now.toISOString() },
    { at: now.toISOString(), user, action: "withdraw", purpose: "withdrawn by the raising caseworker" },
    (next) => [
      notification(
        tenantId,
        `case:${next.caseNo}:v${next.version}:card`,
        { kind: "forum-channel", forumId: next.forumId },
        { kind: "case-card", caseNo: next.caseNo, mode: "update" },
        now,
      ),
    ],
  );
  if (!changed) {
    const latest = await deps.cases.get(tenantId, record.caseNo);
    if (!latest) return { kind: "unknown-case" };
    return canBeWithdrawn(latest.state) ? { kind: "stale", record: latest } : { kind: "already-finished", record: latest };
  }
  // The slot goes back only after the case has left it, so a crash in between leaves an extra occupied slot, never a lost case.
  const meeting = record.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  if (meeting && record.slot !== undefined) await deps.meetings.releaseSlot(tenantId, meeting, record.slot, record.caseNo);
  await recordOverview(deps.overview, tenantId, [withdrawnEvent(changed, now)]);
  return { kind: "withdrawn", record: changed };
}

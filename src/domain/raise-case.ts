import { validateDraft, type CaseDraft, type FieldErrors, type CaseRecord } from "./case.js";
import { isCaseworker, type Municipality } from "./municipality.js";
import type { CaseRepository, Clock } from "./ports.js";
import { localDateIn } from "./time.js";

export interface RaiseCaseCommand {
  municipality: Municipality;
  submissionId: string;
  user: { aadObjectId: string; name: string };
  draft: CaseDraft;
}

export type RaiseCaseOutcome =
  | { kind: "raised"; record: CaseRecord; created: boolean }
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "not-caseworker" };

/** SPEC §3: validate, route by age, store once per submitted form. */
export async function raiseCase(
  deps: { cases: CaseRepository; clock: Clock; timeZone: string },
  command: RaiseCaseCommand,
): Promise<RaiseCaseOutcome> {
  const { municipality, user, draft } = command;
  if (!isCaseworker(municipality, user.aadObjectId)) return { kind: "not-caseworker" };
  const now = deps.clock.now();
  const validation = validateDraft(draft, municipality, localDateIn(now, deps.timeZone));
  if (!validation.ok) return { kind: "invalid", errors: validation.errors };
  const v = validation.value;
  const { record, created } = await deps.cases.raise(command.submissionId, {
    tenantId: municipality.tenantId,
    state: "raised",
    cprDigits: v.cpr.digits,
    age: v.age,
    forumId: v.forum.id,
    department: v.department,
    health: v.health,
    social: v.social,
    question: v.question,
    acute: v.acute,
    acuteReason: v.acuteReason,
    raisedBy: user.aadObjectId,
    raisedByName: user.name,
    raisedAt: now.toISOString(),
  });
  return { kind: "raised", record, created };
}

import { isSocialCaseworker } from "./access.js";
import { validateBostotteDraft, type BostotteDraft } from "./bostotte.js";
import type { Municipality } from "./municipality.js";
import { recordBostotteDecision, type BostotteDeps, type RecordBostotteOutcome } from "./record-bostotte.js";
import { localDateIn } from "./time.js";

/**
 * The social caseworker's bostøtte form in personal chat (SPEC §7): only social
 * caseworkers, the draft checked with the same rules as the HTTP contract, then recorded
 * once per rendered form (its submission id is the event id, so a double click or a
 * re-delivered action records and tells once).
 */
export async function submitBostotteForm(
  deps: BostotteDeps,
  command: { municipality: Municipality; draft: BostotteDraft; submissionId: string; by: { aadObjectId: string; name: string } },
): Promise<RecordBostotteOutcome> {
  const { municipality, by } = command;
  if (!isSocialCaseworker(municipality, by.aadObjectId)) return { kind: "not-allowed" };
  const checked = validateBostotteDraft(command.draft, municipality, localDateIn(deps.clock.now(), deps.timeZone));
  if (!checked.ok) return { kind: "invalid", errors: checked.errors };
  return recordBostotteDecision(deps, {
    municipality,
    decision: checked.value,
    by: { id: by.aadObjectId, name: by.name },
    source: "bot",
    eventId: command.submissionId,
  });
}

/** Whether this user may record bostøtte decisions through the bot: the municipality's social caseworkers. */
export function mayRecordBostotte(municipality: Municipality, aadObjectId: string): boolean {
  return isSocialCaseworker(municipality, aadObjectId);
}

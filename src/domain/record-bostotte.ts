import { isCoordinatorOf, isSocialCaseworker } from "./access.js";
import {
  bostotteDecisionId,
  bostotteFingerprint,
  draftOfDecision,
  isValidEventId,
  validateBostotteDraft,
  type BostotteDecision,
  type BostotteFieldErrors,
  type BostotteRecord,
  type BostotteSource,
} from "./bostotte.js";
import { bostotteMessages, bostotteRecipients } from "./bostotte-recipients.js";
import type { CitizenLinks } from "./citizen.js";
import { ageOn, parseCpr } from "./cpr.js";
import { isCaseworker, type Municipality } from "./municipality.js";
import type { CitizenRepository, Clock } from "./ports.js";
import { localDateIn } from "./time.js";
import { bostotteEvent, recordOverview, type OverviewLog } from "./overview-events.js";

export interface BostotteDeps {
  citizens: CitizenRepository;
  clock: Clock;
  /** The municipality's wall-clock zone: ages and dates are judged on its local date. */
  timeZone: string;
  /** The managers' overview (SPEC §8): an event per decision, written again by a repeat. */
  overview?: Pick<OverviewLog, "record">;
}

export interface RecordBostotteCommand {
  municipality: Municipality;
  decision: BostotteDecision;
  /**
   * Who records it: for the bot, the social caseworker (Entra object id and Teams name);
   * for the API, the calling application's id and the `decidedBy` name it sent ("" if none).
   */
  by: { id: string; name: string };
  source: BostotteSource;
  /** The caller's event id (api) or the form's submission id (bot): the same id is the same event. */
  eventId: string;
  /** When the decision was made (ISO instant): the caller's `decidedAt`; now when left out. */
  decidedAt?: string;
}

export type RecordBostotteOutcome =
  /** Stored now, with its messages: the employment caseworkers told, or the forum fallback. */
  | { kind: "recorded"; record: BostotteRecord }
  /** The same event again: the decision stored the first time; nobody is told twice. */
  | { kind: "duplicate"; record: BostotteRecord }
  /** The event id was used before for a decision with other content; nothing changed. */
  | { kind: "conflict"; decisionId: string }
  | { kind: "invalid"; errors: BostotteFieldErrors }
  /** The event id is not 1–100 characters of `EVENT_ID_PATTERN`. */
  | { kind: "invalid-event-id" }
  /** A bot user who is not a social caseworker. */
  | { kind: "not-allowed" };

/**
 * Records a bostøtte decision and tells the employment side (SPEC §7; seed 001
 * "Afgørelser om bostøtte"): every employment caseworker linked to the citizen, or the
 * forum channel of the citizen's age when none is. The decision (CPR number and free text
 * sealed at rest) and its messages commit in one transaction, once per event id and
 * source per municipality: the same event again is a `duplicate` and sends nothing, the
 * same event id with other content a `conflict`. Only social caseworkers record through the
 * bot; the API's caller is authenticated by the edge.
 */
export async function recordBostotteDecision(deps: BostotteDeps, command: RecordBostotteCommand): Promise<RecordBostotteOutcome> {
  const { municipality, by, source } = command;
  const tenantId = municipality.tenantId;
  if (source === "bot" && !isSocialCaseworker(municipality, by.id)) return { kind: "not-allowed" };
  if (!isValidEventId(command.eventId)) return { kind: "invalid-event-id" };
  const now = deps.clock.now();
  const today = localDateIn(now, deps.timeZone);
  // The same rules as the form, whoever built the decision.
  const checked = validateBostotteDraft(draftOfDecision(command.decision), municipality, today);
  if (!checked.ok) return { kind: "invalid", errors: checked.errors };
  const decision = checked.value;
  const cpr = parseCpr(decision.cprDigits);
  if (!cpr.ok) return { kind: "invalid", errors: { cpr: cpr.error } };
  const age = ageOn(cpr.cpr.birthDate, today);

  const decisionId = bostotteDecisionId(tenantId, source, command.eventId);
  const build = (links: CitizenLinks) => {
    const recipients = bostotteRecipients(municipality, links, age);
    const record: BostotteRecord = {
      tenantId,
      id: decisionId,
      citizenId: links.citizenId,
      decision,
      source,
      eventId: command.eventId,
      recordedBy: by.id,
      decidedByName: by.name.trim().slice(0, 100),
      decidedAt: command.decidedAt ?? now.toISOString(),
      recordedAt: now.toISOString(),
      notified: recipients.kind === "caseworkers" ? recipients.aadObjectIds : [],
      ...(recipients.kind === "forum" ? { fallbackForumId: recipients.forumId } : {}),
    };
    return { record, messages: bostotteMessages(tenantId, decisionId, decision.kind, recipients, now) };
  };
  const stored = await deps.citizens.recordBostotte(
    { tenantId, decisionId, fingerprint: bostotteFingerprint(decision), cprDigits: decision.cprDigits },
    build,
    { at: now.toISOString(), user: by.id, action: "bostotte-record", purpose: `${decision.kind} ${decision.legalBasis} (${source})` },
  );
  if (stored.kind === "conflict") return { kind: "conflict", decisionId };
  await recordOverview(deps.overview, tenantId, [bostotteEvent(stored.record, age)], now);
  return stored;
}

export type BostotteViewOutcome = { kind: "shown"; record: BostotteRecord } | { kind: "refused" } | { kind: "unknown-decision" };

/**
 * "Vis detaljer" on a bostøtte card: the decision with the CPR number and its text, for
 * the employment caseworkers linked to the citizen now, the social caseworker who recorded
 * it, and — when the forum channel was told instead — that forum's coordinators. Every view
 * and every refusal is an audit row beside the citizen (SPEC §9).
 */
export async function bostotteDecision(
  deps: Pick<BostotteDeps, "citizens" | "clock">,
  command: { municipality: Municipality; id: string; user: string },
): Promise<BostotteViewOutcome> {
  const { municipality, user } = command;
  const found = await deps.citizens.bostotte(municipality.tenantId, command.id);
  if (!found) return { kind: "unknown-decision" };
  const allowed = canViewBostotte(municipality, found.record, found.links, user);
  await deps.citizens.audit(
    municipality.tenantId,
    { citizenId: found.record.citizenId },
    {
      at: deps.clock.now().toISOString(),
      user,
      action: allowed ? "bostotte-view" : "bostotte-view-refused",
      purpose: `bostotte ${found.record.id}`,
    },
  );
  return allowed ? { kind: "shown", record: found.record } : { kind: "refused" };
}

/** Who may see a bostøtte decision's CPR number and text (see {@link bostotteDecision}). */
export function canViewBostotte(
  municipality: Municipality,
  record: Pick<BostotteRecord, "source" | "recordedBy" | "fallbackForumId">,
  links: Pick<CitizenLinks, "followers" | "cases">,
  user: string,
): boolean {
  if (!user) return false;
  const linked = links.followers.some((f) => f.aadObjectId === user) || links.cases.some((c) => c.raisedBy === user);
  if (linked && isCaseworker(municipality, user)) return true;
  if (record.source === "bot" && record.recordedBy === user) return true;
  return record.fallbackForumId !== undefined && isCoordinatorOf(municipality, record.fallbackForumId, user);
}

import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { addInformation, decideCase } from "../domain/decide-case.js";
import { DECISIONS } from "../domain/case-lifecycle.js";
import { caseMeetingText, municipalityOf, type BotDeps } from "./bot-deps.js";
import { renderCard, type CardJson } from "./cards.js";
import { caseInForumData, decidedText } from "./forum-handlers.js";
import { TEXT } from "./messages.js";
import { decisionCardData } from "./notifications.js";

/** The decision form on a case card: ids from the card, the rest as the coordinator entered it. */
const decideInput = z.object({
  caseNo: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  decision: z.union([z.enum(DECISIONS), z.literal("")]).optional().default(""),
  socialCaseworker: z.string().max(100).optional().default(""),
  note: z.string().max(20_000).optional().default(""),
});

/**
 * "Registrér beslutning" on a case card in the forum channel. The presser gets the new
 * card at once; everyone else's copy is edited through the outbox with the notifications.
 */
export async function submitDecision(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = decideInput.safeParse(raw);
  if (!parsed.success) return TEXT.unknownCase;
  const input = parsed.data;
  const values = { decision: input.decision, socialCaseworker: input.socialCaseworker, note: input.note };
  const outcome = await decideCase(deps, {
    municipality,
    caseNo: input.caseNo,
    expectedVersion: input.version,
    input: values,
    by: { aadObjectId: ctx.activity.from?.aadObjectId ?? "", name: ctx.activity.from?.name ?? "" },
  });
  const card = (record: Parameters<typeof caseInForumData>[2], banner: string, keep = false, errors = {}) =>
    renderCard("case-in-forum", caseInForumData(deps, municipality, record, { banner, ...(keep ? { values } : {}), errors }));
  switch (outcome.kind) {
    case "unknown-case":
      deps.logger.warn({ tenant: municipality.tenantId, caseNo: input.caseNo, by: ctx.activity.from?.aadObjectId }, "decision on an unknown case refused");
      return TEXT.unknownCase;
    case "decided":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: input.caseNo, decision: input.decision }, "decision recorded");
      return card(outcome.record, "");
    case "invalid": {
      const errors = Object.fromEntries(Object.entries(outcome.errors).map(([field, code]) => [field, TEXT.decisionFieldError[code] ?? code]));
      return card(outcome.record, TEXT.decisionInvalid, true, errors);
    }
    case "already-decided":
      return card(outcome.record, TEXT.alreadyDecided(outcome.record.decidedByName ?? "", decidedText(deps, outcome.record).split(", ").pop() ?? ""));
    case "stale":
      return card(outcome.record, TEXT.decisionStale);
    case "not-allowed":
      return card(outcome.record, TEXT.decisionNotAllowed);
    case "not-allowed-now":
      return card(outcome.record, TEXT.decisionNotNow);
    case "no-free-meeting":
      return card(outcome.record, TEXT.postponeNoMeeting, true);
  }
}

const addInfoInput = z.object({
  caseNo: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  information: z.string().max(20_000).optional().default(""),
});

/** The caseworker answers "Mere information" from the card in their personal chat. */
export async function submitInformation(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = addInfoInput.safeParse(raw);
  if (!parsed.success) return TEXT.unknownCase;
  const input = parsed.data;
  const outcome = await addInformation(deps, {
    municipality,
    caseNo: input.caseNo,
    expectedVersion: input.version,
    text: input.information,
    by: ctx.activity.from?.aadObjectId ?? "",
  });
  switch (outcome.kind) {
    case "unknown-case":
      return TEXT.unknownCase;
    case "not-allowed":
      return TEXT.onlyRaiserAddsInformation;
    case "not-awaiting":
      return TEXT.informationNotAwaited;
    case "added":
      return TEXT.informationAdded(outcome.record.reference, caseMeetingText(deps, municipality, outcome.record));
    case "invalid":
    case "no-free-meeting": {
      const error = outcome.kind === "invalid" ? (TEXT.decisionFieldError[outcome.error] ?? "") : TEXT.noFreeMeeting;
      return renderCard("decision-for-caseworker", { ...decisionCardData(deps, municipality, outcome.record, "raiser"), information: input.information, error });
    }
  }
}

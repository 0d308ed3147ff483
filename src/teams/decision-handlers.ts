import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { DECISIONS } from "../domain/case-lifecycle.js";
import { addInformation as addInformationUseCase, decideCase as decideCaseUseCase } from "../domain/decide-case.js";
import type { BotDeps } from "./bot-deps.js";
import type { CardJson } from "./cards.js";
import { caseMeetingText, channelText, shortDateTimeText } from "./format.js";
import { TEXT } from "./messages.js";
import { cardNumber, readTurn } from "./turn.js";
import { caseInForumCard, type DecisionValues } from "./views/case-in-forum.js";
import { decisionForCaseworkerCard } from "./views/decision-for-caseworker.js";

/** The decision form on a case card: ids from the card, the rest as the coordinator entered it. */
const decideInput = z.object({
  caseNo: cardNumber(1),
  version: cardNumber(1),
  decision: z
    .union([z.enum(DECISIONS), z.literal("")])
    .optional()
    .default(""),
  socialCaseworker: z.string().max(100).optional().default(""),
  note: z.string().max(20_000).optional().default(""),
});

/**
 * "Registrér beslutning" on a case card in the forum channel. The presser gets the new
 * card at once; everyone else's copy is edited through the outbox with the notifications.
 */
export async function decideCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, decideInput, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const values: DecisionValues = { decision: data.decision, socialCaseworker: data.socialCaseworker, note: data.note };
  const outcome = await decideCaseUseCase(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    input: { decision: data.decision, socialCaseworker: data.socialCaseworker, note: data.note },
    by: user,
  });
  switch (outcome.kind) {
    case "unknown-case":
      deps.logger.warn({ tenant: municipality.tenantId, caseNo: data.caseNo, by: user.aadObjectId }, "decision on an unknown case refused");
      return TEXT.unknownCase;
    case "decided":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo, decision: data.decision }, "decision recorded");
      return caseInForumCard(view, outcome.record);
    case "invalid": {
      const errors = Object.fromEntries(Object.entries(outcome.errors).map(([field, code]) => [field, TEXT.decisionFieldError[code]]));
      return caseInForumCard(view, outcome.record, { banner: TEXT.decisionInvalid, values, errors });
    }
    case "already-decided": {
      const { decidedByName, decidedAt } = outcome.record;
      const banner = TEXT.alreadyDecided(channelText(decidedByName ?? ""), decidedAt ? shortDateTimeText(decidedAt, deps.timeZone) : "");
      return caseInForumCard(view, outcome.record, { banner });
    }
    case "stale":
      return caseInForumCard(view, outcome.record, { banner: TEXT.decisionStale });
    case "not-allowed":
      return caseInForumCard(view, outcome.record, { banner: TEXT.decisionNotAllowed });
    case "not-allowed-now":
      return caseInForumCard(view, outcome.record, {
        banner: outcome.record.state === "withdrawn" ? TEXT.caseWithdrawnBanner : TEXT.decisionNotNow,
      });
    case "no-free-meeting":
      return caseInForumCard(view, outcome.record, { banner: TEXT.postponeNoMeeting, values });
  }
}

const addInformationInput = z.object({
  caseNo: cardNumber(1),
  version: cardNumber(1),
  information: z.string().max(20_000).optional().default(""),
});

/** "Send til forummet": the caseworker answers "Mere information" from the card in their personal chat. */
export async function addInformation(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, addInformationInput, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await addInformationUseCase(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    text: data.information,
    by: user.aadObjectId,
  });
  switch (outcome.kind) {
    case "unknown-case":
      return TEXT.unknownCase;
    case "not-allowed":
      return TEXT.onlyRaiserAddsInformation;
    case "not-awaiting":
      return TEXT.informationNotAwaited;
    case "added":
      return TEXT.informationAdded(outcome.record.reference, caseMeetingText(view, outcome.record));
    case "invalid":
      return decisionForCaseworkerCard(view, outcome.record, "raiser", {
        information: data.information,
        error: TEXT.decisionFieldError[outcome.error],
      });
    case "no-free-meeting":
      return decisionForCaseworkerCard(view, outcome.record, "raiser", { information: data.information, error: TEXT.noFreeMeeting });
  }
}

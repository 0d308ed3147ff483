import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import { newSubmissionId, type CaseDraft } from "../domain/case.js";
import { rememberPersonalChat } from "../domain/forum-channel.js";
import { myCases } from "../domain/my-cases.js";
import { raiseCase, type RaiseCaseOutcome } from "../domain/raise-case.js";
import { prepareWithdrawal, withdrawCase as withdrawCaseUseCase } from "../domain/withdraw-case.js";
import { handOverCase as handOverCaseUseCase } from "../domain/hand-over.js";
import { prepareHandOver } from "../domain/hand-over-preview.js";
import type { Municipality } from "../domain/municipality.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment, type CardJson } from "./cards.js";
import { escapeMarkdown, personName } from "./format.js";
import { FOLLOW_TEXT, TEXT } from "./messages.js";
import { cardNumber, conversationReference, isPersonalChat, readTurn, type Turn } from "./turn.js";
import { caseFormCard } from "./views/case-form.js";
import { caseRaisedCard } from "./views/case-raised.js";
import { helpCard } from "./views/help.js";
import { myCasesCard } from "./views/my-cases.js";
import { withdrawCaseCard } from "./views/withdraw-case.js";
import { handOverCaseCard } from "./views/hand-over-case.js";

const noInput = z.object({});

/** The raise-case form's submit: the inputs as typed, plus the id of the rendered form. */
const submitCaseInput = z.object({
  submissionId: z.string().uuid(),
  cpr: z.string().max(40).optional().default(""),
  health: z.string().max(20_000).optional().default(""),
  social: z.string().max(20_000).optional().default(""),
  question: z.string().max(20_000).optional().default(""),
  department: z.string().max(200).optional().default(""),
  acute: z.enum(["true", "false"]).optional().default("false"),
  acuteReason: z.string().max(20_000).optional().default(""),
});

/** `hej`, `hjælp`, `ny sag` (and anything not understood): what the bot does, and the raise-case form. */
export async function sendHelpAndForm(ctx: TurnContext, deps: BotDeps, prefix: string): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, noInput, {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user } = read.turn;
  await remember(ctx, deps, read.turn);
  const greeting = [prefix, TEXT.greeting(escapeMarkdown(user.name.split(" ")[0] ?? ""))].filter(Boolean).join(" ");
  await ctx.sendActivities([
    MessageFactory.attachment(cardAttachment(helpCard(municipality, greeting, user.aadObjectId))),
    MessageFactory.attachment(cardAttachment(caseFormCard(municipality, newSubmissionId()))),
  ]);
}

/** `installationUpdate` / `membersAdded`: remember the personal chat for proactive messages. */
export async function rememberChat(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return;
  const read = readTurn(ctx, deps, noInput, {}, "");
  if (read.ok) await remember(ctx, deps, read.turn);
}

async function remember(ctx: TurnContext, deps: BotDeps, turn: Turn<unknown>): Promise<void> {
  if (!turn.user.aadObjectId) return;
  const saved = await rememberPersonalChat(deps, {
    municipality: turn.municipality,
    user: turn.user.aadObjectId,
    reference: conversationReference(ctx),
  });
  // Not worth failing the user's turn: the address is saved again on their next message.
  if (saved.kind === "not-saved") deps.logger.warn({ err: saved.error }, "could not save the personal chat address");
}

/** "Send til sparringsforum" on the raise-case form. */
export async function submitCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, submitCaseInput, raw, TEXT.expiredForm);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  if (!user.aadObjectId) return TEXT.notCaseworker;
  const draft: CaseDraft = { ...data, acute: data.acute === "true" };
  let outcome: RaiseCaseOutcome;
  try {
    outcome = await raiseCase(deps, { municipality, submissionId: data.submissionId, user, draft });
  } catch (error) {
    // Storage failing mid-flow: the form comes back as typed, so nothing is lost.
    deps.logger.error({ err: error }, "raise case failed");
    return caseFormCard(municipality, data.submissionId, draft, {}, TEXT.storageDown);
  }
  switch (outcome.kind) {
    case "not-caseworker":
      return TEXT.notCaseworker;
    case "invalid":
      return caseFormCard(municipality, data.submissionId, draft, outcome.errors, TEXT.formHasErrors);
    case "no-free-meeting":
      return caseFormCard(municipality, data.submissionId, draft, {}, TEXT.noFreeMeeting);
    case "raised":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: outcome.record.caseNo, created: outcome.created }, "case raised");
      return caseRaisedCard(view, outcome);
  }
}

/** `mine sager`: the caseworker's own cases. */
export async function sendMyCases(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, noInput, {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user, view } = read.turn;
  if (!user.aadObjectId) return void (await ctx.sendActivity(TEXT.notCaseworker));
  const mine = await myCases(deps, { municipality, user: user.aadObjectId });
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment(myCasesCard(view, mine))));
}

const caseRef = z.object({ caseNo: cardNumber(1) });
const withdrawInput = z.object({ caseNo: cardNumber(1), version: cardNumber(1) });

/** "Træk tilbage" on a case in `mine sager`: a confirmation first. */
export async function showWithdrawCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await prepareWithdrawal(deps, { municipality, caseNo: data.caseNo, user: user.aadObjectId });
  switch (outcome.kind) {
    case "confirm":
      return withdrawCaseCard(view, outcome.record);
    case "not-allowed":
      return TEXT.withdrawOnlyRaiser;
    case "already-finished":
    case "stale":
    case "withdrawn":
      return TEXT.withdrawTooLate(TEXT.stateText[outcome.record.state]);
    case "unknown-case":
      return TEXT.unknownCase;
  }
}

/** "Ja, træk sagen tilbage": the case leaves the forum; its slot is freed and its channel card says so. */
export async function withdrawCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, withdrawInput, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await withdrawCaseUseCase(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    user: user.aadObjectId,
  });
  switch (outcome.kind) {
    case "withdrawn":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "case withdrawn");
      return TEXT.withdrawn(outcome.record.reference);
    case "not-allowed":
      return TEXT.withdrawOnlyRaiser;
    case "already-finished":
    case "confirm":
      return TEXT.withdrawTooLate(TEXT.stateText[outcome.record.state]);
    case "stale":
      return TEXT.withdrawStale;
    case "unknown-case":
      return TEXT.unknownCase;
  }
}

const handOverInput = z.object({
  caseNo: cardNumber(1),
  version: cardNumber(1),
  to: z.string().max(100).optional().default(""),
});

/** "Skift sagsbehandler" on a case in `mine sager`: choose the colleague who takes it over. */
export async function showHandOverCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await prepareHandOver(deps, { municipality, caseNo: data.caseNo, user: user.aadObjectId });
  switch (outcome.kind) {
    case "choose":
      return handOverCaseCard(municipality, outcome.record, user.aadObjectId);
    case "not-allowed":
      return FOLLOW_TEXT.handOverOnlyCaseworker;
    case "closed":
      return FOLLOW_TEXT.handOverClosed;
    case "unknown-case":
      return TEXT.unknownCase;
  }
}

/** "Giv sagen videre": the colleague becomes the case's caseworker; everyone concerned is told once. */
export async function handOverCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, handOverInput, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  if (!data.to) return showHandOverForm(deps, municipality, data.caseNo, user.aadObjectId, { error: FOLLOW_TEXT.handOverChoose });
  const to = { aadObjectId: data.to, name: personName(municipality, data.to) };
  const outcome = await handOverCaseUseCase(deps, { municipality, caseNo: data.caseNo, expectedVersion: data.version, from: user, to });
  switch (outcome.kind) {
    case "handed-over":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "case handed over");
      return FOLLOW_TEXT.handedOver(outcome.record.reference, escapeMarkdown(to.name));
    case "already-handed-over":
      return FOLLOW_TEXT.alreadyHandedOver(outcome.reference, escapeMarkdown(outcome.raisedByName));
    case "not-caseworker":
      return handOverCaseCard(municipality, outcome.record, user.aadObjectId, {
        selected: data.to,
        error: FOLLOW_TEXT.handOverNotCaseworker,
      });
    case "stale":
      return handOverCaseCard(municipality, outcome.record, user.aadObjectId, { selected: data.to, error: FOLLOW_TEXT.handOverStale });
    case "not-allowed":
      return FOLLOW_TEXT.handOverOnlyCaseworker;
    case "closed":
      return FOLLOW_TEXT.handOverClosed;
    case "unknown-case":
      return TEXT.unknownCase;
  }
}

async function showHandOverForm(
  deps: BotDeps,
  municipality: Municipality,
  caseNo: number,
  user: string,
  form: { error: string },
): Promise<CardJson | string> {
  const outcome = await prepareHandOver(deps, { municipality, caseNo, user });
  return outcome.kind === "choose" ? handOverCaseCard(municipality, outcome.record, user, form) : TEXT.unknownCase;
}

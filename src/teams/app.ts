import { Application, TurnState } from "@microsoft/teams-ai";
import type { BotDeps } from "./bot-deps.js";
import { submitDecision, submitInformation } from "./decision-handlers.js";
import { confirmCancelMeeting, showMoveCase, submitCancelMeeting, submitMoveCase } from "./coordinator-handlers.js";
import { bindForumChannel, rememberPersonalChat, showAgenda, showCaseDetails, showCaseSummary } from "./forum-handlers.js";
import { TEXT } from "./messages.js";
import { sendHelpAndForm, sendMyCases, submitCase } from "./raise-case-handlers.js";
import { VERBS } from "./verbs.js";

export type { BotDeps } from "./bot-deps.js";
export { tenantOf } from "./bot-deps.js";

/**
 * The Teams edge: one Application, every route in one list. Handlers parse input, call
 * one use case and answer with the next card.
 */
export function createBot(deps: BotDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  // Specific message routes first: a catch-all registered earlier would swallow them (SPEC §11).
  app.message(/^\s*(ny\s+sag|hej|hejsa|goddag|hjælp|hjaelp|help|hi|hello)\s*[!.]?\s*$/i, (ctx) => sendHelpAndForm(ctx, deps, ""));
  app.message(/^\s*mine\s+sager\s*$/i, (ctx) => sendMyCases(ctx, deps));
  app.message(/^\s*tilknyt(\s+forum)?\b/i, (ctx) => bindForumChannel(ctx, deps));
  app.message(/^\s*dagsorden\s*$/i, (ctx) => showAgenda(ctx, deps));
  app.conversationUpdate("membersAdded", (ctx) => rememberPersonalChat(ctx, deps));
  app.activity("installationUpdate", (ctx) => rememberPersonalChat(ctx, deps));
  app.adaptiveCards.actionExecute(VERBS.submitCase, (ctx, _state, data) => submitCase(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.showCaseDetails, (ctx, _state, data) => showCaseDetails(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.showCaseSummary, (ctx, _state, data) => showCaseSummary(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.showMoveCase, (ctx, _state, data) => showMoveCase(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.moveCase, (ctx, _state, data) => submitMoveCase(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.confirmCancelMeeting, (ctx, _state, data) => confirmCancelMeeting(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.cancelMeeting, (ctx, _state, data) => submitCancelMeeting(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.decideCase, (ctx, _state, data) => submitDecision(ctx, deps, data));
  app.adaptiveCards.actionExecute(VERBS.addInformation, (ctx, _state, data) => submitInformation(ctx, deps, data));
  app.activity("message", (ctx) => sendHelpAndForm(ctx, deps, TEXT.notUnderstood));

  app.error(async (ctx, error) => {
    deps.logger.error({ err: error, activityType: ctx.activity.type }, "turn failed");
    if (ctx.activity.type !== "message") return;
    try {
      await ctx.sendActivity(TEXT.genericError);
    } catch (sendError) {
      deps.logger.warn({ err: sendError }, "could not tell the user about the failed turn");
    }
  });
  return app;
}

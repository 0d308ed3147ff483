import { Application, TurnState } from "@microsoft/teams-ai";
import { INVOKE_RESPONSE_KEY, type TurnContext } from "botbuilder";
import type { BotDeps } from "./bot-deps.js";
import {
  followCitizen,
  handOverFollowing,
  listFollowed,
  sendBostotteStart,
  showBostotteDetails,
  showBostotteForm,
  showHandOverFollowing,
  startFollowing,
  stopFollowing,
  submitBostotte,
  unfollowCitizen,
} from "./bostotte-handlers.js";
import type { CardJson } from "./cards.js";
import { answerActionWithText } from "./turn.js";
import { cancelMeeting, moveCase, showCancelMeeting, showMoveCase } from "./coordinator-handlers.js";
import { addInformation, decideCase } from "./decision-handlers.js";
import { bindForumChannel, showAgenda, showCaseCard, showCaseDetails, showStatus } from "./forum-handlers.js";
import { TEXT } from "./messages.js";
import {
  addPlanEffort,
  approvePlan,
  editPlan,
  exportPlan,
  openPlan,
  recordPlanConsent,
  recordPlanFollowUp,
  recordPlanRefusal,
  registerPlanMeetings,
  removePlanEffort,
  sendMyPlans,
  showEditPlan,
  showPlanConsent,
  showPlanFollowUp,
  showPlanMeetings,
  showWithdrawPlanConsent,
  withdrawPlanConsent,
} from "./plan-handlers.js";
import {
  handOverCase,
  rememberChat,
  sendHelpAndForm,
  sendMyCases,
  showHandOverCase,
  showWithdrawCase,
  submitCase,
  withdrawCase,
} from "./raise-case-handlers.js";
import { sendOverview, subscribeToOverview } from "./overview-handlers.js";
import { sendAccessReport } from "./privacy-handlers.js";
import { resolveTurnRoles, showRoles } from "./roles-handlers.js";
import { VERBS, type Verb } from "./verbs.js";

export type { BotDeps } from "./bot-deps.js";

/** A card action's handler: parse the card data, call one use case, answer with the next card (or a text). */
export type ActionHandler = (ctx: TurnContext, deps: BotDeps, data: unknown) => Promise<CardJson | string>;

/** Every card action, by verb. A verb without a handler does not compile. */
export const ACTIONS = {
  [VERBS.submitCase]: submitCase,
  [VERBS.showCaseDetails]: showCaseDetails,
  [VERBS.showCaseCard]: showCaseCard,
  [VERBS.showMoveCase]: showMoveCase,
  [VERBS.moveCase]: moveCase,
  [VERBS.showCancelMeeting]: showCancelMeeting,
  [VERBS.cancelMeeting]: cancelMeeting,
  [VERBS.decideCase]: decideCase,
  [VERBS.addInformation]: addInformation,
  [VERBS.showWithdrawCase]: showWithdrawCase,
  [VERBS.withdrawCase]: withdrawCase,
  [VERBS.showBostotteForm]: showBostotteForm,
  [VERBS.submitBostotte]: submitBostotte,
  [VERBS.showBostotteDetails]: showBostotteDetails,
  [VERBS.followCitizen]: followCitizen,
  [VERBS.unfollowCitizen]: unfollowCitizen,
  [VERBS.showHandOverCase]: showHandOverCase,
  [VERBS.handOverCase]: handOverCase,
  [VERBS.showHandOverFollowing]: showHandOverFollowing,
  [VERBS.handOverFollowing]: handOverFollowing,
  [VERBS.openPlan]: openPlan,
  [VERBS.showEditPlan]: showEditPlan,
  [VERBS.addPlanEffort]: addPlanEffort,
  [VERBS.removePlanEffort]: removePlanEffort,
  [VERBS.editPlan]: editPlan,
  [VERBS.approvePlan]: approvePlan,
  [VERBS.showPlanMeetings]: showPlanMeetings,
  [VERBS.registerPlanMeetings]: registerPlanMeetings,
  [VERBS.showPlanConsent]: showPlanConsent,
  [VERBS.recordPlanConsent]: recordPlanConsent,
  [VERBS.recordPlanRefusal]: recordPlanRefusal,
  [VERBS.showWithdrawPlanConsent]: showWithdrawPlanConsent,
  [VERBS.withdrawPlanConsent]: withdrawPlanConsent,
  [VERBS.showPlanFollowUp]: showPlanFollowUp,
  [VERBS.recordPlanFollowUp]: recordPlanFollowUp,
  [VERBS.exportPlan]: exportPlan,
} satisfies Record<Verb, ActionHandler>;

/** An Action.Execute invoke, whatever its verb: the routes above take the known ones first. */
const isActionExecute = async (ctx: TurnContext): Promise<boolean> => {
  const a = ctx.activity;
  return (
    a.type === "invoke" &&
    a.name === "adaptiveCard/action" &&
    (a.value as { action?: { type?: unknown } } | undefined)?.action?.type === "Action.Execute"
  );
};

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

  // Roles from Entra ID, resolved once per turn before any handler (SPEC §1); refused when they cannot be checked.
  app.turn("beforeTurn", (ctx) => resolveTurnRoles(ctx, deps));

  // Specific message routes first: a catch-all registered earlier would swallow them (SPEC §11).
  app.message(/^\s*(ny\s+sag|hej|hejsa|goddag|hjælp|hjaelp|help|hi|hello)\s*[!.]?\s*$/i, (ctx) => sendHelpAndForm(ctx, deps, ""));
  app.message(/^\s*mine\s+sager\s*$/i, (ctx) => sendMyCases(ctx, deps));
  app.message(/^\s*tilknyt(\s+forum)?\b/i, (ctx) => bindForumChannel(ctx, deps));
  app.message(/^\s*dagsorden\s*$/i, (ctx) => showAgenda(ctx, deps));
  app.message(/^\s*status\s*$/i, (ctx) => showStatus(ctx, deps));
  app.message(/^\s*roller\s*$/i, (ctx) => showRoles(ctx, deps));
  // A citizen's access request (GDPR art. 15; SPEC §9), administrators in personal chat.
  app.message(/^\s*indsigt(\s.*)?$/is, (ctx) => sendAccessReport(ctx, deps));
  app.message(/^\s*bost(ø|oe)tte\s*$/i, (ctx) => sendBostotteStart(ctx, deps));
  app.message(/^\s*følger\s*$/i, (ctx) => listFollowed(ctx, deps));
  app.message(/^\s*stop\s+(med\s+at\s+)?følge?(\s.*)?$/is, (ctx) => stopFollowing(ctx, deps));
  app.message(/^\s*følg(\s.*)?$/is, (ctx) => startFollowing(ctx, deps));
  app.message(/^\s*(mine\s+)?planer\s*$/i, (ctx) => sendMyPlans(ctx, deps));
  // The managers' overview (SPEC §8): on demand, and on the municipality's schedule.
  app.message(/^\s*overblik(\s.*)?$/is, (ctx) => sendOverview(ctx, deps));
  app.message(/^\s*abonn[eé]r(\s+på)?\s+overblik(ket)?\s*[!.]?\s*$/i, (ctx) => subscribeToOverview(ctx, deps, true));
  app.message(/^\s*(afmeld|stop)(\s+abonnement(\s+på)?)?\s+overblik(ket)?\s*[!.]?\s*$/i, (ctx) => subscribeToOverview(ctx, deps, false));
  app.conversationUpdate("membersAdded", (ctx) => rememberChat(ctx, deps));
  app.activity("installationUpdate", (ctx) => rememberChat(ctx, deps));
  for (const [verb, handler] of Object.entries(ACTIONS)) {
    app.adaptiveCards.actionExecute(verb, (ctx, _state, data) => handler(ctx, deps, data));
  }
  // Any other button (a card from an older version, a tampered verb) gets a Danish answer, not an HTTP error.
  app.adaptiveCards.actionExecute(isActionExecute, async () => TEXT.unknownAction);
  app.activity("message", (ctx) => sendHelpAndForm(ctx, deps, TEXT.notUnderstood));

  app.error(async (ctx, error) => {
    deps.logger.error({ err: error, activityType: ctx.activity.type }, "turn failed");
    try {
      // A card action that failed (e.g. storage down) is answered with a text: Teams shows it and keeps the
      // card with what was typed on it, instead of an English error for an HTTP 501 without an answer.
      if (ctx.activity.type === "invoke" && (await isActionExecute(ctx)) && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
        await answerActionWithText(ctx, TEXT.actionFailed);
      }
      if (ctx.activity.type === "message") await ctx.sendActivity(TEXT.genericError);
    } catch (sendError) {
      deps.logger.warn({ err: sendError }, "could not tell the user about the failed turn");
    }
  });
  return app;
}

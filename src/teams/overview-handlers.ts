import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { Municipality } from "../domain/municipality.js";
import { changeOverviewSubscription, showOverview } from "../domain/overview-use-cases.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment } from "./cards.js";
import { escapeMarkdown } from "./format.js";
import { OVERVIEW_TEXT, TEXT } from "./messages.js";
import { isPersonalChat, readTurn } from "./turn.js";
import { overviewCard } from "./views/overview.js";

const overviewCommand = z.object({ text: z.string().max(200) });

/** `overblik`, `overblik 30` (managers, personal chat): the overview at once (SPEC §8). */
export async function sendOverview(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, overviewCommand, { text: (ctx.activity.text ?? "").slice(0, 200) }, OVERVIEW_TEXT.notANumber(""));
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user, data, view } = read.turn;
  const typed = data.text.replace(/^\s*overblik/i, "").trim();
  const outcome = await showOverview(deps, { municipality, user: user.aadObjectId, typed });
  switch (outcome.kind) {
    case "not-manager":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.notManager));
    case "invalid-days":
      return void (await ctx.sendActivity(
        outcome.error === "not-a-number"
          ? OVERVIEW_TEXT.notANumber(escapeMarkdown(typed.slice(0, 20)))
          : OVERVIEW_TEXT.outOfRange(escapeMarkdown(typed)),
      ));
    case "overview":
      return void (await ctx.sendActivity(MessageFactory.attachment(cardAttachment(overviewCard(view, outcome.report)))));
  }
}

/** `abonnér på overblik` / `afmeld overblik`: the overview on the municipality's schedule. */
export async function subscribeToOverview(ctx: TurnContext, deps: BotDeps, subscribe: boolean): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, z.object({}), {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user } = read.turn;
  const outcome = await changeOverviewSubscription(deps, { municipality, user: user.aadObjectId, subscribe });
  const when = scheduleText(municipality);
  switch (outcome.kind) {
    case "not-manager":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.notManager));
    case "subscribed":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.subscribed(when)));
    case "already-subscribed":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.alreadySubscribed(when)));
    case "unsubscribed":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.unsubscribed));
    case "not-subscribed":
      return void (await ctx.sendActivity(OVERVIEW_TEXT.notSubscribed));
  }
}

function scheduleText(municipality: Municipality): string {
  const { weekday, time } = municipality.overview.schedule;
  return OVERVIEW_TEXT.scheduleText(OVERVIEW_TEXT.weekdays[weekday - 1]!, time);
}

import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import { agendaForChannel } from "../domain/agenda.js";
import { caseOfCard, viewCaseDetails } from "../domain/case-details.js";
import { bindForum } from "../domain/forum-channel.js";
import { outboxStatus } from "../domain/outbox-status.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment, type CardJson } from "./cards.js";
import { channelText, dateTimeText } from "./format.js";
import { PRIVACY_TEXT, TEXT } from "./messages.js";
import { cardNumber, channelConversationId, channelOf, isChannel, readTurn } from "./turn.js";
import { agendaCard } from "./views/agenda.js";
import { caseDetailsCard } from "./views/case-details.js";
import { caseInForumCard } from "./views/case-in-forum.js";

/** Card data of every case action: only the case's id. */
export const caseRef = z.object({ caseNo: cardNumber(1) });

const bindCommand = z.object({ text: z.string().max(500) });

/** `@Sparring tilknyt forum unge` in a channel: from now on that forum's cards go there. */
export async function bindForumChannel(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const read = readTurn(ctx, deps, bindCommand, { text: (ctx.activity.text ?? "").slice(0, 500) }, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  if (!isChannel(ctx)) return void (await ctx.sendActivity(TEXT.bindOnlyInChannel));
  const { municipality, user, data } = read.turn;
  const typed = data.text.replace(/^\s*tilknyt(\s+forum)?/i, "");
  const outcome = await bindForum(deps, { municipality, user: user.aadObjectId, typed, channel: channelOf(ctx) });
  switch (outcome.kind) {
    case "not-administrator":
      return void (await ctx.sendActivity(TEXT.bindNotAdministrator));
    case "unknown-forum":
      // Said back in the channel: inert, short, and without any CPR number typed into it.
      return void (await ctx.sendActivity(TEXT.bindUnknownForum(channelText(outcome.typed.slice(0, 60)), outcome.choices.join(" eller "))));
    case "bound":
      deps.logger.info({ tenant: municipality.tenantId, forum: outcome.forum.id, by: user.aadObjectId }, "forum channel bound");
      return void (await ctx.sendActivity(TEXT.bound(outcome.forum.name, outcome.replaced)));
  }
}

/** `@Sparring dagsorden` in a forum channel: the agenda of the forum's next meeting. */
export async function showAgenda(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const read = readTurn(ctx, deps, z.object({}), {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, view } = read.turn;
  const outcome = await agendaForChannel(deps, { municipality, conversationId: channelConversationId(ctx) });
  switch (outcome.kind) {
    case "no-forum":
      return void (await ctx.sendActivity(TEXT.agendaNoForum));
    case "no-meeting":
      return void (await ctx.sendActivity(TEXT.agendaNoMeeting(outcome.forum.name)));
    case "agendas": {
      const cards = [agendaCard(view, outcome.next)];
      if (outcome.preliminary) {
        const note = TEXT.agendaPreliminary(dateTimeText(outcome.preliminary.meeting.agendaDeadline, deps.timeZone));
        cards.push(agendaCard(view, outcome.preliminary, note));
      }
      return void (await ctx.sendActivities(cards.map((card) => MessageFactory.attachment(cardAttachment(card)))));
    }
  }
}

/**
 * "Vis detaljer": the full case, for the forum's coordinators and the case's caseworkers
 * only, as a card only the presser sees. Every view and every refusal is audited.
 */
export async function showCaseDetails(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await viewCaseDetails(deps, { municipality, caseNo: data.caseNo, user: user.aadObjectId });
  switch (outcome.kind) {
    case "unknown-case":
      return TEXT.unknownCase;
    case "refused":
      return TEXT.detailsRefused;
    case "anonymised":
      return PRIVACY_TEXT.personalDataDeleted(outcome.afterMonths);
    case "shown":
      return caseDetailsCard(view, outcome.record);
  }
}

/** "Skjul detaljer" / "Fortryd": back to the privacy-safe card. */
export async function showCaseCard(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, data, view } = read.turn;
  const outcome = await caseOfCard(deps, { municipality, caseNo: data.caseNo });
  return outcome.kind === "found" ? caseInForumCard(view, outcome.record) : TEXT.unknownCase;
}

/** `status` (administrators): how many messages could not be delivered, and since when — counts only. */
export async function showStatus(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const read = readTurn(ctx, deps, z.object({}), {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const outcome = await outboxStatus(deps, { municipality: read.turn.municipality, user: read.turn.user.aadObjectId });
  if (outcome.kind === "not-administrator") return void (await ctx.sendActivity(TEXT.statusOnlyAdministrators));
  const { count, oldestAt } = outcome.parked;
  await ctx.sendActivity(
    count === 0 || !oldestAt ? TEXT.statusAllDelivered : TEXT.statusParked(count, dateTimeText(oldestAt, deps.timeZone)),
  );
}

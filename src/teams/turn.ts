import { ActivityTypes, TurnContext } from "botbuilder";
import { z } from "zod";
import type { Municipality } from "../domain/municipality.js";
import type { BotDeps } from "./bot-deps.js";
import type { ViewContext } from "./format.js";
import { TEXT } from "./messages.js";

/**
 * A number in card data (a case number, a version): a JSON number, or its decimal digits as
 * an input sends them. Anything else — an array, a boolean, hex or exponent notation — is
 * refused rather than coerced, so tampered card data never reaches a case by accident.
 */
export function cardNumber(min: 0 | 1): z.ZodType<number, z.ZodTypeDef, unknown> {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(Number.MAX_SAFE_INTEGER));
}

/** Who acts in this turn: the Entra object id from the activity, never from card data (SPEC §1). */
export interface Actor {
  aadObjectId: string;
  name: string;
}

/** What every handler starts from: the turn's municipality and user, and its input parsed with zod. */
export interface Turn<T> {
  municipality: Municipality;
  user: Actor;
  data: T;
  /** For views: the municipality, time zone and calendar. */
  view: ViewContext;
}

export type ReadTurn<T> = { ok: true; turn: Turn<T> } | { ok: false; answer: string };

/**
 * The one preamble of every handler: the municipality of the activity's tenant, the user,
 * and `raw` (card data, or nothing for a message) parsed with `schema`. Anything that does
 * not parse is answered with `invalid` — card data carries only ids, so a failure means an
 * old or tampered card.
 */
export function readTurn<S extends z.ZodTypeAny>(
  ctx: TurnContext,
  deps: BotDeps,
  schema: S,
  raw: unknown,
  invalid: string,
): ReadTurn<z.infer<S>> {
  const municipality = turnMunicipality(ctx) ?? deps.municipalities.get(tenantOf(ctx) ?? "");
  if (!municipality) return { ok: false, answer: TEXT.unknownTenant };
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, answer: invalid };
  const user = { aadObjectId: ctx.activity.from?.aadObjectId ?? "", name: ctx.activity.from?.name ?? "" };
  return {
    ok: true,
    turn: { municipality, user, data: parsed.data, view: { municipality, timeZone: deps.timeZone, calendar: deps.calendar } },
  };
}

/** Where the turn's municipality with its roles resolved (see `roles-handlers.ts`) is kept for {@link readTurn}. */
const TURN_MUNICIPALITY = Symbol("sparring.turnMunicipality");

/**
 * Sets the municipality this turn's handlers see: the configuration with its role lists as
 * the directory has them now (Entra ID groups and e-mail addresses resolved to object ids),
 * resolved once before the turn so that every role check stays synchronous.
 */
export function setTurnMunicipality(ctx: TurnContext, municipality: Municipality): void {
  ctx.turnState.set(TURN_MUNICIPALITY, municipality);
}

function turnMunicipality(ctx: TurnContext): Municipality | undefined {
  return ctx.turnState.get(TURN_MUNICIPALITY) as Municipality | undefined;
}

export function tenantOf(ctx: TurnContext): string | undefined {
  const a = ctx.activity;
  return a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

export function isPersonalChat(ctx: TurnContext): boolean {
  const type = ctx.activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}

export function isChannel(ctx: TurnContext): boolean {
  return ctx.activity.conversation?.conversationType === "channel";
}

/** Where to reach this conversation later (proactive messages), opaque to the domain. */
export function conversationReference(ctx: TurnContext): string {
  return JSON.stringify(TurnContext.getConversationReference(ctx.activity));
}

/**
 * The channel itself, not the thread the command was posted in: a post in a channel
 * arrives as `19:…@thread.tacv2;messageid=…`, and proactive posts to that id would land
 * as replies in the command's thread.
 */
export function channelConversationId(ctx: TurnContext): string {
  const channelId = (ctx.activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
  return channelId ?? (ctx.activity.conversation?.id ?? "").split(";")[0]!;
}

export function channelOf(ctx: TurnContext): { conversationId: string; channelName: string; reference: string } {
  const conversationId = channelConversationId(ctx);
  const reference = TurnContext.getConversationReference(ctx.activity);
  const channelName = (ctx.activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name ?? "";
  return {
    conversationId,
    channelName,
    reference: JSON.stringify({ ...reference, activityId: undefined, conversation: { ...reference.conversation, id: conversationId } }),
  };
}

/**
 * Answers a card action (`Action.Execute`) with a text, as `actionExecute` does for a string
 * handler: Teams shows it and keeps the card as it was, with what the user typed. For turns
 * ended before a handler ran (roles unknown) or after one failed (storage down).
 */
export async function answerActionWithText(ctx: TurnContext, text: string): Promise<void> {
  await ctx.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text } },
  });
}

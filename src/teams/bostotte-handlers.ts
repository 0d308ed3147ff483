import { randomUUID } from "node:crypto";
import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import { BOSTOTTE_KINDS, emptyBostotteDraft, type BostotteDraft } from "../domain/bostotte.js";
import { mayRecordBostotte, submitBostotteForm } from "../domain/bostotte-form.js";
import { maskCpr } from "../domain/cpr.js";
import { follow, followedBy, handOverFollowing as handOverFollowingUseCase, unfollow } from "../domain/following.js";
import { bostotteDecision, type RecordBostotteOutcome } from "../domain/record-bostotte.js";
import { findFollowed } from "../domain/stop-following.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment, type CardJson } from "./cards.js";
import { BOSTOTTE_TEXT, FOLLOW_TEXT, TEXT } from "./messages.js";
import { isPersonalChat, readTurn } from "./turn.js";
import { bostotteDetailsCard } from "./views/bostotte-details.js";
import { bostotteFormCard } from "./views/bostotte-form.js";
import { bostotteRecordedCard } from "./views/bostotte-recorded.js";
import { bostotteStartCard } from "./views/bostotte-start.js";
import { followCitizenCard } from "./views/follow-citizen.js";
import { followedCitizensCard } from "./views/followed-citizens.js";
import { unfollowCitizenCard } from "./views/unfollow-citizen.js";
import { handOverFollowingCard } from "./views/hand-over-following.js";
import { personName } from "./format.js";

const noInput = z.object({});
const kindInput = z.object({ kind: z.enum(BOSTOTTE_KINDS) });
const text = (max: number) => z.string().max(max).optional().default("");

/** The bostøtte form's submit: the inputs as typed, the kind and the id of the rendered form. */
const submitBostotteInput = z.object({
  submissionId: z.string().uuid(),
  kind: z.enum(BOSTOTTE_KINDS),
  cpr: text(40),
  legalBasis: text(40),
  hours: text(40),
  hoursPer: text(20),
  from: text(40),
  to: text(40),
  review: text(40),
  purpose: text(20_000),
  reasonCategory: text(100),
  reasonText: text(20_000),
  endDate: text(40),
});

/** `bostøtte` in personal chat: which decision to record (social caseworkers only). */
export async function sendBostotteStart(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, noInput, {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  if (!mayRecordBostotte(read.turn.municipality, read.turn.user.aadObjectId))
    return void (await ctx.sendActivity(BOSTOTTE_TEXT.onlySocialCaseworkers));
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment(bostotteStartCard())));
}

/** "Bevilling" / "Afslag" / "Ophør": the form for that kind, new and empty. */
export async function showBostotteForm(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, kindInput, raw, BOSTOTTE_TEXT.expiredForm);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  if (!mayRecordBostotte(municipality, user.aadObjectId)) return BOSTOTTE_TEXT.onlySocialCaseworkers;
  return bostotteFormCard(municipality, data.kind, randomUUID(), emptyBostotteDraft({ kind: data.kind }));
}

/** "Registrér og giv besked": the decision is recorded once and the employment side told. */
export async function submitBostotte(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, submitBostotteInput, raw, BOSTOTTE_TEXT.expiredForm);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const { submissionId, ...typed } = data;
  const draft: BostotteDraft = typed;
  let outcome: RecordBostotteOutcome;
  try {
    outcome = await submitBostotteForm(deps, { municipality, draft, submissionId, by: user });
  } catch (error) {
    // Storage failing mid-flow: the form comes back as typed, so nothing is lost.
    deps.logger.error({ err: error }, "recording a bostøtte decision failed");
    return bostotteFormCard(municipality, data.kind, submissionId, draft, {}, BOSTOTTE_TEXT.storageDown);
  }
  switch (outcome.kind) {
    case "recorded":
    case "duplicate":
      deps.logger.info(
        { tenant: municipality.tenantId, decision: outcome.record.id, repeated: outcome.kind === "duplicate" },
        "bostøtte decision recorded",
      );
      return bostotteRecordedCard(view, outcome.record, outcome.kind === "duplicate");
    case "invalid":
      return bostotteFormCard(municipality, data.kind, submissionId, draft, outcome.errors, BOSTOTTE_TEXT.formHasErrors);
    case "not-allowed":
      return BOSTOTTE_TEXT.onlySocialCaseworkers;
    case "conflict":
      return BOSTOTTE_TEXT.conflict;
    case "invalid-event-id":
      return BOSTOTTE_TEXT.expiredForm;
  }
}

const decisionRef = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });

/** "Vis detaljer" on a bostøtte card: for the citizen's caseworkers (and the forum's coordinators on a fallback card); audited. */
export async function showBostotteDetails(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, decisionRef, raw, BOSTOTTE_TEXT.unknownDecision);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await bostotteDecision(deps, { municipality, id: data.id, user: user.aadObjectId });
  switch (outcome.kind) {
    case "shown":
      return bostotteDetailsCard(view, outcome.record);
    case "refused":
      return BOSTOTTE_TEXT.detailsRefused;
    case "unknown-decision":
      return BOSTOTTE_TEXT.unknownDecision;
  }
}

const followCommand = z.object({ text: z.string().max(200) });

/** `følg <CPR>`: the form to follow a citizen, with the CPR number as typed. */
export async function startFollowing(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, followCommand, { text: ctx.activity.text ?? "" }, FOLLOW_TEXT.followCommandHelp);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const cpr = read.turn.data.text.replace(/^\s*følg\b/i, "").trim();
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment(followCitizenCard({ cpr, purpose: "" }))));
}

const followInput = z.object({ cpr: text(40), purpose: text(60) });

/** "Følg borgeren": follows the citizen with the purpose chosen (audited). */
export async function followCitizen(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, followInput, raw, FOLLOW_TEXT.followCommandHelp);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await follow(deps, { municipality, cpr: data.cpr, purpose: data.purpose, user: user.aadObjectId });
  switch (outcome.kind) {
    case "followed":
      return FOLLOW_TEXT.followed(maskCpr(outcome.cprDigits));
    case "already-following":
      return FOLLOW_TEXT.alreadyFollowing(maskCpr(outcome.cprDigits));
    case "invalid":
      return followCitizenCard(data, outcome.errors, FOLLOW_TEXT.formHasErrors);
    case "too-many-followers":
      return FOLLOW_TEXT.tooManyFollowers;
    case "not-allowed":
      return FOLLOW_TEXT.onlyCaseworkers;
  }
}

/** `følger`: the citizens this caseworker follows, masked. */
export async function listFollowed(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, noInput, {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { citizens } = await followedBy(deps, { municipality: read.turn.municipality, user: read.turn.user.aadObjectId });
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment(followedCitizensCard(read.turn.view, citizens))));
}

/** `stop følg <CPR>`: asks why, then stops following. */
export async function stopFollowing(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, followCommand, { text: ctx.activity.text ?? "" }, FOLLOW_TEXT.followCommandHelp);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user, data } = read.turn;
  const cpr = data.text.replace(/^\s*stop\s+(med\s+at\s+)?følg(e)?\b/i, "").trim();
  const outcome = await findFollowed(deps, { municipality, cpr, user: user.aadObjectId });
  switch (outcome.kind) {
    case "found":
      return void (await ctx.sendActivity(MessageFactory.attachment(cardAttachment(unfollowCitizenCard(outcome.citizen)))));
    case "not-following":
      return void (await ctx.sendActivity(FOLLOW_TEXT.notFollowing));
    case "invalid-cpr":
      return void (await ctx.sendActivity(`${FOLLOW_TEXT.fieldError[outcome.error]} Skriv fx: stop følg 610190-4321.`));
  }
}

/** A followed citizen on a card: the keyed hash of the CPR number (hex), never anything a table key could not hold. */
const citizenId = z.string().regex(/^[0-9a-f]{64}$/);
const unfollowInput = z.object({ citizenId, reason: text(60) });

/** "Stop med at følge": ends the following with the reason given (audited). */
export async function unfollowCitizen(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, unfollowInput, raw, FOLLOW_TEXT.notFollowing);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await unfollow(deps, { municipality, citizenId: data.citizenId, reason: data.reason, user: user.aadObjectId });
  switch (outcome.kind) {
    case "unfollowed":
      return FOLLOW_TEXT.unfollowed;
    case "not-following":
      return FOLLOW_TEXT.notFollowing;
    case "invalid": {
      const followed = await findCitizen(deps, municipality, user.aadObjectId, data.citizenId);
      if (!followed) return FOLLOW_TEXT.notFollowing;
      return unfollowCitizenCard(followed, { reason: data.reason, error: FOLLOW_TEXT.fieldError[outcome.errors.reason] });
    }
  }
}

async function findCitizen(deps: BotDeps, municipality: Parameters<typeof followedBy>[1]["municipality"], user: string, citizenId: string) {
  const { citizens } = await followedBy(deps, { municipality, user });
  return citizens.find((c) => c.citizenId === citizenId);
}

const citizenRef = z.object({ citizenId });
const handOverFollowingInput = z.object({ citizenId, to: text(100) });

/** "Giv videre" on a followed citizen in `følger`: choose the colleague who follows the citizen instead. */
export async function showHandOverFollowing(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, citizenRef, raw, FOLLOW_TEXT.notFollowing);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const citizen = await findCitizen(deps, municipality, user.aadObjectId, data.citizenId);
  return citizen ? handOverFollowingCard(municipality, citizen, user.aadObjectId) : FOLLOW_TEXT.notFollowing;
}

/** "Giv videre": the colleague follows the citizen from now on (purpose kept) and is told once. */
export async function handOverFollowing(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, handOverFollowingInput, raw, FOLLOW_TEXT.notFollowing);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const citizen = await findCitizen(deps, municipality, user.aadObjectId, data.citizenId);
  if (!citizen) return FOLLOW_TEXT.notFollowing;
  if (!data.to) return handOverFollowingCard(municipality, citizen, user.aadObjectId, { error: FOLLOW_TEXT.handOverChoose });
  const outcome = await handOverFollowingUseCase(deps, { municipality, citizenId: data.citizenId, from: user.aadObjectId, to: data.to });
  switch (outcome.kind) {
    case "handed-over":
      return FOLLOW_TEXT.followingHandedOver2(maskCpr(citizen.cprDigits), personName(municipality, data.to));
    case "already-following":
      return FOLLOW_TEXT.handOverFollowingAlready;
    case "not-caseworker":
      return handOverFollowingCard(municipality, citizen, user.aadObjectId, {
        selected: data.to,
        error: FOLLOW_TEXT.handOverNotCaseworker,
      });
    case "not-following":
      return FOLLOW_TEXT.notFollowing;
    case "not-allowed":
      return FOLLOW_TEXT.handOverOnlyCaseworker;
  }
}

import { randomUUID } from "node:crypto";
import { Application, TeamsAdapter, TurnState } from "@microsoft/teams-ai";
import { MessageFactory, TurnContext } from "botbuilder";
import { z } from "zod";
import { DRAFT_FIELDS, MAX_CHARS, MAX_LINES, type CaseDraft, type CaseRecord, type FieldErrors } from "../domain/case.js";
import { maskCpr } from "../domain/cpr.js";
import { findForum, isAdministrator, type Municipality } from "../domain/municipality.js";
import type { AddressBook, CaseRepository, Clock } from "../domain/ports.js";
import { raiseCase } from "../domain/raise-case.js";
import { formatDanishDate } from "../domain/time.js";
import type { Logger } from "../logger.js";
import { cardAttachment, escapeMarkdown, renderCard, type CardData, type CardJson } from "./cards.js";
import { fieldErrorText, TEXT } from "./messages.js";
import { VERBS } from "./verbs.js";

export interface BotDeps {
  adapter: TeamsAdapter;
  cases: CaseRepository;
  addresses: AddressBook;
  clock: Clock;
  timeZone: string;
  municipalities: ReadonlyMap<string, Municipality>;
  logger: Logger;
}

/** What a card action may carry: ids only, never state a user could tamper with (SPEC §11). */
const submitCaseData = z.object({
  submissionId: z.string().uuid(),
  cpr: z.string().max(40).optional().default(""),
  health: z.string().max(20_000).optional().default(""),
  social: z.string().max(20_000).optional().default(""),
  question: z.string().max(20_000).optional().default(""),
  department: z.string().max(200).optional().default(""),
  acute: z.enum(["true", "false"]).optional().default("false"),
  acuteReason: z.string().max(20_000).optional().default(""),
});

const LIST_LIMIT = 20;

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

  // Routes. Specific message routes first: a catch-all registered earlier would swallow them.
  app.message(/^\s*(ny\s+sag|hej|hejsa|goddag|hjælp|hjaelp|help|hi|hello)\s*[!.]?\s*$/i, (ctx) => sendHelpAndForm(ctx, deps, ""));
  app.message(/^\s*mine\s+sager\s*$/i, (ctx) => sendMyCases(ctx, deps));
  app.message(/^\s*tilknyt(\s+forum)?\b/i, (ctx) => bindForumChannel(ctx, deps));
  app.conversationUpdate("membersAdded", (ctx) => rememberPersonalChat(ctx, deps));
  app.activity("installationUpdate", (ctx) => rememberPersonalChat(ctx, deps));
  app.adaptiveCards.actionExecute(VERBS.submitCase, (ctx, _state, data) => submitCase(ctx, deps, data));
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

function municipalityOf(ctx: TurnContext, deps: BotDeps): Municipality | undefined {
  return deps.municipalities.get(tenantOf(ctx) ?? "");
}

export function tenantOf(ctx: TurnContext): string | undefined {
  const a = ctx.activity;
  return a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

function isPersonalChat(ctx: TurnContext): boolean {
  const type = ctx.activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}

/** Saves where to reach a user later (SPEC §11: proactive messages need a saved reference). */
async function rememberPersonalChat(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const municipality = municipalityOf(ctx, deps);
  const user = ctx.activity.from?.aadObjectId;
  if (!municipality || !user || !isPersonalChat(ctx)) return;
  try {
    await deps.addresses.savePersonalChat(municipality.tenantId, user, {
      reference: JSON.stringify(TurnContext.getConversationReference(ctx.activity)),
      savedAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    // Not worth failing the user's turn: the address is saved again on their next message.
    deps.logger.warn({ err: error }, "could not save the personal chat address");
  }
}

/** `@Sparring tilknyt forum unge` in a channel: from now on that forum's cards go there. */
async function bindForumChannel(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return void (await ctx.sendActivity(TEXT.unknownTenant));
  if (ctx.activity.conversation?.conversationType !== "channel") return void (await ctx.sendActivity(TEXT.bindOnlyInChannel));
  const user = ctx.activity.from?.aadObjectId ?? "";
  if (!isAdministrator(municipality, user)) return void (await ctx.sendActivity(TEXT.bindNotAdministrator));
  const typed = (ctx.activity.text ?? "").replace(/^\s*tilknyt(\s+forum)?/i, "");
  const forum = findForum(municipality, typed);
  const choices = municipality.forums.map((f) => f.id).join(" eller ");
  if (!forum) return void (await ctx.sendActivity(TEXT.bindUnknownForum(typed.trim(), choices)));
  const channelName = (ctx.activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name ?? "";
  const previous = await deps.addresses.bindForumChannel(municipality.tenantId, {
    forumId: forum.id,
    channelName,
    boundBy: user,
    reference: JSON.stringify(TurnContext.getConversationReference(ctx.activity)),
    savedAt: deps.clock.now().toISOString(),
  });
  deps.logger.info({ tenant: municipality.tenantId, forum: forum.id, by: user }, "forum channel bound");
  await ctx.sendActivity(TEXT.bound(forum.name, previous !== undefined && previous.reference !== JSON.stringify(TurnContext.getConversationReference(ctx.activity))));
}

async function sendHelpAndForm(ctx: TurnContext, deps: BotDeps, prefix: string): Promise<void> {
  if (!isPersonalChat(ctx)) {
    await ctx.sendActivity(MessageFactory.text(TEXT.personalChatOnly));
    return;
  }
  await rememberPersonalChat(ctx, deps);
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) {
    await ctx.sendActivity(TEXT.unknownTenant);
    return;
  }
  const firstName = (ctx.activity.from.name ?? "").split(" ")[0] ?? "";
  const greeting = [prefix, TEXT.greeting(escapeMarkdown(firstName))].filter(Boolean).join(" ");
  await ctx.sendActivities([
    MessageFactory.attachment(cardAttachment("help", helpData(municipality, greeting))),
    MessageFactory.attachment(cardAttachment("case-form", formData(municipality, randomUUID(), emptyDraft(), {}, ""))),
  ]);
}

async function submitCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = submitCaseData.safeParse(raw);
  if (!parsed.success) return TEXT.expiredForm;
  const input = parsed.data;
  const draft: CaseDraft = {
    cpr: input.cpr,
    health: input.health,
    social: input.social,
    question: input.question,
    department: input.department,
    acute: input.acute === "true",
    acuteReason: input.acuteReason,
  };
  const user = { aadObjectId: ctx.activity.from.aadObjectId ?? "", name: ctx.activity.from.name ?? "" };
  if (!user.aadObjectId) return TEXT.notCaseworker;

  try {
    const outcome = await raiseCase(deps, { municipality, submissionId: input.submissionId, user, draft });
    switch (outcome.kind) {
      case "not-caseworker":
        return TEXT.notCaseworker;
      case "invalid":
        return renderCard("case-form", formData(municipality, input.submissionId, draft, outcome.errors, TEXT.formHasErrors));
      case "raised": {
        deps.logger.info({ tenant: municipality.tenantId, caseNo: outcome.record.caseNo, created: outcome.created }, "case raised");
        const channel = await deps.addresses.forumChannel(municipality.tenantId, outcome.record.forumId);
        return renderCard("case-raised", raisedData(municipality, outcome.record, !outcome.created, deps.timeZone, channel !== undefined));
      }
    }
  } catch (error) {
    // Storage failing mid-flow: the form comes back as typed, so nothing is lost.
    deps.logger.error({ err: error }, "raise case failed");
    return renderCard("case-form", formData(municipality, input.submissionId, draft, {}, TEXT.storageDown));
  }
}

async function sendMyCases(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) {
    await ctx.sendActivity(TEXT.personalChatOnly);
    return;
  }
  const municipality = municipalityOf(ctx, deps);
  const user = ctx.activity.from.aadObjectId;
  if (!municipality) {
    await ctx.sendActivity(TEXT.unknownTenant);
    return;
  }
  if (!user) {
    await ctx.sendActivity(TEXT.notCaseworker);
    return;
  }
  const records = await deps.cases.listRaisedBy(municipality.tenantId, user, LIST_LIMIT);
  const data: CardData["my-cases"] = {
    count: records.length,
    summary:
      records.length >= LIST_LIMIT
        ? `Dine ${LIST_LIMIT} nyeste sager, nyeste først.`
        : `${records.length} ${records.length === 1 ? "sag" : "sager"}, nyeste først.`,
    cases: records.map((r) => ({
      reference: r.reference,
      maskedCpr: maskCpr(r.cprDigits),
      age: r.age,
      stateText: (r.acute ? "AKUT · " : "") + (TEXT.stateText[r.state] ?? r.state),
      stateColor: r.acute ? "Attention" : "Default",
      forumName: forumName(municipality, r.forumId),
      raisedAt: formatDanishDate(r.raisedAt, deps.timeZone),
    })),
  };
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment("my-cases", data)));
}

function emptyDraft(): CaseDraft {
  return { cpr: "", health: "", social: "", question: "", department: "", acute: false, acuteReason: "" };
}

function formData(
  municipality: Municipality,
  submissionId: string,
  draft: CaseDraft,
  errors: FieldErrors,
  formError: string,
): CardData["case-form"] {
  const errorTexts = Object.fromEntries(
    DRAFT_FIELDS.map((f) => [f, errors[f] ? fieldErrorText(errors[f], municipality.minimumAge) : ""]),
  ) as CardData["case-form"]["errors"];
  return {
    verb: VERBS.submitCase,
    submissionId,
    maxLines: MAX_LINES,
    maxChars: MAX_CHARS,
    formError,
    values: { ...draft, acute: draft.acute ? "true" : "false" },
    errors: errorTexts,
    departments: municipality.departments.map((d) => ({ title: d, value: d })),
  };
}

function raisedData(
  municipality: Municipality,
  record: CaseRecord,
  repeated: boolean,
  timeZone: string,
  forumHasChannel: boolean,
): CardData["case-raised"] {
  const forum = forumName(municipality, record.forumId);
  return {
    reference: record.reference,
    repeated,
    acute: record.acute,
    maskedCpr: maskCpr(record.cprDigits),
    age: record.age,
    forumName: forum,
    department: record.department,
    raisedAt: formatDanishDate(record.raisedAt, timeZone),
    nextStep: forumHasChannel ? TEXT.nextStepRaised(forum) : TEXT.nextStepNoChannel(forum),
  };
}

function helpData(municipality: Municipality, greeting: string): CardData["help"] {
  return {
    greeting,
    forums: municipality.forums.map((f) => ({
      ageRange: f.maxAge === undefined ? `${f.minAge} år og ældre` : `${Math.max(f.minAge, municipality.minimumAge)}–${f.maxAge} år`,
      name: f.name,
    })),
  };
}

function forumName(municipality: Municipality, forumId: string): string {
  return municipality.forums.find((f) => f.id === forumId)?.name ?? forumId;
}

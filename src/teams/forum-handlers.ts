import { MessageFactory, TurnContext } from "botbuilder";
import { z } from "zod";
import { ageGroupLabel, canViewDetails } from "../domain/access.js";
import type { CaseRecord } from "../domain/case.js";
import { canBeDecided } from "../domain/case-lifecycle.js";
import { displayName, findForum, isAdministrator, type Municipality } from "../domain/municipality.js";
import { DateTime } from "luxon";
import type { ScheduledMeeting } from "../domain/ports.js";
import { caseMeetingText, formatDanishDateTime, forumName, isPersonalChat, municipalityOf, slotStartsAt, type BotDeps } from "./bot-deps.js";
import { cardAttachment, escapeMarkdown, renderCard, type CardData, type CardJson } from "./cards.js";
import { TEXT } from "./messages.js";
import { VERBS } from "./verbs.js";

/** Saves where to reach a user later (SPEC §11: proactive messages need a saved reference). */
export async function rememberPersonalChat(ctx: TurnContext, deps: BotDeps): Promise<void> {
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
export async function bindForumChannel(ctx: TurnContext, deps: BotDeps): Promise<void> {
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
  const reference = JSON.stringify(channelReference(ctx));
  const previous = await deps.addresses.bindForumChannel(municipality.tenantId, {
    forumId: forum.id,
    channelName,
    boundBy: user,
    reference,
    savedAt: deps.clock.now().toISOString(),
  });
  deps.logger.info({ tenant: municipality.tenantId, forum: forum.id, by: user }, "forum channel bound");
  await ctx.sendActivity(TEXT.bound(forum.name, previous !== undefined && previous.reference !== reference));
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

function channelReference(ctx: TurnContext) {
  const reference = TurnContext.getConversationReference(ctx.activity);
  return { ...reference, activityId: undefined, conversation: { ...reference.conversation, id: channelConversationId(ctx) } };
}

/** The forum bound to the channel this activity came from, if any. */
async function forumOfChannel(ctx: TurnContext, deps: BotDeps, municipality: Municipality) {
  const conversationId = channelConversationId(ctx);
  for (const forum of municipality.forums) {
    const bound = await deps.addresses.forumChannel(municipality.tenantId, forum.id);
    if (bound && (JSON.parse(bound.reference) as { conversation?: { id?: string } }).conversation?.id === conversationId) return forum;
  }
  return undefined;
}

/** `@Sparring dagsorden` in a forum channel: the agenda of the forum's next meeting. */
export async function showAgenda(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return void (await ctx.sendActivity(TEXT.unknownTenant));
  const forum = await forumOfChannel(ctx, deps, municipality);
  if (!forum) return void (await ctx.sendActivity(TEXT.agendaNoForum));
  const now = deps.clock.now();
  const [next, following] = deps.calendar.upcoming(municipality, forum.id, now, 2);
  if (!next) return void (await ctx.sendActivity(TEXT.agendaNoMeeting(forum.name)));
  const cards = [cardAttachment("agenda", await agendaData(deps, municipality, next, ""))];
  // Once the next agenda is closed, new cases go to the meeting after: show its agenda as it stands.
  if (following && next.agendaDeadline.getTime() <= now.getTime()) {
    const note = TEXT.agendaPreliminary(formatDanishDateTime(following.agendaDeadline, deps.timeZone));
    cards.push(cardAttachment("agenda", await agendaData(deps, municipality, following, note)));
  }
  await ctx.sendActivities(cards.map((card) => MessageFactory.attachment(card)));
}

export async function agendaData(deps: BotDeps, municipality: Municipality, meeting: ScheduledMeeting, note: string): Promise<CardData["agenda"]> {
  const bookings = await deps.meetings.bookings(municipality.tenantId, meeting);
  const records = await Promise.all(bookings.map((b) => deps.cases.get(municipality.tenantId, b.caseNo)));
  const key = `${meeting.forumId}:${meeting.date}`;
  const items = bookings.flatMap((b, i) => {
    const record = records[i];
    // A slot whose case has moved on (a move cut off half-way) is not on this agenda.
    if (!record || record.meetingKey !== key) return [];
    return [
      {
        caseNo: record.caseNo,
        detailsVerb: VERBS.showCaseDetails,
        time: formatDanishDateTime(slotStartsAt(meeting, b.slot), deps.timeZone).replace(/^.* kl\. /, "kl. "),
        reference: record.reference,
        ageGroup: ageGroupLabel(municipality, record.forumId),
        department: escapeMarkdown(record.department),
        acute: record.acute,
      },
    ];
  });
  return {
    meetingKey: key,
    // Offered to everyone in the channel; only the forum's coordinators get past the server check.
    canCancel: meeting.startsAt.getTime() > deps.clock.now().getTime(),
    cancelFormVerb: VERBS.confirmCancelMeeting,
    forumName: forumName(municipality, meeting.forumId),
    meetingText: formatDanishDateTime(meeting.startsAt, deps.timeZone),
    note,
    count: items.length,
    capacity: meeting.capacity,
    slotMinutes: meeting.slotMinutes,
    items,
  };
}

/** The privacy-safe card in the forum channel (SPEC §6): no CPR, no health or social text. */
export function caseInForumData(
  deps: BotDeps,
  municipality: Municipality,
  record: CaseRecord,
  form: { banner?: string; values?: CardData["case-in-forum"]["values"]; errors?: Partial<CardData["case-in-forum"]["errors"]> } = {},
): CardData["case-in-forum"] {
  return {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    acute: record.acute,
    banner: form.banner ?? "",
    ageGroup: ageGroupLabel(municipality, record.forumId),
    department: escapeMarkdown(record.department),
    meetingText: record.state === "awaiting-information" ? TEXT.stateText["awaiting-information"]! : caseMeetingText(deps, municipality, record),
    stateText: TEXT.stateText[record.state] ?? record.state,
    decisionText: record.decision && record.decision !== "postpone" ? decisionText(municipality, record) : "",
    decidedText: record.decidedAt ? decidedText(deps, record) : "",
    canDecide: canBeDecided(record.state),
    canMove: record.state === "booked",
    values: form.values ?? { decision: "", socialCaseworker: "", note: "" },
    errors: { decision: "", socialCaseworker: "", note: "", ...form.errors },
    socialCaseworkers: municipality.roles.socialCaseworkers.map((id) => ({ id, name: displayName(municipality, id) })),
    decideVerb: VERBS.decideCase,
    detailsVerb: VERBS.showCaseDetails,
    moveFormVerb: VERBS.showMoveCase,
  };
}

/** "Start sag i myndighedsafdelingen — visiteret til Jonas Dahl" */
export function decisionText(municipality: Municipality, record: CaseRecord): string {
  const label = record.decision ? TEXT.decisionLabel[record.decision] : "";
  return record.decision === "start" && record.socialCaseworker ? `${label} — visiteret til ${displayName(municipality, record.socialCaseworker)}` : label;
}

/** "Hanne Lund, 25.11.2026 kl. 14.12" */
export function decidedText(deps: BotDeps, record: CaseRecord): string {
  const when = DateTime.fromISO(record.decidedAt ?? "").setZone(deps.timeZone).toFormat("dd.MM.yyyy 'kl.' HH.mm");
  return `${escapeMarkdown(record.decidedByName ?? "")}, ${when}`;
}

const caseRef = z.object({ caseNo: z.coerce.number().int().positive() });

/**
 * The case a card action points at, checked against this tenant's store: card data is
 * only an id, and an unknown or foreign id gets a message instead of a case.
 */
export async function caseFromCard(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<{ municipality: Municipality; record: CaseRecord } | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = caseRef.safeParse(raw);
  if (!parsed.success) return TEXT.unknownCase;
  const record = await deps.cases.get(municipality.tenantId, parsed.data.caseNo);
  return record ? { municipality, record } : TEXT.unknownCase;
}

/**
 * "Vis detaljer": the full case, for the forum's coordinators and the case's caseworker
 * only, as a card only the presser sees. Every view and every refusal is audited.
 */
export async function showCaseDetails(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const found = await caseFromCard(ctx, deps, raw);
  if (typeof found === "string") return found;
  const { municipality, record } = found;
  const user = ctx.activity.from?.aadObjectId ?? "";
  const at = deps.clock.now().toISOString();
  if (!canViewDetails(municipality, record, user)) {
    await deps.cases.audit(municipality.tenantId, record.caseNo, { at, user, action: "view-refused", purpose: "sparring" });
    return TEXT.detailsRefused;
  }
  await deps.cases.audit(municipality.tenantId, record.caseNo, { at, user, action: "view-details", purpose: "sparring" });
  return renderCard("case-details", {
    caseNo: record.caseNo,
    reference: record.reference,
    cpr: `${record.cprDigits.slice(0, 6)}-${record.cprDigits.slice(6)}`,
    age: record.age,
    forumName: forumName(municipality, record.forumId),
    meetingText: caseMeetingText(deps, municipality, record),
    raisedByName: escapeMarkdown(record.raisedByName),
    department: escapeMarkdown(record.department),
    acute: record.acute,
    acuteReason: escapeMarkdown(record.acuteReason),
    health: escapeMarkdown(record.health),
    social: escapeMarkdown(record.social),
    question: escapeMarkdown(record.question),
    summaryVerb: VERBS.showCaseSummary,
  });
}

/** "Skjul detaljer": back to the privacy-safe card. */
export async function showCaseSummary(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const found = await caseFromCard(ctx, deps, raw);
  if (typeof found === "string") return found;
  return renderCard("case-in-forum", caseInForumData(deps, found.municipality, found.record));
}

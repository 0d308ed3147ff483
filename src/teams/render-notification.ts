import { MessageFactory, TeamsInfo, type ConversationReference, type Mention, type TurnContext } from "botbuilder";
import { agendaOf } from "../domain/agenda.js";
import type { Municipality } from "../domain/municipality.js";
import type { NotificationTarget } from "../domain/notification.js";
import type { OutboxMessage } from "../domain/ports.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment } from "./cards.js";
import { maskCpr } from "../domain/cpr.js";
import { forumForAge as forumOfAge } from "../domain/municipality.js";
import { caseMeetingText, dateTimeText, escapeMarkdown, forumName, isoDateText, personName, type ViewContext } from "./format.js";
import { FOLLOW_TEXT, OVERVIEW_TEXT as TEXT_OVERVIEW, TEXT } from "./messages.js";
import { bostotteInForumCard } from "./views/bostotte-in-forum.js";
import { bostotteNoticeCard } from "./views/bostotte-notice.js";
import type { RenderedNotification } from "./outbox-dispatcher.js";
import { agendaCard } from "./views/agenda.js";
import { caseInForumCard } from "./views/case-in-forum.js";
import { caseMovedAwayCard } from "./views/case-moved-away.js";
import { decisionForCaseworkerCard } from "./views/decision-for-caseworker.js";
import { renderPlanNotification } from "./render-plan-notification.js";
import { isManager, overviewReport } from "../domain/overview-use-cases.js";
import { withDirectoryRoles } from "../domain/roles.js";
import { overviewCard } from "./views/overview.js";

/** Where a notification goes: the conversation saved at binding or installation. */
export async function resolveTarget(
  deps: BotDeps,
  tenantId: string,
  target: NotificationTarget,
): Promise<Partial<ConversationReference> | undefined> {
  const address =
    target.kind === "forum-channel"
      ? await deps.addresses.forumChannel(tenantId, target.forumId)
      : await deps.addresses.personalChat(tenantId, target.aadObjectId);
  return address ? (JSON.parse(address.reference) as Partial<ConversationReference>) : undefined;
}

/**
 * Turns an outbox message into the activity Teams receives, from the current state of
 * the case or meeting, so a message sent late still shows the truth.
 */
export async function renderNotification(deps: BotDeps, message: OutboxMessage): Promise<RenderedNotification | undefined> {
  const configured = deps.municipalities.get(message.tenantId);
  if (!configured) return undefined;
  // Roles as Entra ID has them now (coordinators to @mention, social caseworkers to choose
  // from, managers); when it cannot be asked this throws and the message is retried later.
  const municipality = await withDirectoryRoles(deps, configured);
  const view: ViewContext = { municipality, timeZone: deps.timeZone, calendar: deps.calendar };
  const content = message.content;
  switch (content.kind) {
    case "case-card": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      const card = cardAttachment(caseInForumCard(view, record));
      const activity = MessageFactory.attachment(card);
      if (record.channelActivityId) return { activity, updateActivityId: record.channelActivityId };
      // An edit before the first post went out: the pending post will show the latest state.
      if (content.mode !== "post") return undefined;
      if (!record.acute) return { activity };
      const text = TEXT.acuteAlert(record.reference, forumName(municipality, record.forumId));
      return {
        activity: { ...activity, text },
        compose: async (ctx) => ({ ...(await withCoordinatorMentions(ctx, municipality, record.forumId, text)), attachments: [card] }),
      };
    }
    case "case-card-moved-away": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      const card = cardAttachment(caseMovedAwayCard(view, record, content.toForumId));
      return { activity: MessageFactory.attachment(card), updateActivityId: content.activityId };
    }
    case "agenda": {
      const meeting = deps.calendar.find(municipality, content.forumId, content.date);
      if (!meeting) return undefined;
      const agenda = await agendaOf(deps, municipality, meeting);
      return { activity: MessageFactory.attachment(cardAttachment(agendaCard(view, agenda, content.late ? TEXT.agendaLate : ""))) };
    }
    case "case-moved": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      return { activity: MessageFactory.text(TEXT.caseMoved(record.reference, caseMeetingText(view, record), content.reason)) };
    }
    case "decision": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record?.decision) return undefined;
      return { activity: MessageFactory.attachment(cardAttachment(decisionForCaseworkerCard(view, record, content.audience))) };
    }
    case "text":
      return { activity: MessageFactory.text(content.text) };
    case "bostotte": {
      const found = await deps.citizens.bostotte(message.tenantId, content.decisionId);
      if (!found) return undefined;
      const card = content.audience === "forum" ? bostotteInForumCard(view, found.record) : bostotteNoticeCard(view, found.record);
      return { activity: MessageFactory.attachment(cardAttachment(card)) };
    }
    case "target-group-change": {
      const records = (await Promise.all(content.caseNos.map((n) => deps.cases.get(message.tenantId, n)))).filter((r) => r !== undefined);
      const first = records[0];
      if (!first) return undefined;
      const forum = forumOfAge(municipality, content.age);
      const text = FOLLOW_TEXT.targetGroupChange(
        records.map((r) => r.reference).join(", "),
        maskCpr(first.cprDigits),
        content.age,
        isoDateText(content.date),
        forum ? forum.name : "",
      );
      return { activity: MessageFactory.text(text) };
    }
    case "caseworker-change": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      const texts = FOLLOW_TEXT.caseworkerChange;
      const name = escapeMarkdown(record.raisedByName);
      const text = texts[content.audience](record.reference, name);
      return { activity: MessageFactory.text(text) };
    }
    case "following-handed-over": {
      const links = await deps.citizens.links(message.tenantId, content.citizenId);
      if (!links) return undefined;
      return {
        activity: MessageFactory.text(FOLLOW_TEXT.followingHandedOver(maskCpr(links.cprDigits), personName(municipality, content.from))),
      };
    }
    case "overview": {
      // Only to someone who is still a manager; the figures are those of the scheduled period, whenever it is sent.
      if (message.target.kind !== "personal" || !isManager(municipality, message.target.aadObjectId)) return undefined;
      const report = await overviewReport(deps, municipality, new Date(content.until), content.days);
      const note = content.late ? TEXT_OVERVIEW.late(dateTimeText(content.until, deps.timeZone)) : TEXT_OVERVIEW.scheduled;
      return { activity: MessageFactory.attachment(cardAttachment(overviewCard(view, report, note))) };
    }
    case "plan": {
      if (message.target.kind !== "personal") return undefined;
      const card = await renderPlanNotification(deps, view, message.tenantId, message.target.aadObjectId, content);
      return card ? { activity: MessageFactory.attachment(cardAttachment(card)) } : undefined;
    }
  }
}

/**
 * Adds @mentions of the forum's coordinators to an acute alert, with their names looked up
 * in the team. A coordinator Teams cannot find is left out of the mentions; the alert stays.
 */
async function withCoordinatorMentions(ctx: TurnContext, municipality: Municipality, forumId: string, text: string) {
  const mentions: Mention[] = [];
  const names: string[] = [];
  for (const aadObjectId of municipality.roles.coordinators[forumId] ?? []) {
    try {
      const member = await TeamsInfo.getMember(ctx, aadObjectId);
      if (!member?.id || !member.name) continue;
      mentions.push({ type: "mention", mentioned: { id: member.id, name: member.name }, text: `<at>${member.name}</at>` } as Mention);
      names.push(`<at>${member.name}</at>`);
    } catch {
      // Not resolvable in this team (or the Playground's mock data): keep the alert, drop the mention.
    }
  }
  const activity = MessageFactory.text(names.length > 0 ? `${names.join(" ")} ${text}` : text);
  activity.entities = mentions;
  return activity;
}

import { MessageFactory, TeamsInfo, type ConversationReference, type Mention, type TurnContext } from "botbuilder";
import type { NotificationTarget } from "../domain/notification.js";
import type { Municipality } from "../domain/municipality.js";
import type { StoredNotification } from "../storage/table-notifications.js";
import { caseMeetingText, forumName, type BotDeps } from "./bot-deps.js";
import { cardAttachment } from "./cards.js";
import { agendaData, caseInForumData, decidedText, decisionText } from "./forum-handlers.js";
import type { CaseRecord } from "../domain/case.js";
import { socialCaseworkerName } from "../domain/decide-case.js";
import { escapeMarkdown, type CardData } from "./cards.js";
import { VERBS } from "./verbs.js";
import type { RenderedNotification } from "./notification-dispatcher.js";
import { TEXT } from "./messages.js";

/** Where a notification goes: the conversation saved at binding or installation. */
export async function resolveTarget(deps: BotDeps, tenantId: string, target: NotificationTarget): Promise<Partial<ConversationReference> | undefined> {
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
export async function renderNotification(deps: BotDeps, message: StoredNotification): Promise<RenderedNotification | undefined> {
  const municipality = deps.municipalities.get(message.tenantId);
  if (!municipality) return undefined;
  const content = message.content;
  switch (content.kind) {
    case "case-card": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      const card = cardAttachment("case-in-forum", caseInForumData(deps, municipality, record));
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
    case "agenda": {
      const meeting = deps.calendar.find(municipality, content.forumId, content.date);
      if (!meeting) return undefined;
      const data = await agendaData(deps, municipality, meeting, content.late ? TEXT.agendaLate : "");
      return { activity: MessageFactory.attachment(cardAttachment("agenda", data)) };
    }
    case "case-moved": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record) return undefined;
      return { activity: MessageFactory.text(TEXT.caseMoved(record.reference, caseMeetingText(deps, municipality, record), content.reason)) };
    }
    case "decision": {
      const record = await deps.cases.get(message.tenantId, content.caseNo);
      if (!record?.decision) return undefined;
      return { activity: MessageFactory.attachment(cardAttachment("decision-for-caseworker", decisionCardData(deps, municipality, record, content.audience))) };
    }
    case "text":
      return { activity: MessageFactory.text(content.text) };
  }
}

/**
 * Adds @mentions of the forum's coordinators to an acute alert, with their names looked up
 * in the team. A coordinator Teams cannot find is named as "koordinator" without a mention.
 */
export async function withCoordinatorMentions(ctx: TurnContext, municipality: Municipality, forumId: string, text: string) {
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

/** The decision as the raising caseworker or the visitated social caseworker reads it (SPEC §7). */
export function decisionCardData(
  deps: BotDeps,
  municipality: Municipality,
  record: CaseRecord,
  audience: "raiser" | "social-caseworker",
): CardData["decision-for-caseworker"] {
  const decision = record.decision ?? "postpone";
  const askForInformation = audience === "raiser" && record.state === "awaiting-information";
  return {
    caseNo: record.caseNo,
    version: record.version,
    title: TEXT.decisionTitle[audience] ?? "",
    reference: record.reference,
    decisionText: decisionText(municipality, record),
    decidedText: decidedText(deps, record),
    noteLabel: audience === "raiser" ? ({ "no-basis": "Begrundelse", "more-information": "Forummet mangler" } as Record<string, string>)[decision] ?? "" : "",
    note: escapeMarkdown(record.decisionNote),
    nextStep:
      audience === "raiser"
        ? (TEXT.nextStepAfter[decision]?.(socialCaseworkerName(municipality, record)) ?? "")
        : TEXT.nextStepSocial(escapeMarkdown(record.raisedByName)),
    askForInformation,
    information: "",
    error: "",
    showDetails: audience === "social-caseworker",
    addInfoVerb: VERBS.addInformation,
    detailsVerb: VERBS.showCaseDetails,
  };
}

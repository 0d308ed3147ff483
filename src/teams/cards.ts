import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ACData from "adaptivecards-templating";
import { CardFactory, type Attachment } from "botbuilder";
import type { AgendaCard } from "./views/agenda.js";
import type { BostotteDetailsCard } from "./views/bostotte-details.js";
import type { BostotteFormCard } from "./views/bostotte-form.js";
import type { BostotteInForumCard } from "./views/bostotte-in-forum.js";
import type { BostotteNoticeCard } from "./views/bostotte-notice.js";
import type { BostotteRecordedCard } from "./views/bostotte-recorded.js";
import type { BostotteStartCard } from "./views/bostotte-start.js";
import type { FollowCitizenCard } from "./views/follow-citizen.js";
import type { FollowedCitizensCard } from "./views/followed-citizens.js";
import type { UnfollowCitizenCard } from "./views/unfollow-citizen.js";
import type { CancelMeetingCard } from "./views/cancel-meeting.js";
import type { CaseDetailsCard } from "./views/case-details.js";
import type { CaseFormCard } from "./views/case-form.js";
import type { CaseInForumCard } from "./views/case-in-forum.js";
import type { CaseMovedAwayCard } from "./views/case-moved-away.js";
import type { CaseRaisedCard } from "./views/case-raised.js";
import type { DecisionForCaseworkerCard } from "./views/decision-for-caseworker.js";
import type { HandOverCaseCard } from "./views/hand-over-case.js";
import type { HandOverFollowingCard } from "./views/hand-over-following.js";
import type { HelpCard } from "./views/help.js";
import type { MeetingCancelledCard } from "./views/meeting-cancelled.js";
import type { MoveCaseCard } from "./views/move-case.js";
import type { MyCasesCard } from "./views/my-cases.js";
import type { WithdrawCaseCard } from "./views/withdraw-case.js";
import type { MyPlansCard } from "./views/my-plans.js";
import type { PlanCard } from "./views/plan.js";
import type { PlanConsentCard } from "./views/plan-consent.js";
import type { PlanFollowUpCard } from "./views/plan-follow-up.js";
import type { PlanFormCard } from "./views/plan-form.js";
import type { PlanMeetingsCard } from "./views/plan-meetings.js";
import type { PlanNoticeCard } from "./views/plan-notice.js";
import type { PlanWithdrawConsentCard } from "./views/plan-withdraw-consent.js";
import type { OverviewCard } from "./views/overview.js";

/** The data each template in `cards/` is expanded with: one entry per view in `views/`. */
export interface CardData {
  agenda: AgendaCard;
  "bostotte-details": BostotteDetailsCard;
  "bostotte-form": BostotteFormCard;
  "bostotte-in-forum": BostotteInForumCard;
  "bostotte-notice": BostotteNoticeCard;
  "bostotte-recorded": BostotteRecordedCard;
  "bostotte-start": BostotteStartCard;
  "follow-citizen": FollowCitizenCard;
  "followed-citizens": FollowedCitizensCard;
  "unfollow-citizen": UnfollowCitizenCard;
  "cancel-meeting": CancelMeetingCard;
  "case-details": CaseDetailsCard;
  "case-form": CaseFormCard;
  "case-in-forum": CaseInForumCard;
  "case-moved-away": CaseMovedAwayCard;
  "case-raised": CaseRaisedCard;
  "decision-for-caseworker": DecisionForCaseworkerCard;
  "hand-over-case": HandOverCaseCard;
  "hand-over-following": HandOverFollowingCard;
  help: HelpCard;
  "meeting-cancelled": MeetingCancelledCard;
  "move-case": MoveCaseCard;
  "my-cases": MyCasesCard;
  "withdraw-case": WithdrawCaseCard;
  "my-plans": MyPlansCard;
  plan: PlanCard;
  "plan-consent": PlanConsentCard;
  "plan-follow-up": PlanFollowUpCard;
  "plan-form": PlanFormCard;
  "plan-meetings": PlanMeetingsCard;
  "plan-notice": PlanNoticeCard;
  "plan-withdraw-consent": PlanWithdrawConsentCard;
  overview: OverviewCard;
}

export type CardName = keyof CardData;

/** `cards/` at the project root, found from both `src/teams` (tsx) and `dist/src/teams` (built). */
export const CARDS_DIR = findCardsDir(path.dirname(fileURLToPath(import.meta.url)));

function findCardsDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "cards");
    if (existsSync(path.join(candidate, "case-form.json"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`No cards/ directory above ${start}`);
  }
}

/** Templates are read once per process, not per turn. */
const templates = new Map<string, ACData.Template>();

function template(name: CardName): ACData.Template {
  let t = templates.get(name);
  if (!t) {
    t = new ACData.Template(JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), "utf8")));
    templates.set(name, t);
  }
  return t;
}

export type CardJson = { type: "AdaptiveCard"; [key: string]: unknown };

/**
 * Expands a template; the result is the card JSON Teams receives. Only the views in
 * `views/` call this (lint-enforced): each card is built in exactly one place.
 */
export function renderCard<N extends CardName>(name: N, data: CardData[N]): CardJson {
  return template(name).expand({ $root: data }) as CardJson;
}

/** A rendered card as a message attachment. */
export function cardAttachment(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}

export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""));
}

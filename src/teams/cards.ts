import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ACData from "adaptivecards-templating";
import { CardFactory, type Attachment } from "botbuilder";

/** The data each template in `cards/` is expanded with. One entry per view. */
export interface CardData {
  "case-form": {
    verb: string;
    submissionId: string;
    maxLines: number;
    maxChars: number;
    formError: string;
    values: { cpr: string; health: string; social: string; question: string; department: string; acute: string; acuteReason: string };
    errors: { cpr: string; health: string; social: string; question: string; department: string; acuteReason: string };
    departments: { title: string; value: string }[];
  };
  "case-raised": {
    reference: string;
    repeated: boolean;
    acute: boolean;
    maskedCpr: string;
    age: number;
    forumName: string;
    department: string;
    meetingText: string;
    raisedAt: string;
    nextStep: string;
  };
  "my-cases": {
    count: number;
    summary: string;
    cases: {
      reference: string;
      maskedCpr: string;
      age: number;
      stateText: string;
      stateColor: string;
      forumName: string;
      meetingText: string;
      raisedAt: string;
    }[];
  };
  "case-in-forum": {
    caseNo: number;
    version: number;
    reference: string;
    acute: boolean;
    banner: string;
    ageGroup: string;
    department: string;
    meetingText: string;
    stateText: string;
    decisionText: string;
    decidedText: string;
    canDecide: boolean;
    canMove: boolean;
    values: { decision: string; socialCaseworker: string; note: string };
    errors: { decision: string; socialCaseworker: string; note: string };
    socialCaseworkers: { id: string; name: string }[];
    decideVerb: string;
    detailsVerb: string;
    moveFormVerb: string;
  };
  "decision-for-caseworker": {
    caseNo: number;
    version: number;
    title: string;
    reference: string;
    decisionText: string;
    decidedText: string;
    noteLabel: string;
    note: string;
    nextStep: string;
    askForInformation: boolean;
    information: string;
    error: string;
    showDetails: boolean;
    addInfoVerb: string;
    detailsVerb: string;
  };
  "move-case": {
    caseNo: number;
    version: number;
    reference: string;
    meetingText: string;
    error: string;
    selected: string;
    meetings: { key: string; title: string }[];
    moveVerb: string;
    cancelVerb: string;
  };
  "cancel-meeting": {
    title: string;
    meetingText: string;
    message: string;
    lines: { text: string }[];
    confirm: boolean;
    meetingKey: string;
    confirmVerb: string;
  };
  "case-details": {
    caseNo: number;
    reference: string;
    cpr: string;
    age: number;
    forumName: string;
    meetingText: string;
    raisedByName: string;
    department: string;
    acute: boolean;
    acuteReason: string;
    health: string;
    social: string;
    question: string;
    summaryVerb: string;
  };
  agenda: {
    meetingKey: string;
    canCancel: boolean;
    cancelFormVerb: string;
    forumName: string;
    meetingText: string;
    note: string;
    count: number;
    capacity: number;
    slotMinutes: number;
    items: { caseNo: number; time: string; reference: string; ageGroup: string; department: string; acute: boolean; detailsVerb: string }[];
  };
  help: {
    greeting: string;
    forums: { ageRange: string; name: string }[];
  };
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

/** Expands a template; the result is the card JSON Teams receives. */
export function renderCard<N extends CardName>(name: N, data: CardData[N]): CardJson {
  return template(name).expand({ $root: data }) as CardJson;
}

export function cardAttachment<N extends CardName>(name: N, data: CardData[N]): Attachment {
  return CardFactory.adaptiveCard(renderCard(name, data));
}

export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""));
}

/**
 * Makes user text inert in a TextBlock: Teams renders a markdown subset, so brackets,
 * emphasis and list markers typed by a user could otherwise form links or formatting.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]()<>~]/g, (c) => `\\${c}`);
}

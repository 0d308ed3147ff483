import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import type { Municipality } from "../../src/domain/municipality.js";
import { PLAN_TEXT, TEXT } from "../../src/teams/messages.js";
import { VERBS } from "../../src/teams/verbs.js";
import { fakeCpr } from "../support/fixtures.js";
import { buttonFor, buttonsOf, cardsOf, choicesOf, inputValue, REFERENCE, textsOf, type Answer, type TeamsClient } from "./client.js";
import type { ConnectorStub } from "./connector-stub.js";
import type { LoadPeople, LoadUser } from "./municipality.js";

/*
 * The simulated users. Each is a loop: think, then do one thing a real user would do,
 * reading the cards the bot sent (through the stub Bot Connector) and pressing their
 * buttons. Everything they were told is written down in `Records` for the checks.
 */

export interface Channel {
  id: string;
  name: string;
}

/** A raise-case form as submitted (one `submissionId`), and every answer it got. */
export interface Submission {
  submissionId: string;
  user: LoadUser;
  fields: Record<string, string>;
  state: "pending" | "accepted" | "no-free-meeting";
  /** Every case reference shown for this form: more than one means a form raised two cases. */
  references: Set<string>;
  attempts: number;
  /** When the user last pressed (ms, Date.now()): presses again a little later when not yet answered. */
  lastTry: number;
}

/** A coordinator's press of "Registrér beslutning" and what the card said. */
export interface DecisionAttempt {
  caseNo: number;
  /** The case version the card showed. */
  version: number;
  decision: string;
  by: string;
  outcome: "decided" | "already-decided" | "stale" | "not-now" | "no-free-meeting" | "invalid" | "other" | "failed";
}

/** A bostøtte event the case system sent, and what the endpoint answered. */
export interface BostotteSent {
  eventId: string;
  body: Record<string, unknown>;
  /** 201 or 200: recorded. */
  decisionId?: string;
  answers: number[];
}

export interface Records {
  submissions: Map<string, Submission>;
  decisions: DecisionAttempt[];
  bostotte: Map<string, BostotteSent>;
  /** CPR numbers of the citizens of accepted cases: the case system decides bostøtte about them. */
  citizens: string[];
  /** Answers that were a "prøv igen" (storage or the bot down), by action, and whether the typed input came back. */
  tryAgain: { kind: string; inputKept: boolean | undefined; at: number }[];
  /** Answers a user could not act on: no card and no Danish text (e.g. an empty HTTP 500/501 to an invoke). */
  unclear: { kind: string; detail: string; at: number }[];
  /** Activities Teams could not deliver at all (the bot process was down): Teams shows its own error then. */
  unreachable: number;
  /** "mine sager" answers missing a case the user had been told was raised before asking. */
  missingInMyCases: { user: string; reference: string }[];
  plans: { opened: number; saved: number; approvals: number; agreed: number };
  addedInformation: number;
}

export function newRecords(): Records {
  return {
    submissions: new Map(),
    decisions: [],
    bostotte: new Map(),
    citizens: [],
    tryAgain: [],
    unclear: [],
    unreachable: 0,
    missingInMyCases: [],
    plans: { opened: 0, saved: 0, approvals: 0, agreed: 0 },
    addedInformation: 0,
  };
}

export interface World {
  client: TeamsClient;
  stub: () => ConnectorStub;
  people: LoadPeople;
  municipality: Municipality;
  channels: Record<"unge" | "voksne", Channel>;
  /** Date.now() at which the users stop starting new things. */
  endAt: number;
  random: () => number;
  /** Mean think time per role, ms. */
  think: { caseworker: number; coordinator: number; social: number };
  records: Records;
  bostotteToken: () => Promise<string>;
  botUrl: () => string;
  /** Milliseconds since the load started (for the timeline of what users saw). */
  elapsed: () => number;
  /** When the bot process was down (killed, until ready again), Date.now() ms. */
  botDown: { from: number; to?: number }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An exponentially distributed pause, but never past the end of the load. */
const thinkFor = (w: World, mean: number) => sleep(Math.min(-Math.log(1 - w.random()) * mean, Math.max(0, w.endAt - Date.now())));
const pick = <T>(w: World, list: readonly T[]): T => list[Math.floor(w.random() * list.length)]!;

/**
 * Whether the answer is one a user can act on; an unclear one is written down. An answer
 * that never came because the bot process was down (killed) is Teams' to show, and counted
 * apart; so is one that took longer than Teams waits (timing, reported with the latencies).
 */
function clear(w: World, kind: string, answer: Answer, message = false): answer is Extract<Answer, { ok: true }> {
  // A message turn with no reply at all (every reply refused by a throttled connector) is the connector's doing.
  if (answer.ok) return true;
  const endedAt = Date.now();
  const startedAt = endedAt - answer.ms;
  const botDown = w.botDown.some((d) => startedAt <= (d.to ?? Infinity) && endedAt >= d.from);
  if (answer.error === "refused" || (botDown && answer.error === "reset")) {
    w.records.unreachable++;
    return false;
  }
  if (answer.error === "timeout") {
    // Timing, not an invariant: on a busy machine a turn can outlast Teams' 15 s wait (a message's reply still arrives).
    w.client.stats.count(`no answer within Teams' 15 s (${message ? "message" : "card action"})`);
    return false;
  }
  w.records.unclear.push({ kind, detail: `${answer.error} ${answer.status ?? ""} ${answer.detail}`.trim(), at: w.elapsed() });
  return false;
}

const TRY_AGAIN = /prøv igen|tryk på knappen igen/i;

/** A Danish "prøv igen" as the whole answer (a text, or a card saying it). */
function isTryAgain(answer: Extract<Answer, { ok: true }>): boolean {
  if (answer.text !== undefined) return TRY_AGAIN.test(answer.text);
  if (answer.card !== undefined) return textsOf(answer.card).some((t) => TRY_AGAIN.test(t));
  return answer.replies.some((r) => TRY_AGAIN.test(r.body.text ?? ""));
}

// ---------------------------------------------------------------------------------------
// Caseworkers

/** What caseworkers type about citizens (generic, fictitious); the log check looks for them. */
export const HEALTH = ["Kroniske smerter", "Angst og søvnproblemer", "Diabetes, dårligt reguleret", "Genoptræning efter ulykke"];
export const SOCIAL = ["Mistet bolig, gæld", "Ensomhed, intet netværk", "Misbrug i familien", "Skilsmisse, to børn"];
export const ACUTE_REASON = "Borgeren er udsat for udsættelse af bolig i næste uge";
export const QUESTIONS = [
  "Skal sagen startes op i myndighedsafdelingen?",
  "Hvilken indsats kan støtte borgeren i at fastholde praktik?",
  "Er der grundlag for bostøtte?",
];

/** A fictitious citizen (replacement CPR number, day + 60) aged 16 to 70. */
function citizenCpr(w: World): string {
  const age = w.random() < 0.5 ? 16 + Math.floor(w.random() * 13) : 31 + Math.floor(w.random() * 40);
  const birth = DateTime.now()
    .setZone("Europe/Copenhagen")
    .minus({ years: age, days: 20 + Math.floor(w.random() * 300) });
  return fakeCpr({ year: birth.year, month: birth.month, day: birth.day }, Math.floor(w.random() * 10_000));
}

interface CaseworkerState {
  user: LoadUser;
  inboxFrom: number;
  /** References this user was told were raised, in the order told. */
  accepted: string[];
  /** Decision notices asking for more information, not answered yet. */
  asked: { caseNo: number; version: number }[];
  /** Visitated cases ("start") whose joint plan this user has not opened yet. */
  visitated: number[];
}

export async function caseworker(w: World, user: LoadUser): Promise<void> {
  const me: CaseworkerState = { user, inboxFrom: 0, accepted: [], asked: [], visitated: [] };
  while (Date.now() < w.endAt) {
    await thinkFor(w, w.think.caseworker);
    if (Date.now() >= w.endAt) break;
    readInbox(w, me);
    const retry = pendingOf(w, user, 3_000);
    const r = w.random();
    if (retry) {
      await submit(w, retry, "submit again");
      for (const reference of retry.references) if (!me.accepted.includes(reference)) me.accepted.push(reference);
    } else if (me.asked.length > 0 && r < 0.35) await addInformation(w, me);
    else if (me.visitated.length > 0 && r < 0.8) await planTogether(w, me);
    else if (r < 0.5) await raiseCase(w, me);
    else await myCases(w, me);
  }
}

/** The oldest form of this user still waiting for an answer, when it was last pressed at least `afterMs` ago. */
export function pendingOf(w: World, user: LoadUser, afterMs: number): Submission | undefined {
  for (const s of w.records.submissions.values()) {
    if (s.user === user && s.state === "pending" && Date.now() - s.lastTry >= afterMs) return s;
  }
  return undefined;
}

function readInbox(w: World, me: CaseworkerState): void {
  const fresh = w.stub().accepted(w.client.personalChat(me.user), me.inboxFrom);
  me.inboxFrom += fresh.length;
  for (const card of cardsOf(fresh.filter((r) => !r.inTurn))) {
    const info = buttonFor(card, VERBS.addInformation);
    if (info) me.asked.push({ caseNo: Number(info.data["caseNo"]), version: Number(info.data["version"]) });
    const plan = buttonFor(card, VERBS.openPlan);
    if (plan && !me.visitated.includes(Number(plan.data["caseNo"]))) me.visitated.push(Number(plan.data["caseNo"]));
  }
}

async function raiseCase(w: World, me: CaseworkerState): Promise<void> {
  const asked = await w.client.say("ny sag (help + form)", me.user, "ny sag");
  if (!clear(w, "ny sag", asked, true)) return;
  const form = cardsOf(asked.replies).find((card) => buttonFor(card, VERBS.submitCase));
  if (!form) {
    if (asked.replies.some((r) => TRY_AGAIN.test(r.body.text ?? "")))
      w.records.tryAgain.push({ kind: "ny sag", inputKept: undefined, at: w.elapsed() });
    w.client.stats.count("ny sag without a form (replies refused or failed)");
    return;
  }
  const submissionId = String(buttonFor(form, VERBS.submitCase)!.data["submissionId"]);
  const acute = w.random() < 0.05;
  const fields: Record<string, string> = {
    cpr: citizenCpr(w),
    health: pick(w, HEALTH),
    social: pick(w, SOCIAL),
    question: pick(w, QUESTIONS),
    department: pick(w, w.municipality.departments),
    acute: acute ? "true" : "false",
    acuteReason: acute ? ACUTE_REASON : "",
  };
  const submission: Submission = { submissionId, user: me.user, fields, state: "pending", references: new Set(), attempts: 0, lastTry: 0 };
  w.records.submissions.set(submissionId, submission);

  if (w.random() < 0.05) {
    // Forgot a field first: the form comes back with the error beside it and everything typed kept.
    const wrong = await w.client.press("submit: invalid form", me.user, VERBS.submitCase, { submissionId, ...fields, question: "" });
    if (clear(w, "submit: invalid form", wrong) && wrong.card) {
      const kept = ["cpr", "health", "social", "department"].every((id) => inputValue(wrong.card, id) === fields[id]);
      if (kept) w.client.stats.count("invalid form: typed input kept");
      else w.records.unclear.push({ kind: "submit: invalid form", detail: "the form came back without what was typed", at: w.elapsed() });
    }
  }
  if (w.random() < 0.05) {
    // A double click: the same form twice at once must raise one case.
    w.client.stats.count("double clicks");
    await Promise.all([submit(w, submission, "submit: new case"), submit(w, submission, "submit: new case")]);
  } else {
    await submit(w, submission, "submit: new case");
  }
  for (const reference of submission.references) if (!me.accepted.includes(reference)) me.accepted.push(reference);
}

/** Presses "Send til sparringsforum" on the form (again, after "prøv igen" or no answer). */
export async function submit(w: World, s: Submission, kind: string): Promise<void> {
  s.attempts++;
  s.lastTry = Date.now();
  const answer = await w.client.press(kind, s.user, VERBS.submitCase, { submissionId: s.submissionId, ...s.fields });
  s.lastTry = Date.now();
  if (!clear(w, kind, answer)) return;
  if (answer.card) {
    const texts = textsOf(answer.card);
    const reference = texts.map((t) => REFERENCE.exec(t)?.[0]).find((r) => r !== undefined);
    if (reference && !buttonFor(answer.card, VERBS.submitCase)) {
      s.references.add(reference);
      if (s.state !== "accepted") w.records.citizens.push(s.fields["cpr"]!);
      s.state = "accepted";
      return;
    }
    if (texts.includes(TEXT.noFreeMeeting)) {
      // The other press of a double click may have raised it meanwhile: that answer stands.
      if (s.state === "pending") s.state = "no-free-meeting";
      return;
    }
    if (isTryAgain(answer)) {
      const kept = ["cpr", "health", "social", "question"].every((id) => inputValue(answer.card, id) === s.fields[id]);
      w.records.tryAgain.push({ kind, inputKept: kept, at: w.elapsed() });
      return;
    }
  } else if (answer.text !== undefined && TRY_AGAIN.test(answer.text)) {
    w.records.tryAgain.push({ kind, inputKept: undefined, at: w.elapsed() });
    return;
  }
  w.records.unclear.push({
    kind,
    detail: `unexpected answer: ${JSON.stringify(answer.card ?? answer.text).slice(0, 200)}`,
    at: w.elapsed(),
  });
}

async function myCases(w: World, me: CaseworkerState): Promise<void> {
  const knownBefore = [...me.accepted];
  const answer = await w.client.say("mine sager", me.user, "mine sager");
  if (!clear(w, "mine sager", answer, true)) return;
  const card = cardsOf(answer.replies)[0];
  if (!card) {
    if (answer.replies.some((r) => TRY_AGAIN.test(r.body.text ?? "")))
      w.records.tryAgain.push({ kind: "mine sager", inputKept: undefined, at: w.elapsed() });
    else w.client.stats.count("mine sager without a card (replies refused or failed)");
    return;
  }
  const shown = new Set(textsOf(card).flatMap((t) => t.match(new RegExp(REFERENCE.source, "g")) ?? []));
  // The list shows the newest cases first, up to its limit; everything told before asking must be there.
  for (const reference of knownBefore.slice(-10)) {
    if (!shown.has(reference)) w.records.missingInMyCases.push({ user: me.user.aadObjectId, reference });
  }
}

async function addInformation(w: World, me: CaseworkerState): Promise<void> {
  const asked = me.asked.shift()!;
  const answer = await w.client.press("addInformation", me.user, VERBS.addInformation, {
    ...asked,
    information: "Borgeren har nu lægeerklæring; den er vedlagt i fagsystemet.",
  });
  if (!clear(w, "addInformation", answer)) return;
  if (answer.text?.includes("prøv igen")) me.asked.push(asked);
  else w.records.addedInformation++;
}

/** Opens the joint plan of a visitated case, writes it and approves it; the social caseworker approves it too. */
async function planTogether(w: World, me: CaseworkerState): Promise<void> {
  const caseNo = me.visitated.shift()!;
  const opened = await w.client.press("openPlan", me.user, VERBS.openPlan, { caseNo });
  if (!clear(w, "openPlan", opened) || !opened.card) return;
  w.records.plans.opened++;
  const edit = buttonFor(opened.card, VERBS.showEditPlan);
  if (!edit) return;
  const form = await w.client.press("showEditPlan", me.user, VERBS.showEditPlan, edit.data);
  if (!clear(w, "showEditPlan", form) || !form.card) return;
  const save = buttonFor(form.card, VERBS.editPlan);
  if (!save) return;
  const day = (days: number) => DateTime.now().setZone("Europe/Copenhagen").plus({ days }).toISODate()!;
  const effortIds = String(inputValue(form.card, "effortIds") ?? "").trim() || "e1";
  const first = effortIds.split(/\s+/)[0]!;
  // The fixed caseworker is one of the plan's two owners: the other one, as the form offers.
  const social = choicesOf(form.card, "fixedCaseworker").find((c) => c && c !== me.user.aadObjectId) ?? "";
  const saved = await w.client.press("editPlan", me.user, VERBS.editPlan, {
    ...save.data,
    effortIds: first,
    "efforts.0.title": "Mentorforløb",
    "efforts.0.purpose": "Borgeren får en mentor, der støtter fremmøde i praktik.",
    "efforts.0.department": "Jobcenter",
    "efforts.0.person": "Mette Mentor",
    "efforts.0.from": day(14),
    "efforts.0.to": day(180),
    "efforts.0.after": "",
    framework: "Vi taler sammen hver anden uge.",
    employmentFollowUp: day(60),
    socialFollowUp: day(67),
    fixedCaseworker: social,
    budgetKr: "40.000",
    forumFollowUp: day(90),
  });
  if (!clear(w, "editPlan", saved) || !saved.card) return;
  const approve = buttonFor(saved.card, VERBS.approvePlan);
  if (!approve) {
    const texts = textsOf(saved.card);
    // The other caseworker saved first (the form comes back over their version), or a field was wrong.
    const why = texts.includes(PLAN_TEXT.formHasErrors) ? "with errors" : "over the other caseworker's newer version";
    w.client.stats.count(`plan form came back ${why}`);
    return;
  }
  w.records.plans.saved++;
  await approvePlan(w, me.user, approve.data);
}

async function approvePlan(w: World, user: LoadUser, data: Record<string, unknown>): Promise<void> {
  const answer = await w.client.press("approvePlan", user, VERBS.approvePlan, data);
  if (!clear(w, "approvePlan", answer) || !answer.card) return;
  const texts = textsOf(answer.card);
  const agreed = texts.some((t) => t.startsWith("I er enige"));
  if (agreed || texts.some((t) => t.startsWith("Du har godkendt version"))) w.records.plans.approvals++;
  if (agreed) w.records.plans.agreed++;
}

// ---------------------------------------------------------------------------------------
// Coordinators

/** What a channel shows: each case card as last posted or edited. */
class ChannelView {
  private from = 0;
  readonly cards = new Map<string, unknown>();
  constructor(
    private readonly w: World,
    private readonly channel: Channel,
  ) {}

  refresh(): void {
    const fresh = this.w.stub().accepted(this.channel.id, this.from);
    this.from += fresh.length;
    for (const r of fresh) {
      const card = cardsOf([r])[0];
      const id = r.method === "PUT" ? r.activityId : r.assignedId;
      if (card && id) this.cards.set(id, card);
    }
  }
}

const views = new WeakMap<World, Map<string, ChannelView>>();
function channelView(w: World, channel: Channel): ChannelView {
  let byChannel = views.get(w);
  if (!byChannel) views.set(w, (byChannel = new Map()));
  let view = byChannel.get(channel.id);
  if (!view) byChannel.set(channel.id, (view = new ChannelView(w, channel)));
  return view;
}

const BANNERS: [DecisionAttempt["outcome"], (texts: string[]) => boolean][] = [
  ["already-decided", (t) => t.some((s) => s.startsWith("Beslutningen var allerede truffet af"))],
  ["stale", (t) => t.includes(TEXT.decisionStale)],
  ["not-now", (t) => t.includes(TEXT.decisionNotNow) || t.includes(TEXT.caseWithdrawnBanner) || t.includes(TEXT.decisionNotAllowed)],
  ["no-free-meeting", (t) => t.includes(TEXT.postponeNoMeeting)],
  ["invalid", (t) => t.includes(TEXT.decisionInvalid)],
];

export async function coordinator(w: World, user: LoadUser, forumId: "unge" | "voksne"): Promise<void> {
  const channel = w.channels[forumId];
  const view = channelView(w, channel);
  while (Date.now() < w.endAt) {
    await thinkFor(w, w.think.coordinator);
    if (Date.now() >= w.endAt) break;
    view.refresh();
    const open = [...view.cards.values()].filter((card) => buttonFor(card, VERBS.decideCase));
    if (open.length === 0) continue;
    const card = pick(w, open);
    if (w.random() < 0.15) {
      const details = buttonFor(card, VERBS.showCaseDetails);
      if (details) {
        const answer = await w.client.press("showCaseDetails", user, VERBS.showCaseDetails, details.data, channel);
        clear(w, "showCaseDetails", answer);
        continue;
      }
    }
    const button = buttonFor(card, VERBS.decideCase)!;
    const r = w.random();
    const decision = r < 0.4 ? "start" : r < 0.65 ? "no-basis" : r < 0.85 ? "more-information" : "postpone";
    const inputs = {
      decision,
      socialCaseworker: decision === "start" ? pick(w, w.people.socialCaseworkers).aadObjectId : "",
      note:
        decision === "no-basis"
          ? "Borgeren er allerede i et relevant forløb."
          : decision === "more-information"
            ? "Vi mangler den seneste lægeerklæring."
            : "",
    };
    const attempt: DecisionAttempt = {
      caseNo: Number(button.data["caseNo"]),
      version: Number(button.data["version"]),
      decision,
      by: user.aadObjectId,
      outcome: "failed",
    };
    w.records.decisions.push(attempt);
    const answer = await w.client.press("decideCase", user, VERBS.decideCase, { ...button.data, ...inputs }, channel);
    if (!clear(w, "decideCase", answer)) continue;
    if (answer.card) {
      const texts = textsOf(answer.card);
      attempt.outcome = BANNERS.find(([, test]) => test(texts))?.[0] ?? "decided";
    } else {
      attempt.outcome = "other";
      if (isTryAgain(answer)) w.records.tryAgain.push({ kind: "decideCase", inputKept: undefined, at: w.elapsed() });
      else w.records.unclear.push({ kind: "decideCase", detail: `answer: ${answer.text ?? ""}`.slice(0, 200), at: w.elapsed() });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Social caseworkers: bostøtte decisions through the case system's API, and plan approvals

export async function socialCaseworker(w: World, user: LoadUser): Promise<void> {
  let inboxFrom = 0;
  while (Date.now() < w.endAt) {
    await thinkFor(w, w.think.social);
    if (Date.now() >= w.endAt) break;
    const fresh = w.stub().accepted(w.client.personalChat(user), inboxFrom);
    inboxFrom += fresh.length;
    for (const card of cardsOf(fresh)) {
      const open = buttonFor(card, VERBS.openPlan);
      // A plan notice (the other caseworker saved or approved): open the plan and approve what is there.
      if (!open || buttonFor(card, VERBS.showCaseDetails)) continue;
      const plan = await w.client.press("openPlan", user, VERBS.openPlan, open.data);
      if (!clear(w, "openPlan", plan) || !plan.card) continue;
      const approve = buttonsOf(plan.card).find((b) => b.verb === VERBS.approvePlan);
      if (approve) await approvePlan(w, user, approve.data);
    }
    const pending = [...w.records.bostotte.values()].find((b) => b.decisionId === undefined && b.answers.length < 20);
    const earlier = [...w.records.bostotte.values()].filter((b) => b.decisionId !== undefined);
    if (pending) await sendBostotte(w, pending);
    else if (earlier.length > 0 && w.random() < 0.15) await sendBostotte(w, pick(w, earlier));
    else await sendBostotte(w, newBostotteEvent(w, user));
  }
}

function newBostotteEvent(w: World, user: LoadUser): BostotteSent {
  const today = DateTime.now().setZone("Europe/Copenhagen");
  const cpr = w.records.citizens.length > 0 && w.random() < 0.7 ? pick(w, w.records.citizens) : citizenCpr(w);
  const r = w.random();
  const common = {
    version: "1",
    eventId: `load-${randomUUID()}`,
    cpr,
    legalBasis: "sel-85",
    decidedAt: today.toISO()!,
    decidedBy: user.name,
  };
  const body =
    r < 0.5
      ? {
          ...common,
          kind: "grant",
          hours: { amount: 4.5, per: "week" },
          period: { from: today.toISODate()!, review: today.plus({ days: 90 }).toISODate()! },
          purpose: "Støtte til at fastholde egen bolig",
        }
      : r < 0.75
        ? { ...common, kind: "refusal", reasonCategory: "andet", reasonText: "Anden indsats er mere relevant." }
        : { ...common, kind: "termination", endDate: today.plus({ days: 30 }).toISODate()!, reasonCategory: "maal-naaet" };
  const sent: BostotteSent = { eventId: body.eventId, body, answers: [] };
  w.records.bostotte.set(sent.eventId, sent);
  return sent;
}

/** `POST /api/bostotte/events` as the case system does, with its Entra ID token. */
export async function sendBostotte(w: World, event: BostotteSent): Promise<void> {
  const started = performance.now();
  try {
    const res = await fetch(`${w.botUrl()}/api/bostotte/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await w.bostotteToken()}` },
      body: JSON.stringify(event.body),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { decisionId?: string };
    w.client.stats.time("POST /api/bostotte/events", performance.now() - started);
    event.answers.push(res.status);
    w.client.stats.count(`bostøtte API answered ${res.status}`);
    if ((res.status === 201 || res.status === 200) && body.decisionId) {
      if (event.decisionId && event.decisionId !== body.decisionId) w.client.stats.count("bostøtte: one event, two decision ids");
      event.decisionId = body.decisionId;
    }
  } catch {
    event.answers.push(0);
    w.client.stats.count("bostøtte API: no answer");
  }
}

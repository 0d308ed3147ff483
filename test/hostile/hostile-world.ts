import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { TableClient } from "@azure/data-tables";
import { expect } from "vitest";
import { followedBy } from "../../src/domain/following.js";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";
import type { CaseRecord } from "../../src/domain/case.js";
import { createLogger } from "../../src/logger.js";
import { LOCAL_KEY_HEADER, LOCAL_TENANT_HEADER } from "../../src/teams/bostotte-route.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, LOCAL_BOSTOTTE_KEY, startBotHarness, type BotHarness, type SentActivity } from "../support/bot-harness.js";
import {
  ADMINISTRATOR,
  CASEWORKER,
  COLLEAGUE,
  COORDINATOR,
  fakeCprForAge,
  OUTSIDER,
  SOCIAL_CASEWORKER,
  testMunicipality,
  YOUTH_COORDINATOR,
} from "../support/fixtures.js";
import { azuriteTables } from "../support/table-rows.js";

/*
 * The world the hostile corpus runs in: the real Application, adapter, HTTP host and
 * outbox dispatcher on Azurite (test/support/bot-harness.ts), serving two municipalities
 * (tenants) with the same people, a logger that keeps every line, and a few cases, plans
 * and bostøtte decisions in known states for tampered card data to aim at.
 */

/** Monday 23 November 2026 08:00 Copenhagen: the adult forum meets Wednesday 25 November. */
export const NOW = new Date("2026-11-23T07:00:00Z");

export const MANAGER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000008", name: "Test Leder" };

/** Who presses or writes: the people of the test municipality, and someone without an Entra object id. */
export const PEOPLE = {
  caseworker: CASEWORKER,
  colleague: COLLEAGUE,
  coordinator: COORDINATOR,
  youthCoordinator: YOUTH_COORDINATOR,
  social: SOCIAL_CASEWORKER,
  administrator: ADMINISTRATOR,
  manager: MANAGER,
  outsider: OUTSIDER,
  anonymous: { aadObjectId: "", name: "Uden objekt-id" },
} as const;
export type Person = keyof typeof PEOPLE;
export type User = { aadObjectId: string; name: string };

/** The forum channels, bound by the administrator before anything else. */
export const CHANNELS = { voksne: "19:hostile-voksne@thread.tacv2", unge: "19:hostile-unge@thread.tacv2" } as const;

/** A unique word a hostile text carries, so it can be found wherever it went. */
export const marker = (what: string) => `${what}${randomUUID().slice(0, 8)}`;

/** The test municipality with a manager, so `overblik` answers. */
function municipalityWithManager(): Municipality {
  const base = testMunicipality();
  return municipalitySchema.parse({ ...base, roles: { ...base.roles, managers: [MANAGER.aadObjectId] } });
}

/** What a press or a message got back: the HTTP status and, for an invoke, the card or text. */
export interface Answer {
  status: number;
  /** An invoke's card (JSON) or text; for a message, the activities the bot sent back in that turn. */
  value: unknown;
}

/** Cases, plans and decisions in known states, for tampered card data to aim at. */
export interface Fixtures {
  /** An adult citizen's case booked into the voksne meeting, raised by the caseworker. */
  booked: CaseRecord;
  /** A youth citizen's case booked into the unge meeting. */
  youth: CaseRecord;
  /** An acute adult case (no meeting). */
  acute: CaseRecord;
  /** Decided "Mere information": waits for the caseworker. */
  awaiting: CaseRecord;
  /** Decided "Ikke grundlag": closed. */
  closed: CaseRecord;
  /** Visitated to the social caseworker; its joint plan agreed by both at version 1. */
  agreed: CaseRecord;
  /** Visitated; its joint plan active (citizen's consent recorded). */
  active: CaseRecord;
  /** The voksne and unge meetings the booked cases are in (`forum:YYYY-MM-DD`). */
  meetings: { voksne: string; unge: string };
  /** A citizen the caseworker follows, and a bostøtte decision about them. */
  followed: { cpr: string; citizenId: string; bostotteId: string };
  /** A bostøtte decision recorded in the other tenant. */
  otherTenantBostotteId: string;
}

export type World = Awaited<ReturnType<typeof startHostileWorld>>;

export async function startHostileWorld() {
  const municipality = municipalityWithManager();
  const other = municipalityWithManager();
  const logLines: string[] = [];
  const logger = createLogger("trace", new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  const tables = await azuriteTables();
  const bot = await startBotHarness({ municipality, otherMunicipalities: [other], tables, now: () => NOW, logger });

  const tenantOf = (where: "home" | "other") => (where === "home" ? municipality : other).tenantId;
  const user = (who: Person | User): User => (typeof who === "string" ? PEOPLE[who] : who);

  /** An activity as Teams sends it, from `who` in a personal chat (or a channel), in the home tenant unless said. */
  function activity(who: Person | User, o: { channel?: string; tenant?: "home" | "other" } = {}) {
    const u = user(who);
    const base = bot.base(u, o.channel ? "channel" : "personal", o.channel) as ReturnType<BotHarness["base"]>;
    const tenantId = tenantOf(o.tenant ?? "home");
    if (!u.aadObjectId) base.from = { id: "29:anonymous", name: u.name } as typeof base.from;
    return { ...base, conversation: { ...base.conversation, tenantId }, channelData: { ...base.channelData, tenant: { id: tenantId } } };
  }

  async function post(body: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(bot.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  /** Presses an Action.Execute button with `data` as its card data (anything: this is where tampering goes). */
  async function press(verb: unknown, data: unknown, who: Person | User, o: { tenant?: "home" | "other"; channel?: string } = {}) {
    const res = await post({
      ...activity(who, o),
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb, data } },
    });
    const body = res.text ? (JSON.parse(res.text) as { value?: unknown }) : undefined;
    return { status: res.status, value: body?.value } satisfies Answer;
  }

  /** Writes a chat message; the answer is what the bot sent back in that turn. */
  async function say(text: unknown, who: Person | User, o: { channel?: string; tenant?: "home" | "other" } = {}): Promise<Answer> {
    const before = bot.sent.length;
    const res = await post({ ...activity(who, o), type: "message", text });
    return { status: res.status, value: bot.sent.slice(before).map((s) => s.body) };
  }

  /** Posts a bostøtte event as the social case system would, for the home tenant unless said. */
  async function postBostotteEvent(body: unknown, tenant: "home" | "other" = "home") {
    const res = await fetch(bot.endpoint.replace("/api/messages", "/api/bostotte/events"), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [LOCAL_KEY_HEADER]: LOCAL_BOSTOTTE_KEY,
        [LOCAL_TENANT_HEADER]: tenantOf(tenant),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /**
   * Sends what the outbox holds now. The dispatcher spaces messages to one conversation by
   * 200 ms (Teams' limit of 7 a second); the corpus writes to the same two chats entry after
   * entry, so it forgets when it last sent — the spacing is not what is tested here.
   */
  async function dispatch(): Promise<void> {
    (bot.dispatcher as unknown as { lastSendTo?: Map<string, number> }).lastSendTo?.clear();
    await bot.dispatcher.runOnce();
  }

  const storedCase = async (caseNo: number) => (await bot.deps.cases.get(municipality.tenantId, caseNo))!;

  /** Raises a case through the form as the caseworker; acute cases skip the calendar (and never fill it). */
  async function raise(o: { age?: number; acute?: boolean; fields?: Record<string, string> } = {}): Promise<CaseRecord> {
    const fields = o.acute ? { acute: "true", acuteReason: "Udsættelse af bolig i morgen", ...o.fields } : o.fields;
    const { record } = await bot.raiseCase(CASEWORKER, { age: o.age ?? 45, on: NOW, ...(fields ? { fields } : {}) });
    return record;
  }

  async function decide(record: CaseRecord, decision: string, extra: Record<string, string> = {}): Promise<CaseRecord> {
    const answer = await press(VERBS.decideCase, { caseNo: record.caseNo, version: record.version, decision, ...extra }, "coordinator");
    expect(
      cardTexts(answer.value).some((t) => t.startsWith("Beslutning:")),
      JSON.stringify(answer.value),
    ).toBe(true);
    return storedCase(record.caseNo);
  }

  /** A plan form as the caseworker types it: two efforts, the second after the first. */
  const planForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
    effortIds: "e1 e2",
    "efforts.0.title": "Mentorforløb",
    "efforts.0.purpose": "Borgeren får en mentor, der støtter fremmøde i praktik.",
    "efforts.0.department": "Jobcenter",
    "efforts.0.person": "Mette Mentor",
    "efforts.0.from": "2026-12-01",
    "efforts.0.to": "2027-05-31",
    "efforts.0.after": "",
    "efforts.1.title": "Socialpædagogisk bostøtte",
    "efforts.1.purpose": "Støtte til at fastholde boligen.",
    "efforts.1.department": "Myndighedsafdelingen",
    "efforts.1.person": "Jonas Bostøtte",
    "efforts.1.from": "2026-12-15",
    "efforts.1.to": "2027-06-30",
    "efforts.1.after": "1",
    framework: "Vi taler sammen hver anden uge.",
    employmentFollowUp: "2027-01-15",
    socialFollowUp: "2027-01-22",
    fixedCaseworker: SOCIAL_CASEWORKER.aadObjectId,
    budgetKr: "50.000",
    forumFollowUp: "2027-02-01",
    ...overrides,
  });

  /** A case visitated to the social caseworker, with its plan saved (version 1) and, if asked, agreed or active. */
  async function planCase(state: "draft" | "agreed" | "active"): Promise<CaseRecord> {
    const visitated = await decide(await raise({ acute: true }), "start", { socialCaseworker: SOCIAL_CASEWORKER.aadObjectId });
    await press(VERBS.openPlan, { caseNo: visitated.caseNo }, "caseworker");
    const saved = await press(VERBS.editPlan, { caseNo: visitated.caseNo, version: 0, ...planForm() }, "caseworker");
    expect(cardTexts(saved.value), JSON.stringify(saved.value)).toContain("Kladde · version 1");
    if (state === "draft") return visitated;
    await press(VERBS.approvePlan, { caseNo: visitated.caseNo, version: 1 }, "caseworker");
    await press(VERBS.approvePlan, { caseNo: visitated.caseNo, version: 1 }, "social");
    await press(
      VERBS.registerPlanMeetings,
      { caseNo: visitated.caseNo, coordinationMeeting: "2026-11-20", jointConversation: "2026-11-23" },
      "caseworker",
    );
    if (state === "agreed") return visitated;
    const consent = await press(
      VERBS.recordPlanConsent,
      { caseNo: visitated.caseNo, version: 1, givenOn: "2026-11-23", efforts: "e1,e2", sharedInformation: "health,housing", note: "" },
      "social",
    );
    expect(cardTexts(consent.value), JSON.stringify(consent.value)).toContain("Aktiv · version 1");
    return visitated;
  }

  /** A bostøtte grant from the social case system about `cpr`; its decision id. */
  async function bostotteGrant(cpr: string, tenant: "home" | "other" = "home"): Promise<string> {
    const res = await postBostotteEvent(
      {
        version: "1",
        eventId: `sag-${randomUUID()}`,
        kind: "grant",
        cpr,
        legalBasis: "sel-85",
        hours: { amount: 4, per: "week" },
        period: { from: "2026-12-01", review: "2027-03-01" },
        purpose: "Støtte til at fastholde egen bolig",
        decidedAt: "2026-11-23T09:00:00+01:00",
        decidedBy: "Jonas Dahl",
      },
      tenant,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body["decisionId"] as string;
  }

  /** The forum channels bound and everyone's personal chat known: what every entry needs. */
  async function setUpChats(): Promise<void> {
    await say("tilknyt forum voksne", "administrator", { channel: CHANNELS.voksne });
    await say("tilknyt forum unge", "administrator", { channel: CHANNELS.unge });
    for (const who of ["caseworker", "colleague", "coordinator", "social", "manager", "outsider"] as const)
      await post({ ...activity(who), type: "installationUpdate", action: "add" });
  }

  /** The chats, and cases, plans and bostøtte decisions in known states for tampered data to aim at. */
  async function setUp(): Promise<Fixtures> {
    await setUpChats();
    const booked = await raise();
    const youth = await raise({ age: 20 });
    const acute = await raise({ acute: true });
    const awaiting = await decide(await raise({ acute: true }), "more-information", { note: "Seneste lægeerklæring" });
    const closed = await decide(await raise({ acute: true }), "no-basis", { note: "Borgeren er i job" });
    const agreed = await planCase("agreed");
    const active = await planCase("active");
    const followedCpr = fakeCprForAge(38, NOW);
    await press(VERBS.followCitizen, { cpr: followedCpr, purpose: "bostotte-orientering" }, "caseworker");
    const { citizens } = await followedBy(bot.deps, { municipality, user: CASEWORKER.aadObjectId });
    const bostotteId = await bostotteGrant(followedCpr);
    const otherTenantBostotteId = await bostotteGrant(fakeCprForAge(41, NOW), "other");
    await dispatch();
    return {
      booked: await storedCase(booked.caseNo),
      youth: await storedCase(youth.caseNo),
      acute: await storedCase(acute.caseNo),
      awaiting,
      closed,
      agreed: await storedCase(agreed.caseNo),
      active: await storedCase(active.caseNo),
      meetings: { voksne: booked.meetingKey!, unge: youth.meetingKey! },
      followed: { cpr: followedCpr, citizenId: citizens[0]!.citizenId, bostotteId },
      otherTenantBostotteId,
    };
  }

  /**
   * Every row of both tenants, apart from what any turn may write without changing anything:
   * audit rows (a refusal is audited), the index of audit months, and saved chat addresses.
   */
  async function snapshot(tenants: "both" | "home" = "both"): Promise<Map<string, string>> {
    const rows = new Map<string, string>();
    const read = async (name: string, table: TableClient, tenantId: string) => {
      const filter = `PartitionKey ge '${tenantId}|' and PartitionKey lt '${tenantId}}'`;
      for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const { partitionKey, rowKey, ...rest } = row;
        if (String(rowKey).startsWith("audit|") || /\|audit\|/.test(String(partitionKey)) || String(partitionKey).endsWith("|personal"))
          continue;
        const content = Object.entries(rest).filter(([key]) => key !== "timestamp" && key !== "etag");
        rows.set(`${name} ${partitionKey} ${rowKey}`, JSON.stringify(content));
      }
    };
    await Promise.all(
      (tenants === "home" ? [municipality.tenantId] : [municipality.tenantId, other.tenantId]).flatMap((tenantId) => [
        read("cases", tables.cases, tenantId),
        read("caseindex", tables.caseIndex, tenantId),
        read("addresses", tables.addresses, tenantId),
        read("outbox", tables.outbox, tenantId),
      ]),
    );
    return rows;
  }

  /**
   * The rows written (added or changed) since `since`, by their Table Storage timestamps,
   * apart from what any turn may write (audit rows, the audit months' index, chat
   * addresses): cheap enough to ask after every entry. Take `since` with {@link mark}.
   */
  async function writtenSince(since: Date, tenants: "both" | "home" = "both"): Promise<string[]> {
    const written: string[] = [];
    const read = async (name: string, table: TableClient, tenantId: string) => {
      const filter = `PartitionKey ge '${tenantId}|' and PartitionKey lt '${tenantId}}' and Timestamp ge datetime'${since.toISOString()}'`;
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter, select: ["PartitionKey", "RowKey"] },
      })) {
        const { partitionKey, rowKey } = row;
        if (String(rowKey).startsWith("audit|") || /\|audit\|/.test(String(partitionKey)) || String(partitionKey).endsWith("|personal"))
          continue;
        written.push(`written: ${name} ${partitionKey} ${rowKey}`);
      }
    };
    await Promise.all(
      (tenants === "home" ? [municipality.tenantId] : [municipality.tenantId, other.tenantId]).flatMap((tenantId) => [
        read("cases", tables.cases, tenantId),
        read("caseindex", tables.caseIndex, tenantId),
        read("addresses", tables.addresses, tenantId),
        read("outbox", tables.outbox, tenantId),
      ]),
    );
    return written.sort();
  }

  /** Now, for {@link writtenSince}: what was written before this instant is older than it. */
  async function mark(): Promise<Date> {
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 2));
    return since;
  }

  /** The rows added, changed or removed since `before` (keys only: the content may be sealed). */
  async function changesSince(before: Map<string, string>, tenants: "both" | "home" = "both"): Promise<string[]> {
    const after = await snapshot(tenants);
    const changed: string[] = [];
    for (const [key, value] of after) if (before.get(key) !== value) changed.push(`${before.has(key) ? "changed" : "added"}: ${key}`);
    for (const key of before.keys()) if (!after.has(key)) changed.push(`removed: ${key}`);
    return changed;
  }

  const inChannel = (s: SentActivity) => Object.values(CHANNELS).some((c) => decodeURIComponent(s.path).includes(c));

  /** What the bot sent to the forum channels since `since` (an index into `bot.sent`): posts and edits. */
  const channelTraffic = (since: number) => bot.sent.slice(since).filter(inChannel);

  /** The host still answers and a normal turn still works. */
  async function expectAlive(): Promise<void> {
    const live = await fetch(bot.endpoint.replace("/api/messages", "/api/health/live"));
    expect(live.status).toBe(200);
    const hello = await say("hej", "caseworker");
    expect(hello.status).toBe(200);
    const cards = (hello.value as SentActivity["body"][]).flatMap((a) => a.attachments ?? []);
    expect(cards.length, "a normal turn (hej) answers with the help card and the form").toBe(2);
  }

  return {
    bot,
    municipality,
    other,
    logLines,
    activity,
    post,
    press,
    say,
    postBostotteEvent,
    dispatch,
    raise,
    decide,
    planCase,
    planForm,
    storedCase,
    setUpChats,
    setUp,
    snapshot,
    changesSince,
    writtenSince,
    mark,
    channelTraffic,
    expectAlive,
  };
}

/** Every text a user reads on a card (text blocks, facts, titles), not what sits in its inputs. */
export function displayedTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (typeof n["type"] === "string" && n["type"].startsWith("Input.")) {
      // An input shows its value as typed, never as markdown; only its label is text.
      if (typeof n["label"] === "string") out.push(n["label"]);
      for (const choice of (n["choices"] as { title?: unknown }[] | undefined) ?? [])
        if (typeof choice.title === "string") out.push(choice.title);
      return;
    }
    for (const key of ["text", "title", "value", "label", "altText"]) if (typeof n[key] === "string") out.push(n[key] as string);
    for (const [key, value] of Object.entries(n)) if (key !== "data" && key !== "verb") walk(value);
  };
  walk(card);
  return out;
}

/** All texts of an answer: an invoke's text or card, or the texts and cards of the activities a message got. */
export function answerTexts(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value))
    return (value as SentActivity["body"][]).flatMap((a) => [
      ...(typeof a.text === "string" ? [a.text] : []),
      ...(a.attachments ?? []).flatMap((att) => displayedTexts(att.content)),
    ]);
  return displayedTexts(value);
}

/** The ten digits of a CPR number, or of anything CPR-shaped written with other digits or separators. */
export const cprDigits = (cpr: string) => cpr.normalize("NFKC").replace(/\D/g, "");

/**
 * True when `text` holds the CPR number's ten digits, however written: with or without a
 * dash, spaces or other single separators between them, in full-width digits — but not as
 * part of a longer run of digits.
 */
export function holdsCpr(text: string, cpr: string): boolean {
  const pattern = cprDigits(cpr).split("").join("[\\s\\-\\u2010-\\u2015./]?");
  return new RegExp(`(?<!\\d)${pattern}(?!\\d)`).test(text.normalize("NFKC"));
}

/** The log lines holding a CPR-shaped number (ten digits standing alone, a dash or space after the sixth or none). */
export function linesWithCprShapedNumbers(lines: string[]): string[] {
  return lines.filter((line) => /(?<![\w])\d{6}[-\s]?\d{4}(?![\w])/.test(line.normalize("NFKC"))).map((line) => line.slice(0, 400));
}

/** Log lines at error level or above, and what they say: hostile input is the caller's fault, never an error of ours. */
export function errorLines(lines: string[]): string[] {
  return lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50).map((line) => line.slice(0, 600));
}

/** Looks like Danish from Sparring, not a stack trace or a library's English. */
export function expectDanishAnswer(texts: string[], what: string): void {
  const all = texts.join("\n");
  expect(all.trim(), `${what}: an answer`).not.toBe("");
  expect(all, `${what}: no leaked internals`).not.toMatch(/undefined|NaN|\[object |TypeError|Error:|at [\w.]+ \(|Internal Server/);
  expect(all, `${what}: Danish`).toMatch(/[æøåÆØÅ]|\b(ikke|intet|findes|kan|sag|sagen|du|er|og|den|det|til|et|en)\b/i);
}

/** A user's id in the corpus' own words. */
export const idOf = (who: Person) => PEOPLE[who].aadObjectId;

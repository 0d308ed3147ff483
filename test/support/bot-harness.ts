import { randomUUID } from "node:crypto";
import http from "node:http";
import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Municipality } from "../../src/domain/municipality.js";
import type { Directory } from "../../src/domain/roles.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { VERBS } from "../../src/teams/verbs.js";
import { fakeCprForAge, validDraft } from "./fixtures.js";
import { createDispatcher, wireSparring } from "../../src/sparring.js";
import type { TableClients } from "../../src/storage/table-storage.js";
import { createBot } from "../../src/teams/app.js";
import { createHost, listen } from "../../src/teams/server.js";
import { bostotteEvents } from "../../src/teams/bostotte-events.js";
import { LOCAL_KEY_HEADER, LOCAL_TENANT_HEADER } from "../../src/teams/bostotte-route.js";

/** The local shared key of the bostøtte endpoint in these tests (local mode, loopback only). */
export const LOCAL_BOSTOTTE_KEY = "test-local-bostotte-key";

/** The HTTP answer to an activity: for an invoke, its status and the card (or text) it answered with. */
export interface InvokeAnswer {
  statusCode?: number;
  type?: string;
  /** A card (JSON) or a plain text. */
  value?: unknown;
}

/** What the bot sent to Teams, as recorded by the stub connector. */
export interface SentActivity {
  method: string;
  path: string;
  body: { type?: string; text?: string; attachments?: { contentType: string; content: Record<string, unknown> }[] };
}

/** A scripted answer of the stub connector, e.g. a 429 with Retry-After. */
export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
}

/**
 * The real Application, adapter, HTTP host and outbox dispatcher, wired as in production,
 * with a stub Bot Connector on loopback standing in for Teams. Activities go in over HTTP
 * exactly as Teams sends them.
 */
export async function startBotHarness(o: {
  municipality: Municipality;
  tables: Pick<TableClients, "cases" | "caseIndex" | "addresses" | "outbox">;
  now?: () => Date;
  encryptionKey?: Buffer;
  /** Where the bot and the host log; silent unless given (e.g. one that captures what is written). */
  logger?: Logger;
  /** Where role lists are looked up (e.g. a GraphDirectory on a local Graph stub); default: the object ids as configured. */
  directory?: Directory;
  /** More municipalities served by the same bot (other tenants), e.g. to send an activity from another configured tenant. */
  otherMunicipalities?: Municipality[];
}) {
  const sent: SentActivity[] = [];
  /** Answers for the next requests to the connector; when empty, 200. */
  const script: StubAnswer[] = [];
  const connector = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const answer = script.shift();
      if (answer && answer.status >= 300) {
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(JSON.stringify({ error: { code: "Scripted", message: "scripted failure" } }));
        return;
      }
      sent.push({ method: req.method ?? "", path: req.url ?? "", body: raw ? JSON.parse(raw) : {} });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `activity-${sent.length}` }));
    });
  });
  const connectorPort = await listen(connector, 0, "127.0.0.1");
  const serviceUrl = `http://127.0.0.1:${connectorPort}/`;

  const adapter = new TeamsAdapter({});
  const logger = o.logger ?? createLogger("silent");
  const { deps, outbox } = wireSparring({
    tables: o.tables,
    adapter,
    encryptionKey: o.encryptionKey ?? Buffer.alloc(32, 3),
    timeZone: "Europe/Copenhagen",
    municipalities: new Map([o.municipality, ...(o.otherMunicipalities ?? [])].map((m) => [m.tenantId, m])),
    logger,
    clock: { now: o.now ?? (() => new Date()) },
    directory: o.directory,
  });
  const bot = createBot(deps);
  const municipalityTenantId = o.municipality.tenantId;
  const dispatcher = createDispatcher(deps, outbox, "");
  const host = createHost({
    adapter,
    logic: (ctx) => bot.run(ctx).then(() => undefined),
    localOnly: true,
    allowedTenants: new Set([o.municipality.tenantId, ...(o.otherMunicipalities ?? []).map((m) => m.tenantId)]),
    health: async () => ({ storage: true }),
    logger,
    bostotteEvents: bostotteEvents(deps),
    bostotteLocalKey: LOCAL_BOSTOTTE_KEY,
  });
  const port = await listen(host, 0, "127.0.0.1");
  const endpoint = `http://127.0.0.1:${port}/api/messages`;

  const base = (user: { aadObjectId: string; name: string }, conversationType = "personal", conversationId?: string) => ({
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: "28:sparring", name: "Sparring" },
    conversation: {
      id: conversationId ?? `conv-${user.aadObjectId}-${conversationType}`,
      conversationType,
      tenantId: o.municipality.tenantId,
    },
    channelData: {
      tenant: { id: o.municipality.tenantId },
      ...(conversationType === "channel" ? { channel: { id: conversationId, name: "Forumkanal" }, team: { id: "team-1" } } : {}),
    },
  });

  async function post(activity: unknown): Promise<{ status: number; body: InvokeAnswer }> {
    const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  return {
    sent,
    script,
    deps,
    outbox,
    dispatcher,
    endpoint,
    serviceUrl,
    post,
    base,
    /** Posts a bostøtte event as the social case system would, with the local key (local mode). */
    async postBostotteEvent(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await fetch(endpoint.replace("/api/messages", "/api/bostotte/events"), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [LOCAL_KEY_HEADER]: LOCAL_BOSTOTTE_KEY,
          [LOCAL_TENANT_HEADER]: o.municipality.tenantId,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    /** Sends a chat message and returns what the bot posted back during that turn. */
    async say(text: string, user: { aadObjectId: string; name: string }, conversationType = "personal", conversationId?: string) {
      const before = sent.length;
      const res = await post({ ...base(user, conversationType, conversationId), type: "message", text });
      return { status: res.status, replies: sent.slice(before).map((s) => s.body) };
    },
    /** Presses an Action.Execute button; `activityId` lets a test re-deliver the same activity. */
    async execute(verb: string, data: Record<string, unknown>, user: { aadObjectId: string; name: string }, activityId?: string) {
      const res = await post({
        ...base(user),
        ...(activityId ? { id: activityId } : {}),
        type: "invoke",
        name: "adaptiveCard/action",
        value: { action: { type: "Action.Execute", verb, data } },
      });
      return res;
    },
    /**
     * Submits a valid raise-case form as `user` (fictitious CPR for someone `age` years old
     * on `on`) and returns the stored case and the CPR used.
     */
    async raiseCase(user: { aadObjectId: string; name: string }, o: { age: number; on: Date; fields?: Record<string, string> }) {
      const d = validDraft({ cpr: fakeCprForAge(o.age, o.on) });
      const fields = {
        cpr: d.cpr,
        health: d.health,
        social: d.social,
        question: d.question,
        department: d.department,
        acute: "false",
        acuteReason: "",
        ...o.fields,
      };
      const res = await this.execute(VERBS.submitCase, { submissionId: randomUUID(), ...fields }, user);
      const reference = cardTexts(res.body.value).find((t) => /^SP-\d{4}$/.test(t));
      if (!reference) throw new Error(`No case was raised: ${JSON.stringify(res.body)}`);
      const record = await deps.cases.get(municipalityTenantId, Number(reference.slice(3)));
      return { record: record!, cpr: fields.cpr, reference };
    },
    async close() {
      await new Promise((r) => host.close(r));
      await new Promise((r) => connector.close(r));
      host.closeAllConnections();
      connector.closeAllConnections();
    },
  };
}

export type BotHarness = Awaited<ReturnType<typeof startBotHarness>>;

/** All TextBlock texts and input values of a card, for assertions that read like the screen. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      for (const key of ["text", "value", "title", "label"]) if (typeof n[key] === "string") out.push(n[key] as string);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

export function inputValue(card: unknown, id: string): unknown {
  let found: unknown;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n["id"] === id && typeof n["type"] === "string" && n["type"].startsWith("Input.")) found = n["value"];
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

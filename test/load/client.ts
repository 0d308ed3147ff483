import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ConnectorRequest, ConnectorStub } from "./connector-stub.js";
import type { LoadUser } from "./municipality.js";

/** What came back for an activity: the HTTP answer, or why there was none. */
export type Answer =
  | { ok: true; status: number; ms: number; card?: unknown; text?: string; replies: ConnectorRequest[] }
  | { ok: false; error: "refused" | "timeout" | "reset" | "http"; status?: number; ms: number; detail: string };

/** How long Teams waits for a bot before it gives up on an activity. */
const TEAMS_TIMEOUT_MS = 15_000;

export const CARD = "application/vnd.microsoft.card.adaptive";
export const MESSAGE = "application/vnd.microsoft.activity.message";

/** Latencies and outcomes per kind of action, as the users saw them. */
export class Stats {
  readonly ms = new Map<string, number[]>();
  readonly counts = new Map<string, number>();

  time(kind: string, ms: number): void {
    const list = this.ms.get(kind) ?? [];
    list.push(ms);
    this.ms.set(kind, list);
  }

  count(what: string, by = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + by);
  }

  get(what: string): number {
    return this.counts.get(what) ?? 0;
  }
}

/**
 * A Teams client for many users at once: sends activities to the bot over HTTP exactly as
 * Teams does (local mode: no token), and reads what the bot sent back through the stub
 * Bot Connector. Replies to a message are the stub's requests inside that turn.
 */
export class TeamsClient {
  /** Message activities whose turn is running: their replies are in-turn replies, not outbox messages. */
  readonly inFlight = new Set<string>();
  /** Message activities the client gave up waiting for (timeout, reset): the bot may still reply in their turn. */
  readonly abandoned = new Set<string>();
  readonly stats = new Stats();

  constructor(
    private readonly o: {
      botUrl: () => string;
      tenantId: string;
      stub: () => ConnectorStub;
    },
  ) {}

  personalChat(user: LoadUser): string {
    return `a:load-${user.aadObjectId}`;
  }

  private base(user: LoadUser, conversation: { id: string; type: "personal" | "channel"; channelName?: string }) {
    return {
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl: this.o.stub().serviceUrl,
      timestamp: new Date().toISOString(),
      locale: "da-DK",
      from: { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name },
      recipient: { id: "28:sparring", name: "Sparring" },
      conversation: { id: conversation.id, conversationType: conversation.type, tenantId: this.o.tenantId },
      channelData: {
        tenant: { id: this.o.tenantId },
        ...(conversation.type === "channel"
          ? { channel: { id: conversation.id, name: conversation.channelName ?? "" }, team: { id: "19:load-team@thread.tacv2" } }
          : {}),
      },
    };
  }

  /** The bot's personal chat with `user` is installed: the bot saves where to reach them. */
  install(user: LoadUser): Promise<Answer> {
    const activity = { ...this.base(user, { id: this.personalChat(user), type: "personal" }), type: "installationUpdate", action: "add" };
    return this.post("installationUpdate", activity);
  }

  /** `text` in the user's personal chat (or a channel); the answer carries the bot's replies in that turn. */
  say(kind: string, user: LoadUser, text: string, channel?: { id: string; name: string }): Promise<Answer> {
    const conversation = channel
      ? { id: channel.id, type: "channel" as const, channelName: channel.name }
      : { id: this.personalChat(user), type: "personal" as const };
    const activity = { ...this.base(user, conversation), type: "message", text };
    return this.post(kind, activity);
  }

  /** Presses an Action.Execute button (in the user's personal chat, or in a channel). */
  press(
    kind: string,
    user: LoadUser,
    verb: string,
    data: Record<string, unknown>,
    channel?: { id: string; name: string },
  ): Promise<Answer> {
    const conversation = channel
      ? { id: channel.id, type: "channel" as const, channelName: channel.name }
      : { id: this.personalChat(user), type: "personal" as const };
    const activity = {
      ...this.base(user, conversation),
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb, data } },
    };
    return this.post(kind, activity);
  }

  /** Whether a reply to `activityId` belongs to the turn of a message this client sent. */
  isTurnReply(activityId: string): boolean {
    return this.inFlight.has(activityId) || this.abandoned.has(activityId);
  }

  private async post(kind: string, activity: { id: string; type: string; conversation: { id: string } }): Promise<Answer> {
    const started = performance.now();
    const message = activity.type === "message";
    if (message) this.inFlight.add(activity.id);
    try {
      const res = await fetch(`${this.o.botUrl()}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(TEAMS_TIMEOUT_MS),
      });
      const raw = await res.text();
      const ms = performance.now() - started;
      this.stats.time(kind, ms);
      if (activity.type === "invoke") this.stats.time("(every invoke)", ms);
      if (message) this.stats.time("(every message)", ms);
      if (res.status >= 300 || (activity.type === "invoke" && !raw)) {
        return { ok: false, error: "http", status: res.status, ms, detail: raw.slice(0, 200) };
      }
      const replies = message
        ? this.o
            .stub()
            .accepted(activity.conversation.id)
            .filter((r) => r.inTurn && r.body.replyToId === activity.id)
        : [];
      let card: unknown;
      let text: string | undefined;
      if (raw) {
        const body = JSON.parse(raw) as { type?: string; value?: unknown };
        if (body.type === CARD) card = body.value;
        if (body.type === MESSAGE && typeof body.value === "string") text = body.value;
      }
      return { ok: true, status: res.status, ms, card, text, replies };
    } catch (error) {
      const ms = performance.now() - started;
      const detail = error instanceof Error ? `${error.name}: ${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : "";
      const kindOf = /timeout/i.test(detail) ? "timeout" : /ECONNREFUSED/.test(detail) ? "refused" : "reset";
      if (message) this.abandoned.add(activity.id);
      return { ok: false, error: kindOf, ms, detail };
    } finally {
      if (message) this.inFlight.delete(activity.id);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Reading cards, as a user reads them

export interface Button {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute button of a card, in order. */
export function buttonsOf(card: unknown): Button[] {
  const found: Button[] = [];
  walk(card, (n) => {
    if (n["type"] === "Action.Execute")
      found.push({ title: String(n["title"] ?? ""), verb: String(n["verb"] ?? ""), data: (n["data"] ?? {}) as Record<string, unknown> });
  });
  return found;
}

export function buttonFor(card: unknown, verb: string): Button | undefined {
  return buttonsOf(card).find((b) => b.verb === verb);
}

/** Every text a card shows (text blocks, facts, input values and labels). */
export function textsOf(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    for (const key of ["text", "value", "title", "label"]) if (typeof n[key] === "string") out.push(n[key] as string);
  });
  return out;
}

/** The value an input shows (what the user typed, put back by the bot). */
export function inputValue(card: unknown, id: string): unknown {
  let value: unknown;
  walk(card, (n) => {
    if (n["id"] === id && typeof n["type"] === "string" && n["type"].startsWith("Input.")) value = n["value"];
  });
  return value;
}

/** The values a choice input offers. */
export function choicesOf(card: unknown, id: string): string[] {
  let values: string[] = [];
  walk(card, (n) => {
    if (n["id"] === id && Array.isArray(n["choices"])) values = (n["choices"] as { value?: unknown }[]).map((c) => String(c.value ?? ""));
  });
  return values;
}

/** The cards attached to what the bot sent. */
export function cardsOf(requests: ConnectorRequest[]): unknown[] {
  return requests.flatMap((r) => (r.body.attachments ?? []).filter((a) => a.contentType === CARD).map((a) => a.content));
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (node && typeof node === "object") {
    visit(node as Record<string, unknown>);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

export const REFERENCE = /\bSP-\d{4,}\b/;

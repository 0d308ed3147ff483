import http from "node:http";
import { listen } from "../../src/teams/server.js";

/** An activity as the bot sends it to the Bot Connector (the parts the test reads). */
export interface SentBody {
  type?: string;
  text?: string;
  replyToId?: string;
  attachments?: { contentType: string; content: unknown }[];
}

/** One request the bot made to the stub Bot Connector. */
export interface ConnectorRequest {
  seq: number;
  /** Milliseconds since the stub started. */
  at: number;
  method: string;
  conversationId: string;
  /** POST …/activities/{id}: the activity replied to. */
  replyTo?: string;
  /** PUT …/activities/{id}: the activity edited. */
  activityId?: string;
  /** What the stub answered. */
  status: number;
  /** For an accepted POST: the id the stub gave the new activity (the bot stores it as the sent id). */
  assignedId?: string;
  body: SentBody;
  /**
   * A reply inside the turn of a message the load test sent and is still waiting for (or
   * gave up on): not an outbox message.
   */
  inTurn: boolean;
}

/** A window during which the stub refuses every request with this answer. */
export interface RefusalBurst {
  kind: "429-seconds" | "429-date" | "503";
  fromMs: number;
  untilMs: number;
}

/**
 * Teams' Bot Connector in miniature on 127.0.0.1: accepts what the bot sends (posts,
 * replies, card edits, member look-ups), records every request with what it answered,
 * and — for the fault test — answers bursts of 429 (Retry-After in seconds or as an HTTP
 * date) and 503 instead.
 */
export async function startConnectorStub(o: {
  /** True for a message activity whose turn the test is waiting for (or gave up waiting for): its replies are in-turn. */
  isTurnReply: (activityId: string) => boolean;
  memberName: (aadObjectId: string) => string;
}) {
  const started = Date.now();
  const requests: ConnectorRequest[] = [];
  /** The accepted posts and edits per conversation, in order: what each chat or channel shows. */
  const byConversation = new Map<string, ConnectorRequest[]>();
  const bursts: RefusalBurst[] = [];
  let nextId = 1;
  const refused = { "429-seconds": 0, "429-date": 0, "503": 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = Date.now() - started;
      const url = new URL(req.url ?? "/", "http://stub");
      const parts = url.pathname.split("/").map((p) => decodeURIComponent(p));
      // /v3/conversations/{conversationId}/activities[/{activityId}] or …/members/{userId}
      const conversationId = parts[3] ?? "";
      const burst = bursts.find((b) => at >= b.fromMs && at < b.untilMs);
      if (burst) {
        refused[burst.kind]++;
        const headers: Record<string, string> =
          burst.kind === "429-seconds"
            ? { "retry-after": "2" }
            : burst.kind === "429-date"
              ? { "retry-after": new Date(Date.now() + 3_000).toUTCString() }
              : {};
        const status = burst.kind === "503" ? 503 : 429;
        record(req.method ?? "", conversationId, parts, status, undefined, chunks);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(
          JSON.stringify({ error: { code: status === 429 ? "Throttled" : "ServiceUnavailable", message: "scripted by the load test" } }),
        );
        return;
      }
      if (req.method === "GET" && parts[4] === "members") {
        const aadObjectId = parts[5] ?? "";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: `29:${aadObjectId}`, name: o.memberName(aadObjectId), aadObjectId }));
        return;
      }
      const assignedId = req.method === "POST" ? `stub-${nextId++}` : undefined;
      record(req.method ?? "", conversationId, parts, 200, assignedId, chunks);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: assignedId ?? parts[5] ?? "" }));
    });
  });

  function record(
    method: string,
    conversationId: string,
    parts: string[],
    status: number,
    assignedId: string | undefined,
    chunks: Buffer[],
  ) {
    let body: SentBody = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as SentBody) : {};
    } catch {
      body = {};
    }
    const target = parts[4] === "activities" ? parts[5] : undefined;
    const request: ConnectorRequest = {
      seq: requests.length,
      at: Date.now() - started,
      method,
      conversationId,
      ...(method === "POST" && target ? { replyTo: target } : {}),
      ...(method === "PUT" && target ? { activityId: target } : {}),
      status,
      ...(assignedId ? { assignedId } : {}),
      body,
      inTurn: method === "POST" && body.replyToId !== undefined && o.isTurnReply(body.replyToId),
    };
    requests.push(request);
    if (status < 300) {
      const list = byConversation.get(conversationId) ?? [];
      list.push(request);
      byConversation.set(conversationId, list);
    }
  }

  const port = await listen(server, 0, "127.0.0.1");
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    refused,
    /** The accepted posts and edits of a conversation, oldest first, from position `from`. */
    accepted: (conversationId: string, from = 0): ConnectorRequest[] => (byConversation.get(conversationId) ?? []).slice(from),
    /** Milliseconds since the stub started (the clock of `at` and of bursts). */
    now: () => Date.now() - started,
    /** Refuses every request from now for `ms` milliseconds with `kind`. */
    refuseFor(kind: RefusalBurst["kind"], ms: number) {
      const from = Date.now() - started;
      bursts.push({ kind, fromMs: from, untilMs: from + ms });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

export type ConnectorStub = Awaited<ReturnType<typeof startConnectorStub>>;

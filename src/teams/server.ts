import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TeamsAdapter } from "@microsoft/teams-ai";
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request,
  type Response,
  type TurnContext,
} from "botbuilder";
import { z } from "zod";
import { withLibraryConsoleAt, type Logger } from "../logger.js";
import { answerBostotteEvent, BOSTOTTE_EVENTS_PATH, BOSTOTTE_MAX_BODY_BYTES, type BostotteEvents } from "./bostotte-route.js";
import type { EntraTokenVerifier } from "./entra-token.js";

const MAX_BODY_BYTES = 512 * 1024;
/**
 * How much of a too-large body is still read (and thrown away) so that the client, which
 * is still sending, receives the 413 instead of a reset connection.
 */
const TOO_LARGE_DRAIN_BYTES = 1024 * 1024;

/** An id that goes into a URL path or a header when the bot answers: no control characters. */
const conversationId = z
  .string()
  .min(1)
  .regex(/^[^\u0000-\u001f\u007f]+$/);
/** An Entra object id (a GUID in Teams): nothing that could not be part of a table key. */
const objectId = z
  .string()
  .max(128)
  .regex(/^[^/\\#?|\u0000-\u001f\u007f-\u009f]*$/);

/**
 * What an activity must have, with the types the bot and the SDK rely on, before it is
 * handed to the adapter: a wrong type here (a sender without an id, an entity without a
 * type, a number for a text) would otherwise fail the turn inside the SDK (SPEC §9: 400,
 * never a crash). Anything else passes through untouched.
 */
const activityEnvelope = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.string().url(),
    name: z.string().nullish(),
    text: z.string().nullish(),
    from: z.object({ id: z.string().min(1), aadObjectId: objectId.nullish(), name: z.string().max(256).nullish() }).passthrough(),
    recipient: z.object({ id: z.string().min(1) }).passthrough(),
    conversation: z.object({ id: conversationId, tenantId: z.string().optional(), conversationType: z.string().nullish() }).passthrough(),
    entities: z.array(z.object({ type: z.string() }).passthrough()).nullish(),
    channelData: z
      .object({
        tenant: z.object({ id: z.string() }).partial().optional(),
        channel: z.object({ id: conversationId.nullish(), name: z.string().nullish() }).passthrough().nullish(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** How a tenant id looks (a GUID): anything else is not written to the log as it came. */
const TENANT_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks the Bot Framework token in an activity's `Authorization` header: resolves when the
 * Bot Framework sent this activity to this bot, rejects otherwise (see {@link botFrameworkAuthenticator}).
 */
export type BotAuthenticator = (activity: Activity, authorizationHeader: string) => Promise<void>;

/**
 * botbuilder's own check of channel tokens (signature against the published OpenID keys and
 * their channel endorsements, issuer, audience = the bot app id, expiry, `serviceurl` claim),
 * with the options the adapter is built with. Refuses to be built without an app id, which
 * would make botbuilder accept every caller.
 */
export function botFrameworkAuthenticator(options: ConfigurationBotFrameworkAuthenticationOptions): BotAuthenticator {
  if (!options.MicrosoftAppId) throw new Error("botFrameworkAuthenticator needs MicrosoftAppId: without it botbuilder accepts any caller.");
  const authentication = new ConfigurationBotFrameworkAuthentication(options);
  return async (activity, authorizationHeader) => {
    await authentication.authenticateRequest(activity, authorizationHeader);
  };
}

export interface HostOptions {
  adapter: TeamsAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Loopback only, and only loopback serviceUrls, when no bot app id is configured (SPEC §9). */
  localOnly: boolean;
  /**
   * Production (not `localOnly`): authenticates every activity before anything else is said
   * about it, the tenant check included. Without it, production refuses every activity (401).
   */
  authenticate?: BotAuthenticator;
  allowedTenants: ReadonlySet<string>;
  health: () => Promise<{ storage: boolean }>;
  logger: Logger;
  /** Records a bostøtte decision from the social case system (SPEC §7); without it the route answers 404. */
  bostotteEvents?: BostotteEvents;
  /** Checks a bostøtte caller's Entra ID access token; without it no bearer token is accepted. */
  verifyBostotteToken?: EntraTokenVerifier;
  /** Local development only: the shared key accepted from loopback callers, and only when `localOnly`. */
  bostotteLocalKey?: string;
  /** Counts requests in flight and refuses new ones while the instance drains; one per host when not given. */
  gate?: RequestGate;
}

/** Seconds a refused caller is asked to wait: long enough for the load balancer to pick another instance. */
const DRAINING_RETRY_AFTER_SECONDS = 10;

/**
 * The requests in flight on this instance, and whether it is draining (shutting down):
 * a draining instance answers new work with 503 and reports not-ready, while the work
 * it already accepted finishes.
 */
export class RequestGate {
  private inFlight = 0;
  private draining = false;
  private readonly waiting = new Set<() => void>();

  get isDraining(): boolean {
    return this.draining;
  }

  /** Takes a request in; false when draining (answer 503). Pair every true with {@link leave}. */
  enter(): boolean {
    if (this.draining) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.waiting) resolve();
  }

  /**
   * Starts draining and waits until the requests in flight have finished, at most
   * `timeoutMs`. Resolves to the number still running when it gave up (0 when all finished).
   */
  async drain(timeoutMs: number): Promise<number> {
    this.draining = true;
    if (this.inFlight === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = () => {};
    await new Promise<void>((resolve) => {
      finished = resolve;
      this.waiting.add(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.waiting.delete(finished);
    return this.inFlight;
  }
}

/**
 * The HTTP host: `POST /api/messages` for Teams, `POST /api/bostotte/events` for the
 * social case system, `GET /api/health` (storage), `/api/health/live` and
 * `/api/health/ready` for probes. A malformed body is answered 400 and never reaches the
 * adapter; a too-large one 413. In production an activity is then authenticated (401)
 * before its tenant is checked (403). While draining, new work is answered 503.
 */
export function createHost(options: HostOptions): http.Server {
  const o = { ...options, gate: options.gate ?? new RequestGate() };
  return http.createServer((req, res) => {
    handle(req, res, o).catch((error: unknown) => {
      options.logger.error({ err: error }, "request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.end();
    });
  });
}

type GatedHostOptions = HostOptions & { gate: RequestGate };

async function handle(req: IncomingMessage, res: ServerResponse, o: GatedHostOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "http://host");
  if (url.pathname === "/api/health" && req.method === "GET") {
    const { storage } = await o.health();
    send(res, storage ? 200 : 503, { status: storage ? "ok" : "degraded", storage: storage ? "reachable" : "unreachable" });
    return;
  }
  // Liveness: the process answers. Restarting it would not help with anything else.
  if (url.pathname === "/api/health/live" && req.method === "GET") return send(res, 200, { status: "live" });
  // Readiness: send traffic here only while storage answers and the instance is not draining.
  if (url.pathname === "/api/health/ready" && req.method === "GET") return sendReadiness(res, o);
  if (url.pathname === BOSTOTTE_EVENTS_PATH) return gated(res, o.gate, () => handleBostotte(req, res, o));
  if (url.pathname !== "/api/messages") return send(res, 404, { error: "not found" });
  if (req.method !== "POST") return send(res, 405, { error: "method not allowed" }, { allow: "POST" });
  return gated(res, o.gate, () => handleActivity(req, res, o));
}

async function sendReadiness(res: ServerResponse, o: GatedHostOptions): Promise<void> {
  if (o.gate.isDraining) return send(res, 503, { status: "draining" });
  const { storage } = await o.health();
  send(res, storage ? 200 : 503, { status: storage ? "ready" : "not ready", storage: storage ? "reachable" : "unreachable" });
}

/** Runs `work` as a request in flight, or answers 503 with Retry-After while draining. */
async function gated(res: ServerResponse, gate: RequestGate, work: () => Promise<void>): Promise<void> {
  if (!gate.enter()) {
    return send(
      res,
      503,
      { error: "shutting down, try again" },
      { "retry-after": String(DRAINING_RETRY_AFTER_SECONDS), connection: "close" },
    );
  }
  try {
    await work();
  } finally {
    gate.leave();
  }
}

async function handleActivity(req: IncomingMessage, res: ServerResponse, o: HostOptions): Promise<void> {
  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) return sendTooLarge(res, read.drained);
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return send(res, 400, { error: "body must be a JSON activity" });
  }
  const envelope = activityEnvelope.safeParse(body);
  if (!envelope.success) return send(res, 400, { error: "body is not a Bot Framework activity" });
  const activity = envelope.data;

  if (o.localOnly && !isLoopbackUrl(activity.serviceUrl)) {
    // The origin only: the rest of the URL is the caller's text.
    o.logger.warn({ serviceUrl: new URL(activity.serviceUrl).origin }, "refused non-loopback serviceUrl in local mode");
    return send(res, 403, { error: "serviceUrl not allowed without a bot app id" });
  }
  // Production: the caller proves it is the Bot Framework before it learns anything, such as which tenants are served.
  if (!o.localOnly) {
    const authenticated = await authenticateActivity(o, body as Activity, req.headers.authorization ?? "");
    if (authenticated === "unavailable") {
      return send(
        res,
        503,
        { error: "authentication temporarily unavailable" },
        { "retry-after": String(KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS) },
      );
    }
    if (authenticated === "refused") return send(res, 401, { error: "unauthorized" }, { "www-authenticate": "Bearer" });
  }
  const named = [activity.conversation.tenantId, activity.channelData?.tenant?.id].filter((id) => id !== undefined);
  const tenant = named[0];
  // Two different tenants in one activity: it is not from either (SPEC §9: other tenants are refused).
  if (!tenant || !o.allowedTenants.has(tenant) || named.some((id) => id !== tenant)) {
    o.logger.warn(
      { tenant: named.map((id) => (TENANT_ID_SHAPE.test(id) ? id : "[not a tenant id]")) },
      "refused activity from a tenant that is not configured",
    );
    return send(res, 403, { error: "tenant not allowed" });
  }

  await o.adapter.process(requestShim(req, body as Record<string, unknown>), responseShim(res), o.logic);
}

/** Seconds the Bot Framework is asked to wait when the signing keys could not be fetched. */
const KEYS_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/**
 * "refused" for a missing or invalid token (logged without a stack: such requests are
 * ordinary internet noise); "unavailable" when the signing keys could not be fetched, which
 * is our problem, not the caller's, and worth a retry.
 */
async function authenticateActivity(o: HostOptions, activity: Activity, authorization: string): Promise<"ok" | "refused" | "unavailable"> {
  if (!o.authenticate) {
    o.logger.error("refused an activity: production mode without a Bot Framework authenticator");
    return "refused";
  }
  try {
    // botbuilder prints refused tokens (an expired one with its stack) as console errors; they are the caller's.
    await withLibraryConsoleAt("debug", () => o.authenticate!(activity, authorization));
    return "ok";
  } catch (error) {
    if (signingKeysUnavailable(error)) {
      o.logger.error({ err: error }, "activity could not be authenticated: Bot Framework signing keys unavailable");
      return "unavailable";
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : "invalid token";
    o.logger.warn({ reason, hadToken: authorization !== "" }, "refused an unauthenticated activity");
    return "refused";
  }
}

/**
 * botbuilder signals a failed fetch of the OpenID metadata or keys with an AuthenticationError
 * of status 500; node-fetch, when the address does not answer at all, with a FetchError.
 */
function signingKeysUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { statusCode, name } = error as { statusCode?: unknown; name?: unknown };
  return (typeof statusCode === "number" && statusCode >= 500) || name === "FetchError";
}

async function handleBostotte(req: IncomingMessage, res: ServerResponse, o: HostOptions): Promise<void> {
  if (!o.bostotteEvents) return send(res, 404, { error: "not found" });
  if (req.method !== "POST") return send(res, 405, { error: "method not allowed" }, { allow: "POST" });
  const read = await readBody(req, BOSTOTTE_MAX_BODY_BYTES);
  if (!read.ok) return sendTooLarge(res, read.drained);
  const answer = await answerBostotteEvent(req, read.text, {
    events: o.bostotteEvents,
    verifyToken: o.verifyBostotteToken,
    localKey: o.bostotteLocalKey,
    localOnly: o.localOnly,
    allowedTenants: o.allowedTenants,
    logger: o.logger,
  });
  send(res, answer.status, answer.body, answer.headers);
}

type BodyRead = { ok: true; text: string } | { ok: false; drained: boolean };

/**
 * The body as text when it is at most `limit` bytes. A larger one is read to its end and
 * dropped (`drained`), so the connection stays usable; only beyond TOO_LARGE_DRAIN_BYTES
 * more is reading given up and the connection must close after the answer.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > limit + TOO_LARGE_DRAIN_BYTES) {
      resolve({ ok: false, drained: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size <= limit + TOO_LARGE_DRAIN_BYTES) chunks.length = 0;
      else {
        req.off("data", onData);
        req.off("end", onEnd);
        resolve({ ok: false, drained: false });
      }
    };
    const onEnd = () => resolve(size > limit ? { ok: false, drained: true } : { ok: true, text: Buffer.concat(chunks).toString("utf8") });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

function sendTooLarge(res: ServerResponse, drained: boolean): void {
  send(res, 413, { error: "body too large" }, drained ? {} : { connection: "close" });
}

function requestShim(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers, method: req.method };
}

/** botbuilder's `process` expects an Express-like response. */
function responseShim(res: ServerResponse): Response {
  const shim: Response = {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return shim;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return shim;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === "string" || Buffer.isBuffer(body)) {
        res.write(body);
      } else {
        if (!res.hasHeader("content-type")) res.setHeader("content-type", "application/json; charset=utf-8");
        res.write(JSON.stringify(body));
      }
      return shim;
    },
    end() {
      res.end();
      return shim;
    },
  };
  return shim;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

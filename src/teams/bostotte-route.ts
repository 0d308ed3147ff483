import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "../logger.js";
import { EntraKeysUnavailableError, type EntraAuthOutcome, type EntraTokenVerifier } from "./entra-token.js";

/** Where the municipality's social case system reports bostøtte decisions (SPEC §7). */
export const BOSTOTTE_EVENTS_PATH = "/api/bostotte/events";
/** An event is a few fields; anything near this size is not one. */
export const BOSTOTTE_MAX_BODY_BYTES = 64 * 1024;

/** Local development only: the shared key from `DATA_DIR/bostotte-local.key`. */
export const LOCAL_KEY_HEADER = "x-sparring-local-key";
/** Local development only: the tenant a request made with the local key speaks for. */
export const LOCAL_TENANT_HEADER = "x-sparring-tenant";
/** The caller application a request made with the local key is recorded as. */
export const LOCAL_CALLER_APP_ID = "local-development";

/** An authenticated call: who called for which municipality, and the JSON body as sent. */
export interface BostotteEventRequest {
  tenantId: string;
  callerAppId: string;
  body: unknown;
}

/** The HTTP answer the use case chose; sent as JSON. */
export interface BostotteEventAnswer {
  status: number;
  body: unknown;
  /** E.g. `retry-after` with a 503. */
  headers?: Record<string, string>;
}

/** Validates and records one event; injected from the domain. */
export type BostotteEvents = (request: BostotteEventRequest) => Promise<BostotteEventAnswer>;

export interface BostotteRouteOptions {
  events: BostotteEvents;
  /** Entra ID access tokens; without it only the local key (local mode) is accepted. */
  verifyToken?: EntraTokenVerifier;
  /** Local development only; never accepted unless `localOnly`. */
  localKey?: string;
  /** True when no bot app id is configured (SPEC §9). */
  localOnly: boolean;
  allowedTenants: ReadonlySet<string>;
  logger: Logger;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The answer to a bostøtte event whose body has been read (within the size limit):
 * the caller is authenticated first (401/403), then the body parsed (400), then the
 * injected use case decides. Failures of the use case become 500.
 */
export async function answerBostotteEvent(req: IncomingMessage, rawBody: string, o: BostotteRouteOptions): Promise<RouteAnswer> {
  let caller: EntraAuthOutcome;
  try {
    caller = await authenticateBostotteCaller(req, o);
  } catch (error) {
    if (!(error instanceof EntraKeysUnavailableError)) throw error;
    o.logger.error({ err: error }, "bostøtte caller could not be authenticated: signing keys unavailable");
    return { status: 503, body: { error: "authentication temporarily unavailable" }, headers: { "retry-after": "30" } };
  }
  if (!caller.ok) {
    o.logger.warn({ status: caller.status, reason: caller.reason }, "refused bostøtte caller");
    return {
      status: caller.status,
      body: { error: caller.status === 401 ? "unauthorized" : "forbidden", reason: caller.reason },
      headers: caller.status === 401 ? { "www-authenticate": wwwAuthenticate(req) } : undefined,
    };
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: "body must be JSON" } };
  }

  const answer = await o.events({ tenantId: caller.tenantId, callerAppId: caller.callerAppId, body });
  o.logger.info({ tenantId: caller.tenantId, callerAppId: caller.callerAppId, status: answer.status }, "bostøtte event answered");
  return { status: answer.status, body: answer.body, ...(answer.headers ? { headers: answer.headers } : {}) };
}

/**
 * An Entra ID bearer token, or — in local mode only, from a loopback address only — the
 * local development key with the tenant named in `x-sparring-tenant`.
 */
export async function authenticateBostotteCaller(
  req: IncomingMessage,
  o: Pick<BostotteRouteOptions, "verifyToken" | "localKey" | "localOnly" | "allowedTenants">,
): Promise<EntraAuthOutcome> {
  const localKey = singleHeader(req.headers[LOCAL_KEY_HEADER]);
  if (localKey !== undefined && o.localOnly && o.localKey) return authenticateLocalKey(req, localKey, o.localKey, o.allowedTenants);

  const authorization = singleHeader(req.headers.authorization);
  if (!authorization && localKey !== undefined) {
    return { ok: false, status: 401, reason: "the local development key is not accepted here; send an Entra ID bearer token" };
  }
  if (!o.verifyToken) return { ok: false, status: 401, reason: "no bearer token accepted: BOSTOTTE_API_AUDIENCE is not configured" };
  return o.verifyToken(authorization);
}

function authenticateLocalKey(req: IncomingMessage, presented: string, expected: string, tenants: ReadonlySet<string>): EntraAuthOutcome {
  if (!sameSecret(presented, expected)) return { ok: false, status: 401, reason: "local development key is wrong" };
  if (!isLoopbackAddress(req.socket.remoteAddress))
    return { ok: false, status: 403, reason: "the local development key is accepted from loopback only" };
  const tenantId = singleHeader(req.headers[LOCAL_TENANT_HEADER]);
  if (!tenantId || !tenants.has(tenantId))
    return { ok: false, status: 403, reason: `${LOCAL_TENANT_HEADER} does not name a configured tenant` };
  return { ok: true, tenantId, callerAppId: LOCAL_CALLER_APP_ID };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function wwwAuthenticate(req: IncomingMessage): string {
  return req.headers.authorization ? 'Bearer error="invalid_token"' : "Bearer";
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A socket's remote address is this machine (IPv4, IPv6 or IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

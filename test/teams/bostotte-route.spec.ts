import type http from "node:http";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import {
  BOSTOTTE_MAX_BODY_BYTES,
  isLoopbackAddress,
  LOCAL_CALLER_APP_ID,
  LOCAL_KEY_HEADER,
  LOCAL_TENANT_HEADER,
  type BostotteEventRequest,
  type BostotteEvents,
} from "../../src/teams/bostotte-route.js";
import { createEntraTokenVerifier } from "../../src/teams/entra-token.js";
import { createHost, listen, type HostOptions } from "../../src/teams/server.js";
import { newSigningKey, startJwksStub, v1Claims, v2Claims, type JwksStub } from "../support/jwks-stub.js";

const TENANT = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
const OTHER_TENANT = "11111111-2222-4333-8444-555555555555";
const CASE_SYSTEM = "c0ffee00-0000-4000-8000-000000000001";
const OTHER_APP = "c0ffee00-0000-4000-8000-000000000002";
const AUDIENCE = "api://sparring-bostotte";
const LOCAL_KEY = "local-key-for-tests";
const EVENT = { kind: "granted", legalBasis: "SEL § 85", eventId: "evt-1" };

let jwks: JwksStub;
/** What the injected use case was called with, in order. */
const received: BostotteEventRequest[] = [];
/** The use case's next behaviour; by default it answers 202 with an echo. */
let next: BostotteEvents | undefined;

const events: BostotteEvents = async (request) => {
  received.push(request);
  const behaviour = next;
  next = undefined;
  return behaviour
    ? behaviour(request)
    : { status: 202, body: { accepted: true, eventId: (request.body as { eventId?: string }).eventId } };
};

async function startHost(overrides: Partial<HostOptions>) {
  const server = createHost({
    adapter: new TeamsAdapter({}),
    logic: async () => undefined,
    localOnly: true,
    allowedTenants: new Set([TENANT]),
    health: async () => ({ storage: true }),
    logger: createLogger("silent"),
    bostotteEvents: events,
    verifyBostotteToken: createEntraTokenVerifier({
      jwksUrl: jwks.jwksUrl,
      audiences: [AUDIENCE],
      allowedTenants: new Set([TENANT]),
      allowedCallers: (tenantId) => (tenantId === TENANT ? [CASE_SYSTEM] : []),
    }),
    ...overrides,
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { server, base: `http://127.0.0.1:${port}` };
}

async function stop(server: http.Server) {
  await new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
}

let production: { server: http.Server; base: string };
let local: { server: http.Server; base: string };

beforeAll(async () => {
  jwks = await startJwksStub();
  // A production host that was (wrongly) handed a local key: it must still refuse it.
  production = await startHost({ localOnly: false, bostotteLocalKey: LOCAL_KEY });
  local = await startHost({ localOnly: true, bostotteLocalKey: LOCAL_KEY });
});
afterAll(async () => {
  await stop(production.server);
  await stop(local.server);
  await jwks.close();
});

async function post(base: string, o: { body?: string; headers?: Record<string, string>; path?: string; method?: string } = {}) {
  const res = await fetch(`${base}${o.path ?? "/api/bostotte/events"}`, {
    method: o.method ?? "POST",
    headers: { "content-type": "application/json", ...o.headers },
    body: o.method === "GET" ? undefined : (o.body ?? JSON.stringify(EVENT)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const authorized = async (claims = v2Claims({ tenantId: TENANT, callerAppId: CASE_SYSTEM, audience: AUDIENCE })) => ({
  authorization: `Bearer ${await jwks.sign(claims)}`,
});

describe("POST /api/bostotte/events with an Entra ID token", () => {
  it("hands the caller's tenant, application and body to the use case and sends its answer back", async () => {
    const before = received.length;
    const res = await post(production.base, { headers: await authorized() });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true, eventId: "evt-1" });
    expect(received.slice(before)).toEqual([{ tenantId: TENANT, callerAppId: CASE_SYSTEM, body: EVENT }]);
  });

  it("passes the use case's own status through, e.g. 422 for an invalid event", async () => {
    next = async () => ({ status: 422, body: { error: "invalid event", issues: ["hours"] } });
    const res = await post(production.base, { headers: await authorized() });
    expect(res).toMatchObject({ status: 422, body: { error: "invalid event", issues: ["hours"] } });
  });

  it("accepts a v1.0 token (appid, sts.windows.net)", async () => {
    const res = await post(production.base, {
      headers: await authorized(v1Claims({ tenantId: TENANT, callerAppId: CASE_SYSTEM, audience: AUDIENCE })),
    });
    expect(res.status).toBe(202);
  });

  it("answers 401 with WWW-Authenticate: Bearer when no token is sent, and never calls the use case", async () => {
    const before = received.length;
    const res = await post(production.base);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.body).toMatchObject({ error: "unauthorized" });
    expect(received.length).toBe(before);
  });

  it("answers 401 for a token signed by an unknown key, for another audience, expired or from a foreign issuer", async () => {
    const claims = v2Claims({ tenantId: TENANT, callerAppId: CASE_SYSTEM, audience: AUDIENCE });
    const tokens = [
      await jwks.sign(claims, { key: await newSigningKey() }),
      await jwks.sign({ ...claims, aud: "api://someone-else" }),
      await jwks.sign(claims, { expiresAt: new Date(Date.now() - 10 * 60_000) }),
      await jwks.sign({ ...claims, iss: "https://evil.example/v2.0" }),
    ];
    for (const token of tokens) {
      const res = await post(production.base, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("answers 403 for a valid token from a tenant this deployment does not serve", async () => {
    const res = await post(production.base, {
      headers: await authorized(v2Claims({ tenantId: OTHER_TENANT, callerAppId: CASE_SYSTEM, audience: AUDIENCE })),
    });
    expect(res).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(res.headers.get("www-authenticate")).toBeNull();
  });

  it("answers 403 for an application the municipality has not allowed", async () => {
    const res = await post(production.base, {
      headers: await authorized(v2Claims({ tenantId: TENANT, callerAppId: OTHER_APP, audience: AUDIENCE })),
    });
    expect(res.status).toBe(403);
  });
});

describe("POST /api/bostotte/events, malformed requests", () => {
  it("answers 413 to a body over 64 KiB — the client gets the answer, not a dropped connection", async () => {
    const big = JSON.stringify({ ...EVENT, padding: "x".repeat(BOSTOTTE_MAX_BODY_BYTES) });
    const res = await post(production.base, { headers: await authorized(), body: big });
    expect(res).toMatchObject({ status: 413, body: { error: "body too large" } });
    expect((await post(production.base, { headers: await authorized() })).status).toBe(202);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const res = await post(production.base, { headers: await authorized(), body: "kind=granted" });
    expect(res).toMatchObject({ status: 400, body: { error: "body must be JSON" } });
  });

  it("answers 405 to GET", async () => {
    const res = await post(production.base, { method: "GET", headers: await authorized() });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("answers 500 when the use case throws, and keeps serving", async () => {
    next = async () => {
      throw new Error("storage down");
    };
    const failed = await post(production.base, { headers: await authorized() });
    expect(failed).toMatchObject({ status: 500, body: { error: "internal error" } });
    expect((await post(production.base, { headers: await authorized() })).status).toBe(202);
  });

  it("answers 404 when no use case is wired", async () => {
    const bare = await startHost({ bostotteEvents: undefined });
    try {
      expect((await post(bare.base, { headers: await authorized() })).status).toBe(404);
    } finally {
      await stop(bare.server);
    }
  });
});

describe("the local development key", () => {
  const localHeaders = { [LOCAL_KEY_HEADER]: LOCAL_KEY, [LOCAL_TENANT_HEADER]: TENANT };

  it("is accepted from loopback in local mode, for the tenant named in x-sparring-tenant", async () => {
    const before = received.length;
    const res = await post(local.base, { headers: localHeaders });
    expect(res.status).toBe(202);
    expect(received.slice(before)).toEqual([{ tenantId: TENANT, callerAppId: LOCAL_CALLER_APP_ID, body: EVENT }]);
  });

  it("is refused when wrong (401), or for a tenant that is not configured (403)", async () => {
    expect((await post(local.base, { headers: { ...localHeaders, [LOCAL_KEY_HEADER]: "guess" } })).status).toBe(401);
    expect((await post(local.base, { headers: { ...localHeaders, [LOCAL_TENANT_HEADER]: OTHER_TENANT } })).status).toBe(403);
    expect((await post(local.base, { headers: { [LOCAL_KEY_HEADER]: LOCAL_KEY } })).status).toBe(403);
  });

  it("is never accepted in production mode", async () => {
    const before = received.length;
    const res = await post(production.base, { headers: localHeaders });
    expect(res.status).toBe(401);
    expect(received.length).toBe(before);
  });

  it("leaves Entra ID tokens working in local mode", async () => {
    expect((await post(local.base, { headers: await authorized() })).status).toBe(202);
  });

  it("counts only this machine's addresses as loopback", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ["10.0.0.1", "::ffff:10.0.0.1", "fe80::1", "", undefined]) expect(isLoopbackAddress(address)).toBe(false);
  });
});

describe("POST /api/messages", () => {
  it("answers 413 to an oversized body instead of dropping the connection", async () => {
    const res = await post(production.base, {
      path: "/api/messages",
      body: JSON.stringify({ type: "message", text: "x".repeat(600 * 1024) }),
    });
    expect(res).toMatchObject({ status: 413, body: { error: "body too large" } });
  });
});

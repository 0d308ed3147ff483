import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { AppCredentials, AuthenticationConstants, MicrosoftAppCredentials } from "botframework-connector";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConfigError, loadConfig, type Config } from "../../src/config.js";
import { createLogger, routeConsoleToLogger } from "../../src/logger.js";
import { botAuthenticationOptions, startSparring, type RunningSparring } from "../../src/sparring.js";
import { botFrameworkAuthenticator, createHost, listen, type HostOptions } from "../../src/teams/server.js";
import { CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { newSigningKey, startJwksStub, type JwksStub, type SigningKey } from "../support/jwks-stub.js";
import { refuseNonLoopbackConnections } from "../support/loopback-only.js";

/** The bot's Azure Bot registration in these tests (fictitious). */
const APP_ID = "5e1f0c3a-7b2d-4e8f-9a6b-0c1d2e3f4a5b";
const BOT_TENANT = "b0770000-0000-4000-8000-000000000001";
/** A test issuer instead of https://api.botframework.com: proves BOT_TOKEN_ISSUER reaches both checks. */
const ISSUER = "https://api.botframework.sparring.test";
/** What the stub Bot Connector expects the bot to send its replies with. */
const OUTGOING_TOKEN = "outgoing-token-from-the-seeded-cache";
const MAX_ACTIVITY_BYTES = 512 * 1024;

const municipality = testMunicipality();
const OTHER_TENANT = randomUUID();

let network: ReturnType<typeof refuseNonLoopbackConnections>;
let jwks: JwksStub;
/** A key the Bot Framework has published for Web Chat only, not for Teams. */
let webchatKey: SigningKey;
let running: RunningSparring;
let endpoint: string;
let serviceUrl: string;
let connector: http.Server;
const replies: { path: string; authorization?: string; body: { type?: string; text?: string } }[] = [];
const logLines: string[] = [];
let restoreConsole: () => void;

beforeAll(async () => {
  network = refuseNonLoopbackConnections();
  jwks = await startJwksStub({ endorsements: ["msteams"] });
  webchatKey = await jwks.publishKey(["webchat"]);

  connector = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      replies.push({ path: req.url ?? "", authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : {} });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `reply-${replies.length}` }));
    });
  });
  serviceUrl = `http://127.0.0.1:${await listen(connector, 0, "127.0.0.1")}/`;

  // The bot's own token for calling the Bot Connector, as botbuilder caches it after fetching it
  // from Entra ID: seeded, so that no test reaches login.microsoftonline.com.
  const credentials = new MicrosoftAppCredentials(APP_ID, "secret", BOT_TENANT, AuthenticationConstants.ToChannelFromBotOAuthScope);
  // The cache is botbuilder's private static; the bracket reaches it on purpose.
  AppCredentials["cache"].set(credentials.tokenCacheKey, { accessToken: OUTGOING_TOKEN, expiresOn: new Date(Date.now() + 3_600_000) });

  const logger = createLogger("trace", new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) }));
  restoreConsole = routeConsoleToLogger(logger);
  running = await startSparring(productionConfig(), logger, { connectionString: inject("azuriteConnectionString") });
  endpoint = `http://127.0.0.1:${running.port}/api/messages`;
});

afterAll(async () => {
  await running?.stop();
  restoreConsole?.();
  await new Promise((resolve) => connector?.close(resolve));
  connector?.closeAllConnections();
  await jwks?.close();
  network?.restore();
});

/**
 * The production configuration of these tests: a bot app id with the token settings pointed at
 * the local stubs. The rest is what loadConfig gives locally (keys in a temporary DATA_DIR).
 */
function productionConfig(): Config {
  const local = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "sparring-auth-")) });
  return {
    ...local,
    port: 0,
    host: "127.0.0.1",
    bot: {
      appId: APP_ID,
      appPassword: "secret",
      appType: "SingleTenant",
      tenantId: BOT_TENANT,
      openIdMetadataUrl: jwks.openIdMetadataUrl,
      tokenIssuer: ISSUER,
    },
    storage: { kind: "connection-string", connectionString: inject("azuriteConnectionString") },
    municipalities: new Map([[municipality.tenantId, municipality]]),
    logLevel: "trace",
    bostotteApi: { jwksUrl: jwks.jwksUrl, audiences: [], localKey: undefined },
  };
}

/** The claims of a Bot Framework channel token for this bot and this conversation's service URL. */
const channelClaims = (overrides: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, ...overrides });

function message(text: string, tenantId = municipality.tenantId) {
  return {
    type: "message",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl,
    timestamp: new Date().toISOString(),
    text,
    from: { id: `29:${CASEWORKER.aadObjectId}`, aadObjectId: CASEWORKER.aadObjectId, name: CASEWORKER.name },
    recipient: { id: `28:${APP_ID}`, name: "Sparring" },
    conversation: { id: `a:personal-${CASEWORKER.aadObjectId}`, conversationType: "personal", tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

async function post(body: unknown, o: { token?: string; authorization?: string; url?: string } = {}) {
  const authorization = o.authorization ?? (o.token ? `Bearer ${o.token}` : undefined);
  const res = await fetch(o.url ?? endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** Sends "hjælp" with `token` and returns the answer and the replies the bot sent during the turn. */
async function askForHelp(token: string | undefined, tenantId = municipality.tenantId) {
  const before = replies.length;
  const res = await post(message("hjælp", tenantId), { token });
  return { ...res, replies: replies.slice(before) };
}

describe("POST /api/messages in production (a bot app id is configured)", () => {
  it("runs the turn for a valid Teams token: the bot answers through the Bot Connector with its own token", async () => {
    const res = await askForHelp(await jwks.sign(channelClaims()));
    expect(res.status).toBe(200);
    expect(res.replies.length).toBeGreaterThan(0);
    expect(res.replies.every((r) => r.authorization === `Bearer ${OUTGOING_TOKEN}`)).toBe(true);
    expect(
      res.replies.every((r) => r.path.startsWith(`/v3/conversations/${encodeURIComponent(`a:personal-${CASEWORKER.aadObjectId}`)}`)),
    ).toBe(true);
  });

  it("answers 401 without a token, with a JSON error and no stack, and runs no turn", async () => {
    const res = await askForHelp(undefined);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "unauthorized" });
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.replies).toEqual([]);
  });

  it("answers 401 to a token that is not a Bearer JWT", async () => {
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer not-a-jwt", "Bearer", `bearer ${await jwks.sign(channelClaims())}`]) {
      const res = await post(message("hjælp"), { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.body).toEqual({ error: "unauthorized" });
    }
  });

  it("answers 401 to a token signed by a key the Bot Framework has not published", async () => {
    const unknownKey = await newSigningKey();
    expect((await askForHelp(await jwks.sign(channelClaims(), { key: unknownKey }))).status).toBe(401);
    // The published key's id, but another key's signature.
    const forged = { kid: jwks.published.kid, privateKey: unknownKey.privateKey };
    expect((await askForHelp(await jwks.sign(channelClaims(), { key: forged }))).status).toBe(401);
  });

  it("answers 401 to a token for another bot (audience)", async () => {
    const res = await askForHelp(await jwks.sign(channelClaims({ aud: randomUUID() })));
    expect(res.status).toBe(401);
    expect(res.replies).toEqual([]);
  });

  it("answers 401 to an expired token", async () => {
    const res = await askForHelp(await jwks.sign(channelClaims(), { expiresAt: new Date(Date.now() - 10 * 60_000) }));
    expect(res.status).toBe(401);
  });

  it("answers 401 to a token from another issuer, or without one", async () => {
    expect((await askForHelp(await jwks.sign(channelClaims({ iss: AuthenticationConstants.ToBotFromChannelTokenIssuer })))).status).toBe(
      401,
    );
    expect((await askForHelp(await jwks.sign(channelClaims({ iss: undefined })))).status).toBe(401);
  });

  it("answers 401 to a token signed by a key that is not endorsed for Teams", async () => {
    expect((await askForHelp(await jwks.sign(channelClaims(), { key: webchatKey }))).status).toBe(401);
  });

  it("answers 401 to a token issued for another service URL than the activity names", async () => {
    const res = await askForHelp(await jwks.sign(channelClaims({ serviceurl: "https://smba.trafficmanager.net/emea/" })));
    expect(res.status).toBe(401);
  });

  it("authenticates before the tenant check: an unknown tenant learns nothing without a token (401), is refused with one (403)", async () => {
    const unauthenticated = await askForHelp(undefined, OTHER_TENANT);
    expect(unauthenticated).toMatchObject({ status: 401, body: { error: "unauthorized" } });
    const authenticated = await askForHelp(await jwks.sign(channelClaims()), OTHER_TENANT);
    expect(authenticated).toMatchObject({ status: 403, body: { error: "tenant not allowed" } });
    expect(authenticated.replies).toEqual([]);
  });

  it("answers 413 to a body over the size limit, with or without a token — an answer, not a dropped connection", async () => {
    const big = JSON.stringify({ ...message("hjælp"), padding: "x".repeat(MAX_ACTIVITY_BYTES) });
    expect(await post(big)).toMatchObject({ status: 413, body: { error: "body too large" } });
    expect(await post(big, { token: await jwks.sign(channelClaims()) })).toMatchObject({ status: 413 });
  });

  it("answers 400 to {} and to a body that is not JSON, with or without a token", async () => {
    const token = await jwks.sign(channelClaims());
    for (const o of [{}, { token }]) {
      expect(await post({}, o)).toMatchObject({ status: 400, body: { error: "body is not a Bot Framework activity" } });
      expect(await post("type=message", o)).toMatchObject({ status: 400, body: { error: "body must be a JSON activity" } });
    }
  });

  it("is still serving after all of that", async () => {
    const res = await askForHelp(await jwks.sign(channelClaims()));
    expect(res.status).toBe(200);
    expect(res.replies.length).toBeGreaterThan(0);
    const live = await fetch(endpoint.replace("/api/messages", "/api/health/live"));
    expect(live.status).toBe(200);
  });

  it("logged refusals as one JSON warning each — no raw stack, no error-level noise, no token — and reached nothing past this machine", () => {
    const lines = logLines.map((line) => JSON.parse(line) as { level: number; msg?: string; err?: unknown; source?: string });
    const refusals = lines.filter((l) => l.msg === "refused an unauthenticated activity");
    expect(refusals.length).toBeGreaterThanOrEqual(14);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ level: 40 });
      expect(refusal.err).toBeUndefined();
    }
    // What botbuilder printed while checking tokens (an expired token's stack, a bad signature) is JSON at debug level.
    expect(lines.filter((l) => l.source === "console").every((l) => l.level === 20)).toBe(true);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(logLines.join("\n")).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(network.refused).toEqual([]);
  });
});

describe("the host's own authentication, wired by hand", () => {
  const options = (overrides: Partial<HostOptions>): HostOptions => ({
    adapter: new TeamsAdapter({}),
    logic: async () => undefined,
    localOnly: false,
    allowedTenants: new Set([municipality.tenantId]),
    health: async () => ({ storage: true }),
    logger: createLogger("silent"),
    ...overrides,
  });

  async function withHost<T>(o: HostOptions, work: (url: string) => Promise<T>): Promise<T> {
    const server = createHost(o);
    const port = await listen(server, 0, "127.0.0.1");
    try {
      return await work(`http://127.0.0.1:${port}/api/messages`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
    }
  }

  it("refuses every activity in production when no authenticator is wired (fails closed)", async () => {
    await withHost(options({}), async (url) => {
      expect(await post(message("hjælp"), { url, token: await jwks.sign(channelClaims()) })).toMatchObject({ status: 401 });
    });
  });

  it("answers 503 with Retry-After when the Bot Framework's signing keys cannot be fetched", async () => {
    const broken = http.createServer((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const brokenUrl = `http://127.0.0.1:${await listen(broken, 0, "127.0.0.1")}/v1/.well-known/openidconfiguration`;
    const silent = http.createServer();
    const silentPort = await listen(silent, 0, "127.0.0.1");
    await new Promise((resolve) => silent.close(resolve));
    try {
      for (const metadataUrl of [brokenUrl, `http://127.0.0.1:${silentPort}/v1/.well-known/openidconfiguration`]) {
        const authenticate = botFrameworkAuthenticator(
          botAuthenticationOptions({
            appId: APP_ID,
            appPassword: "secret",
            appType: "SingleTenant",
            tenantId: BOT_TENANT,
            openIdMetadataUrl: metadataUrl,
            tokenIssuer: ISSUER,
          }),
        );
        await withHost(options({ authenticate }), async (url) => {
          const res = await post(message("hjælp"), { url, token: await jwks.sign(channelClaims()) });
          expect(res, metadataUrl).toMatchObject({ status: 503, body: { error: "authentication temporarily unavailable" } });
          expect(res.headers.get("retry-after")).toBe("30");
        });
      }
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it("is never built without an app id, which would make botbuilder accept any caller", () => {
    expect(() => botFrameworkAuthenticator({})).toThrow(/MicrosoftAppId/);
  });
});

describe("the bot's token settings", () => {
  const production = {
    BOT_APP_ID: APP_ID,
    BOT_APP_PASSWORD: "secret",
    BOT_TENANT_ID: BOT_TENANT,
    STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net",
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    CPR_LOOKUP_KEY: Buffer.alloc(32, 8).toString("base64"),
    ALLOWED_TENANT_IDS: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
    BOSTOTTE_API_AUDIENCE: "api://sparring-bostotte",
  };

  it("are botbuilder's public cloud when not set", () => {
    const config = loadConfig(production);
    expect(config.bot).toMatchObject({ openIdMetadataUrl: undefined, tokenIssuer: undefined });
    expect(botAuthenticationOptions(config.bot!)).toEqual({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "secret",
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppTenantId: BOT_TENANT,
    });
  });

  it("override the OpenID metadata and issuer, keeping the public cloud's other endpoints", () => {
    const config = loadConfig({
      ...production,
      BOT_OPENID_METADATA_URL: "https://login.botframework.example/v1/.well-known/openidconfiguration",
      BOT_TOKEN_ISSUER: "https://api.botframework.example",
    });
    expect(botAuthenticationOptions(config.bot!)).toMatchObject({
      MicrosoftAppId: APP_ID,
      ToBotFromChannelOpenIdMetadataUrl: "https://login.botframework.example/v1/.well-known/openidconfiguration",
      ToBotFromChannelTokenIssuer: "https://api.botframework.example",
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
    });
    const onlyIssuer = botAuthenticationOptions(loadConfig({ ...production, BOT_TOKEN_ISSUER: "https://api.botframework.example" }).bot!);
    expect(onlyIssuer.ToBotFromChannelOpenIdMetadataUrl).toBe(AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl);
  });

  it("refuse a metadata address that is not https in production", () => {
    expect(() => loadConfig({ ...production, BOT_OPENID_METADATA_URL: "http://login.botframework.example/x" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, BOT_OPENID_METADATA_URL: "not a url" })).toThrow(/BOT_OPENID_METADATA_URL must be an https/);
  });
});

import type { Server } from "node:http";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createHost, listen, RequestGate } from "../../src/teams/server.js";

const TENANT = "4d1c7a52-0f3e-4b8e-9a51-5f7f0c2b9e11";

/** A host whose turns wait until the test lets them finish. */
async function startHost(o: { storage?: boolean } = {}) {
  const gate = new RequestGate();
  const health = { storage: o.storage ?? true };
  const releases: (() => void)[] = [];
  const turnStarted: (() => void)[] = [];
  const server: Server = createHost({
    gate,
    adapter: new TeamsAdapter({}),
    logic: () =>
      new Promise<void>((resolve) => {
        releases.push(resolve);
        turnStarted.shift()?.();
      }),
    localOnly: true,
    allowedTenants: new Set([TENANT]),
    health: async () => ({ storage: health.storage }),
    logger: createLogger("silent"),
  });
  const port = await listen(server, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  hosts.push(server);
  return {
    gate,
    health,
    get: (path: string) => fetch(`${base}${path}`),
    /** Posts a message activity; resolves once its turn is running (and holds it there). */
    async startTurn(): Promise<{ answer: Promise<Response> }> {
      const running = new Promise<void>((resolve) => turnStarted.push(resolve));
      const answer = postActivity(base);
      await running;
      return { answer };
    },
    post: () => postActivity(base),
    finishTurns: () => releases.splice(0).forEach((release) => release()),
  };
}

function postActivity(base: string): Promise<Response> {
  const activity = {
    type: "message",
    id: crypto.randomUUID(),
    channelId: "msteams",
    serviceUrl: "http://127.0.0.1:9/",
    text: "hej",
    from: { id: "29:user", aadObjectId: "00000000-0000-4000-8000-000000000001" },
    recipient: { id: "28:sparring" },
    conversation: { id: "conversation", conversationType: "personal", tenantId: TENANT },
  };
  return fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
}

const hosts: Server[] = [];
afterEach(async () => {
  for (const server of hosts.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("health endpoints", () => {
  it("says live while the process runs, draining or not", async () => {
    const host = await startHost({ storage: false });
    expect((await host.get("/api/health/live")).status).toBe(200);
    await host.gate.drain(0);
    expect((await host.get("/api/health/live")).status).toBe(200);
  });

  it("says ready only while storage answers", async () => {
    const host = await startHost();
    const ready = await host.get("/api/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", storage: "reachable" });
    host.health.storage = false;
    expect((await host.get("/api/health/ready")).status).toBe(503);
  });

  it("keeps /api/health as the storage check it always was", async () => {
    const host = await startHost();
    expect(await (await host.get("/api/health")).json()).toEqual({ status: "ok", storage: "reachable" });
    await host.gate.drain(0);
    expect((await host.get("/api/health")).status).toBe(200);
    host.health.storage = false;
    const degraded = await host.get("/api/health");
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toEqual({ status: "degraded", storage: "unreachable" });
  });
});

describe("draining", () => {
  it("lets a turn in flight finish while new activities get 503 with Retry-After and readiness says 503", async () => {
    const host = await startHost();
    const inFlight = (await host.startTurn()).answer;

    const drained = host.gate.drain(5_000);
    const refused = await host.post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    const ready = await host.get("/api/health/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "draining" });

    host.finishTurns();
    expect((await inFlight).status).toBe(200);
    expect(await drained).toBe(0);
  });

  it("gives up waiting after the drain period and says how many turns were still running", async () => {
    const host = await startHost();
    const inFlight = (await host.startTurn()).answer;
    expect(await host.gate.drain(50)).toBe(1);
    host.finishTurns();
    expect((await inFlight).status).toBe(200);
  });
});

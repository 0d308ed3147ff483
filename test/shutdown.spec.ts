import { randomUUID } from "node:crypto";
import http from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startSparring } from "../src/sparring.js";
import { keys } from "../src/storage/table-layout.js";
import { TableLeases } from "../src/storage/table-leases.js";
import { openTables } from "../src/storage/table-storage.js";
import { listen } from "../src/teams/server.js";

/** How long the stub Bot Connector takes to accept a reply: the turn is in flight meanwhile. */
const CONNECTOR_DELAY_MS = 1_500;
const JOB = "publish-agendas";

/**
 * The real composition root on the shared Azurite, as `npm start` runs it, for a tenant of
 * its own (so its scheduler and outbox touch no other test's data), with a stub Bot
 * Connector on loopback that answers slowly.
 */
async function startInstance() {
  const tenantId = randomUUID();
  const dataDir = mkdtempSync(path.join(tmpdir(), "sparring-shutdown-"));
  const [municipality] = JSON.parse(readFileSync("config/municipalities.json", "utf8")) as Record<string, unknown>[];
  const municipalitiesFile = path.join(dataDir, "municipalities.json");
  writeFileSync(municipalitiesFile, JSON.stringify([{ ...municipality, tenantId }]));

  const connectorCalls: string[] = [];
  const connector = http.createServer((req, res) => {
    connectorCalls.push(req.url ?? "");
    req.resume();
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `activity-${connectorCalls.length}` }));
    }, CONNECTOR_DELAY_MS);
  });
  const connectorPort = await listen(connector, 0, "127.0.0.1");
  stubs.push(connector);

  const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", MUNICIPALITIES_FILE: municipalitiesFile, LOG_LEVEL: "silent" });
  const running = await startSparring(config, createLogger("silent"), inject("azuriteConnectionString"));
  const base = `http://127.0.0.1:${running.port}`;
  const caseworker = (municipality!["roles"] as { caseworkers: string[] }).caseworkers[0]!;
  const say = (text: string, conversationId: string) =>
    fetch(`${base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "message",
        id: randomUUID(),
        channelId: "msteams",
        serviceUrl: `http://127.0.0.1:${connectorPort}/`,
        text,
        from: { id: `29:${caseworker}`, aadObjectId: caseworker, name: "Mette Holm" },
        recipient: { id: "28:sparring", name: "Sparring" },
        conversation: { id: conversationId, conversationType: "personal", tenantId },
        channelData: { tenant: { id: tenantId } },
      }),
    });
  return { running, base, say, connectorCalls, get: (p: string) => fetch(`${base}${p}`) };
}

const stubs: http.Server[] = [];
afterAll(async () => {
  for (const stub of stubs) {
    stub.closeAllConnections();
    await new Promise((resolve) => stub.close(resolve));
  }
});

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("graceful shutdown (startSparring on Azurite)", () => {
  it("finishes the turn in flight while new activities get 503 and readiness says 503, then closes", async () => {
    const instance = await startInstance();
    expect((await instance.get("/api/health/ready")).status).toBe(200);

    const inFlight = instance.say("hej", "conversation-in-flight");
    await until(() => instance.connectorCalls.length > 0, "the turn to reach the Bot Connector");
    const stopped = instance.running.stop();

    const refused = await instance.say("hej", "conversation-refused");
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await instance.get("/api/health/ready")).status).toBe(503);
    expect((await instance.get("/api/health/live")).status).toBe(200);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // The turn's replies went out during the drain; the refused activity had no turn.
    expect(instance.connectorCalls.every((url) => url.includes("conversation-in-flight"))).toBe(true);
    await stopped;
    await expect(instance.get("/api/health/live")).rejects.toThrow();
  });

  it("gives its scheduled jobs' leases back, so another instance takes them at once", async () => {
    const tables = await openTables(inject("azuriteConnectionString"));
    const leaseHolder = async () => {
      try {
        return (await tables.leases.getEntity<{ holder: string; leaseUntil: string }>(keys.leasePartition, JOB)).holder;
      } catch {
        return undefined;
      }
    };
    const instance = await startInstance();
    // This process's instance holds the job (holder: host-pid-random).
    await until(async () => (await leaseHolder())?.includes(`-${process.pid}-`) ?? false, "the instance to take its job lease");

    await instance.running.stop();

    const other = new TableLeases(tables.leases);
    expect(await other.tryAcquire(JOB, "another-instance", new Date(), 60_000)).toBe(true);
    await other.release(JOB, "another-instance");
  });
});

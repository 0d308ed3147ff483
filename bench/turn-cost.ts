/**
 * `npm run bench`: what one turn of Sparring costs, as a ratio to the framework's floor —
 * an echo bot on the same TeamsAdapter, HTTP host and Table Storage (one point read per
 * turn) — measured side by side in one run. Not a test: nothing fails when the machine is slow.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Application, TeamsAdapter, TurnState } from "@microsoft/teams-ai";
import { startAzurite } from "../src/dev/azurite.js";
import { createLogger } from "../src/logger.js";
import { wireSparring } from "../src/sparring.js";
import { openTables } from "../src/storage/table-storage.js";
import { createBot } from "../src/teams/app.js";
import { createHost, listen } from "../src/teams/server.js";
import { VERBS } from "../src/teams/verbs.js";
import { CASEWORKER, fakeCprForAge, testMunicipality, validDraft } from "../test/support/fixtures.js";

const turnsArg = process.argv.indexOf("--turns");
const TURNS = turnsArg >= 0 ? Number(process.argv[turnsArg + 1]) : 300;
const WARMUP = 30;
const BATCH = 25;

const azurite = await startAzurite({});
const tables = await openTables(azurite.connectionString);
const municipality = testMunicipality();
const logger = createLogger("silent");

// A Bot Connector stand-in on loopback that accepts every reply.
const connector = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: randomUUID() }));
  });
});
const serviceUrl = `http://127.0.0.1:${await listen(connector, 0, "127.0.0.1")}/`;

async function host(app: Application<TurnState>, adapter: TeamsAdapter): Promise<{ url: string; server: http.Server }> {
  const server = createHost({
    adapter,
    logic: (ctx) => app.run(ctx).then(() => undefined),
    localOnly: true,
    allowedTenants: new Set([municipality.tenantId]),
    health: async () => ({ storage: true }),
    logger,
  });
  return { url: `http://127.0.0.1:${await listen(server, 0, "127.0.0.1")}/api/messages`, server };
}

// The floor: same adapter, same host, one storage round trip, a reply.
const echoAdapter = new TeamsAdapter({});
const echo = new Application<TurnState>({ adapter: echoAdapter, removeRecipientMention: true, startTypingTimer: false });
await tables.addresses.upsertEntity({ partitionKey: "bench", rowKey: "echo", value: 1 });
echo.message(/.*/, async (ctx) => {
  await tables.addresses.getEntity("bench", "echo");
  await ctx.sendActivity(ctx.activity.text ?? "");
});
echo.adaptiveCards.actionExecute(VERBS.submitCase, async () => {
  await tables.addresses.getEntity("bench", "echo");
  return { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "ok" }] } as never;
});
const floor = await host(echo, echoAdapter);

const realAdapter = new TeamsAdapter({});
const { deps } = wireSparring({
  tables,
  adapter: realAdapter,
  encryptionKey: Buffer.alloc(32, 1),
  timeZone: "Europe/Copenhagen",
  municipalities: new Map([[municipality.tenantId, municipality]]),
  logger,
  clock: { now: () => new Date() },
});
const real = await host(createBot(deps), realAdapter);

const base = () => ({
  id: randomUUID(),
  channelId: "msteams",
  serviceUrl,
  from: { id: "29:bench", aadObjectId: CASEWORKER.aadObjectId, name: CASEWORKER.name },
  recipient: { id: "28:sparring", name: "Sparring" },
  conversation: { id: "bench-personal", conversationType: "personal", tenantId: municipality.tenantId },
  channelData: { tenant: { id: municipality.tenantId } },
});
const message = (text: string) => ({ ...base(), type: "message", text });
const submit = (valid: boolean) => {
  const d = validDraft({ cpr: valid ? fakeCprForAge(40) : "310299-1234" });
  return {
    ...base(),
    type: "invoke",
    name: "adaptiveCard/action",
    value: { action: { type: "Action.Execute", verb: VERBS.submitCase, data: { submissionId: randomUUID(), ...d, acute: "false" } } },
  };
};

const workloads: { name: string; activity: () => unknown }[] = [
  { name: "mine sager (20 cases)", activity: () => message("mine sager") },
  { name: "hej (help + form)", activity: () => message("hej") },
  { name: "submit, invalid form", activity: () => submit(false) },
  { name: "submit, new case", activity: () => submit(true) },
];

async function turn(url: string, activity: unknown): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`turn failed with HTTP ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

// Seed twenty cases so "mine sager" reads a realistic list.
for (let i = 0; i < 20; i++) await turn(real.url, submit(true));

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const results = [];
for (const w of workloads) {
  for (let i = 0; i < WARMUP; i++) {
    await turn(floor.url, w.activity());
    await turn(real.url, w.activity());
  }
  const times = { floor: [] as number[], real: [] as number[] };
  const cpu = { floor: 0, real: 0 };
  // Interleaved batches, so machine noise hits both sides alike.
  for (let done = 0; done < TURNS; done += BATCH) {
    for (const side of ["floor", "real"] as const) {
      const url = side === "floor" ? floor.url : real.url;
      const before = process.cpuUsage();
      for (let i = 0; i < Math.min(BATCH, TURNS - done); i++) times[side].push(await turn(url, w.activity()));
      const used = process.cpuUsage(before);
      cpu[side] += used.user + used.system;
    }
  }
  results.push({
    workload: w.name,
    floorMedianMs: quantile(times.floor, 0.5),
    floorP95Ms: quantile(times.floor, 0.95),
    realMedianMs: quantile(times.real, 0.5),
    realP95Ms: quantile(times.real, 0.95),
    ratio: quantile(times.real, 0.5) / quantile(times.floor, 0.5),
    floorCpuUsPerTurn: cpu.floor / TURNS,
    realCpuUsPerTurn: cpu.real / TURNS,
  });
}

const fmt = (n: number) => n.toFixed(2).padStart(8);
console.log(`\nSparring turn cost vs. the echo-bot floor (same adapter, host and Azurite), ${TURNS} turns each, interleaved\n`);
console.log("workload                  floor p50  floor p95   real p50   real p95   ratio  cpu µs/turn floor→real");
for (const r of results) {
  console.log(
    `${r.workload.padEnd(24)} ${fmt(r.floorMedianMs)}ms ${fmt(r.floorP95Ms)}ms ${fmt(r.realMedianMs)}ms ${fmt(r.realP95Ms)}ms ${r.ratio.toFixed(2).padStart(6)}x  ${Math.round(r.floorCpuUsPerTurn)} → ${Math.round(r.realCpuUsPerTurn)}`,
  );
}
const out = path.resolve("bench/results/latest.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), turns: TURNS, node: process.version, results }, null, 2));
console.log(`\nWritten to ${path.relative(process.cwd(), out)}`);

await new Promise((r) => floor.server.close(r));
await new Promise((r) => real.server.close(r));
floor.server.closeAllConnections();
real.server.closeAllConnections();
connector.closeAllConnections();
await new Promise((r) => connector.close(r));
await azurite.stop();

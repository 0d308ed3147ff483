/**
 * `npm run test:load [-- --seconds 60]` and `npm run test:faults [-- --seconds 60]`.
 *
 * The real bot as its own process (`src/main.ts` over Azurite, local mode: loopback only,
 * no Bot Framework token), a stub Bot Connector and a stub Entra ID key endpoint on
 * 127.0.0.1, and 200 simulated caseworkers, 10 coordinators and 5 social caseworkers
 * for a minute. Afterwards the invariants are checked against what is stored, what the
 * stub connector received and what the users were told. Exits 1 when an invariant broke
 * (never for timing). See test/load/README.md.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { freePort } from "../../src/dev/azurite.js";
import { createLogger } from "../../src/logger.js";
import { createDispatcher, wireSparring } from "../../src/sparring.js";
import { openTables } from "../../src/storage/table-storage.js";
import { LEASE_MS } from "../../src/teams/outbox-dispatcher.js";
import { startJwksStub, v2Claims } from "../support/jwks-stub.js";
import {
  ACUTE_REASON,
  caseworker,
  coordinator,
  HEALTH,
  newRecords,
  pendingOf,
  QUESTIONS,
  sendBostotte,
  SOCIAL,
  socialCaseworker,
  submit,
  type World,
} from "./agents.js";
import {
  bostotteRecorded,
  casesStoredOnce,
  clearAnswers,
  logWithoutPersonalData,
  meetingsWithinCapacity,
  oneDecisionPerCase,
  outboxDeliveredOnce,
  pendingPointers,
  readStorage,
  type Check,
} from "./checks.js";
import { TeamsClient } from "./client.js";
import { startConnectorStub, type ConnectorStub } from "./connector-stub.js";
import { BOSTOTTE_AUDIENCE, CASE_SYSTEM_APP_ID, loadMunicipality, loadPeople, writeMunicipalitiesFile } from "./municipality.js";
import { buildBot } from "./build-bot.js";
import { AzuriteProcess, BotProcess, frameworkFloorKb } from "./processes.js";
import { printReport } from "./report.js";

type Mode = "load" | "faults";

export interface Options {
  seconds: number;
  caseworkers: number;
  coordinators: number;
  social: number;
  /** Mean think time between two actions of one user, seconds, per role. */
  thinkCaseworker: number;
  thinkCoordinator: number;
  thinkSocial: number;
  /** At most this many seconds for the bot to send what its outbox holds after the load. */
  drain: number;
  /** Keep the temporary directory (bot log, Azurite data) even when every invariant held. */
  keep: boolean;
  /** NODE_OPTIONS for the bot process, e.g. "--max-old-space-size=128" to try a memory limit. */
  nodeOptions: string;
}

const USAGE =
  "Usage: npm run test:load -- [--seconds 60] [--caseworkers 200] [--coordinators 10] [--social 5] " +
  "[--think-caseworker 30] [--think-coordinator 4] [--think-social 6] [--drain 90] [--keep] [--node-options '--max-old-space-size=128']";

function parseOptions(argv: string[]): { mode: Mode; options: Options } {
  const [mode, ...rest] = argv;
  if (mode !== "load" && mode !== "faults") throw new Error(`The first argument is load or faults. ${USAGE}`);
  const options: Options = {
    seconds: 60,
    caseworkers: 200,
    coordinators: 10,
    social: 5,
    thinkCaseworker: 30,
    thinkCoordinator: 4,
    thinkSocial: 6,
    drain: 90,
    keep: false,
    nodeOptions: "",
  };
  for (let i = 0; i < rest.length; i++) {
    const at = rest[i]!.indexOf("=");
    const [flag, inline] = at < 0 ? [rest[i]!, undefined] : [rest[i]!.slice(0, at), rest[i]!.slice(at + 1)];
    const key = flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!flag.startsWith("--") || !(key in options)) throw new Error(`Unknown option ${flag}. ${USAGE}`);
    if (key === "keep") {
      options.keep = true;
      continue;
    }
    if (key === "nodeOptions") {
      options.nodeOptions = inline ?? rest[++i] ?? "";
      continue;
    }
    const value = Number(inline ?? rest[++i]);
    if (!Number.isFinite(value) || value < (key === "coordinators" || key === "social" ? 0 : 1) || value > 10_000)
      throw new Error(`${flag} needs a number. ${USAGE}`);
    options[key] = value;
  }
  return { mode, options };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  const { mode, options } = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), `sparring-${mode}-`));
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  process.once("SIGINT", () => void closeAll().then(() => process.exit(130)));

  try {
    console.log(
      `Sparring ${mode} test: ${options.caseworkers} caseworkers, ${options.coordinators} coordinators, ` +
        `${options.social} social caseworkers for ${options.seconds} s (logs and data in ${dir})`,
    );
    const azurite = await AzuriteProcess.start(path.join(dir, "azurite"));
    closers.push(() => azurite.stop());
    const jwks = await startJwksStub();
    closers.push(() => jwks.close());

    const people = loadPeople({ caseworkers: options.caseworkers, coordinators: options.coordinators, socialCaseworkers: options.social });
    const municipality = loadMunicipality(people);
    const names = new Map(Object.entries(municipality.directory));
    const municipalitiesFile = path.join(dir, "municipalities.json");
    writeMunicipalitiesFile(municipalitiesFile, municipality);

    const bot = new BotProcess({
      entry: buildBot(),
      port: await freePort(),
      logFile: path.join(dir, "bot.log"),
      env: {
        STORAGE_CONNECTION_STRING: azurite.connectionString,
        MUNICIPALITIES_FILE: municipalitiesFile,
        DATA_DIR: path.join(dir, "data"),
        DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        CPR_LOOKUP_KEY: randomBytes(32).toString("base64"),
        ENTRA_JWKS_URL: jwks.jwksUrl,
        BOSTOTTE_API_AUDIENCE: BOSTOTTE_AUDIENCE,
        ROLE_DIRECTORY: "config",
        LOG_LEVEL: "warn",
        TIME_ZONE: "Europe/Copenhagen",
        ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
      },
    });
    // The client reads replies through the stub, and the stub asks the client which replies are in-turn.
    const wiring: { stub?: ConnectorStub } = {};
    const client = new TeamsClient({ botUrl: () => bot.url, tenantId: municipality.tenantId, stub: () => wiring.stub! });
    const stub = await startConnectorStub({ isTurnReply: (id) => client.isTurnReply(id), memberName: (id) => names.get(id) ?? "Ukendt" });
    wiring.stub = stub;
    closers.push(() => stub.close());
    mkdirSync(path.join(dir, "data"), { recursive: true });
    await bot.start();
    closers.push(() => bot.stop());

    // Set-up, as an administrator and the users would: the forums' channels, and each personal chat.
    const channels = {
      unge: { id: "19:load-unge@thread.tacv2", name: "Sparring unge" },
      voksne: { id: "19:load-voksne@thread.tacv2", name: "Sparring voksne" },
    };
    for (const [forumId, channel] of Object.entries(channels)) {
      const bound = await client.say("tilknyt forum", people.administrator, `tilknyt forum ${forumId}`, channel);
      if (!bound.ok) throw new Error(`could not bind the ${forumId} channel: ${bound.detail}`);
    }
    const everyone = [...people.caseworkers, ...people.coordinators.map((c) => c.user), ...people.socialCaseworkers];
    for (let i = 0; i < everyone.length; i += 10) await Promise.all(everyone.slice(i, i + 10).map((user) => client.install(user)));

    let token: Promise<string> | undefined;
    const records = newRecords();
    const startedAt = Date.now();
    const cpuAtStart = { bot: bot.cpuSeconds(), azurite: azurite.cpuSeconds() };
    const world: World = {
      client,
      stub: () => stub,
      people,
      municipality,
      channels,
      endAt: startedAt + options.seconds * 1000,
      random: Math.random,
      think: {
        caseworker: options.thinkCaseworker * 1000,
        coordinator: options.thinkCoordinator * 1000,
        social: options.thinkSocial * 1000,
      },
      records,
      bostotteToken: () =>
        (token ??= jwks.sign(v2Claims({ tenantId: municipality.tenantId, callerAppId: CASE_SYSTEM_APP_ID, audience: BOSTOTTE_AUDIENCE }))),
      botUrl: () => bot.url,
      elapsed: () => Date.now() - startedAt,
      botDown: [],
    };

    // The load, and in the fault test the faults on a timeline.
    const timeline: string[] = [];
    const users = [
      ...people.caseworkers.map((u) => caseworker(world, u)),
      ...people.coordinators.map((c) => coordinator(world, c.user, c.forumId)),
      ...people.socialCaseworkers.map((u) => socialCaseworker(world, u)),
    ];
    const faults = mode === "faults" ? runFaults(world, options.seconds * 1000, { azurite, bot, stub, timeline }) : Promise.resolve();
    await Promise.all([...users, faults]);
    const loadMs = Date.now() - startedAt;
    const cpu = { bot: bot.cpuSeconds() - cpuAtStart.bot, azurite: azurite.cpuSeconds() - cpuAtStart.azurite };

    // Users whose last press got no answer press again (the same form, the same event), now that everything runs.
    const settleUntil = Date.now() + 30_000;
    for (;;) {
      const waiting = [...records.submissions.values()].filter((s) => s.state === "pending" && s.attempts < 12);
      const events = [...records.bostotte.values()].filter((e) => e.decisionId === undefined && e.answers.length < 12);
      if ((waiting.length === 0 && events.length === 0) || Date.now() > settleUntil) break;
      await Promise.all([
        ...people.caseworkers.map(async (user) => {
          const s = pendingOf(world, user, 0);
          if (s) await submit(world, s, "submit again");
        }),
        ...events.map((e) => sendBostotte(world, e)),
      ]);
      await sleep(1_000);
    }

    // The outbox: the bot sends what it holds. What a killed instance had claimed waits for its lease.
    const drained = await drain(azurite.connectionString, municipality.tenantId, options.drain * 1000);
    timeline.push(
      `${fmt(Date.now() - startedAt)} outbox: ${drained.waiting} message(s) still waiting after ${fmt(drained.ms)} of draining`,
    );
    const peakKb = bot.samplePeak();
    await bot.stop();
    let fastForwarded = 0;
    if (drained.waiting > 0) {
      fastForwarded = await fastForward(world, azurite.connectionString, {
        encryptionKey: Buffer.from(bot.env("DATA_ENCRYPTION_KEY"), "base64"),
        cprLookupKey: Buffer.from(bot.env("CPR_LOOKUP_KEY"), "base64"),
      });
      timeline.push(`outbox: ${fastForwarded} message(s) sent by one more dispatcher with its clock ${fmt(FAST_FORWARD_MS)} ahead`);
    }

    const floorKb = await frameworkFloorKb();
    const stored = await readStorage(azurite.connectionString, municipality.tenantId);
    const checks: Check[] = [
      casesStoredOnce(stored, records, municipality),
      meetingsWithinCapacity(stored, municipality),
      oneDecisionPerCase(stored, records),
      outboxDeliveredOnce(stored, stub.requests, { faults: mode === "faults" }),
      bostotteRecorded(stored, records, municipality.tenantId),
      clearAnswers(records, { faults: mode === "faults" }),
      logWithoutPersonalData(readFileSync(path.join(dir, "bot.log"), "utf8"), records, [...HEALTH, ...SOCIAL, ...QUESTIONS, ACUTE_REASON]),
    ];
    if (mode === "load" && drained.waiting > 0)
      checks[3]!.violations.push(`${drained.waiting} message(s) were still waiting ${fmt(drained.ms)} after the load, with nothing down`);
    const broken = printReport({ mode, options, loadMs, cpu, world, stub, peakKb, floorKb, timeline, checks, bot, fastForwarded });
    if (broken === 0 && !options.keep) closers.unshift(async () => rmSync(dir, { recursive: true, force: true }));
    else console.log(`Bot log, Azurite data and settings kept in ${dir}`);
    return broken === 0 ? 0 : 1;
  } finally {
    await closeAll();
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The faults, at fixed points of the load: bursts of 429 (Retry-After in seconds, then as
 * an HTTP date) and 503 from the connector; Azurite stopped for 10 s and started again on
 * its data; the bot killed (SIGKILL) once and started again.
 */
async function runFaults(
  w: World,
  totalMs: number,
  o: { azurite: AzuriteProcess; bot: BotProcess; stub: ConnectorStub; timeline: string[] },
): Promise<void> {
  const at = async (fraction: number) => {
    const wait = w.endAt - totalMs + fraction * totalMs - Date.now();
    if (wait > 0) await sleep(wait);
  };
  const note = (what: string) => o.timeline.push(`${fmt(w.elapsed())} ${what}`);
  await at(0.15);
  o.stub.refuseFor("429-seconds", 3_000);
  note("connector: 429 with Retry-After: 2 for 3 s");
  await at(0.25);
  await o.azurite.stop();
  note("Azurite stopped");
  await sleep(10_000);
  await o.azurite.restart();
  note("Azurite started again on the same data (10 s down)");
  await at(0.5);
  o.stub.refuseFor("503", 3_000);
  note("connector: 503 for 3 s");
  await at(0.6);
  o.stub.refuseFor("429-date", 3_000);
  note("connector: 429 with Retry-After as an HTTP date 3 s ahead, for 3 s");
  await at(0.7);
  const down: { from: number; to?: number } = { from: Date.now() };
  w.botDown.push(down);
  await o.bot.kill();
  note("bot killed (SIGKILL)");
  await o.bot.start();
  down.to = Date.now();
  note(`bot started again and ready (${fmt(down.to - down.from)} down)`);
  await at(0.85);
  o.stub.refuseFor("429-seconds", 2_000);
  note("connector: 429 with Retry-After: 2 for 2 s");
}

/**
 * Waits until the outbox holds no message the bot can send now: none waiting, or only
 * messages leased (by a killed process) or delayed by back-off beyond the wait. Pointers
 * whose message never committed (a press that lost a race, a form with no free meeting)
 * are the dispatcher's to drop after their grace period; they are not waited for.
 */
async function drain(connectionString: string, tenantId: string, maxMs: number): Promise<{ waiting: number; ms: number }> {
  const started = Date.now();
  let waiting = 0;
  let stableSince = Date.now();
  let last = -1;
  while (Date.now() - started < maxMs) {
    const stored = await readStorage(connectionString, tenantId);
    const pendingRows = new Set(
      stored.cases.filter((r) => r.rowKey.startsWith("outbox|") && r["state"] === "pending").map((r) => `${r.partitionKey}/${r.rowKey}`),
    );
    const pointers = pendingPointers(stored).filter((p) => pendingRows.has(`${p["sourcePk"]}/${p["sourceRk"]}`));
    waiting = pointers.length;
    if (waiting === 0) break;
    const now = new Date().toISOString();
    const sendable = pointers.filter((p) => String(p["dueAt"]) <= now && String(p["leaseUntil"] ?? "") < now).length;
    if (waiting !== last) {
      last = waiting;
      stableSince = Date.now();
    }
    // Nothing the bot could take now, and nothing moved for a while: the rest waits for leases or back-off.
    if (sendable === 0 && Date.now() - stableSince > 8_000) break;
    await sleep(1_000);
  }
  return { waiting, ms: Date.now() - started };
}

/** Past every lease (5 min) and the longest back-off (10 min). */
const FAST_FORWARD_MS = LEASE_MS + 10 * 60_000 + 60_000;

/**
 * Sends what a killed instance had claimed, or what waits for a long back-off, now: one
 * more dispatcher — as a second instance would run it — whose clock is ahead by more than
 * the lease and the longest back-off.
 */
async function fastForward(w: World, connectionString: string, keys: { encryptionKey: Buffer; cprLookupKey: Buffer }): Promise<number> {
  const tables = await openTables(connectionString);
  const { deps, outbox } = wireSparring({
    tables,
    adapter: new TeamsAdapter({}),
    ...keys,
    timeZone: "Europe/Copenhagen",
    municipalities: new Map([[w.municipality.tenantId, w.municipality]]),
    logger: createLogger("silent"),
    clock: { now: () => new Date(Date.now() + FAST_FORWARD_MS) },
  });
  const dispatcher = createDispatcher(deps, outbox, "");
  let sent = 0;
  for (let run = 0; run < 30; run++) {
    const report = await dispatcher.runOnce();
    sent += report.sent;
    if (report.sent + report.retried + report.dropped + report.failed === 0) break;
  }
  return sent;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);

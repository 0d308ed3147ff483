/**
 * `npm run bench [-- --turns 300 --warmup 200 --batch 10 --only text]`
 *
 * What one Sparring turn costs, as a ratio to the framework's floor: an echo bot on the
 * same TeamsAdapter, the same HTTP host (`createHost`) and the same Azurite, paying one
 * Table Storage point read per turn. Both run in this process, side by side, in one run,
 * in interleaved batches so machine noise hits both alike. A measurement, not a test:
 * nothing here fails because the machine is slow. It does stop with an error when a turn
 * does not do what the workload says (a wrong card measures the wrong thing).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { TableClient } from "@azure/data-tables";
import { Application, TeamsAdapter, TurnState } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { startAzurite, type RunningAzurite } from "../src/dev/azurite.js";
import { parseMeetingKey } from "../src/domain/booking.js";
import { raiseCase } from "../src/domain/raise-case.js";
import { createLogger } from "../src/logger.js";
import { wireSparring } from "../src/sparring.js";
import { FieldCipher } from "../src/storage/field-cipher.js";
import { openTables } from "../src/storage/table-storage.js";
import type { BotDeps } from "../src/teams/bot-deps.js";
import type { OverviewEvent } from "../src/domain/overview-events.js";
import { createBot } from "../src/teams/app.js";
import { TEXT } from "../src/teams/messages.js";
import { createHost, listen } from "../src/teams/server.js";
import { VERBS } from "../src/teams/verbs.js";
import { CASEWORKER, COORDINATOR, fakeCprForAge, testMunicipality, validDraft } from "../test/support/fixtures.js";

// ---------------------------------------------------------------------------------------
// Options

interface Options {
  turns: number;
  warmup: number;
  batch: number;
  /** Only the workloads whose name contains this text (e.g. to profile one of them). */
  only: string;
}

const USAGE = "Usage: npm run bench -- [--turns 300] [--warmup 200] [--batch 10] [--only text]";

function parseOptions(argv: string[]): Options {
  const options: Options = { turns: 300, warmup: 200, batch: 10, only: "" };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const key = flag.replace(/^--/, "");
    if (!(key in options) || !flag.startsWith("--")) throw new Error(`Unknown option ${flag}. ${USAGE}`);
    const raw = inline ?? argv[++i];
    if (key === "only") {
      options.only = raw ?? "";
      continue;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (key === "warmup" ? 0 : 1) || value > 100_000) {
      throw new Error(`--${key} needs a whole number, got ${raw ?? "nothing"}`);
    }
    options[key as "turns" | "warmup" | "batch"] = value;
  }
  return options;
}

// ---------------------------------------------------------------------------------------
// Storage round trips, seen by a policy at the wire end of each Azure SDK pipeline (after
// signing): how many a turn made, and how long at least one was open (overlaps once).

interface TurnProbe {
  storageCalls: number;
  storageIntervals: [number, number][];
  decryptions: number;
}

let probe: TurnProbe | undefined;

/** Counts field decryptions per turn: a list that shows no case text should decrypt none of it. */
function watchDecryption(): void {
  const decrypt = FieldCipher.prototype.decrypt;
  FieldCipher.prototype.decrypt = function (this: FieldCipher, sealed: string, context: string) {
    if (probe) probe.decryptions++;
    return decrypt.call(this, sealed, context);
  };
}

function watchStorage(client: TableClient): void {
  client.pipeline.addPolicy(
    {
      name: "bench-storage-probe",
      async sendRequest(request, next) {
        const turn = probe;
        const interval: [number, number] = [performance.now(), Number.NaN];
        if (turn) {
          turn.storageCalls++;
          turn.storageIntervals.push(interval);
        }
        try {
          return await next(request);
        } finally {
          interval[1] = performance.now();
        }
      },
    },
    { afterPhase: "Sign" },
  );
}

function busyMs(intervals: [number, number][]): number {
  const done = intervals.filter(([, end]) => Number.isFinite(end)).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [Number.NaN, Number.NaN];
  for (const [start, end] of done) {
    if (Number.isNaN(from) || start > to) {
      if (!Number.isNaN(from)) total += to - from;
      [from, to] = [start, end];
    } else if (end > to) {
      to = end;
    }
  }
  return Number.isNaN(from) ? total : total + (to - from);
}

/** CPU of the Azurite child (Linux /proc; clock ticks, so only meaningful summed over many turns). */
function azuriteCpu(): () => number | undefined {
  const tick = 1e6 / 100; // µs per USER_HZ tick; 100 on every mainstream Linux build
  let pid: string | undefined;
  try {
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      for (const child of readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/)) {
        if (child && readFileSync(`/proc/${child}/cmdline`, "utf8").includes("azurite")) pid = child;
      }
    }
  } catch {
    pid = undefined;
  }
  return () => {
    if (!pid) return undefined;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) * tick; // utime + stime
    } catch {
      return undefined;
    }
  };
}

// ---------------------------------------------------------------------------------------
// The stub Bot Connector: every reply the bots send lands here, inside the turn.

function startConnector() {
  const seen = { requests: 0, lastBody: "" };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.requests++;
      seen.lastBody = Buffer.concat(chunks).toString("utf8");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `stub-${seen.requests}` }));
    });
  });
  return { server, seen };
}

// ---------------------------------------------------------------------------------------
// The two bots

type Side = "floor" | "bot";

const TINY_CARD = { type: "AdaptiveCard" as const, version: "1.5", body: [{ type: "TextBlock", text: "Modtaget" }] };
const FLOOR_TABLE = "benchfloor";

function echoApp(adapter: TeamsAdapter, table: TableClient): Application<TurnState> {
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const oneRead = () => table.getEntity(FLOOR_TABLE, "row");
  app.activity("message", async (ctx: TurnContext) => {
    await oneRead();
    await ctx.sendActivity(ctx.activity.text ?? "");
  });
  app.adaptiveCards.actionExecute(VERBS.submitCase, async () => {
    await oneRead();
    return TINY_CARD;
  });
  return app;
}

async function hostOn(app: Application<TurnState>, adapter: TeamsAdapter, tenantId: string) {
  const server = createHost({
    adapter,
    logic: (ctx) => app.run(ctx).then(() => undefined),
    localOnly: true,
    allowedTenants: new Set([tenantId]),
    health: async () => ({ storage: true }),
    logger: createLogger("silent"),
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { server, url: `http://127.0.0.1:${port}/api/messages` };
}

// ---------------------------------------------------------------------------------------
// Workloads

interface TurnResult {
  status: number;
  body: string;
  replies: number;
  lastReply: string;
}

interface Workload {
  name: string;
  activity: () => Record<string, unknown>;
  /** Throws when the turn did not do what the workload is about. Runs outside the timing. */
  check: Record<Side, (turn: TurnResult) => void>;
  /** Undoes the turn's lasting effect so every turn sees the same data. Outside the timing. */
  reset?: (turn: TurnResult) => Promise<void>;
}

function ensure(condition: boolean, what: string, turn: TurnResult): void {
  if (!condition)
    throw new Error(`${what} (HTTP ${turn.status}, body ${turn.body.slice(0, 300)}, last reply ${turn.lastReply.slice(0, 300)})`);
}

function cardOf(turn: TurnResult): string {
  const parsed = JSON.parse(turn.body) as { type?: string; value?: unknown };
  ensure(parsed.type === "application/vnd.microsoft.card.adaptive", "the invoke was not answered with a card", turn);
  return JSON.stringify(parsed.value);
}

const SEEDED_CASES = 20;

/** The youth forum's channel in the bench tenant; a coordinator asks it for the agenda. */
const FORUM_CHANNEL = "19:bench-unge@thread.tacv2";

function workloads(o: { serviceUrl: string; tenantId: string; deps: BotDeps }): Workload[] {
  const activityBase = () => ({
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: o.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${CASEWORKER.aadObjectId}`, aadObjectId: CASEWORKER.aadObjectId, name: CASEWORKER.name },
    recipient: { id: "28:sparring", name: "Sparring" },
    conversation: { id: "bench-personal-chat", conversationType: "personal", tenantId: o.tenantId },
    channelData: { tenant: { id: o.tenantId } },
  });
  const message = (text: string) => () => ({ ...activityBase(), type: "message", text });
  const channelMessage = (text: string) => () => ({
    ...activityBase(),
    from: { id: `29:${COORDINATOR.aadObjectId}`, aadObjectId: COORDINATOR.aadObjectId, name: COORDINATOR.name },
    conversation: { id: FORUM_CHANNEL, conversationType: "channel", tenantId: o.tenantId },
    channelData: { tenant: { id: o.tenantId }, channel: { id: FORUM_CHANNEL, name: "Sparring unge" }, team: { id: "bench-team" } },
    type: "message",
    text,
  });
  const submit = (fields: Record<string, string>) => () => ({
    ...activityBase(),
    type: "invoke",
    name: "adaptiveCard/action",
    value: { action: { type: "Action.Execute", verb: VERBS.submitCase, data: { submissionId: randomUUID(), ...fields } } },
  });
  const formFields = (overrides: Record<string, string> = {}) => {
    const d = validDraft({ cpr: fakeCprForAge(40) });
    return {
      cpr: d.cpr,
      health: d.health,
      social: d.social,
      question: d.question,
      department: d.department,
      acute: "false",
      acuteReason: "",
      ...overrides,
    };
  };
  const echoedMessage = (turn: TurnResult) => {
    ensure(turn.status === 200 && turn.replies === 1, "the echo bot did not reply once", turn);
  };
  const tinyCard = (turn: TurnResult) => {
    ensure(turn.status === 200 && cardOf(turn).includes("Modtaget") && turn.replies === 0, "the echo bot did not answer the invoke", turn);
  };

  /** Every new case must land in the same meeting slot, or later turns would do other work. */
  let placement: string | undefined;
  return [
    {
      name: "mine sager (20 cases)",
      activity: message("mine sager"),
      check: {
        floor: echoedMessage,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies === 1, "mine sager did not reply once", turn);
          const references = turn.lastReply.match(/SP-\d{4}/g) ?? [];
          ensure(new Set(references).size === SEEDED_CASES, `mine sager did not list ${SEEDED_CASES} cases`, turn);
        },
      },
    },
    {
      name: "dagsorden (full meeting)",
      activity: channelMessage("dagsorden"),
      check: {
        floor: echoedMessage,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies >= 1, "dagsorden did not reply", turn);
          const references = turn.lastReply.match(/SP-\d{4}/g) ?? [];
          ensure(new Set(references).size === 6, "the agenda did not list the full meeting's 6 cases", turn);
        },
      },
    },
    {
      name: "hej (help + form)",
      activity: message("hej"),
      check: {
        floor: echoedMessage,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies === 2, "hej did not send two cards", turn);
          ensure(turn.lastReply.includes(VERBS.submitCase), "the second card is not the form", turn);
        },
      },
    },
    {
      name: "submit: new case",
      activity: submit(formFields()),
      check: {
        floor: tinyCard,
        bot: (turn) => {
          const card = cardOf(turn);
          ensure(/SP-\d{4}/.test(card) && !card.includes(TEXT.noFreeMeeting.slice(0, 30)), "no case was raised", turn);
        },
      },
      reset: async (turn) => {
        // Give the slot back, so the next turn books into the same meeting instead of
        // walking further and further down a filling calendar.
        const caseNo = Number(/SP-(\d{4})/.exec(cardOf(turn))![1]);
        const record = await o.deps.cases.get(o.tenantId, caseNo);
        const meeting = record?.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
        ensure(record?.state === "booked" && meeting !== undefined && record.slot !== undefined, "the new case was not booked", turn);
        const where = `${record!.meetingKey}#${record!.slot}`;
        placement ??= where;
        ensure(where === placement, `the new case moved from ${placement} to ${where}`, turn);
        await o.deps.meetings.releaseSlot(o.tenantId, meeting!, record!.slot!, caseNo);
      },
    },
    {
      // The managers' overview of a year (SPEC §8): 10,000 cases raised and decided, read by period.
      name: "overblik (year, 10,000 cases)",
      activity: () => ({
        ...message("overblik 365")(),
        from: { id: `29:${BENCH_MANAGER.aadObjectId}`, aadObjectId: BENCH_MANAGER.aadObjectId, name: BENCH_MANAGER.name },
        conversation: { id: "bench-manager-chat", conversationType: "personal", tenantId: o.tenantId },
      }),
      check: {
        floor: echoedMessage,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies === 1, "overblik did not reply once", turn);
          ensure(
            turn.lastReply.includes("Overblik: de seneste 365 dage") && turn.lastReply.includes("Chart."),
            "overblik did not answer with the year's charts",
            turn,
          );
        },
      },
    },
    {
      name: "submit: invalid form",
      activity: submit(formFields({ question: "" })),
      check: {
        floor: tinyCard,
        bot: (turn) =>
          ensure(cardOf(turn).includes(TEXT.formHasErrors.slice(0, 30)), "the invalid form was not sent back with errors", turn),
      },
    },
  ];
}

/**
 * The caseworker's history, written through the repository (the real raise path, no HTTP):
 * youth and adult cases, some acute. It leaves the first open adult meeting with 2 of 3
 * slots taken, so a new adult case books there without passing a full meeting.
 */
async function seedCases(deps: BotDeps, municipality: ReturnType<typeof testMunicipality>): Promise<void> {
  const plan = [
    ...[16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29].map((age) => ({ age, acute: false })),
    ...[35, 52].map((age) => ({ age, acute: false })),
    ...[31, 44, 58, 67].map((age) => ({ age, acute: true })),
  ];
  for (const { age, acute } of plan) {
    const draft = validDraft({ cpr: fakeCprForAge(age), acute, acuteReason: acute ? "Borgeren mister sin bolig i morgen" : "" });
    const outcome = await raiseCase(deps, { municipality, submissionId: randomUUID(), user: CASEWORKER, draft });
    if (outcome.kind !== "raised") throw new Error(`seeding a case failed: ${outcome.kind}`);
  }
  if (plan.length !== SEEDED_CASES) throw new Error("seed plan and SEEDED_CASES disagree");
  // The youth forum's channel, so `dagsorden` there shows a meeting the seed filled (6 of 6 slots).
  const channel = { id: FORUM_CHANNEL };
  await deps.addresses.bindForumChannel(municipality.tenantId, {
    forumId: "unge",
    conversationId: channel.id,
    channelName: "Sparring unge",
    boundBy: COORDINATOR.aadObjectId,
    reference: JSON.stringify({ conversation: channel }),
    savedAt: new Date().toISOString(),
  });
}

/** A manager of the bench tenant, for `overblik`. */
const BENCH_MANAGER = { aadObjectId: "aaaaaaaa-1111-4000-8000-0000000000b1", name: "Bench Leder" };
const OVERVIEW_CASES = 10_000;

/**
 * A year of overview events (10,000 cases, each raised and decided), written straight
 * through the overview log, as the use cases would have written them over the year.
 */
async function seedOverview(deps: BotDeps, municipality: ReturnType<typeof testMunicipality>): Promise<void> {
  municipality.roles.managers.push(BENCH_MANAGER.aadObjectId);
  const now = Date.now();
  const yearMs = 365 * 86_400_000;
  const decisions = ["start", "no-basis", "more-information", "postpone"] as const;
  const events: OverviewEvent[] = [];
  for (let i = 0; i < OVERVIEW_CASES; i++) {
    const caseNo = 1_000_000 + i;
    const raisedAt = new Date(now - yearMs + (i / OVERVIEW_CASES) * (yearMs - 30 * 86_400_000)).toISOString();
    const decidedAt = new Date(Date.parse(raisedAt) + ((i % 28) + 1) * 86_400_000).toISOString();
    const forumId = i % 3 === 0 ? "unge" : "voksne";
    const ageGroup = forumId === "unge" ? (i % 2 ? "15-17" : "18-29") : "30+";
    events.push({ kind: "raised", id: `case:${caseNo}:raised`, at: raisedAt, caseNo, forumId, ageGroup, acute: i % 10 === 0 });
    events.push({
      kind: "decided",
      id: `case:${caseNo}:v2:decided`,
      at: decidedAt,
      caseNo,
      forumId,
      ageGroup,
      decision: decisions[i % 4]!,
      raisedAt,
    });
  }
  await deps.overview.record(municipality.tenantId, events);
}

// ---------------------------------------------------------------------------------------
// Measuring

interface Sample {
  ms: number;
  cpuUs: number;
  storageCalls: number;
  decryptions: number;
  storageBusyMs: number;
  replies: number;
}

async function oneTurn(
  url: string,
  workload: Workload,
  side: Side,
  seen: { requests: number; lastBody: string },
  azurite: () => number | undefined,
): Promise<Sample & { azuriteUs: number | undefined }> {
  const body = JSON.stringify(workload.activity());
  const repliesBefore = seen.requests;
  const azuriteBefore = azurite();
  const turnProbe: TurnProbe = { storageCalls: 0, storageIntervals: [], decryptions: 0 };
  probe = turnProbe;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  probe = undefined;
  const azuriteAfter = azurite();

  const turn: TurnResult = { status: res.status, body: text, replies: seen.requests - repliesBefore, lastReply: seen.lastBody };
  workload.check[side](turn);
  if (side === "bot") await workload.reset?.(turn);
  return {
    ms,
    cpuUs: cpu.user + cpu.system,
    storageCalls: turnProbe.storageCalls,
    decryptions: turnProbe.decryptions,
    storageBusyMs: busyMs(turnProbe.storageIntervals),
    replies: turn.replies,
    azuriteUs: azuriteBefore !== undefined && azuriteAfter !== undefined ? azuriteAfter - azuriteBefore : undefined,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  if (q === 0.5) {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function summarise(samples: (Sample & { azuriteUs: number | undefined })[]) {
  const azurite = samples.map((s) => s.azuriteUs).filter((v): v is number => v !== undefined);
  return {
    turns: samples.length,
    medianMs: quantile(
      samples.map((s) => s.ms),
      0.5,
    ),
    p95Ms: quantile(
      samples.map((s) => s.ms),
      0.95,
    ),
    /** Medians of the first and second half of the run: far apart means still warming up, or noise. */
    medianMsByHalf: [0, 1].map((half) =>
      quantile(
        samples.slice(half * (samples.length >> 1), half ? undefined : samples.length >> 1).map((s) => s.ms),
        0.5,
      ),
    ),
    cpuUsPerTurn: mean(samples.map((s) => s.cpuUs)),
    azuriteCpuUsPerTurn: azurite.length === samples.length ? mean(azurite) : null,
    storageCallsPerTurn: mean(samples.map((s) => s.storageCalls)),
    decryptionsPerTurn: mean(samples.map((s) => s.decryptions)),
    storageBusyMedianMs: quantile(
      samples.map((s) => s.storageBusyMs),
      0.5,
    ),
    repliesPerTurn: mean(samples.map((s) => s.replies)),
  };
}

// ---------------------------------------------------------------------------------------
// The run

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const logger = createLogger("silent");
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  const closeServer = (server: http.Server) => async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  process.once("SIGINT", () => void closeAll().then(() => process.exit(130)));

  try {
    const azurite: RunningAzurite = await startAzurite({});
    closers.push(() => azurite.stop());
    const azuriteCpuNow = azuriteCpu();
    watchDecryption();
    const tables = await openTables(azurite.connectionString);
    const floorTable = TableClient.fromConnectionString(azurite.connectionString, FLOOR_TABLE, { allowInsecureConnection: true });
    await floorTable.createTable();
    for (const client of [tables.cases, tables.caseIndex, tables.addresses, tables.outbox, floorTable]) watchStorage(client);
    await floorTable.upsertEntity({ partitionKey: FLOOR_TABLE, rowKey: "row", note: "read once per echo turn" });

    const connector = startConnector();
    const serviceUrl = `http://127.0.0.1:${await listen(connector.server, 0, "127.0.0.1")}/`;
    closers.push(closeServer(connector.server));

    const municipality = testMunicipality();
    const floorAdapter = new TeamsAdapter({});
    const floor = await hostOn(echoApp(floorAdapter, floorTable), floorAdapter, municipality.tenantId);
    closers.push(closeServer(floor.server));

    const botAdapter = new TeamsAdapter({});
    const { deps } = wireSparring({
      tables,
      adapter: botAdapter,
      encryptionKey: Buffer.alloc(32, 7),
      timeZone: "Europe/Copenhagen",
      municipalities: new Map([[municipality.tenantId, municipality]]),
      logger,
      clock: { now: () => new Date() },
    });
    const bot = await hostOn(createBot(deps), botAdapter, municipality.tenantId);
    closers.push(closeServer(bot.server));

    await seedCases(deps, municipality);
    await seedOverview(deps, municipality);
    const url: Record<Side, string> = { floor: floor.url, bot: bot.url };

    const results = [];
    const chosen = workloads({ serviceUrl, tenantId: municipality.tenantId, deps }).filter((w) => w.name.includes(options.only));
    if (chosen.length === 0) throw new Error(`No workload name contains "${options.only}"`);
    // Warm-up: every workload on both sides, round-robin, before anything is measured. JIT
    // warm-up here and in Azurite takes a few hundred turns; the shared framework code warms
    // for all workloads at once, so the first one measured is not the coldest.
    for (let i = 0; i < options.warmup; i++) {
      for (const workload of chosen) {
        for (const side of ["floor", "bot"] as const) await oneTurn(url[side], workload, side, connector.seen, azuriteCpuNow);
      }
    }
    for (const workload of chosen) {
      const samples: Record<Side, Awaited<ReturnType<typeof oneTurn>>[]> = { floor: [], bot: [] };
      for (let round = 0; samples.bot.length < options.turns; round++) {
        // Alternate who goes first, so neither side always runs right after the other.
        const order: Side[] = round % 2 === 0 ? ["floor", "bot"] : ["bot", "floor"];
        const size = Math.min(options.batch, options.turns - samples.bot.length);
        for (const side of order) {
          for (let i = 0; i < size; i++) samples[side].push(await oneTurn(url[side], workload, side, connector.seen, azuriteCpuNow));
        }
      }
      const floorSummary = summarise(samples.floor);
      const botSummary = summarise(samples.bot);
      results.push({
        workload: workload.name,
        floor: floorSummary,
        bot: botSummary,
        ratio: {
          medianMs: botSummary.medianMs / floorSummary.medianMs,
          p95Ms: botSummary.p95Ms / floorSummary.p95Ms,
          cpuUsPerTurn: botSummary.cpuUsPerTurn / floorSummary.cpuUsPerTurn,
        },
      });
    }

    report(options, results);
  } finally {
    await closeAll();
  }
}

function report(
  options: Options,
  results: { workload: string; floor: ReturnType<typeof summarise>; bot: ReturnType<typeof summarise>; ratio: Record<string, number> }[],
): void {
  const n = (value: number | null, digits = 2) => (value === null ? "-" : value.toFixed(digits));
  const row = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");

  console.log(
    `\nSparring turn cost vs. the echo floor (same TeamsAdapter, createHost and Azurite; floor = 1 point read + 1 reply)\n` +
      `${options.turns} measured turns per side per workload after ${options.warmup} warm-up turns of each, one request in flight, ` +
      `batches of ${options.batch} alternating floor/bot.\n`,
  );
  const w1 = [22, 9, 9, 9, 9, 7, 10, 10, 6];
  console.log(row(["workload", "floor p50", "floor p95", "bot p50", "bot p95", "ratio", "floor CPU", "bot CPU", "CPU x"], w1));
  console.log(row(["", "ms", "ms", "ms", "ms", "p50", "µs/turn", "µs/turn", ""], w1));
  for (const r of results) {
    console.log(
      row(
        [
          r.workload,
          n(r.floor.medianMs),
          n(r.floor.p95Ms),
          n(r.bot.medianMs),
          n(r.bot.p95Ms),
          `${n(r.ratio.medianMs!, 1)}x`,
          n(r.floor.cpuUsPerTurn, 0),
          n(r.bot.cpuUsPerTurn, 0),
          `${n(r.ratio.cpuUsPerTurn!, 1)}x`,
        ],
        w1,
      ),
    );
  }

  const unsettled = results.flatMap((r) =>
    (["floor", "bot"] as const)
      .filter((side) => Math.abs(r[side].medianMsByHalf[1]! / r[side].medianMsByHalf[0]! - 1) > 0.15)
      .map((side) => `${r.workload} (${side}: ${n(r[side].medianMsByHalf[0]!)} → ${n(r[side].medianMsByHalf[1]!)} ms)`),
  );
  if (unsettled.length > 0) {
    console.log(`\nNote: the median moved by more than 15% between the first and second half of: ${unsettled.join("; ")}.`);
    console.log(`Still warming up or a noisy machine; a larger --warmup or --turns gives steadier numbers.`);
  }

  console.log(`\nWhere the time goes, per turn, floor → bot (storage busy: time at least one Azurite request was open;`);
  console.log(`Azurite CPU: its child process, from /proc in 10 ms ticks, so only the mean over many turns means anything)\n`);
  const w2 = [22, 14, 20, 20, 10, 10];
  const pair = (a: string, b: string) => `${a} → ${b}`;
  console.log(row(["workload", "storage calls", "storage busy ms p50", "Azurite CPU µs", "replies", "decrypts"], w2));
  for (const r of results) {
    console.log(
      row(
        [
          r.workload,
          pair(n(r.floor.storageCallsPerTurn, 0), n(r.bot.storageCallsPerTurn, 0)),
          pair(n(r.floor.storageBusyMedianMs), n(r.bot.storageBusyMedianMs)),
          pair(n(r.floor.azuriteCpuUsPerTurn, 0), n(r.bot.azuriteCpuUsPerTurn, 0)),
          pair(n(r.floor.repliesPerTurn, 0), n(r.bot.repliesPerTurn, 0)),
          n(r.bot.decryptionsPerTurn, 0),
        ],
        w2,
      ),
    );
  }

  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        options,
        machine: {
          node: process.version,
          platform: `${process.platform} ${os.release()}`,
          cpu: os.cpus()[0]?.model ?? "unknown",
          cpus: os.cpus().length,
        },
        results,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`\nWritten to ${path.relative(process.cwd(), out)}. Not a test: no threshold is checked.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

/**
 * `npm run bench [-- --turns 200 --warmup 100 --batch 10 --rounds 5 --concurrency 20 --only text,text]`
 *
 * What one Sparring turn costs, as a ratio to the framework's floor: an echo bot on the
 * same TeamsAdapter, the same HTTP host (`createHost`) and the same Azurite, paying one
 * Table Storage point read per turn. Each side runs in its own child process (`side.ts`),
 * started afresh for every workload, so CPU and peak RSS belong to that side and that
 * workload. This process seeds the data, drives the turns over HTTP, hosts the stub Bot
 * Connector and checks every turn outside the timing.
 *
 * Per workload: one request in flight (interleaved batches, floor and bot alternating),
 * then rounds of `--concurrency` requests sent at the same moment. A measurement, not a
 * test: nothing here fails because the machine is slow. It does stop with an error when a
 * turn does not do what the workload says (a wrong card measures the wrong thing).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { TableClient } from "@azure/data-tables";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { DateTime } from "luxon";
import { startAzurite, type RunningAzurite } from "../src/dev/azurite.js";
import { parseMeetingKey } from "../src/domain/booking.js";
import { caseReference, newSubmissionId } from "../src/domain/case.js";
import { decideCase } from "../src/domain/decide-case.js";
import type { Municipality } from "../src/domain/municipality.js";
import type { OverviewEvent } from "../src/domain/overview-events.js";
import { periodsEndingAt } from "../src/domain/overview.js";
import { readPeriod } from "../src/domain/overview-summaries.js";
import { editPlan, openPlan } from "../src/domain/plan-use-cases.js";
import { raiseCase } from "../src/domain/raise-case.js";
import { createLogger } from "../src/logger.js";
import { wireSparring } from "../src/sparring.js";
import { openTables } from "../src/storage/table-storage.js";
import type { BotDeps } from "../src/teams/bot-deps.js";
import { TEXT } from "../src/teams/messages.js";
import { listen } from "../src/teams/server.js";
import { VERBS } from "../src/teams/verbs.js";
import { CASEWORKER, COLLEAGUE, COORDINATOR, fakeCpr, fakeCprForAge, SOCIAL_CASEWORKER, validDraft } from "../test/support/fixtures.js";
import { effortDraft, planDraft } from "../test/support/plan-fixtures.js";
import {
  ADULT_CHANNEL,
  BENCH_MANAGER,
  ENCRYPTION_KEY,
  FLOOR_ROW,
  FLOOR_TABLE,
  TIME_ZONE,
  TURN_HEADER,
  YOUTH_CHANNEL,
  type Side,
  type SideReply,
  type SideRequest,
  type TurnStorage,
} from "./world.js";
import { benchMunicipality } from "./bench-municipality.js";

// ---------------------------------------------------------------------------------------
// Options

interface Options {
  /** Measured turns per side per workload, one request in flight (a heavy workload runs a share of it). */
  turns: number;
  /** Warm-up turns per side per workload, in the side's fresh process, before anything is measured. */
  warmup: number;
  batch: number;
  /** Concurrent rounds per side per workload: each sends `concurrency` requests at the same moment. */
  rounds: number;
  concurrency: number;
  /** Only the workloads whose name contains this text, or one of these texts separated by commas. */
  only: string;
}

const USAGE = "Usage: npm run bench -- [--turns 200] [--warmup 100] [--batch 10] [--rounds 5] [--concurrency 20] [--only text,text]";

function parseOptions(argv: string[]): Options {
  const options: Options = { turns: 200, warmup: 100, batch: 10, rounds: 5, concurrency: 20, only: "" };
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
    const least = key === "warmup" || key === "rounds" ? 0 : 1;
    if (!Number.isInteger(value) || value < least || value > 100_000) {
      throw new Error(`--${key} needs a whole number from ${least}, got ${raw ?? "nothing"}`);
    }
    options[key as Exclude<keyof Options, "only">] = value;
  }
  return options;
}

// ---------------------------------------------------------------------------------------
// Azurite's CPU (Linux /proc; clock ticks, so only meaningful summed over many turns)

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
// The stub Bot Connector: every reply lands here, inside the turn. A reply names the
// activity it answers (`…/activities/{replyToId}`), so overlapping turns stay apart.

function startConnector() {
  const replies = new Map<string, string[]>();
  let proactive = 0;
  let sent = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const replyTo = /\/activities\/([^/?]+)$/.exec(req.url ?? "")?.[1];
      const body = Buffer.concat(chunks).toString("utf8");
      if (replyTo) {
        const key = decodeURIComponent(replyTo);
        replies.set(key, [...(replies.get(key) ?? []), body]);
      } else {
        proactive++;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `stub-${++sent}` }));
    });
  });
  return {
    server,
    /** The replies to one turn, once. */
    take(key: string): string[] {
      const mine = replies.get(key) ?? [];
      replies.delete(key);
      return mine;
    },
    proactive: () => proactive,
  };
}

// ---------------------------------------------------------------------------------------
// The side processes

class SideProcess {
  private next = 0;
  private readonly waiting = new Map<number, (reply: SideReply) => void>();

  private constructor(
    readonly side: Side,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.on("message", (reply: SideReply) => {
      if ("id" in reply) {
        this.waiting.get(reply.id)?.(reply);
        this.waiting.delete(reply.id);
      }
    });
  }

  static start(side: Side, connectionString: string, tenantId: string): Promise<SideProcess> {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const child = fork(path.join(here, "side.ts"), [side, connectionString, tenantId], {
      cwd: path.dirname(here),
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the ${side} process stopped before it was ready (exit ${code})`));
      child.once("exit", onExit);
      child.once("message", (message: SideReply) => {
        child.off("exit", onExit);
        if (message.kind === "ready") resolve(new SideProcess(side, message.url, child));
        else reject(new Error(`the ${side} process failed: ${"message" in message ? message.message : message.kind}`));
      });
    });
  }

  private ask(kind: SideRequest["kind"]): Promise<SideReply> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`the ${this.side} process stopped`));
      this.child.once("exit", onExit);
      this.waiting.set(id, (reply) => {
        this.child.off("exit", onExit);
        resolve(reply);
      });
      this.child.send({ id, kind } satisfies SideRequest);
    });
  }

  async usage(): Promise<Usage> {
    return asUsage(await this.ask("usage"));
  }

  /** Usage, and the storage of every turn since the last take. */
  async take(): Promise<Usage & { turns: Record<string, TurnStorage>; untracked: number }> {
    const reply = await this.ask("take");
    if (reply.kind !== "usage" || !reply.turns) throw new Error(`the ${this.side} process answered ${reply.kind}`);
    return { ...asUsage(reply), turns: reply.turns, untracked: reply.untracked ?? 0 };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await Promise.race([this.ask("stop"), exited]).catch(() => undefined);
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  }
}

interface Usage {
  cpuUs: number;
  maxRssKb: number;
}

function asUsage(reply: SideReply): Usage {
  if (reply.kind !== "usage") throw new Error(`a side process answered ${reply.kind}`);
  return { cpuUs: reply.cpuUs, maxRssKb: reply.maxRssKb };
}

// ---------------------------------------------------------------------------------------
// Workloads

type Activity = Record<string, unknown> & { id: string };

interface TurnResult {
  status: number;
  body: string;
  replies: string[];
}

interface Workload {
  name: string;
  /** Share of --turns, --warmup and --rounds this workload runs (a heavy one runs fewer). */
  share: number;
  /** Outside the timing, before the side processes start: e.g. fresh cases to decide. */
  prepare?: (turns: number) => Promise<void>;
  activity: (side: Side) => Activity;
  /** Throws when the turn did not do what the workload is about. Runs outside the timing. */
  check: Record<Side, (turn: TurnResult) => void | Promise<void>>;
  /** Undoes the bot turn's lasting effect so every turn sees the same data. Outside the timing. */
  reset?: (turn: TurnResult) => Promise<void>;
}

function ensure(condition: boolean, what: string, turn: TurnResult): void {
  if (!condition) {
    const replies = turn.replies.map((r) => r.slice(0, 600)).join(" | ");
    throw new Error(`${what} (HTTP ${turn.status}, body ${turn.body.slice(0, 600)}, ${turn.replies.length} replies: ${replies})`);
  }
}

function cardOf(turn: TurnResult): string {
  const parsed = JSON.parse(turn.body || "{}") as { type?: string; value?: unknown };
  ensure(parsed.type === "application/vnd.microsoft.card.adaptive", "the invoke was not answered with a card", turn);
  return JSON.stringify(parsed.value);
}

const SEEDED_CASES = 20;
const OVERVIEW_CASES = 10_000;

interface World {
  serviceUrl: string;
  municipality: Municipality;
  deps: BotDeps;
  /** The case whose joint plan is opened (raised by COLLEAGUE, visitated to SOCIAL_CASEWORKER, plan version 1). */
  planCaseNo: number;
}

type User = { aadObjectId: string; name: string };

/** A fictitious CPR of a 40-year-old, a different one for each `i` (so no citizen collects hundreds of cases). */
function adultCpr(i: number): string {
  const birth = DateTime.now()
    .setZone(TIME_ZONE)
    .minus({ years: 40, days: 10 + (i % 200) });
  return fakeCpr({ year: birth.year, month: birth.month, day: birth.day }, Math.floor(i / 200) % 4000);
}

function workloads(world: World): Workload[] {
  const tenantId = world.municipality.tenantId;
  const from = (user: User) => ({ id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name });
  const base = () => ({
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: world.serviceUrl,
    timestamp: new Date().toISOString(),
    recipient: { id: "28:sparring", name: "Sparring" },
    channelData: { tenant: { id: tenantId } },
  });
  const personal = (user: User) => ({
    ...base(),
    from: from(user),
    conversation: { id: `bench-chat-${user.aadObjectId}`, conversationType: "personal", tenantId },
  });
  const inChannel = (user: User, channel: string) => ({
    ...base(),
    from: from(user),
    conversation: { id: channel, conversationType: "channel", tenantId },
    channelData: { tenant: { id: tenantId }, channel: { id: channel, name: channel }, team: { id: "bench-team" } },
  });
  const message = (where: ReturnType<typeof base>, text: string): Activity => ({ ...where, type: "message", text });
  const invoke = (where: ReturnType<typeof base>, verb: string, data: Record<string, unknown>): Activity => ({
    ...where,
    type: "invoke",
    name: "adaptiveCard/action",
    value: { action: { type: "Action.Execute", verb, data } },
  });

  let raised = 0;
  const formFields = () => {
    const d = validDraft({ cpr: adultCpr(raised++) });
    return {
      cpr: d.cpr,
      health: d.health,
      social: d.social,
      question: d.question,
      department: d.department,
      acute: "false",
      acuteReason: "",
    };
  };

  const echoed = (turn: TurnResult) => ensure(turn.status === 200 && turn.replies.length === 1, "the echo bot did not reply once", turn);
  const tinyCard = (turn: TurnResult) =>
    ensure(
      turn.status === 200 && cardOf(turn).includes("Modtaget") && turn.replies.length === 0,
      "the echo bot did not answer the invoke",
      turn,
    );

  /** Fresh cases for the decision workload: raised by COLLEAGUE, their slot given back so the calendar never fills. */
  const undecided: { caseNo: number; version: number }[] = [];
  const prepareUndecided = async (count: number) => {
    const raiseOne = async () => {
      const outcome = await raiseCase(world.deps, {
        municipality: world.municipality,
        submissionId: randomUUID(),
        user: COLLEAGUE,
        draft: validDraft({ cpr: adultCpr(raised++) }),
      });
      if (outcome.kind !== "raised") throw new Error(`raising a case to decide failed: ${outcome.kind}`);
      await releaseSlotOf(world, outcome.record.caseNo);
      undecided.push({ caseNo: outcome.record.caseNo, version: outcome.record.version });
    };
    for (let i = 0; i < count; i += 5) await Promise.all(Array.from({ length: Math.min(5, count - i) }, raiseOne));
  };

  return [
    {
      // The managers' overview of a year (SPEC §8): 10,000 cases raised and decided, read by period.
      name: "overblik (year, 10,000 cases)",
      share: 0.1,
      activity: () => message(personal(BENCH_MANAGER), "overblik 365"),
      check: {
        floor: echoed,
        bot: (turn) => {
          // A turn over a second also sends Teams' "typing" indicator (teams-ai's timer): not a reply.
          const replies = turn.replies.filter((r) => (JSON.parse(r) as { type?: string }).type !== "typing");
          ensure(turn.status === 200 && replies.length === 1, "overblik did not reply once", turn);
          ensure(
            replies[0]!.includes("Overblik: de seneste 365 dage") && replies[0]!.includes("Chart."),
            "overblik did not answer with the year's charts",
            turn,
          );
        },
      },
    },
    {
      name: "mine sager (20 cases)",
      share: 1,
      activity: () => message(personal(CASEWORKER), "mine sager"),
      check: {
        floor: echoed,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies.length === 1, "mine sager did not reply once", turn);
          const references = turn.replies[0]!.match(/SP-\d{4,}/g) ?? [];
          ensure(new Set(references).size === SEEDED_CASES, `mine sager did not list ${SEEDED_CASES} cases`, turn);
        },
      },
    },
    {
      name: "dagsorden (full meeting)",
      share: 1,
      activity: () => message(inChannel(COORDINATOR, YOUTH_CHANNEL), "dagsorden"),
      check: {
        floor: echoed,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies.length >= 1, "dagsorden did not reply", turn);
          const references = turn.replies.at(-1)!.match(/SP-\d{4,}/g) ?? [];
          ensure(new Set(references).size === 6, "the agenda did not list the full meeting's 6 cases", turn);
        },
      },
    },
    {
      // "Åbn fælles plan" on a visitated case whose plan exists: the plan card.
      name: "plan card (open a plan)",
      share: 1,
      activity: () => invoke(personal(SOCIAL_CASEWORKER), VERBS.openPlan, { caseNo: world.planCaseNo }),
      check: {
        floor: tinyCard,
        bot: (turn) => {
          const card = cardOf(turn);
          ensure(card.includes(caseReference(world.planCaseNo)) && card.includes("version 1"), "the plan card did not show the plan", turn);
        },
      },
    },
    {
      name: "hej (help + form)",
      share: 1,
      activity: () => message(personal(CASEWORKER), "hej"),
      check: {
        floor: echoed,
        bot: (turn) => {
          ensure(turn.status === 200 && turn.replies.length === 2, "hej did not send two cards", turn);
          ensure(
            turn.replies.some((r) => r.includes(VERBS.submitCase)),
            "no reply is the form",
            turn,
          );
        },
      },
    },
    {
      name: "submit: invalid form",
      share: 1,
      activity: () => invoke(personal(COLLEAGUE), VERBS.submitCase, { submissionId: randomUUID(), ...formFields(), question: "" }),
      check: {
        floor: tinyCard,
        bot: (turn) =>
          ensure(cardOf(turn).includes(TEXT.formHasErrors.slice(0, 30)), "the invalid form was not sent back with errors", turn),
      },
    },
    {
      // Raised by COLLEAGUE, so CASEWORKER's `mine sager` keeps its 20 cases.
      name: "submit: new case",
      share: 1,
      // A form as the bot renders it now: a time-ordered (v7) submission id (see `newSubmissionId`).
      activity: () => invoke(personal(COLLEAGUE), VERBS.submitCase, { submissionId: newSubmissionId(), ...formFields() }),
      check: {
        floor: tinyCard,
        bot: (turn) => {
          const card = cardOf(turn);
          ensure(/SP-\d{4,}/.test(card) && !card.includes(TEXT.noFreeMeeting.slice(0, 30)), "no case was raised", turn);
        },
      },
      // Give the slot back, so every turn books into the same meeting instead of walking further
      // and further down a filling calendar (the adult forum has 26 meetings ahead).
      reset: async (turn) => releaseSlotOf(world, Number(/SP-(\d+)/.exec(cardOf(turn))![1]), turn),
    },
    {
      // A coordinator records "Start sag i myndighedsafdelingen" on a case card in the adult
      // forum's channel; every turn decides a case nobody has decided yet.
      name: "decision (start sag)",
      // Each turn needs a case raised beforehand (outside the timing, but it takes a while).
      share: 0.5,
      prepare: prepareUndecided,
      activity: (side) => {
        const target = side === "bot" ? undecided.shift() : { caseNo: 1, version: 1 };
        if (!target) throw new Error("no undecided case left");
        return invoke(inChannel(COORDINATOR, ADULT_CHANNEL), VERBS.decideCase, {
          ...target,
          decision: "start",
          socialCaseworker: SOCIAL_CASEWORKER.aadObjectId,
          note: "",
        });
      },
      check: {
        floor: tinyCard,
        bot: async (turn) => {
          const caseNo = Number(/SP-(\d+)/.exec(cardOf(turn))?.[1]);
          const record = Number.isInteger(caseNo) ? await world.deps.cases.get(tenantId, caseNo) : undefined;
          ensure(record?.decision === "start" && record.state === "visitated", "the decision was not recorded", turn);
        },
      },
    },
  ];
}

async function releaseSlotOf(world: World, caseNo: number, turn?: TurnResult): Promise<void> {
  const record = await world.deps.cases.get(world.municipality.tenantId, caseNo);
  const meeting = record?.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  if (record?.state !== "booked" || meeting === undefined || record.slot === undefined) {
    const what = `case ${caseNo} was not booked (${record?.state ?? "not found"})`;
    if (turn) ensure(false, what, turn);
    throw new Error(what);
  }
  await world.deps.meetings.releaseSlot(world.municipality.tenantId, meeting, record.slot, caseNo);
}

// ---------------------------------------------------------------------------------------
// Seeding (through the use cases and ports, as the bot would have written it)

/**
 * The caseworker's history: youth and adult cases, some acute. The youth forum's first
 * meeting ends up full (6 of 6: `dagsorden`), the adult forum's next meeting has 2 of 30
 * slots taken.
 */
async function seedCases(deps: BotDeps, municipality: Municipality): Promise<void> {
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
  for (const [forumId, channel] of [
    ["unge", YOUTH_CHANNEL],
    ["voksne", ADULT_CHANNEL],
  ] as const) {
    await deps.addresses.bindForumChannel(municipality.tenantId, {
      forumId,
      conversationId: channel,
      channelName: channel,
      boundBy: COORDINATOR.aadObjectId,
      reference: JSON.stringify({ conversation: { id: channel } }),
      savedAt: new Date().toISOString(),
    });
  }
}

/** A year of overview events (10,000 cases, each raised and decided), as the use cases would have written them. */
async function seedOverview(deps: BotDeps, municipality: Municipality): Promise<void> {
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
  // The summaries of its settled days and months, as the hourly job and earlier overviews leave them
  // (src/domain/overview-summaries.ts): the turns measure reading a year, not making its summaries once.
  const { current, previous } = periodsEndingAt(new Date(now), 365);
  for (const period of [current, previous]) await readPeriod(deps.overview, municipality.tenantId, period, new Date(now), deps.timeZone);
}

/** A case raised by COLLEAGUE, visitated to SOCIAL_CASEWORKER, whose joint plan COLLEAGUE opened and saved as version 1. */
async function seedPlan(deps: BotDeps, municipality: Municipality): Promise<number> {
  const raised = await raiseCase(deps, {
    municipality,
    submissionId: randomUUID(),
    user: COLLEAGUE,
    draft: validDraft({ cpr: fakeCprForAge(50) }),
  });
  if (raised.kind !== "raised") throw new Error(`raising the plan's case failed: ${raised.kind}`);
  const { caseNo, version } = raised.record;
  const decided = await decideCase(deps, {
    municipality,
    caseNo,
    expectedVersion: version,
    input: { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, note: "" },
    by: COORDINATOR,
  });
  if (decided.kind !== "decided") throw new Error(`visitating the plan's case failed: ${decided.kind}`);
  const opened = await openPlan(deps, { municipality, caseNo, by: COLLEAGUE });
  if (opened.kind !== "opened") throw new Error(`opening the plan failed: ${opened.kind}`);
  // The fixture's plan, its dates moved to lie ahead of today.
  const day = (days: number) => DateTime.now().setZone(TIME_ZONE).plus({ days }).toISODate()!;
  const fixture = planDraft();
  const draft = {
    ...fixture,
    efforts: [effortDraft({ from: day(7), to: day(180) }), { ...fixture.efforts[1]!, from: day(21), to: day(220) }],
    employmentFollowUp: day(50),
    socialFollowUp: day(57),
    forumFollowUp: day(68),
  };
  const saved = await editPlan(deps, { municipality, caseNo, expectedVersion: 0, draft, by: COLLEAGUE });
  if (saved.kind !== "saved") throw new Error(`saving the plan failed: ${saved.kind} ${JSON.stringify(saved)}`);
  return caseNo;
}

// ---------------------------------------------------------------------------------------
// Measuring

interface TurnSample {
  ms: number;
  storage: TurnStorage;
  replies: number;
}

interface Batch {
  turns: number;
  wallMs: number;
  cpuUs: number;
  azuriteUs: number | undefined;
}

interface Measured {
  turns: TurnSample[];
  batches: Batch[];
  maxRssKb: number;
  untrackedStorageCalls: number;
}

const emptyMeasured = (): Measured => ({ turns: [], batches: [], maxRssKb: 0, untrackedStorageCalls: 0 });

async function post(url: string, activity: Activity): Promise<{ status: number; body: string; ms: number }> {
  const body = JSON.stringify(activity);
  const started = performance.now();
  // A generous limit: a slow machine makes slow turns, and that is a result, not an error.
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", [TURN_HEADER]: activity.id },
    body,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

interface Run {
  workload: Workload;
  sides: Record<Side, SideProcess>;
  connector: ReturnType<typeof startConnector>;
  azurite: () => number | undefined;
}

/** `count` turns sent at once (1: one in flight), checked and reset afterwards, outside the timing. */
async function burst(run: Run, side: Side, count: number, into?: Measured): Promise<void> {
  const proc = run.sides[side];
  const activities = Array.from({ length: count }, () => run.workload.activity(side));
  const before = await proc.usage();
  const azuriteBefore = run.azurite();
  const started = performance.now();
  const posted = await Promise.all(activities.map((activity) => post(proc.url, activity)));
  const wallMs = performance.now() - started;
  const azuriteAfter = run.azurite();
  const after = await proc.take();
  for (const [i, activity] of activities.entries()) {
    const turn: TurnResult = { ...posted[i]!, replies: run.connector.take(activity.id) };
    await run.workload.check[side](turn);
    if (side === "bot") await run.workload.reset?.(turn);
    const storage = after.turns[activity.id];
    if (!storage) throw new Error(`the ${side} process saw no turn ${activity.id}`);
    into?.turns.push({ ms: posted[i]!.ms, storage, replies: turn.replies.length });
  }
  if (into) {
    into.batches.push({
      turns: count,
      wallMs,
      cpuUs: after.cpuUs - before.cpuUs,
      azuriteUs: azuriteBefore !== undefined && azuriteAfter !== undefined ? azuriteAfter - azuriteBefore : undefined,
    });
    into.maxRssKb = after.maxRssKb;
    into.untrackedStorageCalls += after.untracked;
  }
}

/**
 * One request in flight. The side's CPU is read over IPC around each batch, so a reset
 * between turns (done by this process) costs the side nothing; Azurite's CPU is read
 * around each turn, so resets are left out of it.
 */
async function sequential(run: Run, side: Side, count: number, into: Measured): Promise<void> {
  const proc = run.sides[side];
  const before = await proc.usage();
  let azuriteUs: number | undefined = 0;
  let busyMs = 0;
  const posted: { activity: Activity; result: Awaited<ReturnType<typeof post>>; replies: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const activity = run.workload.activity(side);
    const azuriteBefore = run.azurite();
    const result = await post(proc.url, activity);
    const azuriteAfter = run.azurite();
    azuriteUs =
      azuriteUs !== undefined && azuriteBefore !== undefined && azuriteAfter !== undefined
        ? azuriteUs + azuriteAfter - azuriteBefore
        : undefined;
    busyMs += result.ms;
    const replies = run.connector.take(activity.id);
    const turn: TurnResult = { ...result, replies };
    await run.workload.check[side](turn);
    if (side === "bot") await run.workload.reset?.(turn);
    posted.push({ activity, result, replies });
  }
  const after = await proc.take();
  for (const { activity, result, replies } of posted) {
    const storage = after.turns[activity.id];
    if (!storage) throw new Error(`the ${side} process saw no turn ${activity.id}`);
    into.turns.push({ ms: result.ms, storage, replies: replies.length });
  }
  into.batches.push({ turns: count, wallMs: busyMs, cpuUs: after.cpuUs - before.cpuUs, azuriteUs });
  into.maxRssKb = after.maxRssKb;
  into.untrackedStorageCalls += after.untracked;
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

const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function summarise(m: Measured) {
  const ms = m.turns.map((t) => t.ms);
  const turns = sum(m.batches.map((b) => b.turns));
  const azurite = m.batches.every((b) => b.azuriteUs !== undefined) ? sum(m.batches.map((b) => b.azuriteUs!)) / turns : null;
  const wallMs = sum(m.batches.map((b) => b.wallMs));
  return {
    turns,
    p50Ms: quantile(ms, 0.5),
    p95Ms: quantile(ms, 0.95),
    p99Ms: quantile(ms, 0.99),
    /** Medians of the first and second half: far apart means still warming up, or noise. */
    p50MsByHalf: [quantile(ms.slice(0, ms.length >> 1), 0.5), quantile(ms.slice(ms.length >> 1), 0.5)],
    /** Turns per second of wall time (meaningful for the concurrent run). */
    turnsPerSecond: turns / (wallMs / 1000),
    cpuUsPerTurn: sum(m.batches.map((b) => b.cpuUs)) / turns,
    azuriteCpuUsPerTurn: azurite,
    storageCallsPerTurn: mean(m.turns.map((t) => t.storage.calls)),
    storageCallsMax: Math.max(...m.turns.map((t) => t.storage.calls)),
    storageRoundsPerTurn: mean(m.turns.map((t) => t.storage.rounds)),
    storageRoundsMax: Math.max(...m.turns.map((t) => t.storage.rounds)),
    storageChainPerTurn: mean(m.turns.map((t) => t.storage.chain)),
    storageBusyP50Ms: quantile(
      m.turns.map((t) => t.storage.busyMs),
      0.5,
    ),
    decryptionsPerTurn: mean(m.turns.map((t) => t.storage.decryptions)),
    repliesPerTurn: mean(m.turns.map((t) => t.replies)),
    peakRssMb: m.maxRssKb / 1024,
    untrackedStorageCalls: m.untrackedStorageCalls,
  };
}

type Summary = ReturnType<typeof summarise>;

interface WorkloadResult {
  workload: string;
  counts: { warmup: number; turns: number; rounds: number; concurrency: number };
  sequential: Record<Side, Summary>;
  concurrent: Record<Side, Summary> | null;
  /** Peak RSS after start-up and warm-up (before anything was measured). */
  startRssMb: Record<Side, number>;
  /** Where the workload's wall time went (prepare, start, warmup, sequential, concurrent). */
  seconds: Record<string, number>;
}

async function measure(
  workload: Workload,
  options: Options,
  env: { connectionString: string; tenantId: string; connector: ReturnType<typeof startConnector>; azurite: () => number | undefined },
): Promise<WorkloadResult> {
  const scaled = (n: number, least: number) => Math.max(least, Math.round(n * workload.share));
  const counts = {
    warmup: scaled(options.warmup, options.warmup > 0 ? 10 : 0),
    turns: scaled(options.turns, 20),
    rounds: scaled(options.rounds, options.rounds > 0 ? 1 : 0),
    concurrency: options.concurrency,
  };
  const concurrentTurns = counts.rounds > 0 ? (counts.rounds + (counts.warmup >= options.concurrency ? 1 : 0)) * counts.concurrency : 0;
  const phases: Record<string, number> = {};
  let last = performance.now();
  const phase = (name: string) => {
    phases[name] = (performance.now() - last) / 1000;
    last = performance.now();
  };
  await workload.prepare?.(counts.warmup + counts.turns + concurrentTurns);
  phase("prepare");

  const [floor, bot] = await Promise.all([
    SideProcess.start("floor", env.connectionString, env.tenantId),
    SideProcess.start("bot", env.connectionString, env.tenantId),
  ]);
  phase("start");
  const run: Run = { workload, sides: { floor, bot }, connector: env.connector, azurite: env.azurite };
  try {
    // Warm-up in the fresh processes: JIT, connections, Azurite's caches. Not measured.
    const warm = emptyMeasured();
    for (let done = 0; done < counts.warmup; done += options.batch) {
      const size = Math.min(options.batch, counts.warmup - done);
      for (const side of ["floor", "bot"] as const) await sequential(run, side, size, warm);
    }
    const startRssMb = { floor: (await floor.usage()).maxRssKb / 1024, bot: (await bot.usage()).maxRssKb / 1024 };
    phase("warmup");

    const seq: Record<Side, Measured> = { floor: emptyMeasured(), bot: emptyMeasured() };
    for (let round = 0; seq.bot.turns.length < counts.turns; round++) {
      // Alternate who goes first, so neither side always runs right after the other.
      const order: Side[] = round % 2 === 0 ? ["floor", "bot"] : ["bot", "floor"];
      const size = Math.min(options.batch, counts.turns - seq.bot.turns.length);
      for (const side of order) await sequential(run, side, size, seq[side]);
    }
    phase("sequential");

    let concurrent: Record<Side, Measured> | null = null;
    if (counts.rounds > 0) {
      // One unmeasured round opens the client's connections and warms the concurrent path
      // (left out where the warm-up is shorter than a round: the overview of 10,000 cases).
      if (counts.warmup >= options.concurrency) for (const side of ["floor", "bot"] as const) await burst(run, side, options.concurrency);
      concurrent = { floor: emptyMeasured(), bot: emptyMeasured() };
      for (let round = 0; round < counts.rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["floor", "bot"] : ["bot", "floor"];
        for (const side of order) await burst(run, side, options.concurrency, concurrent[side]);
      }
      phase("concurrent");
    }
    return {
      workload: workload.name,
      counts,
      sequential: { floor: summarise(seq.floor), bot: summarise(seq.bot) },
      concurrent: concurrent ? { floor: summarise(concurrent.floor), bot: summarise(concurrent.bot) } : null,
      startRssMb,
      seconds: phases,
    };
  } finally {
    await Promise.all([floor.stop(), bot.stop()]);
  }
}

// ---------------------------------------------------------------------------------------
// The run

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = performance.now();
  const loadBefore = os.loadavg();
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
    const tables = await openTables(azurite.connectionString);
    const floorTable = TableClient.fromConnectionString(azurite.connectionString, FLOOR_TABLE, { allowInsecureConnection: true });
    await floorTable.createTable();
    await floorTable.upsertEntity({ partitionKey: FLOOR_TABLE, rowKey: FLOOR_ROW, note: "read once per echo turn" });

    const connector = startConnector();
    const serviceUrl = `http://127.0.0.1:${await listen(connector.server, 0, "127.0.0.1")}/`;
    closers.push(closeServer(connector.server));

    const tenantId = randomUUID();
    const municipality = benchMunicipality(tenantId);
    // This process's own wiring of the same tables: it seeds, resets and checks; the bot runs elsewhere.
    const { deps } = wireSparring({
      tables,
      adapter: new TeamsAdapter({}),
      encryptionKey: ENCRYPTION_KEY,
      timeZone: TIME_ZONE,
      municipalities: new Map([[tenantId, municipality]]),
      logger: createLogger("silent"),
      clock: { now: () => new Date() },
    });

    const chosenNames = workloads({ serviceUrl, municipality, deps, planCaseNo: 0 })
      .map((w) => w.name)
      .filter((name) => options.only.split(",").some((part) => name.includes(part.trim())));
    if (chosenNames.length === 0) throw new Error(`No workload name contains "${options.only}"`);

    process.stdout.write("Seeding: 20 cases, two forum channels, a joint plan, a year of overview events (10,000 cases)... ");
    await seedCases(deps, municipality);
    const planCaseNo = await seedPlan(deps, municipality);
    await seedOverview(deps, municipality);
    console.log(`done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);

    const chosen = workloads({ serviceUrl, municipality, deps, planCaseNo }).filter((w) => chosenNames.includes(w.name));
    const results: WorkloadResult[] = [];
    for (const workload of chosen) {
      const began = performance.now();
      process.stdout.write(`${workload.name}... `);
      const result = await measure(workload, options, {
        connectionString: azurite.connectionString,
        tenantId,
        connector,
        azurite: azuriteCpuNow,
      });
      results.push(result);
      const phases = Object.entries(result.seconds).map(([name, s]) => `${name} ${s.toFixed(1)}`);
      console.log(`${((performance.now() - began) / 1000).toFixed(1)} s (${phases.join(", ")})`);
    }
    report(options, results, { loadBefore, loadAfter: os.loadavg(), seconds: (performance.now() - startedAt) / 1000 });
  } finally {
    await closeAll();
  }
}

// ---------------------------------------------------------------------------------------
// The report

function report(options: Options, results: WorkloadResult[], run: { loadBefore: number[]; loadAfter: number[]; seconds: number }): void {
  const n = (value: number | null, digits = 2) => (value === null || !Number.isFinite(value) ? "-" : value.toFixed(digits));
  const x = (bot: number | null, floor: number | null) => (bot === null || floor === null || floor === 0 ? "-" : `${n(bot / floor, 1)}x`);
  const row = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const pair = (floor: string, bot: string) => `${floor} → ${bot}`;
  const cpu = os.cpus();

  console.log(
    `\nSparring turn cost vs. the echo floor (same TeamsAdapter, createHost and Azurite; floor = 1 point read + 1 reply or tiny card).\n` +
      `Each side in its own process, started afresh per workload. x = bot ÷ floor, in this run.\n` +
      `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${process.version}; load average ${run.loadBefore.map((l) => l.toFixed(1)).join(" ")} ` +
      `before, ${run.loadAfter.map((l) => l.toFixed(1)).join(" ")} after (other work on the machine shows here).\n`,
  );

  console.log(`One request in flight (per workload: its warm-up, then turns in batches of ${options.batch}, floor and bot alternating)\n`);
  const w1 = [30, 6, 8, 8, 6, 8, 8, 6, 8, 8, 6];
  console.log(row(["workload", "turns", "p50 ms", "", "", "p95 ms", "", "", "p99 ms", "", ""], w1));
  console.log(row(["", "", "floor", "bot", "x", "floor", "bot", "x", "floor", "bot", "x"], w1));
  for (const r of results) {
    const [f, b] = [r.sequential.floor, r.sequential.bot];
    console.log(
      row(
        [
          r.workload,
          String(b.turns),
          n(f.p50Ms),
          n(b.p50Ms),
          x(b.p50Ms, f.p50Ms),
          n(f.p95Ms),
          n(b.p95Ms),
          x(b.p95Ms, f.p95Ms),
          n(f.p99Ms),
          n(b.p99Ms),
          x(b.p99Ms, f.p99Ms),
        ],
        w1,
      ),
    );
  }

  console.log(`\nPer turn, floor → bot (storage rounds: groups of overlapping storage requests one after the other; CPU: the side's`);
  console.log(`process only; peak RSS: the side's process, its whole life — start-up, warm-up, both runs of this workload)\n`);
  const w2 = [30, 18, 18, 22, 20];
  console.log(row(["workload", "storage calls", "storage rounds", "CPU µs/turn", "peak RSS MB"], w2));
  for (const r of results) {
    const [f, b] = [r.sequential.floor, r.sequential.bot];
    const [fp, bp] = [r.concurrent?.floor.peakRssMb ?? f.peakRssMb, r.concurrent?.bot.peakRssMb ?? b.peakRssMb];
    console.log(
      row(
        [
          r.workload,
          `${pair(n(f.storageCallsPerTurn, 0), n(b.storageCallsPerTurn, 1))} ${x(b.storageCallsPerTurn, f.storageCallsPerTurn)}`,
          `${pair(n(f.storageRoundsPerTurn, 0), n(b.storageRoundsPerTurn, 1))} ${x(b.storageRoundsPerTurn, f.storageRoundsPerTurn)}`,
          `${pair(n(f.cpuUsPerTurn, 0), n(b.cpuUsPerTurn, 0))} ${x(b.cpuUsPerTurn, f.cpuUsPerTurn)}`,
          `${pair(n(fp, 0), n(bp, 0))} ${x(bp, fp)}`,
        ],
        w2,
      ),
    );
  }

  console.log(`\nWhere the time goes, per turn, floor → bot (longest chain: most storage requests one after another, an upper`);
  console.log(`bound of the rounds; storage busy: time at least one Azurite request was open; Azurite CPU: its process,`);
  console.log(`from /proc in 10 ms ticks, so only the mean over many turns means anything)\n`);
  const w3 = [30, 13, 20, 18, 10, 9, 18];
  console.log(row(["workload", "longest chain", "storage busy ms p50", "Azurite CPU µs", "replies", "decrypts", "RSS after warm-up"], w3));
  for (const r of results) {
    const [f, b] = [r.sequential.floor, r.sequential.bot];
    console.log(
      row(
        [
          r.workload,
          pair(n(f.storageChainPerTurn, 0), n(b.storageChainPerTurn, 1)),
          pair(n(f.storageBusyP50Ms), n(b.storageBusyP50Ms)),
          pair(n(f.azuriteCpuUsPerTurn, 0), n(b.azuriteCpuUsPerTurn, 0)),
          pair(n(f.repliesPerTurn, 0), n(b.repliesPerTurn, 0)),
          n(b.decryptionsPerTurn, 0),
          pair(n(r.startRssMb.floor, 0), n(r.startRssMb.bot, 0)),
        ],
        w3,
      ),
    );
  }

  if (results.some((r) => r.concurrent)) {
    console.log(
      `\n${options.concurrency} requests in flight (rounds of ${options.concurrency} sent at once, floor and bot alternating; ` +
        `throughput = turns ÷ time the rounds took; x = bot ÷ floor)\n`,
    );
    const w4 = [30, 7, 9, 9, 6, 15, 15, 22, 9];
    console.log(row(["workload", "turns", "floor t/s", "bot t/s", "x", "floor p50/p95", "bot p50/p95", "CPU µs/turn", "calls"], w4));
    for (const r of results) {
      if (!r.concurrent) continue;
      const [f, b] = [r.concurrent.floor, r.concurrent.bot];
      console.log(
        row(
          [
            r.workload,
            String(b.turns),
            n(f.turnsPerSecond, 0),
            n(b.turnsPerSecond, 0),
            n(b.turnsPerSecond / f.turnsPerSecond, 2),
            `${n(f.p50Ms, 0)}/${n(f.p95Ms, 0)}`,
            `${n(b.p50Ms, 0)}/${n(b.p95Ms, 0)}`,
            `${pair(n(f.cpuUsPerTurn, 0), n(b.cpuUsPerTurn, 0))} ${x(b.cpuUsPerTurn, f.cpuUsPerTurn)}`,
            n(b.storageCallsPerTurn, 1),
          ],
          w4,
        ),
      );
    }
  }

  const unsettled = results.flatMap((r) =>
    (["floor", "bot"] as const)
      .filter((side) => Math.abs(r.sequential[side].p50MsByHalf[1]! / r.sequential[side].p50MsByHalf[0]! - 1) > 0.15)
      .map((side) => `${r.workload} (${side}: ${n(r.sequential[side].p50MsByHalf[0]!)} → ${n(r.sequential[side].p50MsByHalf[1]!)} ms)`),
  );
  if (unsettled.length > 0) {
    console.log(`\nNote: the median moved by more than 15% between the first and second half of: ${unsettled.join("; ")}.`);
    console.log(`Still warming up or a noisy machine; a larger --warmup or --turns gives steadier numbers.`);
  }
  const untracked = results.reduce((total, r) => total + r.sequential.bot.untrackedStorageCalls, 0);
  if (untracked > 0) console.log(`\nNote: the bot made ${untracked} storage calls outside any turn during the measured runs.`);

  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "results", "latest.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        options,
        seconds: run.seconds,
        machine: {
          node: process.version,
          platform: `${process.platform} ${os.release()}`,
          cpu: cpu[0]?.model ?? "unknown",
          cpus: cpu.length,
          memoryGb: os.totalmem() / 2 ** 30,
          loadAverageBefore: run.loadBefore,
          loadAverageAfter: run.loadAfter,
        },
        results,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(
    `\nWritten to ${path.relative(process.cwd(), out)} in ${run.seconds.toFixed(0)} s. A measurement, not a test: no threshold is checked.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

import { randomUUID } from "node:crypto";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { Writable } from "node:stream";
import { createAzureSdkInstrumentation } from "@azure/opentelemetry-instrumentation-azure-sdk";
import { TableClient } from "@azure/data-tables";
import { trace } from "@opentelemetry/api";
import type { Logger as OtelLogger, LogRecord } from "@opentelemetry/api-logs";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, routeConsoleToLogger } from "../src/logger.js";
import { openTables, type TableClients } from "../src/storage/table-storage.js";
import { VERBS } from "../src/teams/verbs.js";
import { exceptionStream, ScrubbingSpanProcessor } from "../src/telemetry.js";
import { cardTexts, startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, fakeCprForAge, SOCIAL_CASEWORKER, testMunicipality } from "./support/fixtures.js";
import { refuseNonLoopbackConnections } from "./support/loopback-only.js";

/*
 * SPEC §9: CPR numbers and health and social text never reach a log or Application Insights.
 * The main journeys run through the real bot, host and Table Storage (Azurite) with the logger
 * at trace level and OpenTelemetry's HTTP and Azure SDK instrumentation on, as in production;
 * then every log line, every exported span and every exception record is searched for the
 * citizens' data that went in.
 */

// Monday 23 November 2026 08:00 Copenhagen: the adult forum meets Wednesday 25 November.
const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
const CHANNEL = "19:voksne-privacy@thread.tacv2";
/** One unique marker per text a citizen's data goes into: none may be found anywhere afterwards. */
const marker = (what: string) => `${what}${randomUUID().slice(0, 8)}`;
const TEXTS = {
  health: marker("HelbredPRIV"),
  social: marker("SocialtPRIV"),
  question: marker("SpoergsmaalPRIV"),
  acuteReason: marker("AkutPRIV"),
  note: marker("BeslutningPRIV"),
  purpose: marker("FormaalPRIV"),
  reasonText: marker("BegrundelsePRIV"),
  eventPurpose: marker("HaendelseFormaalPRIV"),
  eventReason: marker("HaendelseBegrundelsePRIV"),
  chat: marker("ChatPRIV"),
  failing: marker("FejlPRIV"),
};
/** The citizens of these journeys, by fictitious replacement numbers (SPEC §9). */
const CPRS = {
  raised: fakeCprForAge(47, now),
  acute: fakeCprForAge(52, now),
  followed: fakeCprForAge(38, now),
  refused: fakeCprForAge(61, now),
  event: fakeCprForAge(44, now),
  failing: fakeCprForAge(39, now),
};
/** CPR-shaped but with no valid birth date: typed into a form, it is refused — and still not logged. */
const INVALID_CPR = "3102901234";

/** A CPR number standing alone (not glued to other digits or letters, e.g. in a hash or a UUID). */
const CPR_SHAPED = /(?<![\w])\d{6}-?\d{4}(?![\w])/;

const logLines: string[] = [];
const exceptions: LogRecord[] = [];
const spans = new InMemorySpanExporter();
let network: ReturnType<typeof refuseNonLoopbackConnections>;
let restoreConsole: () => void;
let instrumentations: { disable(): void }[] = [];
let tables: TableClients;
let bot: BotHarness;
/** Switches the case tables to one that does not exist: every call then fails as Table Storage answers it. */
let breakStorage: (broken: boolean) => void;

/**
 * Tracing as `startTelemetry` sets it up (HTTP and Azure SDK instrumentation, the scrubbing
 * processor first), with the finished spans kept in memory instead of sent to Azure.
 */
function startTracing() {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new ScrubbingSpanProcessor(), new SimpleSpanProcessor(spans)] }),
  );
  instrumentations = [new HttpInstrumentation(), createAzureSdkInstrumentation()];
  // As in src/telemetry.ts: require the built-ins once so they are patched, then copy that into their ES module views.
  const require = createRequire(import.meta.url);
  require("node:http");
  require("node:https");
  require("@azure/core-tracing");
  syncBuiltinESMExports();
}

function capturingLogger() {
  const otel: OtelLogger = { emit: (record) => void exceptions.push(record), enabled: () => true };
  const lines = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
  return createLogger(
    "trace",
    pino.multistream([
      { level: "trace", stream: lines },
      { level: "error", stream: exceptionStream(otel) },
    ]),
  );
}

/** A table client that turns into `broken` while the switch is on. */
function breakable(client: TableClient, broken: TableClient) {
  let failing = false;
  const proxy = new Proxy(client, {
    get(target, property) {
      const source = failing ? broken : target;
      const value: unknown = Reflect.get(source, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(source) : value;
    },
  });
  return { client: proxy, setBroken: (on: boolean) => void (failing = on) };
}

beforeAll(async () => {
  network = refuseNonLoopbackConnections();
  startTracing();
  const logger = capturingLogger();
  restoreConsole = routeConsoleToLogger(logger);
  const connectionString = inject("azuriteConnectionString");
  tables = await openTables(connectionString);
  const missing = TableClient.fromConnectionString(connectionString, `missing${randomUUID().replace(/-/g, "").slice(0, 20)}`, {
    allowInsecureConnection: true,
  });
  const cases = breakable(tables.cases, missing);
  const caseIndex = breakable(tables.caseIndex, missing);
  breakStorage = (broken) => {
    cases.setBroken(broken);
    caseIndex.setBroken(broken);
  };
  bot = await startBotHarness({
    municipality,
    tables: { ...tables, cases: cases.client, caseIndex: caseIndex.client },
    now: () => now,
    logger,
  });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  for (const user of [CASEWORKER, SOCIAL_CASEWORKER, COORDINATOR])
    await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
});

afterAll(async () => {
  await bot?.close();
  restoreConsole?.();
  for (const instrumentation of instrumentations) instrumentation.disable();
  network?.restore();
});

async function bostotteForm(kind: "bevilling" | "afslag" | "ophoer"): Promise<string> {
  const res = await bot.execute(VERBS.showBostotteForm, { kind }, SOCIAL_CASEWORKER);
  return (res.body.value as { actions: { data: { submissionId: string } }[] }).actions[0]!.data.submissionId;
}

/** The id behind "Vis detaljer" on the last bostøtte notification sent to `conversation`. */
function lastBostotteDetailsId(conversation: string): string {
  const card = bot.sent
    .filter((s) => decodeURIComponent(s.path).includes(conversation) && JSON.stringify(s.body).includes(VERBS.showBostotteDetails))
    .pop()!.body.attachments![0]!.content as { actions: { data: { id: string } }[] };
  return card.actions[0]!.data.id;
}

describe("the main journeys, with everything logged and traced", () => {
  it("raises a case with health and social text, and an acute one", async () => {
    const raised = await bot.raiseCase(CASEWORKER, {
      age: 47,
      on: now,
      fields: {
        cpr: CPRS.raised,
        health: `Kroniske smerter ${TEXTS.health}`,
        social: `Gæld ${TEXTS.social}`,
        question: `Hvad nu? ${TEXTS.question}`,
      },
    });
    expect(raised.reference).toMatch(/^SP-\d{4}$/);
    const acute = await bot.raiseCase(CASEWORKER, {
      age: 52,
      on: now,
      fields: { cpr: CPRS.acute, health: `Indlagt ${TEXTS.health}`, acute: "true", acuteReason: `Udsættelse ${TEXTS.acuteReason}` },
    });
    expect(acute.reference).toMatch(/^SP-\d{4}$/);
    // A form with a CPR-shaped number that is no date: refused, with what was typed kept.
    const refused = await bot.execute(
      VERBS.submitCase,
      { submissionId: randomUUID(), cpr: INVALID_CPR, health: TEXTS.health, social: "", question: "", department: "Jobcenter" },
      CASEWORKER,
    );
    expect(refused.status).toBe(200);
    await bot.dispatcher.runOnce();
  });

  it("lets the coordinator read the details and decide, with a note", async () => {
    const { record } = await bot.raiseCase(CASEWORKER, { age: 47, on: now, fields: { cpr: CPRS.raised, health: TEXTS.health } });
    const details = await bot.execute(VERBS.showCaseDetails, { caseNo: record.caseNo }, COORDINATOR);
    expect(JSON.stringify(details.body.value)).toContain(TEXTS.health);
    const current = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    const decided = await bot.execute(
      VERBS.decideCase,
      {
        caseNo: current.caseNo,
        version: current.version,
        decision: "start",
        socialCaseworker: SOCIAL_CASEWORKER.aadObjectId,
        note: `Aftalt ${TEXTS.note}`,
      },
      COORDINATOR,
    );
    expect(cardTexts(decided.body.value).some((t) => t.startsWith("Beslutning: Start sag"))).toBe(true);
    await bot.dispatcher.runOnce();
    const mine = await bot.say("mine sager", CASEWORKER);
    expect(mine.status).toBe(200);
  });

  it("records bostøtte decisions through the bot, and shows their details", async () => {
    await bot.say(`følg ${CPRS.followed}`, CASEWORKER);
    await bot.execute(VERBS.followCitizen, { cpr: CPRS.followed, purpose: "bostotte-orientering" }, CASEWORKER);
    await bot.say("bostøtte", SOCIAL_CASEWORKER);
    const grant = {
      kind: "bevilling",
      cpr: CPRS.followed,
      legalBasis: "sel-85",
      hours: "3",
      hoursPer: "week",
      from: "2026-12-01",
      to: "",
      review: "2027-03-01",
      purpose: `Hjemmet ${TEXTS.purpose}`,
    };
    const recorded = await bot.execute(
      VERBS.submitBostotte,
      { submissionId: await bostotteForm("bevilling"), ...grant },
      SOCIAL_CASEWORKER,
    );
    expect(cardTexts(recorded.body.value).join(" ")).toContain("har fået besked");
    const termination = {
      kind: "ophoer",
      cpr: CPRS.refused,
      legalBasis: "sel-85",
      endDate: "2026-12-31",
      reasonCategory: "maal-naaet",
      reasonText: `Klarer sig ${TEXTS.reasonText}`,
    };
    await bot.execute(VERBS.submitBostotte, { submissionId: await bostotteForm("ophoer"), ...termination }, SOCIAL_CASEWORKER);
    // A wrong form: CPR-shaped but no date, kept in the answer.
    await bot.execute(
      VERBS.submitBostotte,
      { submissionId: await bostotteForm("bevilling"), ...grant, cpr: INVALID_CPR },
      SOCIAL_CASEWORKER,
    );
    await bot.dispatcher.runOnce();
    const details = await bot.execute(
      VERBS.showBostotteDetails,
      { id: lastBostotteDetailsId(`conv-${CASEWORKER.aadObjectId}-personal`) },
      CASEWORKER,
    );
    expect(JSON.stringify(details.body.value)).toContain(TEXTS.purpose);
    await bot.say("følger", CASEWORKER);
    await bot.say(`stop følg ${CPRS.followed}`, CASEWORKER);
  });

  it("records bostøtte decisions from the social case system", async () => {
    const grant = {
      version: "1",
      eventId: `sag-${randomUUID()}`,
      kind: "grant",
      cpr: CPRS.event,
      legalBasis: "sel-85",
      hours: { amount: 4, per: "week" },
      period: { from: "2026-12-01", review: "2027-03-01" },
      purpose: `Bolig ${TEXTS.eventPurpose}`,
      decidedAt: "2026-11-23T09:00:00+01:00",
    };
    expect((await bot.postBostotteEvent(grant)).status).toBe(201);
    expect((await bot.postBostotteEvent(grant)).status).toBe(200);
    expect((await bot.postBostotteEvent({ ...grant, purpose: `Andet ${TEXTS.eventPurpose}` })).status).toBe(409);
    const termination = {
      version: "1",
      eventId: `sag-${randomUUID()}`,
      kind: "termination",
      cpr: CPRS.event.replace("-", ""),
      legalBasis: "sel-85",
      endDate: "2027-01-31",
      reasonCategory: "flyttet",
      reasonText: `Flyttet ${TEXTS.eventReason}`,
      decidedAt: "2026-11-23T09:00:00+01:00",
    };
    expect((await bot.postBostotteEvent(termination)).status).toBe(201);
    expect((await bot.postBostotteEvent({ ...termination, eventId: "x", cpr: INVALID_CPR })).status).toBe(400);
    await bot.dispatcher.runOnce();
  });

  it("writes chat text that carries a CPR number and health text, which the bot does not understand", async () => {
    const res = await bot.say(`Borgeren ${CPRS.raised} har ${TEXTS.chat}`, CASEWORKER);
    expect(res.status).toBe(200);
  });

  it("fails turns on purpose while storage is down, so that errors are logged", async () => {
    breakStorage(true);
    try {
      const raise = await bot.execute(
        VERBS.submitCase,
        {
          submissionId: randomUUID(),
          cpr: CPRS.failing,
          health: `Smerter ${TEXTS.failing}`,
          social: TEXTS.failing,
          question: TEXTS.failing,
          department: "Jobcenter",
          acute: "false",
          acuteReason: "",
        },
        CASEWORKER,
      );
      expect(raise.status).toBeLessThan(600);
      await bot.say("mine sager", CASEWORKER);
      await bot.say(`følg ${CPRS.failing}`, CASEWORKER);
      await bot.execute(VERBS.showCaseDetails, { caseNo: 1 }, COORDINATOR);
      await bot.postBostotteEvent({
        version: "1",
        eventId: `sag-${randomUUID()}`,
        kind: "termination",
        cpr: CPRS.failing,
        legalBasis: "sel-85",
        endDate: "2027-01-31",
        reasonCategory: "flyttet",
        reasonText: TEXTS.failing,
        decidedAt: "2026-11-23T09:00:00+01:00",
      });
      await bot.dispatcher.runOnce();
    } finally {
      breakStorage(false);
    }
  });
});

describe("what was logged and traced", () => {
  const everything = () => {
    const lines = logLines.map((line) => ({ where: "log", text: line }));
    const finished = spans.getFinishedSpans().map((span) => ({ where: `span ${span.name}`, text: spanText(span) }));
    const records = exceptions.map((record) => ({ where: "exception", text: JSON.stringify(record) }));
    return [...lines, ...finished, ...records];
  };

  it("covered the journeys: info, warnings and errors logged, server and client spans, exceptions", () => {
    const lines = logLines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(["case raised", "decision recorded", "bostøtte decision recorded", "bostøtte event recorded", "turn failed"]),
    );
    expect(lines.filter((line) => line.level >= 50).length).toBeGreaterThanOrEqual(3);
    const kinds = new Set(spans.getFinishedSpans().map((span) => span.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(2);
    expect(spans.getFinishedSpans().some((span) => /POST/.test(span.name) || span.attributes["http.method"] === "POST")).toBe(true);
    expect(exceptions.length).toBeGreaterThan(0);
  });

  it("holds no CPR-shaped number", () => {
    const found = everything().filter((entry) => CPR_SHAPED.test(entry.text));
    expect(found.map((entry) => `${entry.where}: ${CPR_SHAPED.exec(entry.text)![0]} in ${entry.text.slice(0, 400)}`)).toEqual([]);
  });

  it("holds none of the citizens' CPR digits, however written", () => {
    const digits = [...Object.values(CPRS), INVALID_CPR].flatMap((cpr) => [cpr, cpr.replace("-", "")]);
    const found = everything().flatMap((entry) => digits.filter((d) => entry.text.includes(d)).map((d) => `${entry.where}: ${d}`));
    expect(found).toEqual([]);
  });

  it("holds none of the case, decision, bostøtte or chat texts", () => {
    const found = everything().flatMap((entry) =>
      Object.values(TEXTS)
        .filter((text) => entry.text.includes(text))
        .map((text) => `${entry.where}: ${text} in ${entry.text.slice(0, 400)}`),
    );
    expect(found).toEqual([]);
  });

  it("reached nothing past this machine", () => {
    expect(network.refused).toEqual([]);
  });
});

/** All of a span that an exporter sends, but its times (whose [seconds, nanoseconds] would look like CPR numbers). */
function spanText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
    links: span.links.map((link) => link.attributes),
    resource: span.resource.attributes,
  });
}

describe("the logger's scrubbing, beyond the journeys", () => {
  const CPR = fakeCprForAge(45, now);
  const CPR_NUMBER = Number(CPR.replace("-", ""));
  const HEALTH = marker("HelbredLOG");

  function capture() {
    const lines: string[] = [];
    const logger = createLogger("trace", new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    return { logger, output: () => lines.join("") };
  }
  const expectClean = (output: string) => {
    expect(output).not.toContain(CPR);
    expect(output).not.toContain(CPR.replace("-", ""));
    expect(output).not.toContain(HEALTH);
  };

  it("scrubs an object however deep the CPR number or the health text sits", () => {
    const { logger, output } = capture();
    let deep: Record<string, unknown> = { note: `borger ${CPR}`, health: HEALTH };
    for (let level = 0; level < 12; level++) deep = { nested: deep };
    logger.info({ deep }, "deep");
    logger.error({ err: { message: `for ${CPR}`, request: { body: HEALTH, headers: { authorization: "Bearer x" } } } }, "not an Error");
    expect(output()).toContain("deep");
    expectClean(output());
  });

  it("scrubs what is interpolated into the message (%s, %d, %o, %j)", () => {
    const { logger, output } = capture();
    logger.info("borger %s", CPR);
    logger.info("borger %d", CPR_NUMBER);
    logger.info("aktivitet %j", { text: HEALTH, value: { cpr: CPR } });
    logger.info({ caseNo: 7 }, "sag %o", { health: HEALTH });
    logger.warn("tal %s og %o", CPR_NUMBER, { note: "helbred", health: HEALTH });
    expect(output()).toContain('"caseNo":7');
    expectClean(output());
  });

  it("scrubs objects that libraries print on the console, by field as in a log object", () => {
    const { logger, output } = capture();
    const restore = routeConsoleToLogger(logger);
    try {
      console.log("activity", { type: "message", text: `${HEALTH} ${CPR}`, value: { health: HEALTH } });
      console.error(Object.assign(new Error(`failed for ${CPR}`), { body: HEALTH }), { activity: { text: HEALTH } });
      console.warn("%o", { cpr: CPR, social: HEALTH });
    } finally {
      restore();
    }
    expect(output()).toContain('"source":"console"');
    expectClean(output());
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { CachedDirectory } from "../../src/directory/cached-directory.js";
import { GraphDirectory } from "../../src/directory/graph-directory.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { createLogger } from "../../src/logger.js";
import { openTables } from "../../src/storage/table-storage.js";
import { TEXT } from "../../src/teams/messages.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { fakeCprForAge } from "../support/fixtures.js";
import { GRAPH_TEST_TOKEN, startGraphStub, type GraphStub } from "../support/graph-stub.js";

// Monday 23 November 2026 08:00 Copenhagen: the adult forum meets Wednesday 25 November.
let now = new Date("2026-11-23T07:00:00Z");
const advance = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
const CACHE_SECONDS = 300;

const METTE = { aadObjectId: "aaaaaaaa-4444-4000-8000-000000000001", name: "Mette Holm" };
const PETER = { aadObjectId: "aaaaaaaa-4444-4000-8000-000000000002", name: "Peter Skov" };
const HANNE = { aadObjectId: "aaaaaaaa-4444-4000-8000-000000000003", name: "Hanne Lund" };
const JONAS = { aadObjectId: "aaaaaaaa-4444-4000-8000-000000000004", name: "Jonas Dahl" };
const OUTSIDER = { aadObjectId: "aaaaaaaa-4444-4000-8000-000000000099", name: "Ulla Udenfor" };
const ADULT_COORDINATORS = "bbbbbbbb-4444-4000-8000-000000000001";
const TEAM_NORTH = "bbbbbbbb-4444-4000-8000-000000000002";
const ADMINISTRATORS = "bbbbbbbb-4444-4000-8000-000000000003";

/** Roles as a municipality writes them: a caseworker by e-mail, coordinators and administrators by group, one user by id. */
const municipality = municipalitySchema.parse({
  tenantId: randomUUID(),
  name: "Testkommune",
  departments: ["Jobcenter", "Ungeindsatsen"],
  forums: [
    { id: "unge", name: "Sparring unge (15-29)", minAge: 15, maxAge: 29 },
    { id: "voksne", name: "Sparring voksne (30+)", minAge: 30 },
  ],
  roles: {
    caseworkers: ["Mette.Holm@kommune.example"],
    coordinators: { unge: [HANNE.aadObjectId], voksne: [ADULT_COORDINATORS] },
    socialCaseworkers: [JONAS.aadObjectId],
    administrators: [ADMINISTRATORS],
  },
});

let graph: GraphStub;
let bot: BotHarness;
const logLines: string[] = [];

beforeAll(async () => {
  graph = await startGraphStub({
    users: [
      { id: METTE.aadObjectId, displayName: "Mette Holm", userPrincipalName: "mette.holm@kommune.example" },
      { id: PETER.aadObjectId, displayName: "Peter Skov", userPrincipalName: "psk@kommune.example" },
      { id: HANNE.aadObjectId, displayName: "Hanne Lund", userPrincipalName: "hlu@kommune.example" },
      { id: JONAS.aadObjectId, displayName: "Jonas Dahl", userPrincipalName: "jda@kommune.example" },
      { id: OUTSIDER.aadObjectId, displayName: "Ulla Udenfor", userPrincipalName: "uud@kommune.example" },
    ],
    groups: [
      // "Sparring koordinatorer voksne" holds Peter through the nested group "Team Nord".
      { id: ADULT_COORDINATORS, displayName: "Sparring koordinatorer voksne", members: [TEAM_NORTH] },
      { id: TEAM_NORTH, displayName: "Team Nord", members: [PETER.aadObjectId] },
      { id: ADMINISTRATORS, displayName: "Sparring administratorer", members: [HANNE.aadObjectId] },
    ],
  });
  const directory = new CachedDirectory(
    new GraphDirectory({ baseUrl: graph.baseUrl, token: async () => GRAPH_TEST_TOKEN }),
    CACHE_SECONDS * 1000,
    { now: () => now },
  );
  bot = await startBotHarness({
    municipality,
    tables: await openTables(inject("azuriteConnectionString")),
    now: () => now,
    directory,
    logger: createLogger("info", { write: (line: string) => void logLines.push(line) }),
  });
  for (const user of [METTE, JONAS]) await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
});
afterAll(async () => {
  await bot.close();
  await graph.close();
});
beforeEach(() => {
  graph.state.down = false;
  // Each test starts after the cache period: Graph is asked afresh.
  advance(CACHE_SECONDS + 1);
});

const showDetails = (caseNo: number, user: { aadObjectId: string; name: string }) => bot.execute(VERBS.showCaseDetails, { caseNo }, user);

describe("roles from Entra ID groups and e-mail addresses, looked up in Microsoft Graph", () => {
  it("lets a caseworker named by e-mail raise a case, and a coordinator through a nested group see and decide it", async () => {
    const { record } = await bot.raiseCase(METTE, { age: 50, on: now });
    expect(record.raisedBy).toBe(METTE.aadObjectId);

    const details = await showDetails(record.caseNo, PETER);
    expect(typeof details.body.value).toBe("object");
    expect((await showDetails(record.caseNo, OUTSIDER)).body.value).toBe(TEXT.detailsRefused);

    const decided = await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "start", socialCaseworker: JONAS.aadObjectId },
      PETER,
    );
    expect(cardTexts(decided.body.value)).toContain("Beslutning: Start sag i myndighedsafdelingen — visiteret til Jonas Dahl");
    expect(await bot.deps.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ state: "visitated" });
  });

  it("asks Graph once per cache period: later turns within it cost no Graph call", async () => {
    await bot.say("mine sager", METTE);
    const asked = graph.state.requests.length;
    expect(asked).toBeGreaterThan(0);
    advance(CACHE_SECONDS - 1);
    await bot.say("mine sager", METTE);
    await bot.say("mine sager", PETER);
    expect(graph.state.requests).toHaveLength(asked);
  });

  it("gives someone added to the group the role once the cache period has passed, with no redeploy", async () => {
    const { record } = await bot.raiseCase(METTE, { age: 45, on: now });
    expect((await showDetails(record.caseNo, OUTSIDER)).body.value).toBe(TEXT.detailsRefused);

    graph.addMember(TEAM_NORTH, OUTSIDER.aadObjectId);
    advance(60);
    expect((await showDetails(record.caseNo, OUTSIDER)).body.value).toBe(TEXT.detailsRefused);

    advance(CACHE_SECONDS);
    expect(typeof (await showDetails(record.caseNo, OUTSIDER)).body.value).toBe("object");
    graph.state.groups.get(TEAM_NORTH)!.members.pop();
  });

  it("refuses when Graph is down — a coordinator cannot decide, nothing changes — and logs it without personal data", async () => {
    const { record } = await bot.raiseCase(METTE, { age: 60, on: now });
    advance(CACHE_SECONDS + 1);
    graph.state.down = true;
    logLines.length = 0;

    const refused = await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "no-basis", note: "Ingen snitflader" },
      PETER,
    );
    expect(refused.status).toBe(200);
    expect(refused.body.value).toBe("Vi kan ikke tjekke din rolle lige nu — prøv igen om lidt.");
    expect(await bot.deps.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ state: "booked", version: record.version });

    const message = await bot.say("mine sager", METTE);
    expect(message.replies.map((r) => r.text)).toEqual(["Vi kan ikke tjekke din rolle lige nu — prøv igen om lidt."]);

    const refusals = logLines.filter((line) => line.includes("roles could not be checked"));
    expect(refusals).toHaveLength(2);
    const logged = refusals.join("\n");
    expect(logged).toContain("Microsoft Graph answered 503");
    for (const personal of [PETER.aadObjectId, METTE.aadObjectId, "Peter", "Mette", "mette.holm"]) expect(logged).not.toContain(personal);

    graph.state.down = false;
    const decided = await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "no-basis", note: "Ingen snitflader" },
      PETER,
    );
    expect(typeof decided.body.value).toBe("object");
    expect(await bot.deps.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ state: "closed" });
  });
});

describe("outside a turn: the bostøtte endpoint and the outbox use the roles as Graph has them, and wait while it is down", () => {
  it("tells a caseworker named by e-mail of a bostøtte decision; while Graph is down it answers 503 and records nothing", async () => {
    const cpr = fakeCprForAge(37, now);
    await bot.execute(VERBS.followCitizen, { cpr, purpose: "bostotte-orientering" }, METTE);
    const event = {
      version: "1",
      eventId: `sag-${randomUUID()}`,
      kind: "termination",
      cpr,
      legalBasis: "sel-85",
      endDate: "2027-01-31",
      reasonCategory: "flyttet",
      decidedAt: "2026-11-23T09:00:00+01:00",
    };

    advance(CACHE_SECONDS + 1);
    graph.state.down = true;
    const refused = await bot.postBostotteEvent(event);
    expect(refused).toMatchObject({ status: 503, body: { error: expect.stringContaining("nothing was recorded") } });

    graph.state.down = false;
    const recorded = await bot.postBostotteEvent(event);
    expect(recorded).toMatchObject({ status: 201, body: { status: "recorded", notified: { caseworkers: 1, forumChannel: false } } });
  });

  it("keeps notifications waiting while Graph is down and sends them once it answers", async () => {
    await bot.raiseCase(METTE, { age: 40, on: now });
    advance(CACHE_SECONDS + 1);
    graph.state.down = true;
    const waiting = await bot.dispatcher.runOnce();
    expect(waiting).toMatchObject({ sent: 0, failed: 0, dropped: 0 });
    expect(waiting.retried).toBeGreaterThan(0);

    graph.state.down = false;
    advance(10 * 60);
    expect((await bot.dispatcher.runOnce()).sent).toBeGreaterThan(0);
  });
});

describe("`roller`: who holds each role, for administrators", () => {
  it("shows an administrator (through a group) each role's holders by name, through which groups, per forum", async () => {
    const { replies } = await bot.say("roller", HANNE, "channel", "19:roller@thread.tacv2");
    const text = replies[0]!.text!;
    expect(text).toContain("**Roller i Sparring — Testkommune**");
    expect(text).toContain("**Sagsbehandlere (kan oprette sager)**\n\n- Mette Holm (direkte)");
    expect(text).toContain("**Koordinatorer — Sparring unge (15-29)**\n\n- Hanne Lund (direkte)");
    expect(text).toContain("**Koordinatorer — Sparring voksne (30+)**\n\n- Peter Skov (via Sparring koordinatorer voksne)");
    expect(text).toContain("Grupper: Sparring koordinatorer voksne (1 person).");
    expect(text).toContain("**Administratorer**\n\n- Hanne Lund (via Sparring administratorer)");
    expect(text).toContain("**Ledere**\n\nIngen.");

    const personal = await bot.say("roller", HANNE);
    expect(personal.replies[0]!.text).toBe(text);
  });

  it("politely refuses everyone else", async () => {
    for (const user of [PETER, METTE, OUTSIDER]) {
      const { replies } = await bot.say("roller", user);
      expect(replies.map((r) => r.text)).toEqual([
        "Kun en Sparring-administrator kan se, hvem der har hvilke roller. Spørg jeres Sparring-administrator eller it-afdeling, hvis du mangler en rolle.",
      ]);
    }
  });
});

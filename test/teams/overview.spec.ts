import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { sendScheduledOverviews } from "../../src/domain/overview-use-cases.js";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const MANAGER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000008", name: "Test Leder" };
let now = new Date("2026-11-23T07:30:00Z");
const base = testMunicipality();
const municipality = municipalitySchema.parse({ ...base, roles: { ...base.roles, managers: [MANAGER.aadObjectId] } });
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  for (const user of [CASEWORKER, MANAGER]) await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

function factsOf(card: unknown): { title: string; value: string }[] {
  const out: { title: string; value: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (typeof n["title"] === "string" && typeof n["value"] === "string") out.push({ title: n["title"], value: n["value"] });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** A joint plan with one effort, as typed into the plan form. */
const onePlan = {
  effortIds: "e1",
  "efforts.0.title": "Mentorforløb",
  "efforts.0.purpose": "Borgeren får en mentor, der støtter fremmøde i praktik.",
  "efforts.0.department": "Jobcenter",
  "efforts.0.person": "Mette Mentor",
  "efforts.0.from": "2026-12-01",
  "efforts.0.to": "2027-05-31",
  "efforts.0.after": "",
  framework: "Vi taler sammen hver anden uge.",
  employmentFollowUp: "2027-01-15",
  socialFollowUp: "2027-01-22",
  fixedCaseworker: SOCIAL_CASEWORKER.aadObjectId,
  budgetKr: "50.000",
  forumFollowUp: "",
};

const cardOf = (reply: { attachments?: { content: Record<string, unknown> }[] } | undefined) => reply?.attachments?.[0]?.content;

describe("`overblik` (SPEC §8): the managers' overview in personal chat", () => {
  it("a manager gets the last 7 days at once, counts only, with charts that fall back to facts", async () => {
    const { record } = await bot.raiseCase(CASEWORKER, { age: 40, on: now });
    const decided = await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "no-basis", note: "Ikke relevant" },
      COORDINATOR,
    );
    expect(decided.status).toBe(200);
    now = new Date(now.getTime() + 60_000);

    const { replies } = await bot.say("overblik", MANAGER);
    const card = cardOf(replies[0]);
    const texts = cardTexts(card);
    expect(texts).toContain("Overblik: de seneste 7 dage");
    // One case raised and decided: a small count, shown as <3 and never as 1.
    const voksne = factsOf(card).find((f) => f.title === "Sparring voksne (30+)")!.value;
    expect(voksne).toContain("Oprettet <3");
    expect(voksne).toContain("ikke grundlag <3");
    expect(voksne).not.toMatch(/ 1( |$)/);
    expect(JSON.stringify(card)).not.toMatch(/\d{6}-?\d{4}/);
    const charts = JSON.stringify(card).match(/"type":"Chart\.[A-Za-z.]+"/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(2);
  });

  it("a joint plan agreed through the plan's buttons shows up under its forum and in total, as a small count", async () => {
    const { record } = await bot.raiseCase(CASEWORKER, { age: 52, on: now });
    await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
      COORDINATOR,
    );
    await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER);
    const saved = await bot.execute(VERBS.editPlan, { caseNo: record.caseNo, version: 0, ...onePlan }, CASEWORKER);
    expect(cardTexts(saved.body.value)).toContain("Kladde · version 1");
    for (const user of [CASEWORKER, SOCIAL_CASEWORKER]) await bot.execute(VERBS.approvePlan, { caseNo: record.caseNo, version: 1 }, user);
    now = new Date(now.getTime() + 60_000);

    const card = cardOf((await bot.say("overblik", MANAGER)).replies[0]);
    const plans = factsOf(card).filter((f) => f.value.startsWith("Enige"));
    expect(plans.map((f) => f.title)).toEqual(["Sparring unge (15-29)", "Sparring voksne (30+)", "I alt"]);
    expect(plans[0]!.value).toBe("Enige 0 · blev aktive 0 · afsluttet 0 · opfølgninger til tiden 0, for sent 0, overskredet 0");
    // One plan agreed: shown as <3 in its forum and in total, never as 1.
    expect(plans[1]!.value).toContain("Enige <3 · blev aktive 0");
    expect(plans[2]!.value).toContain("Enige <3 · blev aktive 0");
    expect(cardTexts(card).join(" ")).not.toContain("endnu ikke");
  });

  it("`overblik 30` covers 30 days", async () => {
    const { replies } = await bot.say("overblik 30", MANAGER);
    expect(cardTexts(cardOf(replies[0]))).toContain("Overblik: de seneste 30 dage");
  });

  it.each([
    ["overblik 0", "fra 1 til 365 dage, ikke 0"],
    ["overblik 9999", "fra 1 til 365 dage, ikke 9999"],
    ["overblik abc", '"abc" er ikke et antal dage'],
  ])("%s gets a clear Danish answer", async (text, expected) => {
    const { replies } = await bot.say(text, MANAGER);
    expect(replies[0]!.text).toContain(expected);
  });

  it("`hjælp` lists the overview's commands for a manager, and not for a caseworker", async () => {
    const forManager = cardTexts(cardOf((await bot.say("hjælp", MANAGER)).replies[0]));
    expect(forManager).toContain("Som leder");
    for (const command of ["overblik", "overblik 30", "abonnér på overblik", "afmeld overblik"]) expect(forManager).toContain(command);
    const forCaseworker = cardTexts(cardOf((await bot.say("hjælp", CASEWORKER)).replies[0]));
    expect(forCaseworker).toContain("mine sager");
    expect(forCaseworker).not.toContain("Som leder");
    expect(forCaseworker).not.toContain("overblik");
    expect(forCaseworker).not.toContain("Som administrator");
  });

  it("`hjælp` lists an administrator's commands for an administrator only", async () => {
    const forAdministrator = cardTexts(cardOf((await bot.say("hjælp", ADMINISTRATOR)).replies[0]));
    expect(forAdministrator).toContain("Som administrator");
    for (const command of ["roller", "status", "indsigt CPR-nummer"]) expect(forAdministrator).toContain(command);
    expect(forAdministrator.some((t) => t.startsWith("tilknyt forum "))).toBe(true);
    const forManager = cardTexts(cardOf((await bot.say("hjælp", MANAGER)).replies[0]));
    expect(forManager).not.toContain("Som administrator");
  });

  it("someone who is not a manager is told politely, and nothing changes", async () => {
    for (const text of ["overblik", "abonnér på overblik"]) {
      const { replies } = await bot.say(text, CASEWORKER);
      expect(replies[0]!.text).toBe(
        "Overblikket er for ledere i Sparring. Spørg din administrator, hvis du skal have adgang. Intet er ændret.",
      );
    }
    expect(await bot.deps.overview.subscribers(municipality.tenantId)).toEqual([]);
  });

  it("subscribes, gets one overview on Monday 08:00 (not twice), and unsubscribes", async () => {
    now = new Date("2026-11-24T09:00:00Z");
    expect((await bot.say("abonnér på overblik", MANAGER)).replies[0]!.text).toContain("hver mandag kl. 08.00");
    expect((await bot.say("abonner på overblik", MANAGER)).replies[0]!.text).toContain("abonnerer allerede");

    now = new Date("2026-11-30T07:02:00Z");
    expect(await Promise.all([sendScheduledOverviews(bot.deps, municipality), sendScheduledOverviews(bot.deps, municipality)])).toEqual(
      expect.arrayContaining([1, 0]),
    );
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const overviews = bot.sent.slice(before).filter((s) => cardTexts(cardOf(s.body)).includes("Dit faste overblik."));
    expect(overviews).toHaveLength(1);
    expect(overviews[0]!.path).toContain(`conv-${MANAGER.aadObjectId}`);

    expect((await bot.say("afmeld overblik", MANAGER)).replies[0]!.text).toContain("abonnerer ikke længere");
    expect((await bot.say("afmeld overblik", MANAGER)).replies[0]!.text).toContain("abonnerede ikke");
  });
});

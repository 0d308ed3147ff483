import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness, type SentActivity } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COLLEAGUE, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
const CHANNEL = "19:voksne-handover@thread.tacv2";
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  for (const user of [CASEWORKER, COLLEAGUE, SOCIAL_CASEWORKER])
    await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
  await bot.dispatcher.runOnce();
});
afterAll(() => bot.close());

const sentTo = (user: { aadObjectId: string }, before: number): SentActivity[] =>
  bot.sent.slice(before).filter((s) => s.method === "POST" && decodeURIComponent(s.path).includes(`conv-${user.aadObjectId}-personal`));

describe("sagsbehandlerskift: a caseworker hands a case to a colleague", () => {
  it("moves the case to the colleague's 'mine sager' and tells the colleague, the social caseworker and the channel once", async () => {
    const { record, reference } = await bot.raiseCase(CASEWORKER, { age: 45, on: now });
    await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
      COORDINATOR,
    );
    await bot.dispatcher.runOnce();
    const visitated = await bot.deps.cases.get(municipality.tenantId, record.caseNo);

    expect((await bot.execute(VERBS.showHandOverCase, { caseNo: record.caseNo }, OUTSIDER)).body.value).toContain(
      "Kun sagens sagsbehandler",
    );
    const form = await bot.execute(VERBS.showHandOverCase, { caseNo: record.caseNo }, CASEWORKER);
    expect(cardTexts(form.body.value)).toContain("Test Kollega");
    expect(cardTexts(form.body.value)).not.toContain("Test Sagsbehandler");
    const none = await bot.execute(VERBS.handOverCase, { caseNo: record.caseNo, version: visitated!.version, to: "" }, CASEWORKER);
    expect(cardTexts(none.body.value)).toContain("Vælg en kollega fra listen.");

    const before = bot.sent.length;
    const done = await bot.execute(
      VERBS.handOverCase,
      { caseNo: record.caseNo, version: visitated!.version, to: COLLEAGUE.aadObjectId },
      CASEWORKER,
    );
    expect(done.body.value).toContain(`Sag ${reference} er givet videre til Test Kollega`);
    const again = await bot.execute(
      VERBS.handOverCase,
      { caseNo: record.caseNo, version: visitated!.version, to: COLLEAGUE.aadObjectId },
      CASEWORKER,
    );
    expect(again.body.value).toContain("er allerede givet videre");
    await bot.dispatcher.runOnce();

    expect(sentTo(COLLEAGUE, before).map((s) => s.body.text)).toEqual([expect.stringContaining(`Du har overtaget sag ${reference}`)]);
    expect(sentTo(SOCIAL_CASEWORKER, before).map((s) => s.body.text)).toEqual([
      expect.stringContaining("ny sagsbehandler i beskæftigelsen: Test Kollega"),
    ]);
    const mine = await bot.say("mine sager", COLLEAGUE);
    expect(JSON.stringify(mine.replies[0]!.attachments![0]!.content)).toContain(reference);
    const theirs = await bot.say("mine sager", CASEWORKER);
    expect(JSON.stringify(theirs.replies[0]!.attachments![0]!.content)).not.toContain(reference);
  });
});

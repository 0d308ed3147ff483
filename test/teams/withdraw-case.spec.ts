import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, OUTSIDER, testMunicipality } from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen; the adult forum meets Wednesday 25 November 14:00.
const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
const CHANNEL = "19:voksne-withdraw@thread.tacv2";
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
});
afterAll(() => bot.close());

describe("a caseworker withdraws an undecided case from 'mine sager'", () => {
  it("offers Træk tilbage, asks first, frees the slot and marks the channel card — and the forum cannot decide it any more", async () => {
    const { record, reference } = await bot.raiseCase(CASEWORKER, { age: 45, on: now });
    await bot.dispatcher.runOnce();

    const { replies } = await bot.say("mine sager", CASEWORKER);
    const list = JSON.stringify(replies[0]!.attachments![0]!.content);
    expect(list).toContain("Træk tilbage");
    expect(list).toContain(VERBS.showWithdrawCase);

    const refused = await bot.execute(VERBS.showWithdrawCase, { caseNo: record.caseNo }, OUTSIDER);
    expect(refused.body.value).toBe("Kun sagsbehandleren, der rejste sagen, kan trække den tilbage. Intet er ændret.");

    const confirm = await bot.execute(VERBS.showWithdrawCase, { caseNo: record.caseNo }, CASEWORKER);
    expect(cardTexts(confirm.body.value)).toContain("Træk sagen tilbage?");

    const done = await bot.execute(VERBS.withdrawCase, { caseNo: record.caseNo, version: record.version }, CASEWORKER);
    expect(done.body.value).toBe(`Sag ${reference} er trukket tilbage. Koordinatorerne skal ikke længere tage stilling til den.`);
    expect(await bot.deps.meetings.bookings(municipality.tenantId, { forumId: "voksne", date: "2026-11-25" })).toEqual([]);

    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const edit = bot.sent.slice(before).find((s) => s.method === "PUT");
    expect(JSON.stringify(edit!.body)).toContain("Trukket tilbage af sagsbehandleren");
    expect(JSON.stringify(edit!.body)).not.toContain(VERBS.decideCase);

    const decision = await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version + 1, decision: "postpone" },
      COORDINATOR,
    );
    expect(cardTexts(decision.body.value)).toContain("Sagen er trukket tilbage af sagsbehandleren. Der skal ikke træffes beslutning.");

    const again = await bot.execute(VERBS.withdrawCase, { caseNo: record.caseNo, version: record.version }, CASEWORKER);
    expect(again.body.value).toContain("kan ikke trækkes tilbage");
  });
});

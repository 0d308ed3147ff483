import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, inputValue, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, COORDINATOR, testMunicipality } from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen: the adult forum's next meeting is Wednesday 25 November.
const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  await bot.post({ ...bot.base(CASEWORKER), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

const raise = async () => (await bot.raiseCase(CASEWORKER, { age: 50, on: now })).record;

describe("a coordinator moves a case from its card", () => {
  it("offers the forum's other meetings with their free slots, and refuses a caseworker", async () => {
    const record = await raise();
    const form = await bot.execute(VERBS.showMoveCase, { caseNo: record.caseNo }, COORDINATOR);
    const texts = cardTexts(form.body.value);
    expect(texts).toEqual(expect.arrayContaining(["Flyt sag " + record.reference]));
    expect(texts.some((t) => t.startsWith("onsdag 9. december 2026 kl. 14.00 — 3 ledige"))).toBe(true);
    expect(texts.some((t) => t.includes("25. november"))).toBe(true); // "Nu: …"
    const refused = await bot.execute(VERBS.showMoveCase, { caseNo: record.caseNo }, CASEWORKER);
    expect(refused.body.value).toContain("Kun forummets koordinatorer");
  });

  it("moves it, answers with the updated card, and refuses the same (now stale) card again", async () => {
    const record = await raise();
    const moved = await bot.execute(
      VERBS.moveCase,
      { caseNo: record.caseNo, version: record.version, meeting: "voksne:2026-12-09" },
      COORDINATOR,
    );
    expect(JSON.stringify(moved.body.value)).toContain("9. december 2026");
    const again = await bot.execute(
      VERBS.moveCase,
      { caseNo: record.caseNo, version: record.version, meeting: "voksne:2026-12-23" },
      COORDINATOR,
    );
    expect(JSON.stringify(again.body.value)).toContain("9. december 2026");
    expect((await bot.deps.cases.get(municipality.tenantId, record.caseNo))!.meetingKey).toBe("voksne:2026-12-09");
  });

  it("keeps the choice and explains when no meeting or an impossible one is chosen", async () => {
    const record = await raise();
    const none = await bot.execute(VERBS.moveCase, { caseNo: record.caseNo, version: record.version }, COORDINATOR);
    expect(cardTexts(none.body.value)).toContain("Vælg det møde, sagen skal flyttes til.");
    const odd = await bot.execute(
      VERBS.moveCase,
      { caseNo: record.caseNo, version: record.version, meeting: "voksne:2026-12-02" },
      COORDINATOR,
    );
    expect(cardTexts(odd.body.value)).toContain("Det møde findes ikke (længere) i forummets kalender. Vælg et andet.");
    expect(inputValue(odd.body.value, "meeting")).toBe("voksne:2026-12-02");
  });
});

describe("a coordinator cancels a meeting from its agenda", () => {
  it("asks first, then moves the cases and tells their caseworkers", async () => {
    const a = await raise();
    const confirm = await bot.execute(VERBS.showCancelMeeting, { meeting: "voksne:2026-11-25" }, COORDINATOR);
    expect(cardTexts(confirm.body.value).join(" ")).toContain("flyttes til næste møde med ledig plads");
    expect(await bot.deps.meetings.status(municipality.tenantId, { forumId: "voksne", date: "2026-11-25" })).toMatchObject({
      cancelled: false,
    });
    const refused = await bot.execute(VERBS.cancelMeeting, { meeting: "voksne:2026-11-25" }, CASEWORKER);
    expect(refused.body.value).toContain("Kun forummets koordinatorer");

    const done = await bot.execute(VERBS.cancelMeeting, { meeting: "voksne:2026-11-25" }, COORDINATOR);
    const texts = cardTexts(done.body.value);
    expect(texts).toContain("Mødet er aflyst");
    expect(texts.some((t) => t.startsWith(`• ${a.reference} → `))).toBe(true);
    expect((await bot.deps.cases.get(municipality.tenantId, a.caseNo))!.meetingKey).not.toBe("voksne:2026-11-25");

    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const told = bot.sent.slice(before).filter((s) => s.body.text?.includes("fordi mødet er aflyst"));
    expect(told.length).toBeGreaterThanOrEqual(1);
    const twice = await bot.execute(VERBS.cancelMeeting, { meeting: "voksne:2026-11-25" }, COORDINATOR);
    expect(twice.body.value).toBe("Mødet er allerede aflyst.");
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { notifyTargetGroupChanges } from "../../src/domain/target-group-change.js";
import { openTables } from "../../src/storage/table-storage.js";
import { startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, fakeCpr, testMunicipality } from "../support/fixtures.js";

let now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  await bot.post({ ...bot.base(CASEWORKER), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

describe("målgruppeskift on Azurite", () => {
  it("tells the caseworker once on the birthday, even with two instances running the job at the same moment", async () => {
    // Turns 30 on Saturday 5 December 2026.
    const { reference } = await bot.raiseCase(CASEWORKER, {
      age: 29,
      on: now,
      fields: { cpr: fakeCpr({ year: 1996, month: 12, day: 5 }) },
    });
    await bot.dispatcher.runOnce();

    now = new Date("2026-12-04T09:00:00Z"); // the day before: nothing
    expect(await notifyTargetGroupChanges(bot.deps, municipality)).toBe(0);

    now = new Date("2026-12-05T09:00:00Z"); // 10:00 in Copenhagen on the birthday
    const [one, two] = await Promise.all([
      notifyTargetGroupChanges(bot.deps, municipality),
      notifyTargetGroupChanges(bot.deps, municipality),
    ]);
    expect(one + two).toBe(1);
    expect(await notifyTargetGroupChanges(bot.deps, municipality)).toBe(0);

    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const told = bot.sent.slice(before).filter((s) => s.body.text?.includes("Målgruppeskift"));
    expect(told).toHaveLength(1);
    expect(told[0]!.body.text).toContain(`sag ${reference}`);
    expect(told[0]!.body.text).toContain("fylder 30 år 05.12.2026");
    expect(told[0]!.body.text).not.toMatch(/\d{6}-\d{4}/);
  });
});

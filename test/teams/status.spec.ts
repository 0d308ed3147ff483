import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { notification } from "../../src/domain/notification.js";
import { keys } from "../../src/storage/table-layout.js";
import { openTables } from "../../src/storage/table-storage.js";
import { startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, testMunicipality } from "../support/fixtures.js";

const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
const CHANNEL = "19:status@thread.tacv2";
let bot: BotHarness;

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => now });
  await bot.post({ ...bot.base(CASEWORKER), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

describe("`status`: messages that could not be delivered are parked, counted and shown to administrators", () => {
  it("says all is delivered, then counts a message the user's Teams refused (403) without any of its content", async () => {
    const clear = await bot.say("status", ADMINISTRATOR, "channel", CHANNEL);
    expect(clear.replies[0]!.text).toContain("alle beskeder fra Sparring er leveret");

    const message = notification(
      municipality.tenantId,
      `test:${randomUUID()}`,
      { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
      { kind: "text", text: "Hemmelig besked" },
      now,
    );
    await bot.outbox.commit(keys.casePartition(municipality.tenantId, 5_000_000 + Math.floor(Math.random() * 1e6)), [], [message]);
    bot.script.push({ status: 403 });
    expect((await bot.dispatcher.runOnce()).failed).toBe(1);

    const parked = await bot.say("status", ADMINISTRATOR, "channel", CHANNEL);
    expect(parked.replies[0]!.text).toContain("Status: 1 besked kunne ikke leveres");
    expect(parked.replies[0]!.text).toContain("mandag 23. november 2026 kl. 08.00");
    expect(parked.replies[0]!.text).not.toContain("Hemmelig");

    const refused = await bot.say("status", COORDINATOR, "channel", CHANNEL);
    expect(refused.replies[0]!.text).toBe("Kun en Sparring-administrator kan se status. Intet er ændret.");
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { maskCpr } from "../../src/domain/cpr.js";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, OUTSIDER, testMunicipality } from "../support/fixtures.js";

/*
 * `indsigt <CPR>` (SPEC §9, GDPR art. 15) through the real bot on Azurite: an administrator
 * gets every logged access to one citizen's data — and nothing about anyone else.
 */

// Monday 23 November 2026 08:00 Copenhagen; the adult forum meets Wednesday 25 November 14:00.
const now = new Date("2026-11-23T07:00:00Z");
const base = testMunicipality();
/** Names as the municipality's directory gives them, so the report can say who. */
const municipality = {
  ...base,
  directory: {
    ...base.directory,
    [CASEWORKER.aadObjectId]: CASEWORKER.name,
    [COORDINATOR.aadObjectId]: COORDINATOR.name,
    [ADMINISTRATOR.aadObjectId]: ADMINISTRATOR.name,
  },
};
const CHANNEL = "19:voksne-indsigt@thread.tacv2";
let bot: BotHarness;
/** The bot's clock: each step a minute after the one before, so the report's order is the order of events. */
let clock = now;
const later = () => (clock = new Date(clock.getTime() + 60_000));

beforeAll(async () => {
  bot = await startBotHarness({ municipality, tables: await openTables(inject("azuriteConnectionString")), now: () => clock });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
});
afterAll(() => bot.close());

const textOf = (replies: Array<{ text?: string }>) => replies.map((r) => r.text ?? "").join("\n");

describe("an administrator answers a citizen's access request with 'indsigt <CPR>'", () => {
  it("lists exactly the logged accesses to that citizen's data, by name, and audits the request itself", async () => {
    const asked = await bot.raiseCase(CASEWORKER, { age: 45, on: now });
    const other = await bot.raiseCase(CASEWORKER, { age: 52, on: now });
    later();
    await bot.execute(VERBS.showCaseDetails, { caseNo: asked.record.caseNo }, COORDINATOR);
    await bot.execute(VERBS.showCaseDetails, { caseNo: other.record.caseNo }, COORDINATOR);
    await bot.execute(VERBS.showCaseDetails, { caseNo: other.record.caseNo }, OUTSIDER);
    later();

    const { replies } = await bot.say(`indsigt ${asked.cpr}`, ADMINISTRATOR);
    const report = textOf(replies);
    expect(report).toContain(`borger ${maskCpr(asked.cpr.replace("-", ""))}`);
    expect(report).toContain(`(sager: ${asked.reference})`);
    // The case was raised, its details seen by the coordinator, and the request itself: three accesses.
    expect(report).toContain("Sparring har logget 3 adgange");
    const lines = report.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("Test Sagsbehandler · oprettede sagen");
    expect(lines[1]).toContain("Test Koordinator · så sagens detaljer");
    expect(lines[2]).toContain("Test Administrator");
    // Nothing about the other citizen: not their case, not the outsider's refused attempt on it.
    expect(report).not.toContain(other.reference);
    expect(report).not.toContain("Udenforstående");
    // Never the full CPR number in the answer.
    expect(report).not.toContain(asked.cpr);
    expect(report).not.toContain(asked.cpr.replace("-", ""));
  });

  it("refuses anyone but an administrator, and the refused attempt is in the citizen's next report", async () => {
    const { cpr } = await bot.raiseCase(CASEWORKER, { age: 61, on: now });
    later();
    const refused = await bot.say(`indsigt ${cpr}`, CASEWORKER);
    expect(textOf(refused.replies)).toBe(
      "Kun en Sparring-administrator kan besvare en anmodning om indsigt. Intet er slået op, og forsøget er logget.",
    );

    const report = textOf((await bot.say(`indsigt ${cpr}`, ADMINISTRATOR)).replies);
    expect(report).toContain("Test Sagsbehandler · bad om indsigt for borgeren (afvist)");
  });

  it("answers only in personal chat, so the CPR number is never answered in a channel", async () => {
    const { cpr } = await bot.raiseCase(CASEWORKER, { age: 39, on: now });
    const inChannel = await bot.say(`indsigt ${cpr}`, ADMINISTRATOR, "channel", CHANNEL);
    expect(textOf(inChannel.replies)).toContain("i en personlig chat med Sparring");
    expect(textOf(inChannel.replies)).not.toContain("Sparring har logget");
  });

  it("explains a missing or invalid CPR number in Danish", async () => {
    const missing = textOf((await bot.say("indsigt", ADMINISTRATOR)).replies);
    expect(missing).toMatch(/^Indsigt: .+ Skriv fx \*\*indsigt /);
    const invalid = textOf((await bot.say("indsigt 310290-1234", ADMINISTRATOR)).replies);
    expect(invalid).toMatch(/^Indsigt: .+/);
    expect(invalid).not.toContain("Sparring har logget");
  });

  it("a citizen Sparring holds nothing about gets a report with no cases and only the request", async () => {
    const report = textOf((await bot.say("indsigt 6101904321", ADMINISTRATOR)).replies);
    expect(report).toContain("(ingen sager)");
    expect(report).toContain("Sparring har logget 1 adgang");
  });
});

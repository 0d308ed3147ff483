import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TableAddressBook } from "../../src/storage/table-address-book.js";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, testMunicipality, validDraft } from "../support/fixtures.js";

const municipality = testMunicipality();
let bot: BotHarness;
let addresses: TableAddressBook;

beforeAll(async () => {
  const tables = await openTables(inject("azuriteConnectionString"));
  addresses = new TableAddressBook(tables.addresses);
  bot = await startBotHarness({ municipality, tables });
});
afterAll(() => bot.close());

async function raise() {
  const d = validDraft();
  const res = await bot.execute(
    VERBS.submitCase,
    {
      submissionId: randomUUID(),
      cpr: d.cpr,
      health: d.health,
      social: d.social,
      question: d.question,
      department: d.department,
      acute: "false",
      acuteReason: "",
    },
    CASEWORKER,
  );
  return cardTexts(res.body.value).join("\n");
}

describe("binding a channel to a forum", () => {
  it("tells the caseworker when the forum has no channel yet, and keeps the case", async () => {
    const confirmation = await raise();
    expect(confirmation).toContain("Sagen er oprettet");
    expect(confirmation).toContain("har endnu ingen kanal i Teams");
  });

  it("lets an administrator bind a channel with `tilknyt forum voksne`", async () => {
    const { replies } = await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", "19:voksne@thread.tacv2");
    expect(replies[0]!.text).toBe("Kanalen er nu tilknyttet Sparring voksne (30+). Forummets sager og dagsordener vises her.");
    const bound = await addresses.forumChannel(municipality.tenantId, "voksne");
    expect(JSON.parse(bound!.reference)).toMatchObject({ conversation: { id: "19:voksne@thread.tacv2" }, serviceUrl: bot.serviceUrl });
    expect(bound!.boundBy).toBe(ADMINISTRATOR.aadObjectId);
    expect(await raise()).not.toContain("ingen kanal");
  });

  it("says so when a later binding replaces the forum's earlier channel", async () => {
    const { replies } = await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", "19:andet@thread.tacv2");
    expect(replies[0]!.text).toContain("erstatter forummets tidligere kanal");
  });

  it("accepts the start of a forum's name", async () => {
    const { replies } = await bot.say("tilknyt forum Sparring unge", ADMINISTRATOR, "channel", "19:unge@thread.tacv2");
    expect(replies[0]!.text).toContain("Sparring unge (15-29)");
  });

  it("refuses anyone but an administrator, and changes nothing", async () => {
    const before = await addresses.forumChannel(municipality.tenantId, "unge");
    const { replies } = await bot.say("tilknyt forum unge", CASEWORKER, "channel", "19:fremmed@thread.tacv2");
    expect(replies[0]!.text).toContain("Kun en Sparring-administrator");
    expect(await addresses.forumChannel(municipality.tenantId, "unge")).toEqual(before);
  });

  it("explains an unknown forum and a binding attempted outside a channel", async () => {
    const unknown = await bot.say("tilknyt forum pensionister", ADMINISTRATOR, "channel", "19:x@thread.tacv2");
    expect(unknown.replies[0]!.text).toBe('Jeg kender ikke forummet "pensionister". Skriv tilknyt forum unge eller voksne.');
    const personal = await bot.say("tilknyt forum unge", ADMINISTRATOR);
    expect(personal.replies[0]!.text).toContain("i den kanal");
  });

  it("remembers a user's personal chat when the bot is installed, for later notifications", async () => {
    const user = { aadObjectId: randomUUID(), name: "Ny Bruger" };
    const res = await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
    expect(res.status).toBe(200);
    const address = await addresses.personalChat(municipality.tenantId, user.aadObjectId);
    expect(JSON.parse(address!.reference)).toMatchObject({
      conversation: { conversationType: "personal" },
      user: { aadObjectId: user.aadObjectId },
    });
  });
});

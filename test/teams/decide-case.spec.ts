import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { keys, ROW_PREFIX, rowsWithPrefix } from "../../src/storage/table-layout.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, inputValue, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, SOCIAL_CASEWORKER, YOUTH_COORDINATOR, testMunicipality } from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen: the adult forum meets Wednesday 25 November.
const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
let tables: TableClients;
let bot: BotHarness;
const CHANNEL = "19:voksne-decisions@thread.tacv2";

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables, now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  for (const user of [CASEWORKER, SOCIAL_CASEWORKER]) await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

/** A case raised by the caseworker whose card has been posted to the channel. */
async function raisePosted() {
  const { record } = await bot.raiseCase(CASEWORKER, { age: 50, on: now });
  await bot.dispatcher.runOnce();
  return (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
}

const decide = (record: { caseNo: number; version: number }, data: Record<string, string>, user = COORDINATOR, activityId?: string) =>
  bot.execute(VERBS.decideCase, { caseNo: record.caseNo, version: record.version, ...data }, user, activityId);

async function outboxRows(caseNo: number) {
  const rows = [];
  for await (const row of tables.cases.listEntities({
    queryOptions: { filter: rowsWithPrefix(keys.casePartition(municipality.tenantId, caseNo), ROW_PREFIX.outbox) },
  }))
    rows.push(row);
  return rows;
}

async function auditActions(caseNo: number) {
  const rows: string[] = [];
  for await (const row of tables.cases.listEntities<{ action: string }>({
    queryOptions: { filter: rowsWithPrefix(keys.casePartition(municipality.tenantId, caseNo), ROW_PREFIX.audit) },
  }))
    rows.push(row.action);
  return rows;
}

describe("recording a decision on the case card", () => {
  it("shows the decision form on a booked case, for everyone to see and coordinators to use", async () => {
    const record = await raisePosted();
    const posted = bot.sent.filter((s) => s.method === "POST" && JSON.stringify(s.body).includes(`Sag ${record.reference}`)).pop();
    const texts = cardTexts(posted!.body.attachments![0]!.content);
    expect(texts).toEqual(
      expect.arrayContaining([
        "Start sag i myndighedsafdelingen",
        "Ikke grundlag for tværgående sag",
        "Mere information",
        "Udsæt til næste møde",
        "Registrér beslutning",
        SOCIAL_CASEWORKER.name,
      ]),
    );
  });

  it("Start sag: visitates, edits the channel card for everyone and tells both caseworkers", async () => {
    const record = await raisePosted();
    const res = await decide(record, { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId });
    const texts = cardTexts(res.body.value);
    expect(texts).toContain(`Beslutning: Start sag i myndighedsafdelingen — visiteret til ${SOCIAL_CASEWORKER.name}`);
    expect(texts).not.toContain("Registrér beslutning");
    expect(texts.some((t) => t.startsWith(`${COORDINATOR.name}, 23.11.2026 kl. 08.00`))).toBe(true);
    expect(await bot.deps.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({
      state: "visitated",
      socialCaseworker: SOCIAL_CASEWORKER.aadObjectId,
    });

    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const after = bot.sent.slice(before);
    const edit = after.find((s) => s.method === "PUT");
    expect(edit!.path).toContain(record.channelActivityId!);
    expect(cardTexts(edit!.body.attachments![0]!.content)).not.toContain("Registrér beslutning");
    const personal = after.filter((s) => s.method === "POST").map((s) => cardTexts(s.body.attachments?.[0]?.content));
    expect(personal.some((t) => t.includes("Forummet har truffet en beslutning"))).toBe(true);
    expect(personal.some((t) => t.includes("En sag er visiteret til dig") && t.includes("Vis detaljer"))).toBe(true);
    // The social caseworker may now see the details.
    const details = await bot.execute(VERBS.showCaseDetails, { caseNo: record.caseNo }, SOCIAL_CASEWORKER);
    expect(JSON.stringify(details.body.value)).toContain("Kroniske smerter");
  });

  it("keeps the input and explains a missing social caseworker or reason", async () => {
    const record = await raisePosted();
    const start = await decide(record, { decision: "start", note: "noget" });
    expect(cardTexts(start.body.value)).toContain("Vælg den sagsbehandler i myndighedsafdelingen, sagen visiteres til.");
    expect(inputValue(start.body.value, "decision")).toBe("start");
    expect(inputValue(start.body.value, "note")).toBe("noget");
    const noBasis = await decide(record, { decision: "no-basis" });
    expect(cardTexts(noBasis.body.value)).toContain("Skriv en kort begrundelse eller hvad der mangler.");
    const none = await decide(record, {});
    expect(cardTexts(none.body.value)).toContain("Vælg en beslutning.");
    expect((await bot.deps.cases.get(municipality.tenantId, record.caseNo))!.version).toBe(record.version);
  });

  it("lets exactly one of ten simultaneous decisions win, with one set of notifications", async () => {
    const record = await raisePosted();
    const outboxBefore = (await outboxRows(record.caseNo)).length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        decide(
          record,
          i % 2 === 0
            ? { decision: "no-basis", note: `Begrundelse ${i}` }
            : { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
        ),
      ),
    );
    const stored = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    expect(stored.version).toBe(record.version + 1);
    const won = answers.filter((a) => !cardTexts(a.body.value).some((t) => t.startsWith("Beslutningen var allerede truffet")));
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => cardTexts(a.body.value).some((t) => t.startsWith("Beslutningen var allerede truffet af")))).toHaveLength(
      9,
    );
    const newMessages = (await outboxRows(record.caseNo)).length - outboxBefore;
    expect(newMessages).toBe(stored.decision === "start" ? 3 : 2); // card edit + raiser (+ social caseworker)
    expect((await auditActions(record.caseNo)).filter((a) => a === "decide")).toHaveLength(1);
  });

  it("changes nothing when the same invoke is re-delivered, or sent again with a new id", async () => {
    const record = await raisePosted();
    const activityId = randomUUID();
    await decide(record, { decision: "no-basis", note: "Ingen snitflader" }, COORDINATOR, activityId);
    const decided = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    const again = await decide(record, { decision: "no-basis", note: "Ingen snitflader" }, COORDINATOR, activityId);
    const newId = await decide(record, { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId });
    for (const res of [again, newId])
      expect(cardTexts(res.body.value).some((t) => t.startsWith("Beslutningen var allerede truffet af"))).toBe(true);
    expect(await bot.deps.cases.get(municipality.tenantId, record.caseNo)).toEqual(decided);
  });

  it("refuses a caseworker and a coordinator of another forum, and audits it", async () => {
    const record = await raisePosted();
    for (const user of [CASEWORKER, YOUTH_COORDINATOR]) {
      const res = await decide(record, { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId }, user);
      expect(cardTexts(res.body.value)).toContain(
        "Kun forummets koordinatorer kan registrere en beslutning. Intet er ændret, og forsøget er logget.",
      );
    }
    expect((await bot.deps.cases.get(municipality.tenantId, record.caseNo))!.version).toBe(record.version);
    expect((await auditActions(record.caseNo)).filter((a) => a === "decide-refused")).toHaveLength(2);
  });

  it("refuses a stale card and tampered card data", async () => {
    const record = await raisePosted();
    // Someone else changed the case after this card was rendered.
    await bot.deps.cases.change(
      municipality.tenantId,
      record.caseNo,
      record.version,
      {},
      { at: now.toISOString(), user: COORDINATOR.aadObjectId, action: "move", purpose: "test" },
    );
    const stale = await decide(record, { decision: "no-basis", note: "x" });
    expect(cardTexts(stale.body.value)).toContain(
      "Kortet var ikke opdateret: sagen er ændret siden. Her er den, som den er nu — intet er ændret.",
    );
    for (const data of [{ caseNo: 999_999, version: 1 }, { caseNo: "abc", version: 1 }, { caseNo: record.caseNo }]) {
      const res = await bot.execute(VERBS.decideCase, { ...data, decision: "no-basis", note: "x" }, COORDINATOR);
      expect(res.body.value).toBe("Sagen findes ikke (længere). Intet er ændret.");
    }
    const bogus = await decide({ caseNo: record.caseNo, version: record.version + 1 }, { decision: "fire-everyone" });
    expect(bogus.body.value).toBe("Sagen findes ikke (længere). Intet er ændret.");
  });

  it("Mere information: the caseworker gets a form, and the answer puts the case on the next meeting", async () => {
    const record = await raisePosted();
    await decide(record, { decision: "more-information", note: "Lægeerklæring mangler" });
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const form = bot.sent
      .slice(before)
      .map((s) => s.body.attachments?.[0]?.content)
      .find((c) => cardTexts(c).includes("Send til forummet"));
    expect(cardTexts(form)).toContain("Lægeerklæring mangler");
    const asked = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    expect(asked.state).toBe("awaiting-information");
    const empty = await bot.execute(VERBS.addInformation, { caseNo: asked.caseNo, version: asked.version, information: " " }, CASEWORKER);
    expect(cardTexts(empty.body.value)).toContain("Skriv en kort begrundelse eller hvad der mangler.");
    const wrongUser = await bot.execute(
      VERBS.addInformation,
      { caseNo: asked.caseNo, version: asked.version, information: "x" },
      COORDINATOR,
    );
    expect(wrongUser.body.value).toContain("Kun sagsbehandleren");
    const added = await bot.execute(
      VERBS.addInformation,
      { caseNo: asked.caseNo, version: asked.version, information: "Lægeerklæring vedlagt i sagen" },
      CASEWORKER,
    );
    expect(added.body.value).toContain("Oplysningerne er tilføjet");
    const back = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    expect(back).toMatchObject({ state: "booked", additionalInfo: "Lægeerklæring vedlagt i sagen" });
    // The coordinators see what was added when they open the details for the next meeting.
    const details = cardTexts((await bot.execute(VERBS.showCaseDetails, { caseNo: record.caseNo }, COORDINATOR)).body.value);
    expect(details).toContain('Oplysninger tilføjet efter "Mere information"');
    expect(details).toContain("Lægeerklæring vedlagt i sagen");
    const twice = await bot.execute(
      VERBS.addInformation,
      { caseNo: asked.caseNo, version: asked.version, information: "igen" },
      CASEWORKER,
    );
    expect(twice.body.value).toContain("venter ikke på oplysninger");
  });

  it("Udsæt: moves the case to the next meeting and tells the caseworker", async () => {
    const record = await raisePosted();
    const res = await decide(record, { decision: "postpone" });
    const moved = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    expect(moved.meetingKey).not.toBe(record.meetingKey);
    const [year, , day] = moved.meetingKey!.split(":")[1]!.split("-");
    expect(cardTexts(res.body.value).some((t) => t.includes(` ${Number(day)}. `) && t.includes(`${year} kl. 14.00`))).toBe(true);
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    expect(bot.sent.slice(before).some((s) => s.body.text?.includes("fordi forummet har udsat den"))).toBe(true);
    const stored = (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
    expect(stored).toMatchObject({ state: "booked", decision: "postpone", postponements: 1 });
  });
});

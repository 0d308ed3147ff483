import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { publishDueAgendas } from "../../src/domain/meeting-jobs.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { keys, ROW_PREFIX, rowsWithPrefix } from "../../src/storage/table-layout.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, OUTSIDER, testMunicipality } from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen; the adult forum meets Wednesday 25 November 14:00.
let now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
let tables: TableClients;
let bot: BotHarness;
const CHANNEL = "19:voksne@thread.tacv2";

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables, now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  await bot.post({ ...bot.base(CASEWORKER), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

async function raise(fields: Record<string, string> = {}) {
  const { record, reference, cpr } = await bot.raiseCase(CASEWORKER, { age: 45, on: now, fields });
  return { reference, caseNo: record.caseNo, cpr };
}

const toChannel = () =>
  bot.sent.filter((s) => s.method !== "GET" && (s.path.includes(encodeURIComponent(CHANNEL)) || s.path.includes(CHANNEL)));

describe("the case in the forum channel", () => {
  it("posts a card with reference, age group, department and meeting — and no CPR or health text", async () => {
    const { reference, cpr } = await raise();
    const before = toChannel().length;
    const report = await bot.dispatcher.runOnce();
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const posted = toChannel().slice(before);
    expect(posted).toHaveLength(1);
    const card = posted[0]!.body.attachments![0]!.content;
    const text = JSON.stringify(card);
    expect(cardTexts(card)).toEqual(expect.arrayContaining([`Sag ${reference}`, "30+ år", "Jobcenter"]));
    expect(text).toContain("onsdag 25. november 2026 kl. 14.");
    expect(text).not.toContain(cpr.slice(0, 6));
    expect(text).not.toContain("Kroniske smerter");
    expect(text).not.toContain("Gæld");
    // Sent once: a second run has nothing left.
    expect((await bot.dispatcher.runOnce()).sent).toBe(0);
    const stored = await bot.deps.cases.get(municipality.tenantId, Number(reference.slice(3)));
    expect(stored!.channelActivityId).toMatch(/^activity-/);
  });

  it("shows the details to a coordinator of the forum, refuses others, and audits both", async () => {
    const { caseNo, cpr } = await raise();
    const asCoordinator = await bot.execute(VERBS.showCaseDetails, { caseNo }, COORDINATOR);
    const details = JSON.stringify(asCoordinator.body.value);
    expect(details).toContain(cpr);
    expect(details).toContain("Kroniske smerter");
    const asOutsider = await bot.execute(VERBS.showCaseDetails, { caseNo }, OUTSIDER);
    expect(asOutsider.body.value).toContain("Du har ikke adgang");
    const asRaiser = await bot.execute(VERBS.showCaseDetails, { caseNo }, CASEWORKER);
    expect(JSON.stringify(asRaiser.body.value)).toContain(cpr);
    const audit = [];
    for await (const row of tables.cases.listEntities<{ action: string; user: string }>({
      queryOptions: { filter: rowsWithPrefix(keys.casePartition(municipality.tenantId, caseNo), ROW_PREFIX.audit) },
    }))
      audit.push(`${row.action}:${row.user}`);
    expect(audit.sort()).toEqual(
      [
        `raise:${CASEWORKER.aadObjectId}`,
        `view-details:${COORDINATOR.aadObjectId}`,
        `view-details:${CASEWORKER.aadObjectId}`,
        `view-refused:${OUTSIDER.aadObjectId}`,
      ].sort(),
    );
    const back = await bot.execute(VERBS.showCaseCard, { caseNo }, COORDINATOR);
    expect(JSON.stringify(back.body.value)).not.toContain(cpr);
  });

  it("refuses tampered card data", async () => {
    for (const data of [{ caseNo: 999999 }, { caseNo: "x" }, {}]) {
      const res = await bot.execute(VERBS.showCaseDetails, data, COORDINATOR);
      expect(res.body.value).toContain("Sagen findes ikke");
    }
  });

  it("posts an acute case at once, marked AKUT, with an alert to the coordinators in the same message", async () => {
    await bot.dispatcher.runOnce();
    const before = toChannel().length;
    const { reference } = await raise({ acute: "true", acuteReason: "Udsat for vold i hjemmet" });
    await bot.dispatcher.runOnce();
    const posted = toChannel()
      .slice(before)
      .map((s) => s.body);
    expect(posted).toHaveLength(1);
    expect(cardTexts(posted[0]!.attachments![0]!.content)).toEqual(expect.arrayContaining(["AKUT", `Sag ${reference}`]));
    expect(posted[0]!.text).toContain(`AKUT: sag ${reference}`);
    expect(JSON.stringify(posted)).not.toContain("vold");
  });

  it("edits the card in place and tells the caseworker when a coordinator moves the case", async () => {
    const { caseNo } = await raise();
    await bot.dispatcher.runOnce();
    const record = await bot.deps.cases.get(municipality.tenantId, caseNo);
    const { moveCase } = await import("../../src/domain/move-case.js");
    const outcome = await moveCase(bot.deps, {
      municipality,
      caseNo,
      expectedVersion: record!.version,
      target: { kind: "meeting", key: "voksne:2026-12-23" },
      by: COORDINATOR.aadObjectId,
      reason: "moved",
    });
    expect(outcome.kind).toBe("moved");
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const after = bot.sent.slice(before);
    const edit = after.find((s) => s.method === "PUT");
    expect(edit!.path).toContain(record!.channelActivityId!);
    expect(JSON.stringify(edit!.body)).toContain("23. december 2026");
    const told = after.find((s) => s.method === "POST" && s.body.text?.includes("er flyttet"));
    expect(told!.body.text).toContain("af en koordinator");
  });
});

describe("the agenda", () => {
  it("is published once at the deadline even when two instances run the job at the same moment", async () => {
    now = new Date("2026-11-23T11:00:01Z"); // 12:00:01 in Copenhagen, Monday: the deadline for 25 November
    const results = await Promise.all([publishDueAgendas(bot.deps, municipality), publishDueAgendas(bot.deps, municipality)]);
    expect(results.flat().filter((k) => k === "voksne:2026-11-25")).toHaveLength(1);
    const before = toChannel().length;
    await bot.dispatcher.runOnce();
    const agenda = toChannel()
      .slice(before)
      .map((s) => s.body.attachments?.[0]?.content)
      .find((c) => JSON.stringify(c).includes("Dagsorden"));
    const texts = cardTexts(agenda);
    expect(texts).toContain("Dagsorden — Sparring voksne (30+)");
    expect(texts.some((t) => /^kl\. 14\.00$/.test(t))).toBe(true);
    expect(JSON.stringify(agenda)).not.toMatch(/\d{6}-\d{4}/);
    expect(await publishDueAgendas(bot.deps, municipality)).toEqual([]);
  });

  it("catches up after downtime and says it is late", async () => {
    now = new Date("2026-12-07T15:00:00Z"); // the bot was down at Monday 7 December 12:00
    expect(await publishDueAgendas(bot.deps, municipality)).toContain("voksne:2026-12-09");
    const before = toChannel().length;
    await bot.dispatcher.runOnce();
    const agenda = toChannel()
      .slice(before)
      .map((s) => JSON.stringify(s.body))
      .find((b) => b.includes("Dagsorden"));
    expect(agenda).toContain("Dagsordenen kommer for sent");
  });

  it("answers `dagsorden` in the bound channel with the next meeting's agenda", async () => {
    const { replies } = await bot.say("dagsorden", COORDINATOR, "channel", CHANNEL);
    expect(cardTexts(replies[0]!.attachments![0]!.content)).toContain("Dagsorden — Sparring voksne (30+)");
    const elsewhere = await bot.say("dagsorden", COORDINATOR, "channel", "19:andet@thread.tacv2");
    expect(elsewhere.replies[0]!.text).toContain("ikke tilknyttet et forum");
  });
});

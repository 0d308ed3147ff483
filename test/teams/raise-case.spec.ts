import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CaseRepository } from "../../src/domain/ports.js";
import { openTables } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, inputValue, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, fakeCprForAge, OUTSIDER, testMunicipality, validDraft } from "../support/fixtures.js";

const municipality = testMunicipality();
let bot: BotHarness;
let repo: CaseRepository;

beforeAll(async () => {
  const tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables });
  repo = bot.deps.cases;
});
afterAll(() => bot.close());

function formFields(overrides: Record<string, string> = {}) {
  const d = validDraft();
  return {
    cpr: d.cpr,
    health: d.health,
    social: d.social,
    question: d.question,
    department: d.department,
    acute: "false",
    acuteReason: "",
    ...overrides,
  };
}

function submissionIdOf(card: unknown): string {
  return (card as { actions: { data: { submissionId: string } }[] }).actions[0]!.data.submissionId;
}

describe("raising a case in personal chat", () => {
  it("answers a greeting with what the bot can do and the raise-case form", async () => {
    for (const text of ["hej", "hjælp", "ny sag", "Ny Sag"]) {
      const { replies } = await bot.say(text, CASEWORKER);
      expect(replies).toHaveLength(2);
      expect(cardTexts(replies[0]!.attachments![0]!.content).join(" ")).toContain("mine sager");
      const form = replies[1]!.attachments![0]!.content;
      expect(cardTexts(form)).toEqual(
        expect.arrayContaining(["CPR-nummer", "Helbredsforhold", "Sociale udfordringer", "Spørgsmål til sparringsforum", "Din afdeling"]),
      );
      expect(submissionIdOf(form)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("returns the same form with every typed value kept and an error beside each wrong field", async () => {
    const submissionId = randomUUID();
    const fields = formFields({ cpr: "310299-1234", social: "1\n2\n3\n4\n5\n6", question: "" });
    const res = await bot.execute(VERBS.submitCase, { submissionId, ...fields }, CASEWORKER);
    expect(res.status).toBe(200);
    const card = res.body.value;
    expect(res.body.type).toBe("application/vnd.microsoft.card.adaptive");
    for (const [id, value] of Object.entries(fields)) expect(inputValue(card, id)).toBe(value);
    const texts = cardTexts(card);
    expect(texts).toContain("CPR-nummeret indeholder ikke en gyldig fødselsdato.");
    expect(texts).toContain("Skriv højst 5 linjer.");
    expect(texts).toContain("Feltet skal udfyldes.");
    expect(submissionIdOf(card)).toBe(submissionId);
    expect(await repo.listRaisedBy(municipality.tenantId, CASEWORKER.aadObjectId, 50)).toHaveLength(0);
  });

  it("refuses a 14-year-old with a clear Danish message", async () => {
    const res = await bot.execute(VERBS.submitCase, { submissionId: randomUUID(), ...formFields({ cpr: fakeCprForAge(14) }) }, CASEWORKER);
    expect(cardTexts(res.body.value)).toContain("Borgeren er under 15 år. Sparringsforum behandler borgere fra 15 år.");
  });

  it("stores a valid case and replaces the form with a confirmation that masks the CPR", async () => {
    const cpr = fakeCprForAge(24);
    const res = await bot.execute(VERBS.submitCase, { submissionId: randomUUID(), ...formFields({ cpr }) }, CASEWORKER);
    const card = res.body.value;
    const text = JSON.stringify(card);
    expect(text).toContain(`${cpr.slice(0, 6)}-xxxx`);
    expect(text).not.toContain(cpr.slice(7));
    expect(text).not.toContain("Kroniske smerter");
    expect(cardTexts(card)).toEqual(expect.arrayContaining(["24 år", "Sparring unge (15-29)"]));
    const reference = cardTexts(card).find((t) => /^SP-\d{4}$/.test(t))!;
    const listed = (await repo.listRaisedBy(municipality.tenantId, CASEWORKER.aadObjectId, 50)).find((c) => c.reference === reference)!;
    expect(listed).toMatchObject({ cprDigits: cpr.replace("-", ""), forumId: "unge" });
    expect(listed).not.toHaveProperty("health");
    expect(await repo.get(municipality.tenantId, listed.caseNo)).toMatchObject({ health: "Kroniske smerter" });
  });

  it("creates one case for a double click and for a re-delivered activity", async () => {
    const submissionId = randomUUID();
    const activityId = randomUUID();
    const data = { submissionId, ...formFields() };
    const before = (await repo.listRaisedBy(municipality.tenantId, CASEWORKER.aadObjectId, 50)).length;
    const [a, b] = await Promise.all([bot.execute(VERBS.submitCase, data, CASEWORKER), bot.execute(VERBS.submitCase, data, CASEWORKER)]);
    const c = await bot.execute(VERBS.submitCase, data, CASEWORKER, activityId);
    const d = await bot.execute(VERBS.submitCase, data, CASEWORKER, activityId);
    const refs = [a, b, c, d].map((r) => cardTexts(r.body.value).find((t) => /^SP-\d{4}$/.test(t)));
    expect(new Set(refs).size).toBe(1);
    expect(cardTexts(d.body.value)).toContain("Formularen var allerede sendt. Sagen er kun oprettet én gang.");
    expect((await repo.listRaisedBy(municipality.tenantId, CASEWORKER.aadObjectId, 50)).length).toBe(before + 1);
  });

  it("tells a user without the caseworker role that they cannot raise cases, and stores nothing", async () => {
    const res = await bot.execute(VERBS.submitCase, { submissionId: randomUUID(), ...formFields() }, OUTSIDER);
    expect(res.body).toMatchObject({ type: "application/vnd.microsoft.activity.message" });
    expect(res.body.value).toContain("ikke registreret som sagsbehandler");
    expect(await repo.listRaisedBy(municipality.tenantId, OUTSIDER.aadObjectId, 50)).toHaveLength(0);
  });

  it("answers tampered card data with a fresh-form hint instead of a crash", async () => {
    const res = await bot.execute(VERBS.submitCase, { submissionId: "not-an-id", cpr: 42 }, CASEWORKER);
    expect(res.status).toBe(200);
    expect(res.body.value).toContain("ny sag");
  });

  it("lists the caseworker's own cases, masked and newest first, with `mine sager`", async () => {
    const { replies } = await bot.say("mine sager", CASEWORKER);
    const card = replies[0]!.attachments![0]!.content;
    const refs = cardTexts(card).filter((t) => /^SP-\d{4}$/.test(t));
    expect(refs.length).toBeGreaterThan(1);
    expect([...refs].sort().reverse()).toEqual(refs);
    expect(JSON.stringify(card)).not.toMatch(/\d{6}-\d{4}/);
  });

  it("tells a new user they have no cases yet", async () => {
    const { replies } = await bot.say("mine sager", { aadObjectId: randomUUID(), name: "Ny" });
    expect(cardTexts(replies[0]!.attachments![0]!.content).join(" ")).toContain("Du har ingen sager endnu");
  });

  it("points to personal chat when someone tries to raise a case in a channel", async () => {
    const { replies } = await bot.say("ny sag", CASEWORKER, "channel");
    expect(replies[0]!.text).toContain("personlig chat");
  });
});

describe("when storage fails mid-flow", () => {
  it("gives the form back with the input kept and a Danish explanation", async () => {
    const dead = TableClient.fromConnectionString(inject("azuriteConnectionString").replace(/:\d+\//, ":1/"), "cases", {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const broken = await startBotHarness({ municipality, tables: { cases: dead, caseIndex: dead, addresses: dead, outbox: dead } });
    try {
      const fields = formFields();
      const res = await broken.execute(VERBS.submitCase, { submissionId: randomUUID(), ...fields }, CASEWORKER);
      expect(cardTexts(res.body.value).join(" ")).toContain("lageret ikke svarer");
      for (const [id, value] of Object.entries(fields)) expect(inputValue(res.body.value, id)).toBe(value);
    } finally {
      await broken.close();
    }
  });
});

describe("the HTTP host", () => {
  it("answers a malformed body with 400 and keeps running", async () => {
    for (const body of ["{}", "not json", "[]", '{"type":5}']) {
      const res = await fetch(bot.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.status).toBe(400);
    }
    expect((await bot.say("hej", CASEWORKER)).status).toBe(200);
  });

  it("refuses a non-loopback serviceUrl when no bot app id is configured", async () => {
    const res = await bot.post({ ...bot.base(CASEWORKER), type: "message", text: "mine sager", serviceUrl: "https://evil.example/" });
    expect(res.status).toBe(403);
  });

  it("refuses an activity from a tenant that is not configured", async () => {
    const activity = bot.base(CASEWORKER);
    const res = await bot.post({
      ...activity,
      type: "message",
      text: "mine sager",
      conversation: { ...activity.conversation, tenantId: randomUUID() },
      channelData: {},
    });
    expect(res.status).toBe(403);
  });
});

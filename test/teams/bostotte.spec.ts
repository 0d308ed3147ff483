import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, inputValue, startBotHarness, type BotHarness, type SentActivity } from "../support/bot-harness.js";
import {
  ADMINISTRATOR,
  CASEWORKER,
  COORDINATOR,
  fakeCprForAge,
  COLLEAGUE,
  OUTSIDER,
  SOCIAL_CASEWORKER,
  testMunicipality,
} from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen.
const now = new Date("2026-11-23T07:00:00Z");
const municipality = testMunicipality();
const CHANNEL = "19:voksne-bostotte@thread.tacv2";
let tables: TableClients;
let bot: BotHarness;

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables, now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  for (const user of [CASEWORKER, COLLEAGUE, SOCIAL_CASEWORKER])
    await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
  await bot.dispatcher.runOnce();
});
afterAll(() => bot.close());

/** Everything sent to a person's chat or the channel since `before`. */
const sentTo = (conversation: string, before: number): SentActivity[] =>
  bot.sent.slice(before).filter((s) => s.method === "POST" && decodeURIComponent(s.path).includes(conversation));
const personal = (user: { aadObjectId: string }) => `conv-${user.aadObjectId}-personal`;

async function newForm(kind: "bevilling" | "afslag" | "ophoer") {
  const res = await bot.execute(VERBS.showBostotteForm, { kind }, SOCIAL_CASEWORKER);
  const card = res.body.value as { actions: { data: { submissionId: string } }[] };
  return card.actions[0]!.data.submissionId;
}

const TERMINATION = (cpr: string) => ({
  kind: "ophoer",
  cpr,
  legalBasis: "sel-85",
  endDate: "2026-12-31",
  reasonCategory: "maal-naaet",
  reasonText: "Borgeren klarer sig selv",
});

describe("a social caseworker records a bostøtte decision in personal chat", () => {
  it("is offered to social caseworkers only", async () => {
    const refused = await bot.say("bostøtte", CASEWORKER);
    expect(refused.replies[0]!.text).toContain("Kun sagsbehandlere i myndighedsafdelingen");
    const offered = await bot.say("bostøtte", SOCIAL_CASEWORKER);
    expect(cardTexts(offered.replies[0]!.attachments![0]!.content)).toEqual(expect.arrayContaining(["Bevilling", "Afslag", "Ophør"]));
  });

  it("returns the form with everything typed kept and a Danish error beside each wrong field", async () => {
    const submissionId = await newForm("bevilling");
    const typed = {
      kind: "bevilling",
      cpr: "3102901234",
      legalBasis: "sel-85",
      hours: "0",
      hoursPer: "week",
      from: "2026-12-01",
      to: "2026-11-01",
      purpose: "Støtte til at holde hjemmet",
    };
    const res = await bot.execute(VERBS.submitBostotte, { submissionId, ...typed }, SOCIAL_CASEWORKER);
    const texts = cardTexts(res.body.value);
    expect(texts).toContain("Afgørelsen er ikke registreret. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.");
    expect(texts).toContain("CPR-nummeret indeholder ikke en gyldig fødselsdato.");
    expect(texts).toContain("Timetallet skal være mere end 0.");
    expect(texts).toContain("Datoen ligger før fra-datoen.");
    expect(inputValue(res.body.value, "cpr")).toBe("3102901234");
    expect(inputValue(res.body.value, "purpose")).toBe("Støtte til at holde hjemmet");
    expect(inputValue(res.body.value, "to")).toBe("2026-11-01");
  });

  it("asks for an end date on a termination", async () => {
    const submissionId = await newForm("ophoer");
    const res = await bot.execute(
      VERBS.submitBostotte,
      { submissionId, ...TERMINATION(fakeCprForAge(33, now)), endDate: "" },
      SOCIAL_CASEWORKER,
    );
    expect(cardTexts(res.body.value)).toContain("Feltet skal udfyldes.");
  });
});

describe("the employment side is told, every time, once", () => {
  it("tells a caseworker who follows the citizen, with the end date, masked CPR and Vis detaljer — once, however often the form is sent", async () => {
    const cpr = fakeCprForAge(34, now);
    const follow = await bot.execute(VERBS.followCitizen, { cpr, purpose: "bostotte-orientering" }, CASEWORKER);
    expect(follow.body.value).toContain(`Du følger nu borgeren ${cpr.slice(0, 6)}-xxxx`);

    const submissionId = await newForm("ophoer");
    const recorded = await bot.execute(VERBS.submitBostotte, { submissionId, ...TERMINATION(cpr) }, SOCIAL_CASEWORKER);
    expect(cardTexts(recorded.body.value)).toContain("Borgerens sagsbehandler i beskæftigelsen har fået besked.");
    const again = await bot.execute(VERBS.submitBostotte, { submissionId, ...TERMINATION(cpr) }, SOCIAL_CASEWORKER);
    expect(cardTexts(again.body.value)).toContain("Afgørelsen var allerede registreret. Der er kun givet besked én gang.");

    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const told = sentTo(personal(CASEWORKER), before);
    expect(told).toHaveLength(1);
    const card = told[0]!.body.attachments![0]!.content;
    const texts = cardTexts(card);
    expect(texts).toEqual(expect.arrayContaining(["Bostøtte ophører", `${cpr.slice(0, 6)}-xxxx`, "31.12.2026", "Mål nået"]));
    expect(JSON.stringify(card)).not.toContain(cpr);
    expect(JSON.stringify(card)).not.toContain("Borgeren klarer sig selv");

    const id = (card as { actions: { data: { id: string } }[] }).actions[0]!.data.id;
    const details = await bot.execute(VERBS.showBostotteDetails, { id }, CASEWORKER);
    expect(JSON.stringify(details.body.value)).toContain(`${cpr.slice(0, 6)}-${cpr.slice(7)}`);
    expect(JSON.stringify(details.body.value)).toContain("Borgeren klarer sig selv");
    const refused = await bot.execute(VERBS.showBostotteDetails, { id }, OUTSIDER);
    expect(refused.body.value).toContain("Du har ikke adgang til afgørelsen");
  });

  it("tells the raising caseworker of a case about the citizen, with the bevillingsramme", async () => {
    const { cpr } = await bot.raiseCase(CASEWORKER, { age: 41, on: now });
    await bot.dispatcher.runOnce();
    const submissionId = await newForm("bevilling");
    const grant = {
      kind: "bevilling",
      cpr,
      legalBasis: "sel-85a",
      hours: "7,5",
      hoursPer: "week",
      from: "2026-12-01",
      to: "",
      review: "2027-03-01",
      purpose: "Bolig efter forsorgshjem",
    };
    await bot.execute(VERBS.submitBostotte, { submissionId, ...grant }, SOCIAL_CASEWORKER);
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const told = sentTo(personal(CASEWORKER), before);
    expect(told).toHaveLength(1);
    expect(cardTexts(told[0]!.body.attachments![0]!.content)).toEqual(
      expect.arrayContaining([
        "Bostøtte bevilget",
        "7,5 timer om ugen",
        "fra 01.12.2026",
        "01.03.2027",
        "Serviceloven § 85 a — bostøtte efter ophold på forsorgshjem (KLE 27.36.14)",
      ]),
    );
  });

  it("tells the forum channel of the citizen's age — without CPR or text — when no employment caseworker is linked", async () => {
    const cpr = fakeCprForAge(52, now);
    const submissionId = await newForm("afslag");
    const refusal = {
      kind: "afslag",
      cpr,
      legalBasis: "sel-85",
      reasonCategory: "tilbudt-anden-indsats",
      reasonText: "Har fået tilbud om bofællesskab",
    };
    const recorded = await bot.execute(VERBS.submitBostotte, { submissionId, ...refusal }, SOCIAL_CASEWORKER);
    expect(cardTexts(recorded.body.value).join(" ")).toContain("kanal har fået besked");
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const posted = sentTo(CHANNEL, before);
    expect(posted).toHaveLength(1);
    const json = JSON.stringify(posted[0]!.body);
    expect(json).toContain("Bostøtte afslået");
    expect(json).toContain("30+ år");
    expect(json).not.toContain(cpr.slice(0, 6));
    expect(json).not.toContain("bofællesskab");
    const id = (posted[0]!.body.attachments![0]!.content as { actions: { data: { id: string } }[] }).actions[0]!.data.id;
    const details = await bot.execute(VERBS.showBostotteDetails, { id }, COORDINATOR);
    expect(JSON.stringify(details.body.value)).toContain("bofællesskab");
  });
});

describe("following a citizen", () => {
  it("lists followed citizens masked and stops following with a reason", async () => {
    const cpr = fakeCprForAge(29, now);
    await bot.execute(VERBS.followCitizen, { cpr, purpose: "beskaeftigelsessag" }, CASEWORKER);
    const list = await bot.say("følger", CASEWORKER);
    const listed = JSON.stringify(list.replies[0]!.attachments![0]!.content);
    expect(listed).toContain(`${cpr.slice(0, 6)}-xxxx`);
    expect(listed).not.toContain(cpr.slice(7));

    const ask = await bot.say(`stop følg ${cpr}`, CASEWORKER);
    const card = ask.replies[0]!.attachments![0]!.content as { actions: { data: { citizenId: string } }[] };
    const noReason = await bot.execute(VERBS.unfollowCitizen, { citizenId: card.actions[0]!.data.citizenId, reason: "" }, CASEWORKER);
    expect(cardTexts(noReason.body.value)).toContain("Feltet skal udfyldes.");
    const done = await bot.execute(
      VERBS.unfollowCitizen,
      { citizenId: card.actions[0]!.data.citizenId, reason: "sagen-afsluttet" },
      CASEWORKER,
    );
    expect(done.body.value).toContain("Du følger ikke længere borgeren");
    const gone = await bot.say(`stop følg ${cpr}`, CASEWORKER);
    expect(gone.replies[0]!.text).toContain("Du følger ikke den borger");
  });

  it("hands a followed citizen to a colleague, who is told once and is told of bostøtte from then on", async () => {
    const cpr = fakeCprForAge(44, now);
    await bot.execute(VERBS.followCitizen, { cpr, purpose: "bostotte-orientering" }, CASEWORKER);
    const list = await bot.say("følger", CASEWORKER);
    const listed = list.replies[0]!.attachments![0]!.content as Record<string, unknown>;
    const ids = JSON.stringify(listed)
      .match(/"citizenId":"([^"]+)"/g)!
      .map((m) => m.slice(13, -1));
    let handed: string | undefined;
    for (const citizenId of ids) {
      const form = await bot.execute(VERBS.showHandOverFollowing, { citizenId }, CASEWORKER);
      if (JSON.stringify(form.body.value).includes(`${cpr.slice(0, 6)}-xxxx`)) handed = citizenId;
    }
    expect(handed).toBeDefined();
    const before = bot.sent.length;
    const done = await bot.execute(VERBS.handOverFollowing, { citizenId: handed, to: COLLEAGUE.aadObjectId }, CASEWORKER);
    expect(done.body.value).toContain(`Test Kollega følger nu borgeren ${cpr.slice(0, 6)}-xxxx`);
    await bot.dispatcher.runOnce();
    expect(sentTo(personal(COLLEAGUE), before).map((s) => s.body.text)).toEqual([expect.stringContaining("har givet dig borgeren")]);

    const submissionId = await newForm("ophoer");
    await bot.execute(VERBS.submitBostotte, { submissionId, ...TERMINATION(cpr) }, SOCIAL_CASEWORKER);
    const after = bot.sent.length;
    await bot.dispatcher.runOnce();
    expect(sentTo(personal(COLLEAGUE), after)).toHaveLength(1);
    expect(sentTo(personal(CASEWORKER), after)).toHaveLength(0);
  });

  it("refuses a social caseworker and a wrong CPR number, keeping what was typed", async () => {
    const refused = await bot.execute(VERBS.followCitizen, { cpr: fakeCprForAge(40, now), purpose: "andet" }, SOCIAL_CASEWORKER);
    expect(refused.body.value).toContain("Kun sagsbehandlere i jobcenteret og ungeindsatsen");
    const wrong = await bot.execute(VERBS.followCitizen, { cpr: "12345", purpose: "" }, CASEWORKER);
    expect(cardTexts(wrong.body.value)).toEqual(
      expect.arrayContaining(["Feltet skal udfyldes.", "CPR-nummeret skal have 10 cifre: DDMMÅÅ-XXXX (bindestreg valgfri)."]),
    );
    expect(inputValue(wrong.body.value, "cpr")).toBe("12345");
  });
});

describe("POST /api/bostotte/events from the social case system", () => {
  const event = (eventId: string, cpr: string) => ({
    version: "1",
    eventId,
    kind: "termination",
    cpr,
    legalBasis: "sel-85",
    endDate: "2027-01-31",
    reasonCategory: "flyttet",
    decidedAt: "2026-11-23T09:00:00+01:00",
  });

  it("records an event once: the same eventId again answers 200 and tells nobody twice; other content answers 409", async () => {
    const cpr = fakeCprForAge(37, now);
    await bot.execute(VERBS.followCitizen, { cpr, purpose: "bostotte-orientering" }, CASEWORKER);
    const first = await bot.postBostotteEvent(event("sag-4711", cpr));
    expect(first).toMatchObject({ status: 201, body: { status: "recorded", notified: { caseworkers: 1, forumChannel: false } } });
    const again = await bot.postBostotteEvent(event("sag-4711", cpr));
    expect(again).toMatchObject({ status: 200, body: { status: "duplicate", decisionId: first.body["decisionId"] } });
    const other = await bot.postBostotteEvent({ ...event("sag-4711", cpr), endDate: "2027-02-28" });
    expect(other.status).toBe(409);
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const told = sentTo(personal(CASEWORKER), before);
    expect(told).toHaveLength(1);
    expect(cardTexts(told[0]!.body.attachments![0]!.content)).toEqual(
      expect.arrayContaining(["Bostøtte ophører", "31.01.2027", "Flyttet", "Fra kommunens sagssystem"]),
    );
  });

  it("answers a wrong body with 400 and a list of field errors", async () => {
    const res = await bot.postBostotteEvent({
      version: "1",
      eventId: "x",
      kind: "grant",
      cpr: "010190",
      legalBasis: "sel-99",
      hours: { amount: 0, per: "week" },
      decidedAt: "i går",
    });
    expect(res.status).toBe(400);
    const paths = (res.body["errors"] as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["legalBasis", "decidedAt"]));
    expect((await bot.postBostotteEvent({ version: "1", kind: "gift" })).status).toBe(400);
    expect((await bot.postBostotteEvent("ikke json")).status).toBe(400);
  });
});

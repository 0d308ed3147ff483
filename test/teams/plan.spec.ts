import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import { remindPlanFollowUps } from "../../src/domain/plan-follow-ups.js";
import { keys, ROW_PREFIX, rowsWithPrefix } from "../../src/storage/table-layout.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, inputValue, startBotHarness, type BotHarness, type SentActivity } from "../support/bot-harness.js";
import { ADMINISTRATOR, CASEWORKER, COLLEAGUE, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

// Monday 23 November 2026 08:00 Copenhagen; a test may move the clock on (follow-ups).
const START = new Date("2026-11-23T07:00:00Z");
let now = START;
const municipality = testMunicipality();
const CHANNEL = "19:voksne-plans@thread.tacv2";
let tables: TableClients;
let bot: BotHarness;

type User = { aadObjectId: string; name: string };

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables, now: () => now });
  await bot.say("tilknyt forum voksne", ADMINISTRATOR, "channel", CHANNEL);
  for (const user of [CASEWORKER, SOCIAL_CASEWORKER, OUTSIDER])
    await bot.post({ ...bot.base(user), type: "installationUpdate", action: "add" });
  await bot.dispatcher.runOnce();
});
afterAll(() => bot.close());

const sentTo = (user: User, before: number): SentActivity[] =>
  bot.sent.slice(before).filter((s) => s.method === "POST" && decodeURIComponent(s.path).includes(`conv-${user.aadObjectId}-personal`));
const cardsTo = (user: User, before: number) => sentTo(user, before).flatMap((s) => (s.body.attachments ?? []).map((a) => a.content));

type Button = { title: string; verb: string; data: Record<string, unknown> };

/** All Action.Execute buttons of a card, in order. */
function allButtons(card: unknown): Button[] {
  const found: Button[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n["type"] === "Action.Execute")
        found.push({ title: n["title"] as string, verb: n["verb"] as string, data: (n["data"] ?? {}) as Record<string, unknown> });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** A card's buttons by title. */
function buttons(card: unknown): Map<string, Omit<Button, "title">> {
  return new Map(allButtons(card).map(({ title, ...button }) => [title, button]));
}

/**
 * The error texts shown beside an input: the red text blocks right after the element that
 * holds it (an input, or the column set it stands in), or — for an effort row's own error —
 * right before the row's first field.
 */
function errorsBeside(card: unknown, inputId: string, before = false): string[] {
  type Node = { type?: string; id?: string; color?: string; text?: string; body?: Node[]; items?: Node[] };
  const holds = (node: unknown): boolean =>
    Array.isArray(node)
      ? node.some(holds)
      : !!node && typeof node === "object" && ((node as Node).id === inputId || Object.values(node).some(holds));
  const isError = (node: Node | undefined) => node?.type === "TextBlock" && node.color === "Attention";
  const inList = (list: Node[]): string[] | undefined => {
    const at = list.findIndex(holds);
    if (at < 0) return undefined;
    const item = list[at]!;
    if (item.id !== inputId && item.type !== "ColumnSet") return inList(item.items ?? item.body ?? []);
    const texts: string[] = [];
    const step = before ? -1 : 1;
    for (let i = at + step; isError(list[i]); i += step) texts.push(list[i]!.text!);
    return texts;
  };
  return inList((card as Node).body ?? []) ?? [];
}

const press = (card: unknown, title: string, user: User, inputs: Record<string, string> = {}) => {
  const button = buttons(card).get(title);
  if (!button) throw new Error(`No button "${title}" on ${JSON.stringify(cardTexts(card))}`);
  return bot.execute(button.verb, { ...button.data, ...inputs }, user).then((r) => r.body.value);
};

/** A case raised by CASEWORKER and visitated to SOCIAL_CASEWORKER ("Start sag"). */
async function visitatedCase(): Promise<CaseRecord> {
  const { record } = await bot.raiseCase(CASEWORKER, { age: 50, on: now });
  await bot.execute(
    VERBS.decideCase,
    { caseNo: record.caseNo, version: record.version, decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
    COORDINATOR,
  );
  return (await bot.deps.cases.get(municipality.tenantId, record.caseNo))!;
}

/** What a caseworker types into the plan form: two efforts, the second after the first. */
function typed(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    effortIds: "e1 e2",
    "efforts.0.title": "Mentorforløb",
    "efforts.0.purpose": "Borgeren får en mentor, der støtter fremmøde i praktik.",
    "efforts.0.department": "Jobcenter",
    "efforts.0.person": "Mette Mentor",
    "efforts.0.from": "2026-12-01",
    "efforts.0.to": "2027-05-31",
    "efforts.0.after": "",
    "efforts.1.title": "Socialpædagogisk bostøtte",
    "efforts.1.purpose": "Støtte til at fastholde boligen og få struktur på hverdagen.",
    "efforts.1.department": "Myndighedsafdelingen",
    "efforts.1.person": "test kollega",
    "efforts.1.from": "2026-12-15",
    "efforts.1.to": "2027-06-30",
    "efforts.1.after": "1",
    framework: "Vi taler sammen hver anden uge.\nBorgeren har én fast indgang.",
    employmentFollowUp: "2027-01-15",
    socialFollowUp: "2027-01-22",
    fixedCaseworker: SOCIAL_CASEWORKER.aadObjectId,
    budgetKr: "50.000",
    forumFollowUp: "2027-02-01",
    ...overrides,
  };
}

const save = (caseNo: number, version: number, fields: Record<string, string>, user: User = CASEWORKER) =>
  bot.execute(VERBS.editPlan, { caseNo, version, ...fields }, user).then((r) => r.body.value);

/** A visitated case whose plan CASEWORKER opened and saved as version 1. */
async function savedPlan() {
  const record = await visitatedCase();
  await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER);
  const card = await save(record.caseNo, 0, typed());
  expect(cardTexts(card)).toContain("Kladde · version 1");
  return record;
}

async function agreedPlan() {
  const record = await savedPlan();
  await bot.execute(VERBS.approvePlan, { caseNo: record.caseNo, version: 1 }, CASEWORKER);
  await bot.execute(VERBS.approvePlan, { caseNo: record.caseNo, version: 1 }, SOCIAL_CASEWORKER);
  return record;
}

async function activePlan() {
  const record = await agreedPlan();
  await bot.execute(
    VERBS.registerPlanMeetings,
    { caseNo: record.caseNo, coordinationMeeting: "2026-11-20", jointConversation: "2026-11-23" },
    CASEWORKER,
  );
  const card = await bot.execute(
    VERBS.recordPlanConsent,
    { caseNo: record.caseNo, version: 1, givenOn: "2026-11-23", efforts: "e1,e2", sharedInformation: "health,housing", note: "" },
    SOCIAL_CASEWORKER,
  );
  expect(cardTexts(card.body.value)).toContain("Aktiv · version 1");
  return record;
}

async function auditActions(caseNo: number): Promise<string[]> {
  const rows: string[] = [];
  for await (const row of tables.cases.listEntities<{ action: string }>({
    queryOptions: { filter: rowsWithPrefix(keys.casePartition(municipality.tenantId, caseNo), ROW_PREFIX.audit) },
  }))
    rows.push(row.action);
  return rows;
}

const ONLY_OWNERS_CHANGE = "Du ser planen som koordinator for forummet. Kun borgerens to sagsbehandlere kan ændre den. Intet er ændret.";
const NOT_OWNER =
  "Kun borgerens to sagsbehandlere — den, der rejste sagen, og sagsbehandleren i myndighedsafdelingen — kan se og ændre den fælles plan. Intet er ændret, og forsøget er logget.";

describe("opening the joint plan", () => {
  it("is offered on both caseworkers' decision cards once the case is visitated, and opened once", async () => {
    const { record } = await bot.raiseCase(CASEWORKER, { age: 50, on: now });
    expect((await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value).toContain(
      "visiteret sagen til myndighedsafdelingen",
    );

    await bot.execute(
      VERBS.decideCase,
      { caseNo: record.caseNo, version: record.version, decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
      COORDINATOR,
    );
    const before = bot.sent.length;
    await bot.dispatcher.runOnce();
    const [raiserCard] = cardsTo(CASEWORKER, before);
    const [socialCard] = cardsTo(SOCIAL_CASEWORKER, before);
    expect(buttons(raiserCard).get("Åbn fælles plan")).toEqual({ verb: VERBS.openPlan, data: { caseNo: record.caseNo } });
    expect(buttons(socialCard).has("Åbn fælles plan")).toBe(true);

    const opened = await press(raiserCard, "Åbn fælles plan", CASEWORKER);
    const texts = cardTexts(opened);
    expect(texts).toContain(`Fælles plan · ${record.reference}`);
    expect(texts).toContain("Kladde · ikke udfyldt endnu");
    expect(texts).toContain("Planen er oprettet. Test Socialrådgiver har fået besked, og I skriver den sammen.");
    expect([...buttons(opened).keys()]).toEqual(["Redigér", "Eksportér"]);

    const again = await press(socialCard, "Åbn fælles plan", SOCIAL_CASEWORKER);
    expect(cardTexts(again)).toContain("Kladde · ikke udfyldt endnu");
    expect(cardTexts(again)).not.toContain("Planen er oprettet. Test Sagsbehandler har fået besked, og I skriver den sammen.");

    const told = bot.sent.length;
    await bot.dispatcher.runOnce();
    const notice = cardsTo(SOCIAL_CASEWORKER, told);
    expect(notice.map(cardTexts).flat()).toContain(
      `Test Sagsbehandler har åbnet den fælles plan for sag ${record.reference}. I skriver planen sammen og skal begge godkende den.`,
    );
    expect(buttons(notice[0]).has("Åbn fælles plan")).toBe(true);
  });

  it("lists the plans one takes part in with 'planer', each with a button", async () => {
    const record = await savedPlan();
    for (const user of [CASEWORKER, SOCIAL_CASEWORKER]) {
      const { replies } = await bot.say("planer", user);
      const card = replies[0]!.attachments![0]!.content;
      expect(cardTexts(card)).toContain(record.reference);
      expect(allButtons(card)).toContainEqual({ title: "Åbn", verb: VERBS.openPlan, data: { caseNo: record.caseNo } });
    }
    const { replies } = await bot.say("planer", OUTSIDER);
    expect(cardTexts(replies[0]!.attachments![0]!.content)).toContain(
      "Du er ikke med i nogen fælles plan endnu. En plan åbnes fra beslutningen, når en sag er visiteret til myndighedsafdelingen.",
    );
  });

  it("refuses a third person everything, and audits each attempt", async () => {
    const record = await savedPlan();
    const attempts: [string, Record<string, unknown>][] = [
      [VERBS.openPlan, {}],
      [VERBS.showEditPlan, {}],
      [VERBS.addPlanEffort, { version: 1, effortIds: "e1" }],
      [VERBS.editPlan, { version: 1, ...typed({ framework: "Overtaget" }) }],
      [VERBS.approvePlan, { version: 1 }],
      [VERBS.showPlanMeetings, {}],
      [VERBS.registerPlanMeetings, { jointConversation: "2026-11-23" }],
      [VERBS.exportPlan, {}],
    ];
    for (const [verb, data] of attempts) {
      expect((await bot.execute(verb, { caseNo: record.caseNo, ...data }, OUTSIDER)).body.value, verb).toBe(NOT_OWNER);
      // The forum's coordinators may read a plan (audited), never change it.
      const coordinator = (await bot.execute(verb, { caseNo: record.caseNo, ...data }, COORDINATOR)).body.value;
      const texts = typeof coordinator === "string" ? [coordinator] : cardTexts(coordinator);
      expect(texts.includes(NOT_OWNER) || texts.includes(ONLY_OWNERS_CHANGE), verb).toBe(true);
      if (typeof coordinator !== "string") expect([...buttons(coordinator).keys()], verb).toEqual([]);
    }
    const stored = await bot.deps.plans.get(municipality.tenantId, record.caseNo);
    expect(stored).toMatchObject({ version: 1, approvals: [] });
    expect(stored!.meetings).toBeUndefined();
    expect((await auditActions(record.caseNo)).filter((a) => a === "plan-refused").length).toBeGreaterThanOrEqual(8 + 5);
  });
});

describe("editing the plan in a card that answers with cards", () => {
  it("adds and removes effort rows, keeping everything typed", async () => {
    const record = await visitatedCase();
    await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER);
    const form = (await bot.execute(VERBS.showEditPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    expect(cardTexts(form)).toContain(`Redigér fælles plan · ${record.reference}`);
    expect(inputValue(form, "effortIds")).toBe("e1");
    expect(inputValue(form, "efforts.1.title")).toBeUndefined();

    const first: Record<string, string> = { ...typed(), effortIds: "e1" };
    delete first["efforts.1.title"];
    const added = await press(form, "Tilføj indsats", CASEWORKER, first);
    expect(inputValue(added, "effortIds")).toBe("e1 e2");
    expect(inputValue(added, "efforts.0.title")).toBe("Mentorforløb");
    expect(inputValue(added, "efforts.0.purpose")).toBe("Borgeren får en mentor, der støtter fremmøde i praktik.");
    expect(inputValue(added, "efforts.0.from")).toBe("2026-12-01");
    expect(inputValue(added, "efforts.1.title")).toBe("");
    expect(inputValue(added, "framework")).toBe(first["framework"]);
    expect(inputValue(added, "budgetKr")).toBe("50.000");
    expect(inputValue(added, "fixedCaseworker")).toBe(SOCIAL_CASEWORKER.aadObjectId);

    // Three rows; the third starts after the second; then the second is removed.
    const three = await press(added, "Tilføj indsats", CASEWORKER, { ...typed(), effortIds: "e1 e2" });
    expect(inputValue(three, "effortIds")).toBe("e1 e2 e3");
    const withThird = {
      ...typed(),
      effortIds: "e1 e2 e3",
      "efforts.2.title": "Misbrugsbehandling",
      "efforts.2.purpose": "Ambulant behandling.",
      "efforts.2.after": "2",
    };
    const removed = await press(three, "Fjern indsats 2", CASEWORKER, withThird);
    expect(inputValue(removed, "effortIds")).toBe("e1 e3");
    expect(inputValue(removed, "efforts.0.title")).toBe("Mentorforløb");
    expect(inputValue(removed, "efforts.1.title")).toBe("Misbrugsbehandling");
    expect(inputValue(removed, "efforts.1.purpose")).toBe("Ambulant behandling.");
    expect(inputValue(removed, "efforts.1.after")).toBe("");
    expect(inputValue(removed, "socialFollowUp")).toBe("2027-01-22");
    expect(await bot.deps.plans.get(municipality.tenantId, record.caseNo)).toMatchObject({ version: 0 });
  });

  it("stops at the maximum number of efforts, saying so beside the list", async () => {
    const record = await visitatedCase();
    await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER);
    const ids = Array.from({ length: 12 }, (_, i) => `e${i + 1}`).join(" ");
    const full = (await bot.execute(VERBS.addPlanEffort, { caseNo: record.caseNo, version: 0, effortIds: ids }, CASEWORKER)).body.value;
    expect(cardTexts(full)).toContain("Planen kan højst have 12 indsatser.");
    expect(buttons(full).has("Tilføj indsats")).toBe(false);
    expect(inputValue(full, "efforts.11.title")).toBe("");
  });

  it("brings every error back beside its field, with everything typed kept", async () => {
    const record = await visitatedCase();
    await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER);
    const cases: [string, Record<string, string>, string, string][] = [
      ["efforts.0.title", { "efforts.0.title": "" }, "efforts.0.title", "Feltet skal udfyldes."],
      ["efforts.0.title", { "efforts.0.title": "x".repeat(101) }, "efforts.0.title", "Teksten er for lang — forkort den."],
      [
        "efforts.0.title",
        { "efforts.0.title": "To\nlinjer" },
        "efforts.0.title",
        "Skriv højst 5 linjer (titel, afdeling og person på én linje).",
      ],
      [
        "efforts.0.purpose",
        { "efforts.0.purpose": "1\n2\n3\n4\n5\n6" },
        "efforts.0.purpose",
        "Skriv højst 5 linjer (titel, afdeling og person på én linje).",
      ],
      ["efforts.0.person", { "efforts.0.person": " " }, "efforts.0.person", "Feltet skal udfyldes."],
      ["efforts.0.from", { "efforts.0.from": "2026-02-30" }, "efforts.0.from", "Skriv en gyldig dato."],
      ["efforts.0.to", { "efforts.0.to": "2026-11-30" }, "efforts.0.to", "Slutdatoen ligger før startdatoen."],
      [
        "efforts.1.after",
        { "efforts.1.after": "7" },
        "efforts.1.after",
        "Der er ingen indsats med det nummer. Skriv nummeret på den indsats, der skal starte først, eller lad feltet stå tomt (parallelt).",
      ],
      [
        "efforts.1.after",
        { "efforts.0.after": "2" },
        "efforts.0.after",
        "Rækkefølgen går i ring: en indsats kan ikke komme efter sig selv, heller ikke via andre.",
      ],
      [
        "efforts.1.from",
        { "efforts.1.from": "2026-12-01" },
        "efforts.1.from",
        "Indsatsen skal starte senere end den indsats, den kommer efter.",
      ],
      ["efforts.1.id", { effortIds: "e1 E2" }, "efforts.1.title", "Indsatsen kunne ikke læses. Fjern den og tilføj den igen."],
      ["efforts.1.id", { effortIds: "e1 e1" }, "efforts.1.title", "Indsatsen står to gange. Fjern den ene."],
      ["framework", { framework: "" }, "framework", "Feltet skal udfyldes."],
      [
        "employmentFollowUp",
        { employmentFollowUp: "2026-11-22" },
        "employmentFollowUp",
        "Datoen er passeret. Vælg i dag eller en senere dato.",
      ],
      ["socialFollowUp", { socialFollowUp: "" }, "socialFollowUp", "Feltet skal udfyldes."],
      ["forumFollowUp", { forumFollowUp: "1999-01-01" }, "forumFollowUp", "Skriv en gyldig dato."],
      ["fixedCaseworker", { fixedCaseworker: "" }, "fixedCaseworker", "Feltet skal udfyldes."],
      ["fixedCaseworker", { fixedCaseworker: OUTSIDER.aadObjectId }, "fixedCaseworker", "Den faste sagsbehandler skal være en af jer to."],
      ["budgetKr", { budgetKr: "50,5" }, "budgetKr", "Skriv beløbet i hele kroner, fx 50.000."],
      ["budgetKr", { budgetKr: "-100" }, "budgetKr", "Beløbet kan ikke være negativt."],
      ["budgetKr", { budgetKr: "0 kr." }, "budgetKr", "Beløbet skal være over 0 kr. Lad feltet stå tomt, hvis der ikke er en ramme."],
      ["budgetKr", { budgetKr: "2.000.000" }, "budgetKr", "Beløbet er over 1.000.000 kr. Er der en tastefejl?"],
    ];
    for (const [label, change, kept, error] of cases) {
      const fields = typed(change);
      const card = await save(record.caseNo, 0, fields);
      const texts = cardTexts(card);
      expect(texts, label).toContain("Planen er ikke gemt. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.");
      expect(texts, label).toContain(error);
      expect(errorsBeside(card, kept, label.endsWith(".id")), label).toContain(error);
      for (const [field, value] of Object.entries(fields)) {
        if (field === "effortIds" || field.endsWith(".after")) continue;
        expect(inputValue(card, field), `${label}: ${field}`).toBe(value);
      }
    }
    const none = await save(record.caseNo, 0, {
      effortIds: "",
      framework: "Ramme",
      employmentFollowUp: "2027-01-15",
      socialFollowUp: "2027-01-22",
    });
    expect(cardTexts(none)).toContain("Tilføj mindst én indsats.");
    expect(errorsBeside(none, "framework")).toEqual([]);
    expect(inputValue(none, "framework")).toBe("Ramme");
    expect(await bot.deps.plans.get(municipality.tenantId, record.caseNo)).toMatchObject({ version: 0 });
  });

  it("recognises a colleague from the directory by name, and keeps anyone else as typed", async () => {
    const record = await savedPlan();
    const plan = await bot.deps.plans.get(municipality.tenantId, record.caseNo);
    expect(plan!.content!.efforts.map((e) => e.performer)).toEqual([
      { kind: "named", name: "Mette Mentor" },
      { kind: "directory", aadObjectId: COLLEAGUE.aadObjectId, name: COLLEAGUE.name },
    ]);
    const form = (await bot.execute(VERBS.showEditPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    expect(inputValue(form, "efforts.1.person")).toBe(COLLEAGUE.name);
    expect(inputValue(form, "efforts.1.after")).toBe("1");
  });
});

describe("agreeing on the plan", () => {
  it("both approve the same version: the caseworkers agree, and both are told", async () => {
    const record = await savedPlan();
    await bot.dispatcher.runOnce();
    const before = bot.sent.length;
    const plan = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, SOCIAL_CASEWORKER)).body.value;
    expect(cardTexts(plan)).toEqual(
      expect.arrayContaining([
        "1. Mentorforløb",
        "Borgeren får en mentor, der støtter fremmøde i praktik.",
        "Jobcenter · Mette Mentor",
        "01.12.2026 – 31.05.2027",
        "Parallelt med de andre",
        "2. Socialpædagogisk bostøtte",
        "Myndighedsafdelingen · Test Kollega",
        "Efter indsats 1: Mentorforløb",
        "Vi taler sammen hver anden uge.\nBorgeren har én fast indgang.",
        "Beskæftigelsesrettet indsats: 15.01.2027",
        "Social indsats: 22.01.2027",
        "Sparringsforum: 01.02.2027",
        "50.000 kr.",
        "Test Socialrådgiver",
        "Test Sagsbehandler (beskæftigelse): ikke godkendt endnu",
        "Test Socialrådgiver (socialområdet): ikke godkendt endnu",
      ]),
    );
    const first = await press(plan, "Godkend version 1", SOCIAL_CASEWORKER);
    expect(cardTexts(first)).toContain("Du har godkendt version 1. Test Sagsbehandler har fået besked.");
    expect(cardTexts(first).some((t) => t.startsWith("Test Socialrådgiver (socialområdet): godkendt 23.11.2026 kl. 08.00"))).toBe(true);
    expect(buttons(first).has("Godkend version 1")).toBe(false);
    expect(cardTexts(await press(first, "Redigér", SOCIAL_CASEWORKER))).toContain(`Redigér fælles plan · ${record.reference}`);

    const mette = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    const agreed = await press(mette, "Godkend version 1", CASEWORKER);
    expect(cardTexts(agreed)).toContain("Enige · version 1");
    expect(cardTexts(agreed)).toContain(
      "I er enige: version 1 er godkendt af jer begge. Næste skridt: fællessamtalen med borgeren, hvor borgeren kan give samtykke.",
    );
    expect(buttons(agreed).has("Registrér samtykke / afslag")).toBe(true);
    const twice = (await bot.execute(VERBS.approvePlan, { caseNo: record.caseNo, version: 1 }, CASEWORKER)).body.value;
    expect(cardTexts(twice)).toContain("Du har allerede godkendt version 1. Intet er ændret.");

    await bot.dispatcher.runOnce();
    for (const user of [CASEWORKER, SOCIAL_CASEWORKER]) {
      const texts = cardsTo(user, before).map(cardTexts).flat();
      expect(texts, user.name).toContain("I er enige om den fælles plan");
    }
    expect(cardsTo(CASEWORKER, before).map(cardTexts).flat()).toContain(
      `Test Socialrådgiver har godkendt version 1 af den fælles plan for sag ${record.reference}. Godkend den også, hvis du er enig.`,
    );
  });

  it("an edit after approval asks both again, and tells the other owner what changed", async () => {
    const record = await agreedPlan();
    await bot.dispatcher.runOnce();
    const before = bot.sent.length;
    const card = await save(
      record.caseNo,
      1,
      typed({ framework: "Vi mødes hver uge.", "efforts.1.to": "2027-08-31", "efforts.1.person": "Jonas Dahl", budgetKr: "" }),
      SOCIAL_CASEWORKER,
    );
    const texts = cardTexts(card);
    expect(texts).toContain("Kladde · version 2");
    expect(texts).toContain(
      "Version 2 er gemt, og Test Sagsbehandler har fået besked om ændringerne. Godkendelserne af den tidligere version gælder ikke længere: I skal begge godkende version 2.",
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        "Ændret i version 2 af Test Socialrådgiver",
        "• Socialpædagogisk bostøtte: person, slut ændret",
        "• Rammen for samarbejdet er ændret",
        "• Budget-/handlerammen er ændret",
        "Test Sagsbehandler (beskæftigelse): ikke godkendt endnu",
        "Test Socialrådgiver (socialområdet): ikke godkendt endnu",
      ]),
    );
    expect(buttons(card).has("Godkend version 2")).toBe(true);

    await bot.dispatcher.runOnce();
    const [notice] = cardsTo(CASEWORKER, before);
    expect(cardTexts(notice)).toEqual(
      expect.arrayContaining([
        "Den fælles plan er ændret",
        `Test Socialrådgiver har ændret den fælles plan for sag ${record.reference} (version 2). Læs ændringerne, og godkend version 2, hvis du er enig.`,
        "Socialpædagogisk bostøtte: person, slut ændret",
      ]),
    );
    const opened = await press(notice, "Åbn fælles plan", CASEWORKER);
    expect(buttons(opened).has("Godkend version 2")).toBe(true);
    // An approval of the old version, from a card shown before the edit, counts for nothing.
    const stale = (await bot.execute(VERBS.approvePlan, { caseNo: record.caseNo, version: 1 }, CASEWORKER)).body.value;
    expect(cardTexts(stale)).toContain(
      "Planen er ændret, siden kortet blev vist: den er nu version 2. Læs den, og godkend igen. Intet er godkendt.",
    );
  });

  it("a concurrent edit: the second to save sees the newer plan's changes with everything typed kept", async () => {
    const record = await savedPlan();
    const metteForm = (await bot.execute(VERBS.showEditPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    await bot.execute(VERBS.showEditPlan, { caseNo: record.caseNo }, SOCIAL_CASEWORKER);
    expect(cardTexts(await save(record.caseNo, 1, typed({ socialFollowUp: "2027-02-05" }), SOCIAL_CASEWORKER))).toContain(
      "Kladde · version 2",
    );

    const mine = typed({ "efforts.0.title": "Mentorforløb med praktik", framework: "Min ramme" });
    const conflict = await press(metteForm, "Gem", CASEWORKER, mine);
    const texts = cardTexts(conflict);
    expect(texts).toContain(
      "Test Socialrådgiver gemte version 2 af planen, mens du skrev. Det, du har skrevet, er bevaret herunder. Det ændrede Test Socialrådgiver:",
    );
    expect(texts).toContain("• Opfølgningen på den sociale indsats er flyttet");
    for (const [field, value] of Object.entries(mine))
      if (!field.endsWith(".after") && field !== "effortIds") expect(inputValue(conflict, field), field).toBe(value);
    expect(buttons(conflict).get("Gem")!.data).toEqual({ caseNo: record.caseNo, version: 2 });
    expect(await bot.deps.plans.get(municipality.tenantId, record.caseNo)).toMatchObject({
      version: 2,
      content: { framework: typed()["framework"] },
    });

    const saved = await press(conflict, "Gem", CASEWORKER, mine);
    expect(cardTexts(saved)).toContain("Kladde · version 3");
    expect(await bot.deps.plans.get(municipality.tenantId, record.caseNo)).toMatchObject({
      version: 3,
      content: { framework: "Min ramme" },
    });
  });
});

describe("the citizen's consent, the meetings and the follow-ups", () => {
  it("registers the meetings, then the consent: the plan becomes active and both are told", async () => {
    const record = await agreedPlan();
    const plan = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    const consentForm = await press(plan, "Registrér samtykke / afslag", CASEWORKER);
    expect(inputValue(consentForm, "efforts")).toBe("e1,e2");
    const early = await press(consentForm, "Registrér samtykke", CASEWORKER, { givenOn: "2026-11-23", sharedInformation: "health" });
    expect(cardTexts(early)).toContain("Registrér først fællessamtalen (Registrér møder): borgeren giver samtykke ved eller efter den.");
    expect(inputValue(early, "sharedInformation")).toBe("health");

    const meetingsForm = await press(plan, "Registrér møder", CASEWORKER);
    const wrongOrder = await press(meetingsForm, "Registrér møder", CASEWORKER, {
      coordinationMeeting: "2026-11-24",
      jointConversation: "2026-11-23",
    });
    expect(cardTexts(wrongOrder)).toContain(
      "Fællessamtalen kan ikke ligge før koordineringsmødet: I aftaler planen, før borgeren inddrages.",
    );
    expect(inputValue(wrongOrder, "coordinationMeeting")).toBe("2026-11-24");
    const meetings = await press(wrongOrder, "Registrér møder", CASEWORKER, {
      coordinationMeeting: "2026-11-20",
      jointConversation: "2026-11-23",
    });
    expect(cardTexts(meetings)).toEqual(expect.arrayContaining(["Møderne er registreret.", "20.11.2026", "23.11.2026"]));

    const future = await press(consentForm, "Registrér samtykke", CASEWORKER, {
      givenOn: "2026-11-24",
      efforts: "e1,e2",
      note: "Samtykke givet mundtligt",
    });
    expect(cardTexts(future)).toContain("Datoen ligger i fremtiden. Registrér samtykket, når borgeren har givet det.");
    expect(inputValue(future, "note")).toBe("Samtykke givet mundtligt");
    const noEfforts = await press(consentForm, "Registrér samtykke", CASEWORKER, { givenOn: "2026-11-23", efforts: "" });
    expect(cardTexts(noEfforts)).toContain("Vælg de indsatser, borgeren giver samtykke til.");

    await bot.dispatcher.runOnce();
    const before = bot.sent.length;
    const active = await press(consentForm, "Registrér samtykke", CASEWORKER, {
      givenOn: "2026-11-23",
      efforts: "e1,e2",
      sharedInformation: "health,housing",
      note: "Samtykke givet mundtligt",
    });
    expect(cardTexts(active)).toEqual(
      expect.arrayContaining([
        "Aktiv · version 1",
        "Borgerens samtykke er registreret. Planen er aktiv, og I har begge fået besked.",
        "Givet 23.11.2026 (til version 1)",
        "Omfatter: 1. Mentorforløb, 2. Socialpædagogisk bostøtte",
        "Må deles mellem afdelingerne: Helbredsforhold, Bolig",
      ]),
    );
    expect([...buttons(active).keys()]).toEqual([
      "Redigér",
      "Registrér opfølgning",
      "Registrér møder",
      "Træk samtykke tilbage",
      "Eksportér",
    ]);
    await bot.dispatcher.runOnce();
    for (const user of [CASEWORKER, SOCIAL_CASEWORKER])
      expect(cardsTo(user, before).map(cardTexts).flat(), user.name).toContain("Den fælles plan er aktiv");
  });

  it("records a refusal instead: the plan ends", async () => {
    const record = await agreedPlan();
    await bot.execute(
      VERBS.registerPlanMeetings,
      { caseNo: record.caseNo, coordinationMeeting: "", jointConversation: "2026-11-23" },
      CASEWORKER,
    );
    const ended = (
      await bot.execute(
        VERBS.recordPlanRefusal,
        { caseNo: record.caseNo, version: 1, givenOn: "2026-11-23", efforts: "e1", note: "Ønsker ikke planen" },
        CASEWORKER,
      )
    ).body.value;
    expect(cardTexts(ended)).toEqual(
      expect.arrayContaining(["Afsluttet · version 1", "Borgeren takkede nej 23.11.2026", "Ønsker ikke planen"]),
    );
    expect([...buttons(ended).keys()]).toEqual(["Eksportér"]);
    expect(cardTexts((await bot.execute(VERBS.showEditPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value)).toContain(
      "Planen er afsluttet og kan ikke ændres længere. Intet er ændret.",
    );
  });

  it("reminds both owners on a follow-up date with the plan's efforts, records the follow-up, and marks an overdue one", async () => {
    const record = await activePlan();
    try {
      now = new Date("2027-01-15T09:00:00Z");
      await bot.dispatcher.runOnce();
      const before = bot.sent.length;
      await remindPlanFollowUps(bot.deps, municipality);
      await bot.dispatcher.runOnce();
      // Every open plan of this file has its employment follow-up today; this one's message:
      const about = (user: User) => cardsTo(user, before).filter((c) => cardTexts(c).some((t) => t.includes(`sag ${record.reference}:`)));
      const [notice] = about(SOCIAL_CASEWORKER);
      expect(cardTexts(notice)).toEqual(
        expect.arrayContaining([
          "Opfølgning på den fælles plan",
          `Det er tid til opfølgning på den fælles plan for sag ${record.reference}: beskæftigelsesrettet indsats, 15.01.2027. Planens indsatser:`,
          "1. Mentorforløb — Jobcenter · Mette Mentor, 01.12.2026 – 31.05.2027",
        ]),
      );
      expect(about(SOCIAL_CASEWORKER)).toHaveLength(1);
      expect(about(CASEWORKER)).toHaveLength(1);
      const form = await press(notice, "Registrér opfølgning", SOCIAL_CASEWORKER);
      expect(inputValue(form, "kind")).toBe("employment");
      expect(inputValue(form, "heldOn")).toBe("2027-01-15");
      const empty = await press(form, "Registrér opfølgning", SOCIAL_CASEWORKER, { kind: "employment", heldOn: "2027-01-15", note: "" });
      expect(cardTexts(empty)).toContain("Feltet skal udfyldes.");
      const held = await press(form, "Registrér opfølgning", SOCIAL_CASEWORKER, {
        kind: "employment",
        heldOn: "2027-01-15",
        note: "Praktikken går godt.",
      });
      expect(cardTexts(held)).toContain("Beskæftigelsesrettet indsats: 15.01.2027 — holdt 15.01.2027: Praktikken går godt.");

      // The social follow-up (22 January) is not recorded: five working days later it is overdue.
      now = new Date("2027-02-01T09:00:00Z");
      const overdue = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
      expect(cardTexts(overdue)).toContain("Social indsats: 22.01.2027 — OVERSKREDET, ikke registreret som holdt");
      expect(cardTexts(overdue)).toContain("Sparringsforum: 01.02.2027 — nu");

      // The forum follow-up's day: the case is booked into the forum's next meeting, and both are told which.
      await bot.dispatcher.runOnce();
      const booking = bot.sent.length;
      await remindPlanFollowUps(bot.deps, municipality);
      await bot.dispatcher.runOnce();
      const booked = await bot.deps.cases.get(municipality.tenantId, record.caseNo);
      expect(booked).toMatchObject({ planFollowUp: "2027-02-01" });
      const [forum] = cardsTo(CASEWORKER, booking).filter((c) =>
        cardTexts(c).some((t) => t.includes(`for sag ${record.reference} er sat på mødet`)),
      );
      expect(cardTexts(forum)).toContain("Opfølgning i sparringsforum");
      expect(buttons(forum).has("Åbn fælles plan")).toBe(true);
    } finally {
      now = START;
    }
  });

  it("withdrawn consent ends the plan, and both are told", async () => {
    const record = await activePlan();
    const plan = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    const form = await press(plan, "Træk samtykke tilbage", CASEWORKER);
    const early = await press(form, "Træk samtykke tilbage", CASEWORKER, { on: "2026-11-22", note: "Ringede" });
    expect(cardTexts(early)).toContain("Samtykket kan ikke være trukket tilbage, før det blev givet.");
    expect(inputValue(early, "note")).toBe("Ringede");
    await bot.dispatcher.runOnce();
    const before = bot.sent.length;
    const ended = await press(form, "Træk samtykke tilbage", CASEWORKER, { on: "2026-11-23", note: "Ringede" });
    expect(cardTexts(ended)).toEqual(expect.arrayContaining(["Afsluttet · version 1", "Trukket tilbage 23.11.2026"]));
    await bot.dispatcher.runOnce();
    expect(cardsTo(SOCIAL_CASEWORKER, before).map(cardTexts).flat()).toContain(
      `Den fælles plan for sag ${record.reference} er afsluttet: borgeren trak sit samtykke tilbage.`,
    );
  });
});

describe("exporting the plan for the case file", () => {
  it("answers with the whole plan as plain Danish text in one message, and audits it", async () => {
    const record = await activePlan();
    const plan = (await bot.execute(VERBS.openPlan, { caseNo: record.caseNo }, CASEWORKER)).body.value;
    await bot.dispatcher.runOnce();
    const before = bot.sent.length;
    const answer = await press(plan, "Eksportér", CASEWORKER);
    expect(cardTexts(answer)).toContain("Planen er sendt som tekst i chatten herunder: kopiér den til sagssystemet. Eksporten er logget.");
    const messages = sentTo(CASEWORKER, before);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toMatchObject({ textFormat: "xml" });
    // Lines kept as <br> (Teams joins single line breaks), the text escaped: what the caseworker copies.
    const text = messages[0]!.body
      .text!.split("<br>")
      .map((line) =>
        line
          .replace(/&nbsp;/g, " ")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&amp;/g, "&"),
      )
      .join("\n");
    for (const part of [
      `FÆLLES PLAN – ${record.reference}`,
      "Status: Aktiv",
      "Version: 1",
      "- Beskæftigelse: Test Sagsbehandler",
      "- Socialområdet: Test Socialrådgiver",
      "Fast sagsbehandler (borgerens indgang): Test Socialrådgiver",
      "1. Mentorforløb",
      "   Formål: Borgeren får en mentor, der støtter fremmøde i praktik.",
      "   Varetages af: Jobcenter, Mette Mentor",
      "   Periode: 01.12.2026 – 31.05.2027",
      "   Rækkefølge: parallelt",
      "2. Socialpædagogisk bostøtte",
      "   Varetages af: Myndighedsafdelingen, Test Kollega",
      '   Rækkefølge: efter "Mentorforløb"',
      "Rammen for samarbejdet\nVi taler sammen hver anden uge.\nBorgeren har én fast indgang.",
      "- Beskæftigelsesrettet indsats: 15.01.2027",
      "- Social indsats: 22.01.2027",
      "- Sparringsforum: 01.02.2027",
      "Budget-/handleramme: 50.000 kr.",
      "- Test Sagsbehandler (beskæftigelse): godkendt 23.11.2026 kl. 08.00",
      "- Test Socialrådgiver (socialområdet): godkendt 23.11.2026 kl. 08.00",
      "Koordineringsmøde: 20.11.2026",
      "Fællessamtale: 23.11.2026",
      "Givet: 23.11.2026 (til version 1)",
      "Omfatter indsatserne: Mentorforløb, Socialpædagogisk bostøtte",
      "Oplysninger der må deles mellem afdelingerne: helbredsforhold, bolig",
    ])
      expect(text).toContain(part);
    expect(await auditActions(record.caseNo)).toContain("plan-export");
  });
});

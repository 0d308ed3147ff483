import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTables } from "../../src/storage/table-storage.js";
import { renderCard, templateNames, type CardData, type CardName } from "../../src/teams/cards.js";
import { escapeMarkdown } from "../../src/teams/format.js";
import { OVERVIEW_TEXT } from "../../src/teams/messages.js";
import { VERBS } from "../../src/teams/verbs.js";
import { startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { PLAN_CARD_FIXTURES } from "./plan-card-fixtures.js";
import { OVERVIEW_CARD_FIXTURES } from "./overview-card-fixtures.js";

// The package's ESM build has extension-less imports; its UMD bundle loads in Node.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js");

const long = "Æ".repeat(500);
const FIXTURES: { [N in CardName]: CardData[N] } = {
  "case-form": {
    submitCase: VERBS.submitCase,
    submissionId: "00000000-0000-4000-8000-000000000000",
    maxLines: 5,
    maxChars: 500,
    formError: "Sagen er ikke sendt.",
    values: { cpr: "610190-4321", health: long, social: long, question: long, department: "Jobcenter", acute: "true", acuteReason: long },
    errors: { cpr: "Fejl", health: "Fejl", social: "Fejl", question: "Fejl", department: "Fejl", acuteReason: "Fejl" },
    departments: [
      { title: "Jobcenter", value: "Jobcenter" },
      { title: "Ungeindsatsen", value: "Ungeindsatsen" },
    ],
  },
  "case-raised": {
    reference: "SP-0001",
    repeated: true,
    acute: true,
    maskedCpr: "610190-xxxx",
    age: 36,
    forumName: "Sparring voksne (30+)",
    department: "Jobcenter",
    meetingText: "onsdag 25. november 2026 kl. 14.10 (plads 2 af 3)",
    raisedAt: "23.11.2026",
    nextStep: "Sagen er sendt.",
  },
  "my-cases": {
    count: 20,
    summary: "Dine 20 nyeste sager",
    cases: Array.from({ length: 20 }, (_, i) => ({
      reference: `SP-${1000 + i}`,
      citizen: "610190-xxxx · 40 år",
      maskedCpr: "610190-xxxx",
      age: 40,
      stateText: "AKUT · Oprettet",
      stateColor: "Attention",
      forumName: "Sparring voksne (30+)",
      meetingText: "onsdag 25. november 2026 kl. 14.10 (plads 2 af 3)",
      raisedAt: "23.11.2026",
      caseNo: 1000 + i,
      canWithdraw: true,
      showWithdrawCase: VERBS.showWithdrawCase,
      canHandOver: true,
      showHandOverCase: VERBS.showHandOverCase,
    })),
  },
  "withdraw-case": {
    caseNo: 12,
    version: 3,
    reference: "SP-0012",
    maskedCpr: "610190-xxxx",
    meetingText: "onsdag 25. november 2026 kl. 14.10 (plads 2 af 3)",
    question: "Træk sag SP-0012 tilbage fra sparringsforum?",
    withdrawCase: VERBS.withdrawCase,
  },
  "case-in-forum": {
    caseNo: 12,
    version: 4,
    reference: "SP-0012",
    acute: true,
    banner: "Beslutningen er ikke registreret.",
    ageGroup: "30+ år",
    department: "Jobcenter",
    meetingText: "Akut — drøftes hurtigst muligt",
    stateText: "Akut",
    decisionText: "Start sag i myndighedsafdelingen — visiteret til Jonas Dahl",
    decidedText: "Hanne Lund, 25.11.2026 kl. 14.12",
    canDecide: true,
    canMove: true,
    values: { decision: "no-basis", socialCaseworker: "s1", note: long },
    errors: { decision: "Fejl", socialCaseworker: "Fejl", note: "Fejl" },
    socialCaseworkers: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, name: `Sagsbehandler nr. ${i}` })),
    decideCase: VERBS.decideCase,
    showCaseDetails: VERBS.showCaseDetails,
    showMoveCase: VERBS.showMoveCase,
  },
  "decision-for-caseworker": {
    caseNo: 12,
    version: 5,
    title: "Forummet har truffet en beslutning",
    reference: "SP-0012",
    decisionText: "Mere information",
    decidedText: "Hanne Lund, 25.11.2026 kl. 14.12",
    noteLabel: "Forummet mangler",
    note: long,
    nextStep: "Tilføj oplysningerne herunder.",
    askForInformation: true,
    information: long,
    error: "Fejl",
    showDetails: true,
    addInformation: VERBS.addInformation,
    showCaseDetails: VERBS.showCaseDetails,
    canOpenPlan: true,
    openPlan: VERBS.openPlan,
  },
  "move-case": {
    caseNo: 12,
    version: 3,
    reference: "SP-0012",
    meetingText: "onsdag 25. november 2026 kl. 14.10 (plads 2 af 3)",
    error: "Mødet er fuldt. Vælg et andet møde.",
    selected: "voksne:2026-12-09",
    meetings: Array.from({ length: 6 }, (_, i) => ({
      key: `voksne:2026-12-${10 + i}`,
      title: "onsdag 9. december 2026 kl. 14.00 — 3 ledige",
    })),
    moveCase: VERBS.moveCase,
    showCaseCard: VERBS.showCaseCard,
  },
  "cancel-meeting": {
    title: "Aflys Sparring voksne (30+)s møde?",
    meetingText: "onsdag 25. november 2026 kl. 14.00",
    question: "3 sager flyttes til næste møde med ledig plads, og sagsbehandlerne får besked.",
    meetingKey: "voksne:2026-11-25",
    cancelMeeting: VERBS.cancelMeeting,
  },
  "meeting-cancelled": {
    meetingText: "onsdag 25. november 2026 kl. 14.00",
    message: "3 sager er flyttet.",
    lines: Array.from({ length: 6 }, () => ({ text: "SP-0001 → onsdag 9. december 2026 kl. 14.00" })),
  },
  "case-details": {
    caseNo: 12,
    reference: "SP-0012",
    cpr: "610190-4321",
    age: 36,
    forumName: "Sparring voksne (30+)",
    meetingText: "onsdag 25. november 2026 kl. 14.10 (plads 2 af 3)",
    raisedByName: "Mette Holm",
    department: "Jobcenter",
    acute: true,
    acuteReason: long,
    health: long,
    social: long,
    question: long,
    additionalInfo: long,
    showCaseCard: VERBS.showCaseCard,
  },
  agenda: {
    meetingKey: "unge:2026-12-01",
    canCancel: true,
    showCancelMeeting: VERBS.showCancelMeeting,
    forumName: "Sparring unge (15-29)",
    meetingText: "tirsdag 1. december 2026 kl. 13.00",
    note: "Dagsordenen kommer for sent, fordi Sparring var nede ved fristen.",
    count: 6,
    capacity: 6,
    slotMinutes: 10,
    items: Array.from({ length: 6 }, (_, i) => ({
      caseNo: 10 + i,
      time: `kl. 13.${i}0`,
      reference: `SP-00${10 + i}`,
      ageGroup: "15–29 år",
      department: "Ungeindsatsen",
      acute: i === 0,
      showCaseDetails: VERBS.showCaseDetails,
    })),
  },
  "bostotte-start": { showBostotteForm: VERBS.showBostotteForm },
  "bostotte-form": {
    kind: "bevilling",
    title: "Bostøtte: bevilling",
    intro: "Bevillingsrammen.",
    isGrant: true,
    isTermination: false,
    submissionId: "00000000-0000-4000-8000-000000000000",
    maxChars: 500,
    formError: "Afgørelsen er ikke registreret.",
    values: {
      kind: "bevilling",
      cpr: "610190-4321",
      legalBasis: "sel-85",
      hours: "7,5",
      hoursPer: "week",
      from: "2026-12-01",
      to: "2027-05-31",
      review: "2027-03-01",
      purpose: long,
      reasonCategory: "andet",
      reasonText: long,
      endDate: "2027-01-31",
    },
    errors: {
      kind: "Fejl",
      cpr: "Fejl",
      legalBasis: "Fejl",
      hours: "Fejl",
      hoursPer: "Fejl",
      from: "Fejl",
      to: "Fejl",
      review: "Fejl",
      purpose: "Fejl",
      reasonCategory: "Fejl",
      reasonText: "Fejl",
      endDate: "Fejl",
    },
    legalBases: [
      { title: "Serviceloven § 85", value: "sel-85" },
      { title: "Serviceloven § 85 a", value: "sel-85a" },
    ],
    reasons: Array.from({ length: 20 }, (_, i) => ({ title: `Årsag ${i}`, value: `aarsag-${i}` })),
    submitBostotte: VERBS.submitBostotte,
  },
  "bostotte-recorded": {
    title: "Registreret: bevilling af bostøtte",
    repeated: true,
    facts: Array.from({ length: 8 }, () => ({ title: "Hjemmel", value: "Serviceloven § 85 — socialpædagogisk bistand (KLE 27.36.12)" })),
    told: "Borgerens 2 sagsbehandlere i beskæftigelsen har fået besked.",
  },
  "bostotte-notice": {
    id: "0123456789abcdef0123456789abcdef",
    title: "Bostøtte ophører",
    color: "Attention",
    intro: "Myndighedsafdelingen stopper bostøtten.",
    facts: Array.from({ length: 8 }, () => ({ title: "Årsag", value: "Borgeren ønsker det ikke" })),
    note: "Fra kommunens sagssystem",
    showBostotteDetails: VERBS.showBostotteDetails,
  },
  "bostotte-in-forum": {
    id: "0123456789abcdef0123456789abcdef",
    title: "Bostøtte afslået",
    color: "Attention",
    facts: Array.from({ length: 8 }, () => ({ title: "Årsag", value: "Ikke i målgruppen" })),
    showBostotteDetails: VERBS.showBostotteDetails,
  },
  "bostotte-details": {
    title: "Afgørelse om bostøtte: bevilling",
    facts: Array.from({ length: 10 }, () => ({ title: "Borger", value: "610190-4321" })),
    textLabel: "Formål",
    text: long,
  },
  "follow-citizen": {
    formError: "Du følger ikke borgeren endnu.",
    values: { cpr: "610190-4321", purpose: "andet" },
    errors: { cpr: "Fejl", purpose: "Fejl" },
    purposes: [{ title: "Orientering om bostøtte", value: "bostotte-orientering" }],
    followCitizen: VERBS.followCitizen,
  },
  "followed-citizens": {
    count: 100,
    summary: "Du følger 100 eller flere borgere; her er de 30 nyeste.",
    citizens: Array.from({ length: 30 }, (_, i) => ({
      citizenId: `0123456789abcdef0123456789abc${String(i).padStart(3, "0")}`,
      showHandOverFollowing: VERBS.showHandOverFollowing,
      maskedCpr: "610190-xxxx",
      purpose: "Igangværende beskæftigelsessag",
      since: "23.11.2026",
    })),
  },
  "unfollow-citizen": {
    citizenId: "c0ffee",
    question: "Stop med at følge 610190-xxxx?",
    reason: "andet",
    error: "Vælg en årsag fra listen.",
    reasons: [{ title: "Andet", value: "andet" }],
    unfollowCitizen: VERBS.unfollowCitizen,
  },
  "hand-over-following": {
    citizenId: "0123456789abcdef0123456789abcdef",
    question: "Hvem skal følge borgeren 610190-xxxx i stedet for dig?",
    selected: "c1",
    error: "Vælg en kollega fra listen.",
    colleagues: Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, name: `Sagsbehandler nr. ${i}` })),
    handOverFollowing: VERBS.handOverFollowing,
  },
  "hand-over-case": {
    caseNo: 12,
    version: 3,
    reference: "SP-0012",
    maskedCpr: "610190-xxxx",
    stateText: "Visiteret til myndighedsafdelingen",
    selected: "c1",
    error: "Vælg en kollega fra listen.",
    colleagues: Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, name: `Sagsbehandler nr. ${i}` })),
    handOverCase: VERBS.handOverCase,
  },
  "case-moved-away": {
    reference: "SP-0012",
    text: "Sagen er flyttet til Sparring voksne (30+), fordi borgeren har skiftet målgruppe. Nyt møde: onsdag 9. december 2026 kl. 14.00 (plads 1 af 3).",
  },
  help: {
    greeting: "Hej Mette! Jeg er Sparring.",
    forums: [{ ageRange: "15–29 år", name: "Sparring unge (15-29)" }],
    roleSections: [{ heading: OVERVIEW_TEXT.helpHeading, commands: [...OVERVIEW_TEXT.helpCommands] }],
  },
  ...PLAN_CARD_FIXTURES,
  ...OVERVIEW_CARD_FIXTURES,
};

/** Chart elements (Teams' `Chart.*`) that have no fallback for clients that cannot draw them. */
function chartsWithoutFallback(card: unknown): string[] {
  const missing: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (typeof n["type"] === "string" && n["type"].startsWith("Chart.") && !n["fallback"]) missing.push(n["type"]);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return missing;
}

function actionsOf(card: unknown): { type: string; verb?: string }[] {
  const found: { type: string; verb?: string }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (typeof n["type"] === "string" && n["type"].startsWith("Action."))
        found.push({ type: n["type"], verb: n["verb"] as string | undefined });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe("card templates", () => {
  it("has fixture data for every template in cards/", () => {
    expect(templateNames().sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  for (const name of Object.keys(FIXTURES) as CardName[]) {
    describe(name, () => {
      const card = renderCard(name, FIXTURES[name] as never);
      const json = JSON.stringify(card);

      it("expands every expression", () => {
        expect(json).not.toContain("${");
      });

      it("parses as an Adaptive Card 1.5 without warnings", () => {
        expect(card["version"]).toBe("1.5");
        const parsed = new AC.AdaptiveCard();
        const context = new AC.SerializationContext();
        parsed.parse(card, context);
        const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
        // Chart elements (the overview) are unknown to this 1.5 renderer: it uses their fallback, which must be there.
        expect(events.filter((m: string) => !/^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used/.test(m))).toEqual([]);
        expect(chartsWithoutFallback(card)).toEqual([]);
      });

      it("stays well under the Teams message limit with the longest allowed input", () => {
        expect(Buffer.byteLength(json, "utf8")).toBeLessThan(28 * 1024);
      });

      it("uses only Action.Execute verbs the bot knows", () => {
        for (const action of actionsOf(card)) {
          if (action.type === "Action.Execute") expect(Object.values(VERBS)).toContain(action.verb);
        }
      });
    });
  }

  it("keeps numbers typed as numbers where the schema wants a number", () => {
    const form = renderCard("case-form", FIXTURES["case-form"]);
    expect(JSON.stringify(form)).toContain('"maxLength":500');
  });
});

describe("escapeMarkdown", () => {
  it("stops user text from forming a link or emphasis", () => {
    const escaped = escapeMarkdown("[klik her](https://evil.example) **fed** _kursiv_");
    expect(escaped).not.toMatch(/(^|[^\\])\[/);
    expect(escaped).not.toMatch(/(^|[^\\])\*\*/);
    expect(escaped).toBe("\\[klik her\\]\\(https://evil.example\\) \\*\\*fed\\*\\* \\_kursiv\\_");
  });
});

describe("every verb has a handler", () => {
  let bot: BotHarness;
  beforeAll(async () => {
    const tables = await openTables(inject("azuriteConnectionString"));
    bot = await startBotHarness({ municipality: testMunicipality(), tables });
  });
  afterAll(() => bot.close());

  it.each(Object.values(VERBS))("%s is answered, not left unhandled", async (verb) => {
    const res = await bot.execute(verb, {}, CASEWORKER);
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty("statusCode", 200);
  });
});

import { describe, expect, it } from "vitest";
import type { PlanRecord } from "../../src/domain/plan.js";
import { planExportText } from "../../src/teams/plan-export.js";
import { CASEWORKER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const municipality = testMunicipality("export-tenant");
const ZONE = "Europe/Copenhagen";

const owners = {
  employment: { aadObjectId: CASEWORKER.aadObjectId, name: CASEWORKER.name },
  social: { aadObjectId: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
};

function activePlan(): PlanRecord {
  return {
    tenantId: municipality.tenantId,
    caseNo: 42,
    reference: "SP-0042",
    owners,
    state: "active",
    version: 3,
    content: {
      efforts: [
        {
          id: "e1",
          title: "Mentorforløb",
          purpose: "Borgeren får en mentor.\nMentoren støtter fremmøde i praktik.",
          department: "Jobcenter",
          performer: { kind: "named", name: "Mette Mentor" },
          from: "2026-12-01",
          to: "2027-05-31",
        },
        {
          id: "e2",
          title: "Socialpædagogisk bostøtte",
          purpose: "Støtte til at fastholde boligen.",
          department: "Myndighedsafdelingen",
          performer: { kind: "directory", aadObjectId: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
          from: "2026-12-15",
          to: "2027-06-30",
          after: "e1",
        },
      ],
      framework: "Sagsbehandlerne taler sammen hver anden uge.\nBorgeren har én fast indgang.",
      employmentFollowUp: "2027-01-15",
      socialFollowUp: "2027-01-22",
      fixedCaseworker: SOCIAL_CASEWORKER.aadObjectId,
      budgetKr: 50_000,
      forumFollowUp: "2027-02-01",
    },
    approvals: [
      { side: "employment", aadObjectId: CASEWORKER.aadObjectId, name: CASEWORKER.name, version: 3, at: "2026-11-23T07:00:00Z" },
      { side: "social", aadObjectId: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name, version: 3, at: "2026-11-23T08:15:00Z" },
    ],
    changes: [],
    agreedAt: "2026-11-23T08:15:00Z",
    meetings: {
      coordinationMeeting: "2026-11-20",
      jointConversation: "2026-11-23",
      registeredBy: CASEWORKER.aadObjectId,
      registeredAt: "2026-11-23T09:00:00Z",
    },
    consent: {
      givenOn: "2026-11-23",
      version: 3,
      efforts: ["e1", "e2"],
      sharedInformation: ["health", "housing", "substance-use"],
      note: "Borgeren vil selv fortælle om misbrug.",
      recordedBy: SOCIAL_CASEWORKER.aadObjectId,
      recordedAt: "2026-11-23T10:00:00Z",
    },
    activatedAt: "2026-11-23T10:00:00Z",
    followUps: [
      {
        kind: "employment",
        date: "2027-01-15",
        heldOn: "2027-01-15",
        note: "Praktikken går godt.",
        recordedBy: CASEWORKER.aadObjectId,
        recordedAt: "2027-01-15T12:00:00Z",
      },
    ],
    createdAt: "2026-11-20T09:00:00Z",
    createdBy: CASEWORKER.aadObjectId,
    updatedAt: "2027-01-15T12:00:00Z",
    revision: 9,
  };
}

describe("planExportText", () => {
  it("writes the whole plan as plain Danish text for the case file", () => {
    expect(planExportText(activePlan(), municipality, ZONE)).toBe(
      [
        "FÆLLES PLAN – SP-0042",
        "Testkommune",
        "Helhedsorienteret plan efter lov om en aktiv beskæftigelsesindsats § 40, stk. 3.",
        "Planen er et tilbud til borgeren og bliver først aktiv med borgerens samtykke.",
        "",
        "Status: Aktiv",
        "Version: 3",
        "Senest ændret: 15.01.2027 kl. 13.00",
        "",
        "Ejere",
        "- Beskæftigelse: Test Sagsbehandler",
        "- Socialområdet: Test Socialrådgiver",
        "Fast sagsbehandler (borgerens indgang): Test Socialrådgiver",
        "",
        "Indsatser",
        "1. Mentorforløb",
        "   Formål: Borgeren får en mentor.",
        "     Mentoren støtter fremmøde i praktik.",
        "   Varetages af: Jobcenter, Mette Mentor",
        "   Periode: 01.12.2026 – 31.05.2027",
        "   Rækkefølge: parallelt",
        "2. Socialpædagogisk bostøtte",
        "   Formål: Støtte til at fastholde boligen.",
        "   Varetages af: Myndighedsafdelingen, Test Socialrådgiver",
        "   Periode: 15.12.2026 – 30.06.2027",
        '   Rækkefølge: efter "Mentorforløb"',
        "",
        "Rammen for samarbejdet",
        "Sagsbehandlerne taler sammen hver anden uge.",
        "Borgeren har én fast indgang.",
        "",
        "Opfølgning",
        "- Beskæftigelsesrettet indsats: 15.01.2027",
        "- Social indsats: 22.01.2027",
        "- Sparringsforum: 01.02.2027",
        "",
        "Budget-/handleramme: 50.000 kr. (den faste sagsbehandler kan handle alene inden for rammen)",
        "",
        "Godkendelser (version 3)",
        "- Test Sagsbehandler (beskæftigelse): godkendt 23.11.2026 kl. 08.00",
        "- Test Socialrådgiver (socialområdet): godkendt 23.11.2026 kl. 09.15",
        "",
        "Koordineringsmøde: 20.11.2026",
        "Fællessamtale: 23.11.2026",
        "",
        "Samtykke",
        "Givet: 23.11.2026 (til version 3)",
        "Omfatter indsatserne: Mentorforløb, Socialpædagogisk bostøtte",
        "Oplysninger der må deles mellem afdelingerne: helbredsforhold, bolig, misbrug",
        "Note: Borgeren vil selv fortælle om misbrug.",
        "",
        "Afholdte opfølgninger",
        "- Beskæftigelsesrettet indsats 15.01.2027, afholdt 15.01.2027: Praktikken går godt.",
        "",
      ].join("\n"),
    );
  });

  it("says what is missing in a plan not yet written, approved or consented to", () => {
    const plan: PlanRecord = {
      ...activePlan(),
      state: "draft",
      version: 0,
      content: undefined,
      approvals: [],
      meetings: undefined,
      consent: undefined,
      followUps: [],
    };
    expect(planExportText(plan, municipality, ZONE)).toBe(
      [
        "FÆLLES PLAN – SP-0042",
        "Testkommune",
        "Helhedsorienteret plan efter lov om en aktiv beskæftigelsesindsats § 40, stk. 3.",
        "Planen er et tilbud til borgeren og bliver først aktiv med borgerens samtykke.",
        "",
        "Status: Kladde (ikke godkendt af begge sagsbehandlere)",
        "Version: 0",
        "Senest ændret: 15.01.2027 kl. 13.00",
        "",
        "Ejere",
        "- Beskæftigelse: Test Sagsbehandler",
        "- Socialområdet: Test Socialrådgiver",
        "",
        "Planen er endnu ikke udfyldt.",
        "",
        "Godkendelser (version 0)",
        "- Test Sagsbehandler (beskæftigelse): ikke godkendt",
        "- Test Socialrådgiver (socialområdet): ikke godkendt",
        "",
        "Koordineringsmøde: ikke registreret",
        "Fællessamtale: ikke registreret",
        "",
        "Samtykke: ikke registreret",
        "",
      ].join("\n"),
    );
  });

  it("records a refusal and the end of the plan, and a plan without budget or forum follow-up", () => {
    const base = activePlan();
    const plan: PlanRecord = {
      ...base,
      state: "ended",
      content: { ...base.content!, budgetKr: undefined, forumFollowUp: undefined },
      consent: undefined,
      followUps: [],
      refusal: {
        on: "2026-11-24",
        note: "Ønsker ikke samarbejde nu.",
        recordedBy: CASEWORKER.aadObjectId,
        recordedAt: "2026-11-24T09:00:00Z",
      },
      ended: { at: "2026-11-24T09:00:00Z", by: CASEWORKER.aadObjectId, reason: "refused", note: "Ønsker ikke samarbejde nu." },
    };
    const text = planExportText(plan, municipality, ZONE);
    expect(text).toContain("Status: Afsluttet\n");
    expect(text).toContain("- Sparringsforum: ingen\n");
    expect(text).toContain("\nBudget-/handleramme: ingen\n");
    expect(text).toContain("\nAfslag\nBorgeren takkede nej til planen: 24.11.2026\nNote: Ønsker ikke samarbejde nu.\n");
    expect(text.endsWith("\nAfsluttet: 24.11.2026 kl. 10.00 – borgeren takkede nej til planen\n")).toBe(true);
    expect(text).not.toContain("Samtykke");
  });

  it("shows a withdrawn consent with the day it was withdrawn", () => {
    const base = activePlan();
    const plan: PlanRecord = {
      ...base,
      state: "ended",
      consent: {
        ...base.consent!,
        withdrawnOn: "2027-02-03",
        withdrawalNote: "Borgeren ringede.",
        withdrawnBy: CASEWORKER.aadObjectId,
        withdrawnAt: "2027-02-03T08:00:00Z",
      },
      ended: { at: "2027-02-03T08:00:00Z", by: CASEWORKER.aadObjectId, reason: "consent-withdrawn", note: "Borgeren ringede." },
    };
    const text = planExportText(plan, municipality, ZONE);
    expect(text).toContain("Note: Borgeren vil selv fortælle om misbrug.\nTrukket tilbage: 03.02.2027\nNote: Borgeren ringede.\n");
    expect(text.endsWith("Afsluttet: 03.02.2027 kl. 09.00 – borgeren trak sit samtykke tilbage\n")).toBe(true);
  });
});

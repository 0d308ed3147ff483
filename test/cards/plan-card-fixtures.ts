import { MAX_CHARS } from "../../src/domain/case.js";
import { MAX_DEPARTMENT_CHARS, MAX_EFFORTS, MAX_NOTE_CHARS, MAX_PERSON_CHARS, MAX_TITLE_CHARS } from "../../src/domain/plan.js";
import type { CardData } from "../../src/teams/cards.js";
import { VERBS } from "../../src/teams/verbs.js";

type PlanCardName =
  "plan" | "plan-form" | "plan-consent" | "plan-meetings" | "plan-follow-up" | "plan-withdraw-consent" | "plan-notice" | "my-plans";

/**
 * Danish prose at exactly `chars` characters: a plan is at its largest with the most efforts
 * and every field at its longest, and a card must then still stay under the Teams limit. The
 * text is what caseworkers write (æ, ø, å take two bytes each); a text of nothing but "Æ"
 * would double every byte and no card holding twelve efforts could carry it.
 */
export function danish(chars: number): string {
  const sentence = "Borgeren får støtte til at møde stabilt i praktik og til at få overblik over økonomien og boligen. ";
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
}

const title = danish(MAX_TITLE_CHARS);
const purpose = danish(MAX_CHARS);
const department = danish(MAX_DEPARTMENT_CHARS);
const person = danish(MAX_PERSON_CHARS);
const note = danish(MAX_NOTE_CHARS);
const ids = Array.from({ length: MAX_EFFORTS }, (_, i) => `e${i + 1}`);

/** Fixtures for the joint plan's templates, at the maximum number of efforts and the longest allowed input. */
export const PLAN_CARD_FIXTURES: { [N in PlanCardName]: CardData[N] } = {
  plan: {
    caseNo: 12,
    version: 7,
    title: "Fælles plan · SP-0012",
    banner: "Version 7 er gemt, og Jonas Dahl har fået besked om ændringerne. I skal begge godkende version 7.",
    bannerColor: "Good",
    stateText: "Kladde · version 7",
    stateColor: "Warning",
    stateHint: "I skriver planen sammen. Når I begge har godkendt den samme version, er I enige.",
    facts: [
      { title: "Sagsbehandlere", value: `${person} (beskæftigelse), ${person} (socialområdet)` },
      { title: "Fast sagsbehandler", value: person },
      { title: "Budget-/handleramme", value: "1.000.000 kr." },
    ],
    filled: true,
    empty: "Planen er ikke udfyldt endnu.",
    efforts: ids.map((_, i) => ({
      heading: `${i + 1}. ${title}`,
      purpose,
      facts: [
        { title: "Hvem", value: `${department} · ${person}` },
        { title: "Periode", value: "01.12.2026 – 31.05.2027" },
        { title: "Rækkefølge", value: `Efter indsats ${i}: ${title}` },
      ],
    })),
    framework: purpose,
    followUps: (["Beskæftigelsesrettet indsats", "Social indsats", "Sparringsforum"] as const).map((kind) => ({
      text: `${kind}: 15.01.2027 — holdt 16.01.2027: ${note}`,
      color: "Good",
    })),
    approvalsTitle: "Godkendelser af version 7",
    approvals: [
      { text: `${person} (beskæftigelse): godkendt 23.11.2026 kl. 09.00`, color: "Good" },
      { text: `${person} (socialområdet): ikke godkendt endnu`, color: "Default" },
    ],
    changesTitle: `Ændret i version 7 af ${person}`,
    changes: [
      ...ids.map(() => ({ text: `${title}: titel, formål, afdeling, person, start, slut, rækkefølge ændret` })),
      { text: "Rammen for samarbejdet er ændret" },
      { text: "Budget-/handlerammen er ændret" },
    ],
    citizen: [
      { title: "Koordineringsmøde", value: "24.11.2026" },
      { title: "Fællessamtale", value: "01.12.2026" },
      { title: "Samtykke", value: "Givet 01.12.2026 (til version 6)" },
    ],
    consentLines: [
      { text: `Omfatter: ${ids.map((_, i) => `${i + 1}. ${title}`).join(", ")}` },
      {
        text: "Må deles mellem afdelingerne: Helbredsforhold, Sociale forhold, Beskæftigelse, Uddannelse, Bolig, Økonomi, Misbrug, Familieforhold",
      },
      { text: note },
      { text: "Samtykket dækker ikke alle planens indsatser: borgeren skal give samtykke til den nye version." },
    ],
    canApprove: true,
    approveTitle: "Godkend version 7",
    canEdit: true,
    canConsent: true,
    canFollowUp: true,
    canRegisterMeetings: true,
    canWithdraw: true,
    canExport: true,
    approvePlan: VERBS.approvePlan,
    showEditPlan: VERBS.showEditPlan,
    showPlanConsent: VERBS.showPlanConsent,
    showPlanFollowUp: VERBS.showPlanFollowUp,
    showPlanMeetings: VERBS.showPlanMeetings,
    showWithdrawPlanConsent: VERBS.showWithdrawPlanConsent,
    exportPlan: VERBS.exportPlan,
  },
  "plan-form": {
    caseNo: 12,
    version: 7,
    title: "Redigér fælles plan · SP-0012",
    intro:
      "Du retter version 7. Når du gemmer, bliver det version 8: din kollega får besked om ændringerne, og I skal begge godkende igen.",
    banner: "Planen er ikke gemt. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.",
    notes: [{ text: "Rammen for samarbejdet er ændret" }],
    notesNext: "Tryk Gem for at gemme dit udkast som en ny version oven på version 8.",
    effortIds: ids.join(" "),
    effortsError: "",
    efforts: ids.map((id, index) => ({
      index,
      number: index + 1,
      values: { id, title, purpose, department, person, from: "2026-12-01", to: "2027-05-31", after: index > 0 ? ids[index - 1]! : "" },
      // An invalid submit: errors on a few rows.
      errors: {
        id: "",
        title: "",
        purpose: "",
        department: "",
        person: "",
        from: index % 4 === 1 ? "Indsatsen skal starte senere end den indsats, den kommer efter." : "",
        to: index % 4 === 1 ? "Slutdatoen ligger før startdatoen." : "",
        after: "",
      },
      after: index > 0 ? String(index) : "",
    })),
    canAdd: false,
    maxChars: MAX_CHARS,
    values: {
      framework: purpose,
      employmentFollowUp: "2027-01-15",
      socialFollowUp: "2027-01-22",
      fixedCaseworker: "aaaaaaaa-0000-4000-8000-000000000005",
      budgetKr: "1.000.000",
      forumFollowUp: "2027-02-01",
    },
    errors: {
      framework: "Skriv højst 5 linjer.",
      employmentFollowUp: "Datoen er passeret. Vælg i dag eller en senere dato.",
      socialFollowUp: "Datoen er passeret. Vælg i dag eller en senere dato.",
      fixedCaseworker: "Den faste sagsbehandler skal være en af jer to.",
      budgetKr: "Skriv beløbet i hele kroner, fx 50.000.",
      forumFollowUp: "Skriv en gyldig dato.",
    },
    owners: [
      { title: `${person} (beskæftigelse)`, value: "aaaaaaaa-0000-4000-8000-000000000001" },
      { title: `${person} (socialområdet)`, value: "aaaaaaaa-0000-4000-8000-000000000005" },
    ],
    editPlan: VERBS.editPlan,
    addPlanEffort: VERBS.addPlanEffort,
    removePlanEffort: VERBS.removePlanEffort,
    openPlan: VERBS.openPlan,
  },
  "plan-consent": {
    caseNo: 12,
    version: 7,
    title: "Borgerens samtykke · SP-0012",
    intro: "Planen (version 7) er et tilbud til borgeren.",
    banner: "Intet er registreret. Ret det markerede — det, du har skrevet, er bevaret.",
    maxNoteChars: MAX_NOTE_CHARS,
    values: { givenOn: "2026-12-01", efforts: ids.join(","), sharedInformation: "health,social,housing", note },
    errors: { givenOn: "Fejl", efforts: "Fejl", sharedInformation: "Fejl", note: "Fejl" },
    effortChoices: ids.map((id, i) => ({ title: `${i + 1}. ${title}`, value: id })),
    informationChoices: ["health", "social", "employment", "education", "housing", "finances", "substance-use", "family"].map((value) => ({
      title: "Familieforhold",
      value,
    })),
    recordPlanConsent: VERBS.recordPlanConsent,
    recordPlanRefusal: VERBS.recordPlanRefusal,
    openPlan: VERBS.openPlan,
  },
  "plan-meetings": {
    caseNo: 12,
    title: "Møder om planen · SP-0012",
    banner: "Intet er registreret.",
    values: { coordinationMeeting: "2026-11-24", jointConversation: "2026-12-01" },
    errors: { coordinationMeeting: "Fejl", jointConversation: "Fællessamtalen kan ikke ligge før koordineringsmødet." },
    registerPlanMeetings: VERBS.registerPlanMeetings,
    openPlan: VERBS.openPlan,
  },
  "plan-follow-up": {
    caseNo: 12,
    title: "Opfølgning på planen · SP-0012",
    banner: "Intet er registreret.",
    maxNoteChars: MAX_NOTE_CHARS,
    values: { kind: "social", heldOn: "2027-01-16", note },
    errors: { kind: "Fejl", heldOn: "Fejl", note: "Fejl" },
    kinds: [
      { title: "Beskæftigelsesrettet indsats (15.01.2027)", value: "employment" },
      { title: "Social indsats (22.01.2027)", value: "social" },
      { title: "Sparringsforum (01.02.2027)", value: "forum" },
    ],
    recordPlanFollowUp: VERBS.recordPlanFollowUp,
    openPlan: VERBS.openPlan,
  },
  "plan-withdraw-consent": {
    caseNo: 12,
    title: "Træk samtykket tilbage · SP-0012",
    banner: "Intet er registreret.",
    maxNoteChars: MAX_NOTE_CHARS,
    values: { on: "2027-02-01", note },
    errors: { on: "Fejl", note: "Fejl" },
    withdrawPlanConsent: VERBS.withdrawPlanConsent,
    openPlan: VERBS.openPlan,
  },
  "plan-notice": {
    caseNo: 12,
    title: "Opfølgning på den fælles plan",
    color: "Attention",
    text: "Det er tid til opfølgning på den fælles plan for sag SP-0012: social indsats, 22.01.2027. Planens indsatser:",
    lines: ids.map((_, i) => ({ text: `${i + 1}. ${title} — ${department} · ${person}, 01.12.2026 – 31.05.2027` })),
    canRecordFollowUp: true,
    followUpKind: "social",
    showPlanFollowUp: VERBS.showPlanFollowUp,
    openPlan: VERBS.openPlan,
  },
  "my-plans": {
    title: "Mine fælles planer",
    count: 20,
    summary: "Dine 20 nyeste planer, nyeste sag først.",
    empty: "Du er ikke med i nogen fælles plan endnu.",
    plans: Array.from({ length: 20 }, (_, i) => ({
      caseNo: 100 + i,
      reference: `SP-0${100 + i}`,
      stateText: "Enige · version 12",
      stateColor: "Accent",
      details: `Sammen med ${person} · godkendt af jer begge · Næste opfølgning: beskæftigelsesrettet indsats 15.01.2027`,
      openPlan: VERBS.openPlan,
    })),
  },
};

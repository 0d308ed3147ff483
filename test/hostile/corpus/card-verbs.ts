import { randomUUID } from "node:crypto";
import type { CaseRecord } from "../../../src/domain/case.js";
import { followedBy } from "../../../src/domain/following.js";
import { BOSTOTTE_TEXT, FOLLOW_TEXT, PLAN_TEXT, TEXT } from "../../../src/teams/messages.js";
import type { Verb } from "../../../src/teams/verbs.js";
import { fakeCprForAge } from "../../support/fixtures.js";
import { idOf, NOW, type Fixtures, type Person, type World } from "../hostile-world.js";

/*
 * Every card verb (src/teams/verbs.ts), pressed with tampered data. One entry per verb: the
 * data of the real button and who presses it (every field of it is then sent missing and
 * wrong-typed, automatically), what the real press answers, and the tampered presses, each
 * with the Danish answer it must get. A tampered press never changes anything but audit
 * rows. A verb added to VERBS without an entry here does not compile, and the spec fails.
 */

/** What a tampered press must get: the Danish text (or a text on the card) it answers with. */
export interface VerbCase {
  name: string;
  /** Who presses; the verb's own presser when not given. */
  as?: Person;
  /** The activity comes from the other served tenant (same people, no such case there). */
  tenant?: "other";
  /** The card data sent. */
  data: unknown;
  refused: string | RegExp;
}

export interface VerbSpec {
  /** Who presses the real button. */
  as: Person;
  /**
   * The data of the real button, aimed at what this verb needs (a fresh case or plan when the
   * press changes it, else the shared fixtures), and pressed as the last step to prove it is real.
   */
  prepare: (w: World, f: Fixtures) => Promise<Record<string, unknown>>;
  /** What the real press answers. */
  accepted: string | RegExp;
  /** Fields the card may leave out (the handler defaults them): not sent missing by the automatic mutations. */
  optional?: string[];
  /** Fields to mutate automatically; all fields of the real data when not given. */
  mutate?: string[];
  /** The tampered presses: other case, other forum, other tenant, stale version, wrong person, out-of-range values. */
  cases: (valid: Record<string, unknown>, f: Fixtures) => VerbCase[];
  /** Rows a refused press may write again with the same content (sealed anew, so they differ byte for byte), and why. */
  rewrites?: { rows: RegExp; why: string };
}

const UNKNOWN_CASE_NO = 987_654;
const OTHER_MEETING_DAY = "voksne:2026-11-26"; // a Thursday: no meeting of the adult forum

/** The last of the forum's meetings the move form offers (so it has a free slot), other than `not`. */
function laterMeeting(w: World, forumId: string, not: string): string {
  const offered = w.bot.deps.calendar.upcoming(w.municipality, forumId, NOW, 7).map((m) => `${m.forumId}:${m.date}`);
  return offered.filter((key) => key !== not).pop()!;
}

/** A plan form as typed, for the plan form's buttons. */
const planFormData = (w: World, c: CaseRecord, version: number) => ({
  caseNo: c.caseNo,
  version,
  ...w.planForm({ framework: "Ny ramme" }),
});

/** Presses aimed at a case that is not there for the presser: an unknown number, one past the largest, the other tenant. */
function caseTampering(valid: Record<string, unknown>): VerbCase[] {
  return [
    { name: "a case number that does not exist", data: { ...valid, caseNo: UNKNOWN_CASE_NO }, refused: TEXT.unknownCase },
    { name: "a case number past the largest there can be", data: { ...valid, caseNo: 99_999_999_999 }, refused: TEXT.unknownCase },
    { name: "from the other tenant, where the case does not exist", tenant: "other", data: valid, refused: TEXT.unknownCase },
    {
      name: "the other tenant's id in the data (ignored: the tenant is the activity's)",
      data: { ...valid, tenantId: "00000000-dead-4000-8000-000000000000", caseNo: UNKNOWN_CASE_NO },
      refused: TEXT.unknownCase,
    },
  ];
}

const planRefusals = (valid: Record<string, unknown>, f: Fixtures, expired = PLAN_TEXT.expired): VerbCase[] => [
  { name: "by someone who is not one of the plan's caseworkers", as: "outsider", data: valid, refused: PLAN_TEXT.notOwner },
  { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: PLAN_TEXT.notOwner },
  { name: "a case without a plan", data: { ...valid, caseNo: f.booked.caseNo }, refused: PLAN_TEXT.noPlan },
  { name: "a case number that does not exist", data: { ...valid, caseNo: UNKNOWN_CASE_NO }, refused: PLAN_TEXT.noPlan },
  { name: "from the other tenant", tenant: "other", data: valid, refused: PLAN_TEXT.noPlan },
  { name: "a case number that is text", data: { ...valid, caseNo: "SP-0001" }, refused: expired },
];

export const VERB_CORPUS: Record<Verb, VerbSpec> = {
  submitCase: {
    as: "caseworker",
    prepare: async () => ({
      submissionId: randomUUID(),
      cpr: fakeCprForAge(44, NOW),
      health: "Kroniske smerter",
      social: "Gæld",
      question: "Skal sagen startes i myndighedsafdelingen?",
      department: "Jobcenter",
      acute: "true",
      acuteReason: "Udsættelse",
    }),
    accepted: /^SP-\d{4}$/,
    optional: ["cpr", "health", "social", "question", "department", "acute", "acuteReason"],
    cases: (valid) => [
      { name: "by someone who is not a caseworker", as: "outsider", data: valid, refused: TEXT.notCaseworker },
      { name: "by a coordinator (not a caseworker)", as: "youthCoordinator", data: valid, refused: TEXT.notCaseworker },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: TEXT.notCaseworker },
      { name: "a submission id that is not a UUID", data: { ...valid, submissionId: "1 OR 1=1" }, refused: TEXT.expiredForm },
      {
        name: "a department that is not the municipality's",
        data: { ...valid, department: "Borgmesterkontoret" },
        refused: TEXT.formHasErrors,
      },
      { name: "acute neither true nor false", data: { ...valid, acute: "ja" }, refused: TEXT.expiredForm },
      { name: "a CPR number of 41 characters", data: { ...valid, cpr: "1".repeat(41) }, refused: TEXT.expiredForm },
      { name: "an empty form", data: { submissionId: randomUUID() }, refused: TEXT.formHasErrors },
      {
        name: "a health text of 20,001 characters (no form sends it)",
        data: { ...valid, health: "x".repeat(20_001) },
        refused: TEXT.expiredForm,
      },
    ],
  },

  showCaseDetails: {
    as: "coordinator",
    prepare: async (_w, f) => ({ caseNo: f.booked.caseNo }),
    accepted: "Helbredsforhold",
    cases: (valid) => [
      { name: "by someone who is no coordinator or caseworker of the case", as: "outsider", data: valid, refused: TEXT.detailsRefused },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.detailsRefused },
      { name: "by the social caseworker of a case not visitated to them", as: "social", data: valid, refused: TEXT.detailsRefused },
      { name: "by a colleague caseworker who did not raise it", as: "colleague", data: valid, refused: TEXT.detailsRefused },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: TEXT.detailsRefused },
      ...caseTampering(valid),
    ],
  },

  showCaseCard: {
    as: "coordinator",
    prepare: async (_w, f) => ({ caseNo: f.booked.caseNo }),
    accepted: "CPR-nummer og oplysninger om borgeren står ikke i kanalen.",
    cases: (valid) => [
      { name: "a case number that does not exist", data: { ...valid, caseNo: UNKNOWN_CASE_NO }, refused: TEXT.unknownCase },
      { name: "from the other tenant", tenant: "other", data: valid, refused: TEXT.unknownCase },
    ],
  },

  showMoveCase: {
    as: "coordinator",
    prepare: async (_w, f) => ({ caseNo: f.booked.caseNo }),
    accepted: /^Flyt sag SP-/,
    cases: (valid, f) => [
      { name: "by a caseworker", as: "caseworker", data: valid, refused: TEXT.onlyCoordinators },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.onlyCoordinators },
      { name: "an acute case (not booked)", data: { caseNo: f.acute.caseNo }, refused: TEXT.notBooked },
      { name: "a decided case", data: { caseNo: f.closed.caseNo }, refused: TEXT.notBooked },
      ...caseTampering(valid),
    ],
  },

  moveCase: {
    as: "coordinator",
    prepare: async (w) => {
      const record = await w.raise();
      return { caseNo: record.caseNo, version: record.version, meeting: laterMeeting(w, "voksne", record.meetingKey!) };
    },
    accepted: /^Sag SP-/,
    cases: (valid, f) => [
      { name: "by a caseworker", as: "caseworker", data: valid, refused: TEXT.onlyCoordinators },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.onlyCoordinators },
      { name: "to a meeting of the other forum", data: { ...valid, meeting: f.meetings.unge }, refused: TEXT.meetingNotAvailable },
      { name: "to a day the forum does not meet", data: { ...valid, meeting: OTHER_MEETING_DAY }, refused: TEXT.meetingNotAvailable },
      { name: "to a meeting in the past", data: { ...valid, meeting: "voksne:2026-11-11" }, refused: TEXT.meetingNotAvailable },
      { name: "to a meeting in the year 9999", data: { ...valid, meeting: "voksne:9999-12-29" }, refused: TEXT.meetingNotAvailable },
      { name: "to the meeting it is already in", data: { ...valid, meeting: f.meetings.voksne }, refused: /./ },
      {
        name: "to a meeting key with a table key separator",
        data: { ...valid, meeting: `${f.meetings.voksne}|slot|00` },
        refused: TEXT.chooseMeeting,
      },
      { name: "no meeting chosen", data: { ...valid, meeting: "" }, refused: TEXT.chooseMeeting },
      { name: "a stale version", data: { ...valid, version: Number(valid["version"]) + 5 }, refused: /^Sag SP-/ },
      { name: "an acute case", data: { ...valid, caseNo: f.acute.caseNo, version: f.acute.version }, refused: TEXT.notBooked },
      ...caseTampering(valid),
    ],
  },

  showCancelMeeting: {
    as: "coordinator",
    prepare: async (_w, f) => ({ meeting: f.meetings.voksne }),
    accepted: /^Aflys .*møde\?$/,
    cases: (valid) => [
      { name: "a meeting that was held two weeks ago", data: { meeting: "voksne:2026-11-11" }, refused: TEXT.meetingNotAvailable },
      { name: "by a caseworker", as: "caseworker", data: valid, refused: TEXT.onlyCoordinators },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.onlyCoordinators },
      { name: "a day the forum does not meet", data: { meeting: OTHER_MEETING_DAY }, refused: TEXT.meetingNotAvailable },
      { name: "a forum that does not exist", data: { meeting: "pensionister:2026-11-25" }, refused: TEXT.meetingNotAvailable },
      { name: "not a meeting key", data: { meeting: "<at>alle</at>" }, refused: TEXT.meetingNotAvailable },
      {
        name: "from the other tenant (same forum ids, other people's meetings)",
        as: "youthCoordinator",
        tenant: "other",
        data: valid,
        refused: TEXT.onlyCoordinators,
      },
    ],
  },

  cancelMeeting: {
    as: "coordinator",
    prepare: async (w) => ({ meeting: laterMeeting(w, "voksne", "") }),
    accepted: "Mødet er aflyst",
    cases: (valid, f) => [
      { name: "by a caseworker", as: "caseworker", data: valid, refused: TEXT.onlyCoordinators },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.onlyCoordinators },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: TEXT.onlyCoordinators },
      { name: "a day the forum does not meet", data: { meeting: OTHER_MEETING_DAY }, refused: TEXT.meetingNotAvailable },
      { name: "a meeting that was held two weeks ago", data: { meeting: "voksne:2026-11-11" }, refused: TEXT.meetingNotAvailable },
      { name: "a meeting 40 years on", data: { meeting: "voksne:2066-11-25" }, refused: TEXT.meetingNotAvailable },
      {
        name: "the adult meeting, by the youth coordinator from the other tenant",
        tenant: "other",
        as: "youthCoordinator",
        data: { meeting: f.meetings.voksne },
        refused: TEXT.onlyCoordinators,
      },
    ],
  },

  decideCase: {
    as: "coordinator",
    prepare: async (w) => {
      const record = await w.raise({ acute: true });
      return { caseNo: record.caseNo, version: record.version, decision: "no-basis", socialCaseworker: "", note: "Borgeren er i job" };
    },
    accepted: "Beslutning: Ikke grundlag for tværgående sag",
    optional: ["socialCaseworker"],
    rewrites: {
      rows: /^written: caseindex \S+\|events\|/,
      why: "a press on a decided case writes the overview's event row again, the same: it completes one a cut-off turn missed",
    },
    cases: (valid, f) => [
      { name: "by a caseworker", as: "caseworker", data: valid, refused: TEXT.decisionNotAllowed },
      { name: "by the social caseworker", as: "social", data: valid, refused: TEXT.decisionNotAllowed },
      { name: "by the coordinator of the other forum", as: "youthCoordinator", data: valid, refused: TEXT.decisionNotAllowed },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: TEXT.decisionNotAllowed },
      { name: "a stale version", data: { ...valid, version: Number(valid["version"]) + 3 }, refused: TEXT.decisionStale },
      { name: "a decision that does not exist", data: { ...valid, decision: "close-forever" }, refused: TEXT.unknownCase },
      { name: "no decision", data: { ...valid, decision: "" }, refused: TEXT.decisionInvalid },
      {
        name: "Start sag, visitated to someone who is not a social caseworker",
        data: { ...valid, decision: "start", socialCaseworker: idOf("outsider") },
        refused: TEXT.decisionInvalid,
      },
      {
        name: "Start sag, visitated to the presser",
        data: { ...valid, decision: "start", socialCaseworker: idOf("coordinator") },
        refused: TEXT.decisionInvalid,
      },
      { name: "Start sag, nobody chosen", data: { ...valid, decision: "start", socialCaseworker: "" }, refused: TEXT.decisionInvalid },
      { name: "a note of six lines", data: { ...valid, note: "1\n2\n3\n4\n5\n6" }, refused: TEXT.decisionInvalid },
      { name: "a note of 501 characters", data: { ...valid, note: "x".repeat(501) }, refused: TEXT.decisionInvalid },
      {
        name: "an already decided case",
        data: { ...valid, caseNo: f.closed.caseNo, version: f.closed.version },
        refused: /Beslutning|allerede/,
      },
      {
        name: "who decided, forged in the data",
        as: "caseworker",
        data: { ...valid, decidedBy: idOf("coordinator"), by: idOf("coordinator") },
        refused: TEXT.decisionNotAllowed,
      },
      ...caseTampering(valid),
    ],
  },

  addInformation: {
    as: "caseworker",
    prepare: async (w) => {
      const record = await w.decide(await w.raise({ acute: true }), "more-information", { note: "Lægeerklæring" });
      return { caseNo: record.caseNo, version: record.version, information: "Lægeerklæringen er vedlagt" };
    },
    accepted: /Oplysningerne er tilføjet/,
    cases: (valid, f) => [
      { name: "by another caseworker", as: "colleague", data: valid, refused: TEXT.onlyRaiserAddsInformation },
      { name: "by a coordinator", as: "coordinator", data: valid, refused: TEXT.onlyRaiserAddsInformation },
      {
        name: "a case that waits for nothing",
        data: { ...valid, caseNo: f.booked.caseNo, version: f.booked.version },
        refused: TEXT.informationNotAwaited,
      },
      { name: "a stale version", data: { ...valid, version: Number(valid["version"]) - 1 }, refused: TEXT.informationNotAwaited },
      { name: "nothing added", data: { ...valid, information: "   " }, refused: TEXT.decisionFieldError["note.required"] },
      { name: "six lines", data: { ...valid, information: "1\n2\n3\n4\n5\n6" }, refused: TEXT.decisionFieldError["note.too-long"] },
      ...caseTampering(valid),
    ],
  },

  showWithdrawCase: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.booked.caseNo }),
    accepted: "Træk sagen tilbage?",
    cases: (valid, f) => [
      { name: "by a coordinator", as: "coordinator", data: valid, refused: TEXT.withdrawOnlyRaiser },
      { name: "by another caseworker", as: "colleague", data: valid, refused: TEXT.withdrawOnlyRaiser },
      { name: "a decided case", data: { caseNo: f.closed.caseNo }, refused: /kan ikke trækkes tilbage/ },
      ...caseTampering(valid),
    ],
  },

  withdrawCase: {
    as: "caseworker",
    prepare: async (w) => {
      const record = await w.raise();
      return { caseNo: record.caseNo, version: record.version };
    },
    accepted: /er trukket tilbage/,
    cases: (valid, f) => [
      { name: "by a coordinator", as: "coordinator", data: valid, refused: TEXT.withdrawOnlyRaiser },
      { name: "by another caseworker", as: "colleague", data: valid, refused: TEXT.withdrawOnlyRaiser },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: TEXT.withdrawOnlyRaiser },
      { name: "a stale version", data: { ...valid, version: Number(valid["version"]) + 1 }, refused: TEXT.withdrawStale },
      { name: "a decided case", data: { caseNo: f.closed.caseNo, version: f.closed.version }, refused: /kan ikke trækkes tilbage/ },
      ...caseTampering(valid),
    ],
  },

  showBostotteForm: {
    as: "social",
    prepare: async () => ({ kind: "bevilling" }),
    accepted: BOSTOTTE_TEXT.formTitle.bevilling,
    cases: (valid) => [
      { name: "by an employment caseworker", as: "caseworker", data: valid, refused: BOSTOTTE_TEXT.onlySocialCaseworkers },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: BOSTOTTE_TEXT.onlySocialCaseworkers },
      { name: "a kind that does not exist", data: { kind: "tilbagebetaling" }, refused: BOSTOTTE_TEXT.expiredForm },
      { name: "a kind in English", data: { kind: "grant" }, refused: BOSTOTTE_TEXT.expiredForm },
    ],
  },

  submitBostotte: {
    as: "social",
    prepare: async (_w, f) => ({
      submissionId: randomUUID(),
      kind: "bevilling",
      cpr: f.followed.cpr,
      legalBasis: "sel-85",
      hours: "3",
      hoursPer: "week",
      from: "2026-12-01",
      to: "",
      review: "2027-03-01",
      purpose: "Hjælp i hjemmet",
      reasonCategory: "",
      reasonText: "",
      endDate: "",
    }),
    accepted: /Registreret: bevilling af bostøtte/,
    optional: ["cpr", "legalBasis", "hours", "hoursPer", "from", "to", "review", "purpose", "reasonCategory", "reasonText", "endDate"],
    cases: (valid) => [
      { name: "by an employment caseworker", as: "caseworker", data: valid, refused: BOSTOTTE_TEXT.onlySocialCaseworkers },
      { name: "by a coordinator", as: "coordinator", data: valid, refused: BOSTOTTE_TEXT.onlySocialCaseworkers },
      { name: "negative hours", data: { ...valid, hours: "-5" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "zero hours", data: { ...valid, hours: "0" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "1e308 hours", data: { ...valid, hours: "1e308" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "Infinity hours", data: { ...valid, hours: "Infinity" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "NaN hours", data: { ...valid, hours: "NaN" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "hex hours", data: { ...valid, hours: "0x10" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "61 hours a week", data: { ...valid, hours: "61" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "hours per fortnight", data: { ...valid, hoursPer: "fortnight" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "a legal basis that does not exist", data: { ...valid, legalBasis: "sel-999" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "30 February", data: { ...valid, from: "2026-02-30" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "an end before the start", data: { ...valid, to: "2026-11-30" }, refused: BOSTOTTE_TEXT.formHasErrors },
      { name: "a date in the year 99999", data: { ...valid, review: "99999-01-01" }, refused: BOSTOTTE_TEXT.formHasErrors },
      {
        name: "a refusal with a reason category that does not exist",
        data: { ...valid, kind: "afslag", reasonCategory: "fordi" },
        refused: BOSTOTTE_TEXT.formHasErrors,
      },
      { name: "a kind that does not exist", data: { ...valid, kind: "tilbagebetaling" }, refused: BOSTOTTE_TEXT.expiredForm },
      { name: "a submission id that is not a UUID", data: { ...valid, submissionId: "../../etc" }, refused: BOSTOTTE_TEXT.expiredForm },
      { name: "an invalid CPR number", data: { ...valid, cpr: "310290-4321" }, refused: BOSTOTTE_TEXT.formHasErrors },
    ],
  },

  showBostotteDetails: {
    as: "caseworker",
    prepare: async (_w, f) => ({ id: f.followed.bostotteId }),
    accepted: BOSTOTTE_TEXT.detailsTitle("bevilling"),
    cases: (valid, f) => [
      { name: "by someone not linked to the citizen", as: "outsider", data: valid, refused: BOSTOTTE_TEXT.detailsRefused },
      { name: "by a colleague not linked to the citizen", as: "colleague", data: valid, refused: BOSTOTTE_TEXT.detailsRefused },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: BOSTOTTE_TEXT.detailsRefused },
      { name: "a decision of the other tenant", data: { id: f.otherTenantBostotteId }, refused: BOSTOTTE_TEXT.unknownDecision },
      { name: "this decision, asked from the other tenant", tenant: "other", data: valid, refused: BOSTOTTE_TEXT.unknownDecision },
      { name: "an id that does not exist", data: { id: "0".repeat(32) }, refused: BOSTOTTE_TEXT.unknownDecision },
      { name: "an id with a table key separator", data: { id: `${f.followed.bostotteId}|x` }, refused: BOSTOTTE_TEXT.unknownDecision },
      { name: "an id in upper case", data: { id: f.followed.bostotteId.toUpperCase() }, refused: BOSTOTTE_TEXT.unknownDecision },
    ],
  },

  followCitizen: {
    as: "caseworker",
    prepare: async () => ({ cpr: fakeCprForAge(52, NOW), purpose: "andet" }),
    accepted: /Du følger nu borgeren \d{6}-xxxx/,
    optional: ["cpr", "purpose"],
    rewrites: {
      rows: /^written: caseindex \S+\|following\|/,
      why: "following again repairs the caseworker's list row (a cut-off follow may have missed it)",
    },
    cases: (valid, f) => [
      { name: "by a coordinator", as: "coordinator", data: valid, refused: FOLLOW_TEXT.onlyCaseworkers },
      { name: "by the social caseworker", as: "social", data: valid, refused: FOLLOW_TEXT.onlyCaseworkers },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: FOLLOW_TEXT.onlyCaseworkers },
      { name: "a purpose not on the list", data: { ...valid, purpose: "nysgerrighed" }, refused: FOLLOW_TEXT.formHasErrors },
      { name: "no purpose", data: { ...valid, purpose: "" }, refused: FOLLOW_TEXT.formHasErrors },
      { name: "an invalid CPR number", data: { ...valid, cpr: "310290-4321" }, refused: FOLLOW_TEXT.formHasErrors },
      {
        name: "a citizen already followed",
        data: { cpr: f.followed.cpr, purpose: "andet" },
        refused: /Du følger allerede borgeren \d{6}-xxxx/,
      },
    ],
  },

  unfollowCitizen: {
    as: "caseworker",
    prepare: async (w) => {
      const cpr = fakeCprForAge(53, NOW);
      await w.press("followCitizen", { cpr, purpose: "andet" }, "caseworker");
      const { citizens } = await followedBy(w.bot.deps, { municipality: w.municipality, user: idOf("caseworker") });
      return { citizenId: citizens.find((c) => c.cprDigits === cpr.replace("-", ""))!.citizenId, reason: "ikke-relevant" };
    },
    accepted: FOLLOW_TEXT.unfollowed,
    optional: ["reason"],
    cases: (valid, f) => [
      { name: "by a colleague who does not follow the citizen", as: "colleague", data: valid, refused: FOLLOW_TEXT.notFollowing },
      { name: "by someone without an Entra object id", as: "anonymous", data: valid, refused: FOLLOW_TEXT.notFollowing },
      { name: "a reason not on the list", data: { ...valid, reason: "fordi" }, refused: FOLLOW_TEXT.fieldError["reason.unknown"] },
      { name: "a citizen id that does not exist", data: { ...valid, citizenId: "f".repeat(64) }, refused: FOLLOW_TEXT.notFollowing },
      {
        name: "a citizen id with a table key separator",
        data: { ...valid, citizenId: `${f.followed.citizenId}|follower|x` },
        refused: FOLLOW_TEXT.notFollowing,
      },
      { name: "from the other tenant", tenant: "other", data: valid, refused: FOLLOW_TEXT.notFollowing },
    ],
  },

  showHandOverCase: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.booked.caseNo }),
    accepted: "Skift sagsbehandler",
    cases: (valid, f) => [
      { name: "by a coordinator", as: "coordinator", data: valid, refused: FOLLOW_TEXT.handOverOnlyCaseworker },
      { name: "by another caseworker", as: "colleague", data: valid, refused: FOLLOW_TEXT.handOverOnlyCaseworker },
      { name: "a closed case", data: { caseNo: f.closed.caseNo }, refused: FOLLOW_TEXT.handOverClosed },
      ...caseTampering(valid),
    ],
  },

  handOverCase: {
    as: "caseworker",
    prepare: async (w) => {
      const record = await w.raise();
      return { caseNo: record.caseNo, version: record.version, to: idOf("colleague") };
    },
    accepted: /er givet videre til Test Kollega/,
    optional: ["to"],
    cases: (valid, f) => [
      { name: "by a coordinator", as: "coordinator", data: valid, refused: FOLLOW_TEXT.handOverOnlyCaseworker },
      { name: "by the colleague it would go to", as: "colleague", data: valid, refused: FOLLOW_TEXT.handOverOnlyCaseworker },
      { name: "to someone who is not a caseworker", data: { ...valid, to: idOf("outsider") }, refused: FOLLOW_TEXT.handOverNotCaseworker },
      { name: "to a coordinator", data: { ...valid, to: idOf("coordinator") }, refused: FOLLOW_TEXT.handOverNotCaseworker },
      { name: "to nobody", data: { ...valid, to: "" }, refused: FOLLOW_TEXT.handOverChoose },
      {
        name: "to an id with a table key separator",
        data: { ...valid, to: `${idOf("colleague")}|x` },
        refused: FOLLOW_TEXT.handOverNotCaseworker,
      },
      { name: "a stale version", data: { ...valid, version: Number(valid["version"]) + 2 }, refused: FOLLOW_TEXT.handOverStale },
      {
        name: "a closed case",
        data: { ...valid, caseNo: f.closed.caseNo, version: f.closed.version },
        refused: FOLLOW_TEXT.handOverClosed,
      },
      ...caseTampering(valid),
    ],
  },

  showHandOverFollowing: {
    as: "caseworker",
    prepare: async (_w, f) => ({ citizenId: f.followed.citizenId }),
    accepted: "Giv borgeren videre",
    cases: (valid) => [
      { name: "by a colleague who does not follow the citizen", as: "colleague", data: valid, refused: FOLLOW_TEXT.notFollowing },
      { name: "a citizen id that does not exist", data: { citizenId: "0".repeat(64) }, refused: FOLLOW_TEXT.notFollowing },
      { name: "from the other tenant", tenant: "other", data: valid, refused: FOLLOW_TEXT.notFollowing },
    ],
  },

  handOverFollowing: {
    as: "caseworker",
    prepare: async (w) => {
      const cpr = fakeCprForAge(54, NOW);
      await w.press("followCitizen", { cpr, purpose: "andet" }, "caseworker");
      const { citizens } = await followedBy(w.bot.deps, { municipality: w.municipality, user: idOf("caseworker") });
      return { citizenId: citizens.find((c) => c.cprDigits === cpr.replace("-", ""))!.citizenId, to: idOf("colleague") };
    },
    accepted: /Test Kollega følger nu borgeren \d{6}-xxxx/,
    optional: ["to"],
    cases: (valid) => [
      { name: "by a colleague who does not follow the citizen", as: "colleague", data: valid, refused: FOLLOW_TEXT.notFollowing },
      { name: "to someone who is not a caseworker", data: { ...valid, to: idOf("outsider") }, refused: FOLLOW_TEXT.handOverNotCaseworker },
      { name: "to the social caseworker", data: { ...valid, to: idOf("social") }, refused: FOLLOW_TEXT.handOverNotCaseworker },
      { name: "to nobody", data: { ...valid, to: "" }, refused: FOLLOW_TEXT.handOverChoose },
      { name: "to oneself", data: { ...valid, to: idOf("caseworker") }, refused: /./ },
      { name: "from the other tenant", tenant: "other", data: valid, refused: FOLLOW_TEXT.notFollowing },
    ],
  },

  openPlan: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.agreed.caseNo }),
    accepted: /^Fælles plan · SP-/,
    cases: (valid, f) => [
      { name: "by someone who is not one of the plan's caseworkers", as: "outsider", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "by a colleague caseworker", as: "colleague", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "a case that is not visitated", data: { caseNo: f.booked.caseNo }, refused: PLAN_TEXT.notVisitated },
      { name: "a case number that does not exist", data: { caseNo: UNKNOWN_CASE_NO }, refused: TEXT.unknownCase },
      { name: "from the other tenant", tenant: "other", data: valid, refused: TEXT.unknownCase },
    ],
  },

  showEditPlan: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.agreed.caseNo }),
    accepted: /^Redigér fælles plan · SP-/,
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "by a coordinator (reads, never edits)", as: "coordinator", data: valid, refused: PLAN_TEXT.onlyOwnersChange },
    ],
  },

  addPlanEffort: {
    as: "caseworker",
    prepare: async (w, f) => planFormData(w, f.agreed, 1),
    accepted: /^Redigér fælles plan · SP-/,
    mutate: ["caseNo", "version", "effortIds"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      {
        name: "13 effort rows (12 is the most)",
        data: { ...valid, effortIds: Array.from({ length: 13 }, (_, i) => `e${i + 1}`).join(" ") },
        refused: PLAN_TEXT.expired,
      },
      { name: "an effort id of 21 characters", data: { ...valid, effortIds: `e1 ${"e".repeat(21)}` }, refused: PLAN_TEXT.expired },
      { name: "a negative version", data: { ...valid, version: -1 }, refused: PLAN_TEXT.expired },
    ],
  },

  removePlanEffort: {
    as: "caseworker",
    prepare: async (w, f) => ({ ...planFormData(w, f.agreed, 1), remove: "e2" }),
    accepted: /^Redigér fælles plan · SP-/,
    mutate: ["caseNo", "version", "effortIds", "remove"],
    optional: ["remove"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a row id of 21 characters", data: { ...valid, remove: "e".repeat(21) }, refused: PLAN_TEXT.expired },
    ],
  },

  editPlan: {
    as: "caseworker",
    prepare: async (w) => planFormData(w, await w.planCase("draft"), 1),
    accepted: /Version 2 er gemt/,
    mutate: ["caseNo", "version", "effortIds"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "by a coordinator (reads, never edits)", as: "coordinator", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "a budget of minus 5 kroner", data: { ...valid, budgetKr: "-5" }, refused: PLAN_TEXT.formHasErrors },
      { name: "a budget of 10^20 kroner", data: { ...valid, budgetKr: "100000000000000000000" }, refused: PLAN_TEXT.formHasErrors },
      { name: "a budget in hex", data: { ...valid, budgetKr: "0x10" }, refused: PLAN_TEXT.formHasErrors },
      {
        name: "a fixed caseworker who is not one of the two",
        data: { ...valid, fixedCaseworker: idOf("outsider") },
        refused: PLAN_TEXT.formHasErrors,
      },
      { name: "an effort after itself", data: { ...valid, "efforts.0.after": "1" }, refused: PLAN_TEXT.formHasErrors },
      { name: "two efforts after each other (a cycle)", data: { ...valid, "efforts.0.after": "2" }, refused: PLAN_TEXT.formHasErrors },
      { name: "the same effort id twice", data: { ...valid, effortIds: "e1 e1" }, refused: PLAN_TEXT.formHasErrors },
      { name: "an effort ending before it starts", data: { ...valid, "efforts.0.to": "2026-11-30" }, refused: PLAN_TEXT.formHasErrors },
      { name: "a follow-up on 31 June", data: { ...valid, employmentFollowUp: "2027-06-31" }, refused: PLAN_TEXT.formHasErrors },
      { name: "no efforts", data: { ...valid, effortIds: "" }, refused: PLAN_TEXT.formHasErrors },
    ],
  },

  approvePlan: {
    as: "caseworker",
    prepare: async (w) => ({ caseNo: (await w.planCase("draft")).caseNo, version: 1 }),
    accepted: /Du har godkendt version 1/,
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "by a coordinator", as: "coordinator", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "a version that does not exist yet", data: { ...valid, version: 7 }, refused: PLAN_TEXT.approveStale(1) },
      { name: "version 0 (nothing written)", data: { ...valid, version: 0 }, refused: PLAN_TEXT.approveStale(1) },
      { name: "a negative version", data: { ...valid, version: -1 }, refused: PLAN_TEXT.expired },
    ],
  },

  showPlanMeetings: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.agreed.caseNo }),
    accepted: /^Møder om planen · SP-/,
    cases: (valid, f) => planRefusals(valid, f),
  },

  registerPlanMeetings: {
    as: "caseworker",
    prepare: async (w) => ({
      caseNo: (await w.planCase("draft")).caseNo,
      coordinationMeeting: "2026-11-20",
      jointConversation: "2026-11-23",
    }),
    accepted: PLAN_TEXT.meetingsRegistered,
    optional: ["coordinationMeeting", "jointConversation"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "31 November", data: { ...valid, jointConversation: "2026-11-31" }, refused: PLAN_TEXT.formNotSaved },
      {
        name: "the joint conversation before the coordination meeting",
        data: { ...valid, jointConversation: "2026-11-01" },
        refused: PLAN_TEXT.formNotSaved,
      },
      { name: "a date written as a timestamp", data: { ...valid, jointConversation: "1795598145533" }, refused: PLAN_TEXT.formNotSaved },
    ],
  },

  showPlanConsent: {
    as: "social",
    prepare: async (_w, f) => ({ caseNo: f.agreed.caseNo }),
    accepted: /^Borgerens samtykke · SP-/,
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a plan that is already active", data: { caseNo: f.active.caseNo }, refused: PLAN_TEXT.consentNotNow },
    ],
  },

  recordPlanConsent: {
    as: "social",
    prepare: async (w) => ({
      caseNo: (await w.planCase("agreed")).caseNo,
      version: 1,
      givenOn: "2026-11-23",
      efforts: "e1,e2",
      sharedInformation: "health,housing",
      note: "",
    }),
    accepted: PLAN_TEXT.consentRecorded,
    optional: ["note", "sharedInformation"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "consent to an effort not in the plan", data: { ...valid, efforts: "e1,e9" }, refused: PLAN_TEXT.formNotSaved },
      { name: "information not on the list", data: { ...valid, sharedInformation: "health,everything" }, refused: PLAN_TEXT.formNotSaved },
      { name: "given tomorrow", data: { ...valid, givenOn: "2026-11-24" }, refused: PLAN_TEXT.formNotSaved },
      { name: "a stale version", data: { ...valid, version: 2 }, refused: PLAN_TEXT.consentStale(1) },
      { name: "a plan that is already active", data: { ...valid, caseNo: f.active.caseNo }, refused: PLAN_TEXT.consentNotNow },
    ],
  },

  recordPlanRefusal: {
    as: "social",
    prepare: async (w) => ({
      caseNo: (await w.planCase("agreed")).caseNo,
      version: 1,
      givenOn: "2026-11-23",
      efforts: "",
      sharedInformation: "",
      note: "Vil ikke",
    }),
    accepted: PLAN_TEXT.refusalRecorded,
    optional: ["efforts", "sharedInformation", "note"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "refused tomorrow", data: { ...valid, givenOn: "2026-11-24" }, refused: PLAN_TEXT.formNotSaved },
      { name: "no date", data: { ...valid, givenOn: "" }, refused: PLAN_TEXT.formNotSaved },
      { name: "a stale version", data: { ...valid, version: 5 }, refused: PLAN_TEXT.consentStale(1) },
    ],
  },

  showWithdrawPlanConsent: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.active.caseNo }),
    accepted: /^Træk samtykket tilbage · SP-/,
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a plan without consent", data: { caseNo: f.agreed.caseNo }, refused: PLAN_TEXT.noConsent },
    ],
  },

  withdrawPlanConsent: {
    as: "caseworker",
    prepare: async (w) => ({ caseNo: (await w.planCase("active")).caseNo, on: "2026-11-23", note: "Borgeren ringede" }),
    accepted: PLAN_TEXT.consentWithdrawnDone,
    optional: ["note"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a plan without consent", data: { ...valid, caseNo: f.agreed.caseNo }, refused: PLAN_TEXT.noConsent },
      { name: "withdrawn before consent was given", data: { ...valid, on: "2026-11-01" }, refused: PLAN_TEXT.formNotSaved },
      { name: "withdrawn next year", data: { ...valid, on: "2027-11-23" }, refused: PLAN_TEXT.formNotSaved },
    ],
  },

  showPlanFollowUp: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.active.caseNo, kind: "employment" }),
    accepted: /^Opfølgning på planen · SP-/,
    optional: ["kind"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a follow-up kind that does not exist", data: { ...valid, kind: "weekly" }, refused: PLAN_TEXT.expired },
    ],
  },

  recordPlanFollowUp: {
    as: "caseworker",
    prepare: async (w) => ({
      caseNo: (await w.planCase("active")).caseNo,
      kind: "employment",
      heldOn: "2026-11-23",
      note: "Holdt med borgeren",
    }),
    accepted: /Opfølgningen er registreret/,
    optional: ["note"],
    cases: (valid, f) => [
      ...planRefusals(valid, f),
      { name: "a follow-up kind that does not exist", data: { ...valid, kind: "weekly" }, refused: PLAN_TEXT.expired },
      { name: "no kind chosen", data: { ...valid, kind: "" }, refused: PLAN_TEXT.formNotSaved },
      { name: "held next month", data: { ...valid, heldOn: "2026-12-23" }, refused: PLAN_TEXT.formNotSaved },
    ],
  },

  exportPlan: {
    as: "caseworker",
    prepare: async (_w, f) => ({ caseNo: f.active.caseNo }),
    accepted: PLAN_TEXT.exported,
    cases: (valid, f) => [
      { name: "by someone who is not one of the plan's caseworkers", as: "outsider", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "by a coordinator", as: "coordinator", data: valid, refused: PLAN_TEXT.notOwner },
      { name: "a case without a plan", data: { caseNo: f.booked.caseNo }, refused: PLAN_TEXT.noPlan },
      { name: "from the other tenant", tenant: "other", data: valid, refused: PLAN_TEXT.noPlan },
    ],
  },
};

/** Presses of verbs no card has: each gets a Danish answer and changes nothing. */
export const UNKNOWN_VERBS: { name: string; verb: unknown }[] = [
  { name: "a verb no card has", verb: "deleteEverything" },
  { name: "a known verb in other letters", verb: "SUBMITCASE" },
  { name: "an empty verb", verb: "" },
  { name: "__proto__", verb: "__proto__" },
  { name: "constructor", verb: "constructor" },
  { name: "toString", verb: "toString" },
  { name: "a verb of 10,000 characters", verb: "x".repeat(10_000) },
  { name: "a verb that is a number", verb: 7 },
  { name: "a verb that is an object", verb: { verb: "decideCase" } },
  { name: "no verb", verb: undefined },
];

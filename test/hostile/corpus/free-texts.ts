import { randomUUID } from "node:crypto";
import type { CaseRecord } from "../../../src/domain/case.js";
import { MAX_CHARS, MAX_LINES } from "../../../src/domain/case.js";
import { MAX_DEPARTMENT_CHARS, MAX_NOTE_CHARS, MAX_PERSON_CHARS, MAX_TITLE_CHARS, type PlanRecord } from "../../../src/domain/plan.js";
import { BOSTOTTE_TEXT, fieldErrorText, PLAN_TEXT, TEXT } from "../../../src/teams/messages.js";
import { VERBS } from "../../../src/teams/verbs.js";
import { cardTexts } from "../../support/bot-harness.js";
import { fakeCprForAge } from "../../support/fixtures.js";
import { CHANNELS, idOf, NOW, PEOPLE, type Answer, type Fixtures, type World } from "../hostile-world.js";

/*
 * Hostile texts typed into every free-text field a user (or the social case system) fills
 * in. Each text carries a unique marker. What must hold, for every field and text: a text
 * within the field's limits is stored exactly as typed (line breaks normalised) and shown
 * inert wherever it is shown — escaped markdown, no live link, image, HTML or mention, no
 * evaluated template expression, no bidi override; a text over the limits is refused with
 * the field's Danish error and nothing is stored; no case text and no CPR number reaches a
 * forum channel or a log line (a name the channel shows may reach it, inert and without CPR).
 */

/** A fictitious CPR number (a replacement number) typed into free text. */
export const TEXT_CPR = fakeCprForAge(33, NOW);

/** A field's limits, as the product states them (SPEC §3: 5 lines, 500 characters for case text). */
export interface Limit {
  chars: number;
  lines: number;
  required: boolean;
  /** Counted and stored as sent (a name), not trimmed and with line breaks normalised. */
  raw?: true;
}

export interface HostileText {
  name: string;
  text: (marker: string, limit: Limit) => string;
  /**
   * Run for every field (the others for one field of each way a text is shown); "boundary"
   * is skipped on fields whose every stored text needs a fresh plan, where it is slow.
   */
  essential?: true | "boundary";
}

export const HOSTILE_TEXTS: HostileText[] = [
  {
    name: "every hostile construct at once, on three Windows lines",
    essential: true,
    text: (m) =>
      [
        `[${m} log ind](https://evil.example/x) ![p](https://evil.example/p.png) <https://evil.example> <at>Test Koordinator</at> **fed**`,
        `\${$root} \${health} <b>html</b> \u202Eexe.gpj\u202C \u2066isoleret\u2069 nul\u200Bbredde \u0007 \ud800`,
        `cpr ${TEXT_CPR}`,
      ].join("\r\n"),
  },
  { name: "markdown emphasis, code and a heading", text: (m) => `**${m}** _kursiv_ ~~slet~~ \`kode\` # Overskrift` },
  { name: "a markdown link", text: (m) => `[${m} log ind her](https://evil.example/login)` },
  { name: "a markdown image", text: (m) => `![${m}](https://evil.example/pixel.png)` },
  { name: "an autolink", text: (m) => `<https://evil.example/${m}>` },
  { name: "HTML and script", text: (m) => `<img src=x onerror=alert(1)><b>${m}</b><script>alert(1)</script>` },
  { name: "a Teams mention", text: (m) => `<at>Test Koordinator</at> ${m} <at id="0">alle</at>` },
  {
    name: "adaptive card template expressions",
    text: (m) => `\${$root} ${m} \${health} \${json(string($root))} {{DATE(2026-11-23T07:00:00Z,SHORT)}}`,
  },
  { name: "zero-width characters", text: (m) => `${m}\u200B\u200C\u200D\u2060\uFEFFskjult` },
  {
    name: "right-to-left override, embedding and isolates",
    text: (m) => `\u202E${m} exe.gpj\u202C \u2067isoleret\u2069 \u202Bindlejret\u202C`,
  },
  { name: "a CPR number with and without dash", text: (m) => `${m} borgeren ${TEXT_CPR} (${TEXT_CPR.replace("-", "")})` },
  { name: "control characters and terminal escapes", text: (m) => `${m}\u0000\u0007\u001b[31mrød\u001b[0m\u007f` },
  { name: "a lone UTF-16 surrogate", text: (m) => `${m} \ud800 halv` },
  { name: "card JSON", text: (m) => `{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"${m}"}]} "}]}` },
  { name: "six lines", essential: true, text: (m) => `${m}\n2\n3\n4\n5\n6` },
  { name: "exactly at the length limit", essential: "boundary", text: (m, l) => m + "x".repeat(Math.max(0, l.chars - m.length)) },
  { name: "one character over the length limit", essential: true, text: (m, l) => m + "x".repeat(l.chars + 1 - m.length) },
  { name: "only invisible characters", essential: true, text: () => "\u200B\u2060\u200B" },
];

/** What a field got back, and where its stored text can be read and seen. */
export interface Entered {
  answer: Answer;
  /** The text as stored, read back through the repositories (undefined: nothing stored). */
  stored?: () => Promise<string | undefined>;
  /** Cards and messages that show the stored text, as their readers get them. */
  shown?: () => Promise<unknown[]>;
}

export interface FreeTextField {
  name: string;
  /** The field's limits; "never stored" for a typed command the bot only answers. */
  limit: Limit | "never stored";
  /** How a text over the limits is refused: the Danish error beside the field, or an HTTP status (API, activity). */
  refusal: { "too-long": string; "too-many-lines": string; required: string } | { status: number };
  /** A name the forum channel shows (inert, without CPR); case text never reaches a channel. */
  reachesChannel?: true;
  /**
   * What the field needs before the text is typed (a fresh case or plan), made before
   * anything is compared: only what `enter` does must store nothing when the text is refused.
   * A text that will be refused changes nothing, so it may get the one made before (`reuse`).
   */
  prepare?: (w: World, f: Fixtures, o: { stored: boolean }) => Promise<unknown>;
  /**
   * "all" for one field of each way a text is shown (a sealed case text, a plan's text, a
   * typed command said back in a channel); the others get the essential texts, whose first
   * one holds every hostile construct at once ("no boundary": without the text exactly at
   * the limit, for fields where each stored text needs a fresh plan).
   */
  texts?: "all" | "essential" | "no boundary";
  enter: (w: World, f: Fixtures, text: string, prepared: unknown) => Promise<Entered>;
}

const CASE_FORM_REFUSAL = {
  "too-long": fieldErrorText("too-long", 15),
  "too-many-lines": fieldErrorText("too-many-lines", 15),
  required: fieldErrorText("required", 15),
};
const NOTE_REFUSAL = {
  "too-long": TEXT.decisionFieldError["note.too-long"],
  "too-many-lines": TEXT.decisionFieldError["note.too-long"],
  required: TEXT.decisionFieldError["note.required"],
};
const PLAN_REFUSAL = {
  "too-long": PLAN_TEXT.fieldError["too-long"],
  "too-many-lines": PLAN_TEXT.fieldError["too-many-lines"],
  required: PLAN_TEXT.fieldError.required,
};
const PLAN_NOTE_REFUSAL = {
  "too-long": PLAN_TEXT.datedNoteError["too-long"],
  "too-many-lines": PLAN_TEXT.datedNoteError["too-many-lines"],
  required: PLAN_TEXT.datedNoteError.required,
};
const BOSTOTTE_REFUSAL = {
  "too-long": BOSTOTTE_TEXT.fieldError["too-long"],
  "too-many-lines": BOSTOTTE_TEXT.fieldError["too-many-lines"],
  required: BOSTOTTE_TEXT.fieldError.required,
};
const CASE_TEXT: Limit = { chars: MAX_CHARS, lines: MAX_LINES, required: true };
const NOTE: Limit = { chars: MAX_NOTE_CHARS, lines: MAX_LINES, required: false };

/** Cases and plans made for texts that were refused (which left them as they were), by what they are. */
const unchanged = new Map<string, Promise<CaseRecord>>();

/**
 * A fresh case (or plan) for each text that will be stored; for a text that will be
 * refused, the one made before under the same `kind` — a refused text leaves it as it was.
 */
function reuse(kind: string, make: (w: World) => Promise<CaseRecord>): NonNullable<FreeTextField["prepare"]> {
  return async (w, _f, o) => {
    if (o.stored) return make(w);
    if (!unchanged.has(kind)) unchanged.set(kind, make(w));
    return unchanged.get(kind)!;
  };
}

const referenceOf = (answer: Answer) => cardTexts(answer.value).find((t) => /^SP-\d{4}$/.test(t));

/** The case form with `field` typed as `text`, the rest valid; an acute case, so the calendar never fills. */
function caseFormField(field: "health" | "social" | "question" | "acuteReason", label: string): FreeTextField {
  return {
    name: `raise-case form: ${label}`,
    limit: CASE_TEXT,
    refusal: CASE_FORM_REFUSAL,
    enter: async (w, _f, text) => {
      const form = {
        submissionId: randomUUID(),
        cpr: fakeCprForAge(46, NOW),
        health: "Kroniske smerter",
        social: "Gæld",
        question: "Skal sagen startes?",
        department: "Jobcenter",
        acute: "true",
        acuteReason: "Udsættelse",
      };
      const answer = await w.press(VERBS.submitCase, { ...form, [field]: text }, "caseworker");
      const caseNo = Number(referenceOf(answer)?.slice(3));
      return {
        answer,
        stored: async () => (caseNo ? (await w.storedCase(caseNo))[field] : undefined),
        shown: async () => [(await w.press(VERBS.showCaseDetails, { caseNo }, "coordinator")).value],
      };
    },
  };
}

/** The decision form on the case card in the channel, with `text` as the note. */
function decisionNote(decision: "no-basis" | "more-information", label: string): FreeTextField {
  return {
    name: `decision on the channel card: ${label}`,
    limit: { ...CASE_TEXT },
    refusal: NOTE_REFUSAL,
    prepare: reuse("acute case", (w) => w.raise({ acute: true })),
    enter: async (w, _f, text, prepared) => {
      const record = prepared as CaseRecord;
      const answer = await w.press(
        VERBS.decideCase,
        { caseNo: record.caseNo, version: record.version, decision, note: text },
        "coordinator",
      );
      return {
        answer,
        stored: async () => {
          const after = await w.storedCase(record.caseNo);
          return after.decision ? after.decisionNote : undefined;
        },
        // The raising caseworker's decision card is sent by the outbox (checked with everything sent).
        shown: async () => [],
      };
    },
  };
}

/** The plan form of a shared draft plan, with `field` typed as `text`, saved over the plan's current version. */
function planFormField(field: string, label: string, limit: Limit): FreeTextField {
  let planCase: number | undefined;
  const read = async (w: World) => (await w.bot.deps.plans.get(w.municipality.tenantId, planCase!))!;
  return {
    name: `joint plan form: ${label}`,
    limit,
    refusal: PLAN_REFUSAL,
    prepare: async (w) => (planCase ??= (await w.planCase("draft")).caseNo),
    enter: async (w, _f, text) => {
      const before = await read(w);
      const answer = await w.press(
        VERBS.editPlan,
        { caseNo: planCase, version: before.version, ...w.planForm({ [field]: text }) },
        "caseworker",
      );
      return {
        answer,
        stored: async () => {
          const plan = await read(w);
          if (plan.version === before.version) return undefined;
          const effort = plan.content!.efforts[0]!;
          const values: Record<string, string> = {
            "efforts.0.title": effort.title,
            "efforts.0.purpose": effort.purpose,
            "efforts.0.department": effort.department,
            "efforts.0.person": effort.performer.name,
            framework: plan.content!.framework,
          };
          return values[field];
        },
        shown: async () => [
          (await w.press(VERBS.openPlan, { caseNo: planCase }, "social")).value,
          (await w.press(VERBS.exportPlan, { caseNo: planCase }, "caseworker")).value,
        ],
      };
    },
  };
}

/** A plan note that needs the plan in a state it leaves: a fresh plan for each text. */
function planNote(
  label: string,
  state: "agreed" | "active",
  verb: string,
  data: (caseNo: number, text: string) => Record<string, unknown>,
  o: { required?: boolean; refusal?: typeof PLAN_NOTE_REFUSAL; storedNote: (plan: PlanRecord) => string | undefined },
): FreeTextField {
  return {
    name: `joint plan: ${label}`,
    texts: "no boundary",
    limit: { ...NOTE, required: o.required ?? false },
    refusal: o.refusal ?? PLAN_NOTE_REFUSAL,
    prepare: reuse(`${state} plan`, (w) => w.planCase(state)),
    enter: async (w, _f, text, prepared) => {
      const { caseNo } = prepared as CaseRecord;
      const answer = await w.press(verb, data(caseNo, text), state === "agreed" ? "social" : "caseworker");
      return {
        answer,
        stored: async () => o.storedNote((await w.bot.deps.plans.get(w.municipality.tenantId, caseNo))!),
        shown: async () => [(await w.press(VERBS.openPlan, { caseNo }, "caseworker")).value],
      };
    },
  };
}

/** A bostøtte decision from the social caseworker's form about the followed citizen, with `text` in `field`. */
function bostotteFormField(kind: "bevilling" | "afslag", field: "purpose" | "reasonText", label: string): FreeTextField {
  return {
    name: `bostøtte form: ${label}`,
    limit: { chars: MAX_CHARS, lines: MAX_LINES, required: false },
    refusal: BOSTOTTE_REFUSAL,
    enter: async (w, f, text) => {
      const form =
        kind === "bevilling"
          ? { kind, legalBasis: "sel-85", hours: "3", hoursPer: "week", from: "2026-12-01", review: "2027-03-01" }
          : { kind, legalBasis: "sel-85", reasonCategory: "andet" };
      const answer = await w.press(
        VERBS.submitBostotte,
        { submissionId: randomUUID(), cpr: f.followed.cpr, ...form, [field]: text },
        "social",
      );
      const id = await latestBostotteId(w, answer);
      return {
        answer,
        stored: async () => (id ? textOfDecision(await w.bot.deps.citizens.bostotte(w.municipality.tenantId, id)) : undefined),
        shown: async () => (id ? [(await w.press(VERBS.showBostotteDetails, { id }, "caseworker")).value] : []),
      };
    },
  };
}

/** A bostøtte decision reported by the social case system over HTTP, with `text` in `field`. */
function bostotteEventField(
  field: "purpose" | "reasonText" | "decidedBy",
  label: string,
  limit: Limit,
  o: { fallback?: boolean } = {},
): FreeTextField {
  return {
    name: `bostøtte endpoint (social case system): ${label}`,
    limit,
    refusal: { status: 400 },
    ...(field === "decidedBy" ? { reachesChannel: true as const } : {}),
    enter: async (w, f, text) => {
      // A citizen nobody follows goes to the forum channel (fallback): that card must stay free of CPR and text.
      const cpr = o.fallback ? fakeCprForAge(35 + Math.floor(Math.random() * 30), NOW) : f.followed.cpr;
      const common = {
        version: "1",
        eventId: `sag-${randomUUID()}`,
        cpr,
        legalBasis: "sel-85",
        decidedAt: "2026-11-23T09:00:00+01:00",
        decidedBy: "Jonas Dahl",
      };
      const body =
        field === "reasonText"
          ? { ...common, kind: "refusal", reasonCategory: "andet", reasonText: text }
          : {
              ...common,
              kind: "grant",
              hours: { amount: 4, per: "week" },
              period: { from: "2026-12-01", review: "2027-03-01" },
              purpose: "Bolig",
              [field]: text,
            };
      const res = await w.postBostotteEvent(body);
      const id = typeof res.body["decisionId"] === "string" ? res.body["decisionId"] : undefined;
      return {
        answer: { status: res.status, value: JSON.stringify(res.body) },
        stored: async () => {
          if (!id) return undefined;
          const found = await w.bot.deps.citizens.bostotte(w.municipality.tenantId, id);
          return field === "decidedBy" ? found?.record.decidedByName : textOfDecision(found);
        },
        shown: async () => (id && !o.fallback ? [(await w.press(VERBS.showBostotteDetails, { id }, "caseworker")).value] : []),
      };
    },
  };
}

type FoundBostotte = Awaited<ReturnType<World["bot"]["deps"]["citizens"]["bostotte"]>>;
function textOfDecision(found: FoundBostotte): string | undefined {
  if (!found) return undefined;
  const d = found.record.decision;
  return d.kind === "bevilling" ? d.frame.purpose : d.reasonText;
}

/** The decision id behind "Vis detaljer" on the newest bostøtte notice to the caseworker, if this answer recorded one. */
async function latestBostotteId(w: World, answer: Answer): Promise<string | undefined> {
  if (!cardTexts(answer.value).some((t) => t.startsWith("Registreret:"))) return undefined;
  await w.dispatch();
  const notice = w.bot.sent
    .filter(
      (s) =>
        decodeURIComponent(s.path).includes(`conv-${idOf("caseworker")}-personal`) &&
        JSON.stringify(s.body).includes(VERBS.showBostotteDetails),
    )
    .pop();
  return (notice?.body.attachments?.[0]?.content as { actions?: { data?: { id?: string } }[] } | undefined)?.actions?.[0]?.data?.id;
}

/** A display name as Teams sends it in the activity (`from.name`): Entra allows 256 characters. */
const NAME: Limit = { chars: 256, lines: Number.POSITIVE_INFINITY, required: false, raw: true };

export const FREE_TEXT_FIELDS: FreeTextField[] = [
  { ...caseFormField("health", "helbredsforhold"), texts: "all" },
  caseFormField("social", "sociale udfordringer"),
  caseFormField("question", "spørgsmål til sparringsforum"),
  caseFormField("acuteReason", "hvorfor akut"),
  decisionNote("no-basis", "begrundelse (Ikke grundlag)"),
  decisionNote("more-information", "hvad mangler (Mere information)"),
  {
    name: "the caseworker's added information (Mere information)",
    limit: CASE_TEXT,
    refusal: NOTE_REFUSAL,
    prepare: reuse("case awaiting information", async (w) =>
      w.decide(await w.raise({ acute: true }), "more-information", { note: "Lægeerklæring" }),
    ),
    enter: async (w, _f, text, prepared) => {
      const awaiting = prepared as CaseRecord;
      const answer = await w.press(
        VERBS.addInformation,
        { caseNo: awaiting.caseNo, version: awaiting.version, information: text },
        "caseworker",
      );
      return { answer, stored: async () => (await w.storedCase(awaiting.caseNo)).additionalInfo || undefined };
    },
  },
  planFormField("efforts.0.title", "effort title", { chars: MAX_TITLE_CHARS, lines: 1, required: true }),
  { ...planFormField("efforts.0.purpose", "effort purpose", CASE_TEXT), texts: "all" },
  planFormField("efforts.0.department", "effort department", { chars: MAX_DEPARTMENT_CHARS, lines: 1, required: true }),
  planFormField("efforts.0.person", "effort person (typed name)", { chars: MAX_PERSON_CHARS, lines: 1, required: true }),
  planFormField("framework", "framework of the cooperation", CASE_TEXT),
  planNote(
    "consent note",
    "agreed",
    VERBS.recordPlanConsent,
    (caseNo, note) => ({ caseNo, version: 1, givenOn: "2026-11-23", efforts: "e1,e2", sharedInformation: "health", note }),
    {
      refusal: {
        ...PLAN_NOTE_REFUSAL,
        "too-long": PLAN_TEXT.consentError["too-long"],
        "too-many-lines": PLAN_TEXT.consentError["too-many-lines"],
      },
      storedNote: (p) => (p.state === "active" ? p.consent?.note : undefined),
    },
  ),
  planNote("refusal note", "agreed", VERBS.recordPlanRefusal, (caseNo, note) => ({ caseNo, version: 1, givenOn: "2026-11-23", note }), {
    storedNote: (p) => p.refusal?.note,
  }),
  planNote("consent withdrawn note", "active", VERBS.withdrawPlanConsent, (caseNo, note) => ({ caseNo, on: "2026-11-23", note }), {
    storedNote: (p) => (p.consent?.withdrawnOn ? (p.consent.withdrawalNote ?? "") : undefined),
  }),
  planNote(
    "follow-up note",
    "active",
    VERBS.recordPlanFollowUp,
    (caseNo, note) => ({ caseNo, kind: "employment", heldOn: "2026-11-23", note }),
    {
      required: true,
      refusal: {
        "too-long": PLAN_TEXT.followUpError["too-long"],
        "too-many-lines": PLAN_TEXT.followUpError["too-many-lines"],
        required: PLAN_TEXT.followUpError.required,
      },
      storedNote: (p) => p.followUps.at(-1)?.note,
    },
  ),
  bostotteFormField("bevilling", "purpose", "formål (bevilling)"),
  bostotteFormField("afslag", "reasonText", "uddybning (afslag)"),
  bostotteEventField("purpose", "purpose", { chars: MAX_CHARS, lines: MAX_LINES, required: false }),
  bostotteEventField("reasonText", "reasonText", { chars: MAX_CHARS, lines: MAX_LINES, required: false }),
  bostotteEventField(
    "decidedBy",
    "decidedBy, shown on the forum channel's card",
    { chars: 100, lines: Number.POSITIVE_INFINITY, required: false, raw: true },
    { fallback: true },
  ),
  {
    name: "the coordinator's display name in Teams, shown with the decision on the channel card",
    limit: NAME,
    refusal: { status: 400 },
    reachesChannel: true,
    prepare: reuse("acute case", (w) => w.raise({ acute: true })),
    enter: async (w, _f, text, prepared) => {
      const record = prepared as CaseRecord;
      const coordinator = { aadObjectId: PEOPLE.coordinator.aadObjectId, name: text };
      const answer = await w.press(
        VERBS.decideCase,
        { caseNo: record.caseNo, version: record.version, decision: "more-information", note: "Mangler" },
        coordinator,
      );
      return {
        answer,
        stored: async () => (await w.storedCase(record.caseNo)).decidedByName,
        shown: async () => [(await w.press(VERBS.showCaseCard, { caseNo: record.caseNo }, "coordinator")).value],
      };
    },
  },
  {
    name: "the caseworker's display name in Teams, shown as who raised the case",
    limit: NAME,
    refusal: { status: 400 },
    enter: async (w, _f, text) => {
      const caseworker = { aadObjectId: PEOPLE.caseworker.aadObjectId, name: text };
      const answer = await w.press(
        VERBS.submitCase,
        {
          submissionId: randomUUID(),
          cpr: fakeCprForAge(47, NOW),
          health: "Smerter",
          social: "Gæld",
          question: "Hvad nu?",
          department: "Jobcenter",
          acute: "true",
          acuteReason: "Nu",
        },
        caseworker,
      );
      const caseNo = Number(referenceOf(answer)?.slice(3));
      return {
        answer,
        stored: async () => (caseNo ? (await w.storedCase(caseNo)).raisedByName : undefined),
        shown: async () => (caseNo ? [(await w.press(VERBS.showCaseDetails, { caseNo }, "coordinator")).value] : []),
      };
    },
  },
  {
    name: "a forum name typed after '@Sparring tilknyt forum' in a channel (answered in the channel)",
    texts: "all",
    limit: "never stored",
    refusal: { status: 200 },
    reachesChannel: true,
    enter: async (w, _f, text) => ({ answer: await w.say(`tilknyt forum ${text}`, "administrator", { channel: CHANNELS.voksne }) }),
  },
  {
    name: "a number of days typed after 'overblik' (answered in personal chat)",
    limit: "never stored",
    refusal: { status: 200 },
    enter: async (w, _f, text) => ({ answer: await w.say(`overblik ${text}`, "manager") }),
  },
  {
    name: "a chat message the bot does not understand",
    limit: "never stored",
    refusal: { status: 200 },
    enter: async (w, _f, text) => ({ answer: await w.say(text, "caseworker") }),
  },
];

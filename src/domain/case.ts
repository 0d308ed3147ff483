import { randomBytes } from "node:crypto";
import type { CaseState, DecisionKind } from "./case-lifecycle.js";
import { ageOn, parseCpr, type Cpr, type LocalDate } from "./cpr.js";
import { forumForAge, type Forum, type Municipality } from "./municipality.js";
import type { AgeGroup } from "./overview-events.js";

/** The seed (001) asks for "maks. 3-5 linjer" per agenda text: we enforce the upper bound. */
export const MAX_LINES = 5;
/** Five lines of a normal form field; also keeps each stored row far below Table Storage limits. */
export const MAX_CHARS = 500;

export type { CaseState } from "./case-lifecycle.js";

/** What the caseworker typed into the raise-case form, exactly as typed. */
export interface CaseDraft {
  cpr: string;
  health: string;
  social: string;
  question: string;
  department: string;
  acute: boolean;
  acuteReason: string;
}

export const DRAFT_FIELDS = ["cpr", "health", "social", "question", "department", "acuteReason"] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

export type FieldErrorCode =
  "required" | "too-many-lines" | "too-long" | "cpr.format" | "cpr.date" | "cpr.too-young" | "cpr.future" | "department.unknown";

export type FieldErrors = Partial<Record<DraftField, FieldErrorCode>>;

/** A draft that passed validation, with what follows from it. */
export interface ValidCase {
  cpr: Cpr;
  age: number;
  forum: Forum;
  health: string;
  social: string;
  question: string;
  department: string;
  acute: boolean;
  acuteReason: string;
}

export type DraftValidation = { ok: true; value: ValidCase } | { ok: false; errors: FieldErrors };

/**
 * Checks a raise-case draft (SPEC §3). Age is judged on `judgedOn` — the date of the
 * meeting the case is booked into, or today before booking exists.
 */
export function validateDraft(draft: CaseDraft, municipality: Municipality, judgedOn: LocalDate): DraftValidation {
  const errors: FieldErrors = {};
  const text = (field: "health" | "social" | "question" | "acuteReason", required: boolean) => {
    const error = checkText(draft[field], required);
    if (error) errors[field] = error;
  };
  text("health", true);
  text("social", true);
  text("question", true);
  if (draft.acute) text("acuteReason", true);
  if (!municipality.departments.includes(draft.department)) {
    errors.department = draft.department.trim() === "" ? "required" : "department.unknown";
  }

  let cpr: Cpr | undefined;
  let age = 0;
  let forum: Forum | undefined;
  if (draft.cpr.trim() === "") {
    errors.cpr = "required";
  } else {
    const parsed = parseCpr(draft.cpr);
    if (!parsed.ok) {
      errors.cpr = parsed.error;
    } else {
      cpr = parsed.cpr;
      age = ageOn(cpr.birthDate, judgedOn);
      forum = forumForAge(municipality, age);
      if (age < 0) errors.cpr = "cpr.future";
      else if (!forum) errors.cpr = "cpr.too-young";
    }
  }

  if (Object.keys(errors).length > 0 || !cpr || !forum) return { ok: false, errors };
  return {
    ok: true,
    value: {
      cpr,
      age,
      forum,
      health: normalise(draft.health),
      social: normalise(draft.social),
      question: normalise(draft.question),
      department: draft.department,
      acute: draft.acute,
      acuteReason: draft.acute ? normalise(draft.acuteReason) : "",
    },
  };
}

function checkText(value: string, required: boolean): FieldErrorCode | undefined {
  const trimmed = normalise(value);
  if (trimmed === "") return required ? "required" : undefined;
  if (trimmed.length > MAX_CHARS) return "too-long";
  if (trimmed.split("\n").length > MAX_LINES) return "too-many-lines";
  return undefined;
}

/** White space, and the invisible characters a paste brings along (zero-width space and joiners, word joiner), at either end. */
const EDGES = /^[\s\u200B-\u200D\u2060]+|[\s\u200B-\u200D\u2060]+$/g;

/**
 * Text as stored: line breaks as `\n`, nothing blank or invisible around it — so a
 * required field filled with zero-width characters only is empty, as it looks.
 */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(EDGES, "");
}

const normalise = normaliseText;

/**
 * A required short note (a decision's reason, what is missing, the information added),
 * held to the agenda's limits: the normalised text, or why it cannot be used.
 */
export function checkNote(value: string): { ok: true; text: string } | { ok: false; error: "note.required" | "note.too-long" } {
  const text = normaliseText(value);
  if (!text) return { ok: false, error: "note.required" };
  if (text.length > MAX_CHARS || text.split("\n").length > MAX_LINES) return { ok: false, error: "note.too-long" };
  return { ok: true, text };
}

/** A stored case as the rest of the product sees it. Sensitive fields are decrypted. */
export interface CaseRecord {
  tenantId: string;
  caseNo: number;
  reference: string;
  state: CaseState;
  cprDigits: string;
  age: number;
  forumId: string;
  department: string;
  health: string;
  social: string;
  question: string;
  acute: boolean;
  acuteReason: string;
  raisedBy: string;
  raisedByName: string;
  raisedAt: string;
  /** `forumId:YYYY-MM-DD` of the meeting the case is booked into; absent for acute cases. */
  meetingKey?: string;
  slot?: number;
  /** Times the case was moved on from a meeting (full, cancelled, rolled over, moved). */
  postponements: number;
  /** The case's card in the forum channel, once posted. */
  channelActivityId?: string;
  /** The forum's latest decision (SPEC §5), who made it and when. */
  decision?: DecisionKind;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: string;
  /** The social caseworker the case is visitated to. */
  socialCaseworker?: string;
  /** The reason (no basis) or what is missing (more information); sealed at rest like the case text. */
  decisionNote: string;
  /** What the caseworker added when the forum asked for more information; sealed at rest. */
  additionalInfo: string;
  version: number;
  /**
   * Set when the case is booked into a meeting as a follow-up of its joint plan (seed 002:
   * "opfølgning i sparringsforum"): the plan's forum follow-up date this booking answers.
   * An agenda item with it is a follow-up item, not a case to decide.
   */
  planFollowUp?: string;
  /** When the raising caseworker took the case back (state `withdrawn`). */
  withdrawnAt?: string;
  /**
   * Set once retention deleted the case's personal data (SPEC §9, `retention.ts`): the CPR
   * number, its look-up hash and every text are gone (empty here), and `age` is only the
   * lower bound of `ageGroup`. What is left are the anonymous facts the managers' overview
   * counts: forum, age group, department, state, decision, dates and the acute flag.
   */
  anonymised?: CaseAnonymisation;
}

/** What retention leaves on a case whose personal data it deleted, and when. */
export interface CaseAnonymisation {
  at: string;
  /** The retention period it was deleted after, for "Personoplysninger slettet efter N måneder". */
  afterMonths: number;
  ageGroup: AgeGroup;
}

/** What a list of cases needs: no health, social or question text, so none is decrypted for it. */
export type CaseSummary = Omit<CaseRecord, "health" | "social" | "question" | "acuteReason" | "decisionNote" | "additionalInfo">;

/** What an agenda shows of a case: no CPR and no case text, so nothing is decrypted for it. */
export type AgendaEntry = Pick<
  CaseRecord,
  "caseNo" | "reference" | "state" | "forumId" | "department" | "acute" | "meetingKey" | "slot" | "decision" | "planFollowUp"
>;

/** "SP-0042": short enough to say on the phone, unique per municipality. */
export function caseReference(caseNo: number): string {
  return `SP-${String(caseNo).padStart(4, "0")}`;
}

/**
 * The id of a newly rendered raise-case form: one case per id. Time-ordered (UUID version 7:
 * milliseconds, then random bits), which tells storage the form was rendered after claims
 * moved beside the case counter, so no older place needs looking at.
 */
export function newSubmissionId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

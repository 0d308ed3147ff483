import { createHash } from "node:crypto";
import { MAX_CHARS, MAX_LINES, normaliseText } from "./case.js";
import { checkCitizenCpr, type CitizenCprError } from "./citizen.js";
import { isExistingDate, type LocalDate } from "./cpr.js";
import type { Municipality } from "./municipality.js";

/**
 * Bostøtte decisions (SPEC §7; seed 001 "Afgørelser om bostøtte": "Oplysning om
 * bevillingsrammen. Besked ved afslag. Besked ved ophør af bostøtte."). The social side
 * records them, through the bot's form or the HTTP endpoint; the employment side is told.
 */

/** bevilling (grant), afslag (refusal), ophør (termination) — spelled in ASCII so every transport keeps it. */
export const BOSTOTTE_KINDS = ["bevilling", "afslag", "ophoer"] as const;
export type BostotteKind = (typeof BOSTOTTE_KINDS)[number];

/** Serviceloven § 85 (socialpædagogisk bistand) and § 85 a (bostøtte after a shelter stay). */
export const LEGAL_BASES = ["sel-85", "sel-85a"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** The municipalities' subject classification (KLE) of each legal basis, for journalising. */
export const KLE_NUMBERS: Readonly<Record<LegalBasis, string>> = { "sel-85": "27.36.12", "sel-85a": "27.36.14" };

export const HOURS_UNITS = ["week", "month"] as const;
export type HoursUnit = (typeof HOURS_UNITS)[number];

/**
 * More hours than this is a typing error, not a grant: 60 a week is beyond full-time
 * support, and 260 a month is 60 a week (260 ≈ 60 × 52 / 12).
 */
export const MAX_HOURS: Readonly<Record<HoursUnit, number>> = { week: 60, month: 260 };

/** The bevillingsramme of a grant: how much support, from when, until or to be reviewed when, for what. */
export interface Bevillingsramme {
  hours: number;
  per: HoursUnit;
  /** YYYY-MM-DD. */
  from: string;
  /** The grant's end (YYYY-MM-DD); a grant has an end date, a review date, or both. */
  to?: string;
  /** When the grant is to be reviewed (YYYY-MM-DD). */
  review?: string;
  /** Short purpose, at most 5 lines and 500 characters; "" when none was given. */
  purpose: string;
}

/** A decision that passed validation. `reasonCategory` is an id of the municipality's configured list. */
export type BostotteDecision =
  | { kind: "bevilling"; cprDigits: string; legalBasis: LegalBasis; frame: Bevillingsramme }
  | { kind: "afslag"; cprDigits: string; legalBasis: LegalBasis; reasonCategory: string; reasonText: string }
  | { kind: "ophoer"; cprDigits: string; legalBasis: LegalBasis; endDate: string; reasonCategory: string; reasonText: string };

/** What the social caseworker typed into the bostøtte form, exactly as typed. Fields not used by the kind are ignored. */
export interface BostotteDraft {
  kind: string;
  cpr: string;
  legalBasis: string;
  /** Hours, e.g. "5" or "7,5". */
  hours: string;
  hoursPer: string;
  from: string;
  to: string;
  review: string;
  purpose: string;
  reasonCategory: string;
  reasonText: string;
  endDate: string;
}

export const BOSTOTTE_FIELDS = [
  "kind",
  "cpr",
  "legalBasis",
  "hours",
  "hoursPer",
  "from",
  "to",
  "review",
  "purpose",
  "reasonCategory",
  "reasonText",
  "endDate",
] as const;
export type BostotteField = (typeof BOSTOTTE_FIELDS)[number];

export type BostotteFieldErrorCode =
  | CitizenCprError
  | "too-long"
  | "too-many-lines"
  | "kind.unknown"
  | "legal-basis.unknown"
  | "hours.format"
  | "hours.not-positive"
  | "hours.too-many"
  | "hours-per.unknown"
  | "date.invalid"
  | "date.before-from"
  /** A grant needs an end date or a review date (reported on `to`). */
  | "period.end-required"
  | "reason.unknown";

export type BostotteFieldErrors = Partial<Record<BostotteField, BostotteFieldErrorCode>>;

export type BostotteValidation = { ok: true; value: BostotteDecision } | { ok: false; errors: BostotteFieldErrors };

/** An empty form. */
export function emptyBostotteDraft(overrides: Partial<BostotteDraft> = {}): BostotteDraft {
  return {
    kind: "",
    cpr: "",
    legalBasis: "",
    hours: "",
    hoursPer: "",
    from: "",
    to: "",
    review: "",
    purpose: "",
    reasonCategory: "",
    reasonText: "",
    endDate: "",
    ...overrides,
  };
}

/**
 * Checks a bostøtte form (SPEC §7). The CPR number is checked exactly as on the raise-case
 * form, judged on `today`; dates are ISO YYYY-MM-DD; the reason categories are the
 * municipality's. Every field in error gets a code, so the form comes back with the user's
 * input and the errors next to the fields.
 */
export function validateBostotteDraft(draft: BostotteDraft, municipality: Municipality, today: LocalDate): BostotteValidation {
  const errors: BostotteFieldErrors = {};
  const kind = draft.kind.trim();
  if (kind === "") errors.kind = "required";
  else if (!isOneOf(BOSTOTTE_KINDS, kind)) errors.kind = "kind.unknown";

  const cpr = checkCitizenCpr(draft.cpr, municipality, today);
  if (!cpr.ok) errors.cpr = cpr.error;

  const legalBasis = draft.legalBasis.trim();
  if (legalBasis === "") errors.legalBasis = "required";
  else if (!isOneOf(LEGAL_BASES, legalBasis)) errors.legalBasis = "legal-basis.unknown";

  const text = (field: "purpose" | "reasonText") => {
    const error = checkShortText(draft[field]);
    if (error) errors[field] = error;
    return normaliseText(draft[field]);
  };

  if (kind === "bevilling") {
    const hours = parseHours(draft.hours);
    if (!hours.ok) errors.hours = hours.error;
    const per = draft.hoursPer.trim();
    if (per === "") errors.hoursPer = "required";
    else if (!isOneOf(HOURS_UNITS, per)) errors.hoursPer = "hours-per.unknown";
    else if (hours.ok && hours.value > MAX_HOURS[per]) errors.hours = "hours.too-many";

    const from = checkDate(draft.from, true);
    if (!from.ok) errors.from = from.error;
    const to = checkDate(draft.to, false);
    const review = checkDate(draft.review, false);
    if (!to.ok) errors.to = to.error;
    if (!review.ok) errors.review = review.error;
    if (to.ok && review.ok && !to.date && !review.date) errors.to = "period.end-required";
    if (from.ok && from.date) {
      if (to.ok && to.date && to.date < from.date) errors.to = "date.before-from";
      if (review.ok && review.date && review.date < from.date) errors.review = "date.before-from";
    }
    const purpose = text("purpose");
    if (Object.keys(errors).length > 0 || !cpr.ok || !hours.ok || !from.ok || !from.date) return { ok: false, errors };
    return {
      ok: true,
      value: {
        kind,
        cprDigits: cpr.cpr.digits,
        legalBasis: legalBasis as LegalBasis,
        frame: {
          hours: hours.value,
          per: per as HoursUnit,
          from: from.date,
          ...(to.ok && to.date ? { to: to.date } : {}),
          ...(review.ok && review.date ? { review: review.date } : {}),
          purpose,
        },
      },
    };
  }

  if (kind === "afslag" || kind === "ophoer") {
    const list = kind === "afslag" ? municipality.bostotte.refusalReasons : municipality.bostotte.terminationReasons;
    const reasonCategory = draft.reasonCategory.trim();
    if (reasonCategory === "") errors.reasonCategory = "required";
    else if (!list.some((r) => r.id === reasonCategory)) errors.reasonCategory = "reason.unknown";
    const reasonText = text("reasonText");
    const end = kind === "ophoer" ? checkDate(draft.endDate, true) : undefined;
    if (end && !end.ok) errors.endDate = end.error;
    if (Object.keys(errors).length > 0 || !cpr.ok) return { ok: false, errors };
    const common = { cprDigits: cpr.cpr.digits, legalBasis: legalBasis as LegalBasis, reasonCategory, reasonText };
    if (kind === "afslag") return { ok: true, value: { kind, ...common } };
    if (!end?.ok || !end.date) return { ok: false, errors: { endDate: "required" } };
    return { ok: true, value: { kind, ...common, endDate: end.date } };
  }
  return { ok: false, errors };
}

/** The form filled in with a decision, e.g. to check a decision built elsewhere by the same rules. */
export function draftOfDecision(decision: BostotteDecision): BostotteDraft {
  const base = { kind: decision.kind, cpr: decision.cprDigits, legalBasis: decision.legalBasis };
  switch (decision.kind) {
    case "bevilling": {
      const f = decision.frame;
      return emptyBostotteDraft({
        ...base,
        hours: String(f.hours),
        hoursPer: f.per,
        from: f.from,
        to: f.to ?? "",
        review: f.review ?? "",
        purpose: f.purpose,
      });
    }
    case "afslag":
      return emptyBostotteDraft({ ...base, reasonCategory: decision.reasonCategory, reasonText: decision.reasonText });
    case "ophoer":
      return emptyBostotteDraft({
        ...base,
        reasonCategory: decision.reasonCategory,
        reasonText: decision.reasonText,
        endDate: decision.endDate,
      });
  }
}

/**
 * The decision's content as one canonical string (fields in a fixed order, absent ones
 * empty): the same decision always gives the same string, whatever order its fields came in.
 */
export function canonicalBostotte(decision: BostotteDecision): string {
  const d = draftOfDecision(decision);
  return JSON.stringify(BOSTOTTE_FIELDS.map((field) => d[field]));
}

/**
 * A fingerprint of the decision's content, to tell a repeated event from a different one
 * with the same event id. It is derived from the CPR number, so storage keeps it keyed (HMAC).
 */
export function bostotteFingerprint(decision: BostotteDecision): string {
  return createHash("sha256").update(canonicalBostotte(decision)).digest("hex");
}

/** Where a decision was recorded: the bot's form in personal chat, or the social case system's HTTP call. */
export type BostotteSource = "bot" | "api";

/**
 * A caller's event id (or the bot form's submission id) as it may be used in a table key:
 * 1–100 letters, digits and `. _ : @ ~ + = -`.
 */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:@~+=-]{1,100}$/;

export function isValidEventId(eventId: string): boolean {
  return EVENT_ID_PATTERN.test(eventId);
}

/** The decision's id: the same event (source and event id) always has the same one, per tenant. */
export function bostotteDecisionId(tenantId: string, source: BostotteSource, eventId: string): string {
  return createHash("sha256").update(`${tenantId}\nbostotte\n${source}\n${eventId}`).digest("hex").slice(0, 32);
}

/** A recorded decision as the rest of the product sees it; the CPR number and free text decrypted. */
export interface BostotteRecord {
  tenantId: string;
  /** See {@link bostotteDecisionId}. */
  id: string;
  citizenId: string;
  decision: BostotteDecision;
  source: BostotteSource;
  eventId: string;
  /** The social caseworker's Entra object id (bot), or the calling application's id (api). */
  recordedBy: string;
  /** Who made the decision, as named by the form's user or the calling system ("" when not given). */
  decidedByName: string;
  /** When the decision was made (ISO instant); the caller's for the API. */
  decidedAt: string;
  recordedAt: string;
  /** The employment caseworkers told, in order. */
  notified: string[];
  /** The forum whose channel was told instead, when no employment caseworker was linked. */
  fallbackForumId?: string;
}

function checkShortText(value: string): "too-long" | "too-many-lines" | undefined {
  const text = normaliseText(value);
  if (text.length > MAX_CHARS) return "too-long";
  if (text.split("\n").length > MAX_LINES) return "too-many-lines";
  return undefined;
}

type HoursParse = { ok: true; value: number } | { ok: false; error: "required" | "hours.format" | "hours.not-positive" };

/** "5", "7,5", "7.25" → hours; at most two decimals, Danish decimal comma accepted. */
export function parseHours(typed: string): HoursParse {
  const value = typed.trim();
  if (value === "") return { ok: false, error: "required" };
  if (!/^-?\d{1,5}(?:[.,]\d{1,2})?$/.test(value)) return { ok: false, error: "hours.format" };
  const hours = Number(value.replace(",", "."));
  if (!(hours > 0)) return { ok: false, error: "hours.not-positive" };
  return { ok: true, value: hours };
}

type DateCheck = { ok: true; date: string | undefined } | { ok: false; error: "required" | "date.invalid" };

/** An ISO calendar date (YYYY-MM-DD, years 2000–2099); "" is no date. */
function checkDate(typed: string, required: boolean): DateCheck {
  const value = typed.trim();
  if (value === "") return required ? { ok: false, error: "required" } : { ok: true, date: undefined };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return { ok: false, error: "date.invalid" };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2099 || !isExistingDate(year, month, day)) return { ok: false, error: "date.invalid" };
  return { ok: true, date: value };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

import { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import {
  emptyBostotteDraft,
  EVENT_ID_PATTERN,
  HOURS_UNITS,
  LEGAL_BASES,
  MAX_HOURS,
  validateBostotteDraft,
  type BostotteDecision,
  type BostotteDraft,
  type BostotteField,
  type BostotteFieldErrors,
  type BostotteKind,
  type BostotteRecord,
} from "./bostotte.js";
import type { LocalDate } from "./cpr.js";
import type { Municipality } from "./municipality.js";
import { recordBostotteDecision, type BostotteDeps } from "./record-bostotte.js";
import { localDateIn } from "./time.js";

/**
 * The JSON contract of `POST /api/bostotte/events` (SPEC §7): how the municipality's social
 * case system reports a bostøtte decision. No national event format exists, so this one is
 * ours, versioned by `version`. Field names are English for integrators; the content is
 * checked by the same domain rules as the bot's form (`validateBostotteDraft`).
 */

/** Danish kinds of the domain by the contract's English ones. */
export const KIND_OF_EVENT = { grant: "bevilling", refusal: "afslag", termination: "ophoer" } as const satisfies Record<
  string,
  BostotteKind
>;
export type BostotteEventKind = keyof typeof KIND_OF_EVENT;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = (what: string) => z.string().regex(DATE, "date.invalid").describe(`${what} (ISO 8601 calendar date, YYYY-MM-DD)`);
const shortText = (what: string) => z.string().max(2000, "too-long").describe(`${what}; at most 5 lines and 500 characters`);

export const bostotteEventSchema = z
  .object({
    version: z.literal("1").describe('Contract version: "1".'),
    eventId: z
      .string()
      .min(1, "required")
      .max(100, "too-long")
      .regex(EVENT_ID_PATTERN, "event-id.format")
      .describe(
        "The caller's id of this event, 1–100 characters of A–Z a–z 0–9 . _ : @ ~ + = -. Sending the same event again is safe: it is recorded once. The same id with other content is refused (409).",
      ),
    kind: z.enum(["grant", "refusal", "termination"]).describe("bevilling (grant), afslag (refusal) or ophør (termination)."),
    cpr: z.string().max(20, "cpr.format").describe("The citizen's CPR number, DDMMYY-SSSS or DDMMYYSSSS."),
    legalBasis: z.enum(LEGAL_BASES).describe("Serviceloven § 85 (sel-85, KLE 27.36.12) or § 85 a (sel-85a, KLE 27.36.14)."),
    hours: z
      .object({
        amount: z
          .number()
          .describe(
            `Hours of support, more than 0 and at most ${MAX_HOURS.week} a week or ${MAX_HOURS.month} a month, at most two decimals.`,
          ),
        per: z.enum(HOURS_UNITS).describe("The period the hours are counted per."),
      })
      .strict()
      .optional()
      .describe("The grant's hours (required for a grant, ignored otherwise)."),
    period: z
      .object({
        from: isoDate("First day of the grant"),
        to: isoDate("Last day of the grant; not before from").optional(),
        review: isoDate("Date the grant is to be reviewed; not before from").optional(),
      })
      .strict()
      .optional()
      .describe("The grant's period (required for a grant, with to or review or both; ignored otherwise)."),
    purpose: shortText("The grant's purpose").optional(),
    reasonCategory: z
      .string()
      .max(40, "reason.unknown")
      .optional()
      .describe("Required for a refusal or termination: an id from the municipality's configured list of refusal or termination reasons."),
    reasonText: shortText("A short reason for a refusal or termination").optional(),
    endDate: isoDate("Last day of support (required for a termination)").optional(),
    decidedAt: z
      .string()
      .datetime({ offset: true, message: "datetime.invalid" })
      .describe("When the decision was made (ISO 8601 date-time with offset)."),
    decidedBy: z.string().max(100, "too-long").optional().describe("The name of who made the decision, as text."),
  })
  .strict();

export type BostotteEvent = z.infer<typeof bostotteEventSchema>;

/** A field in error: its JSON path (e.g. "period.to"), a stable code and an English message. */
export interface EventFieldError {
  path: string;
  code: string;
  message: string;
}

/** The JSON Schema (draft-07) of the contract, for integrators; generated from {@link bostotteEventSchema}. */
export function bostotteEventJsonSchema(): Record<string, unknown> {
  const schema = zodToJsonSchema(bostotteEventSchema, { $refStrategy: "none", target: "jsonSchema7" }) as Record<string, unknown>;
  return {
    $schema: schema["$schema"],
    title: "Sparring bostøtte event, version 1",
    description:
      "A bostøtte decision (Serviceloven § 85 / § 85 a) reported by the municipality's social case system to POST /api/bostotte/events. Answers: 201 recorded, 200 the same event again, 400 with errors [{path, code, message}], 409 the event id was used for other content.",
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
  };
}

export type BostotteEventParse = { ok: true; event: BostotteEvent; decision: BostotteDecision } | { ok: false; errors: EventFieldError[] };

/**
 * Parses a request body: its shape with the schema, its content with the domain's rules
 * (the CPR number judged on `today`, the municipality's reason categories).
 */
export function parseBostotteEvent(body: unknown, municipality: Municipality, today: LocalDate): BostotteEventParse {
  const parsed = bostotteEventSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: dedupe(parsed.error.issues.flatMap(issueErrors)) };
  const event = parsed.data;
  const checked = validateBostotteDraft(draftOfEvent(event), municipality, today);
  if (!checked.ok) return { ok: false, errors: fieldErrorsOfEvent(checked.errors, event) };
  return { ok: true, event, decision: checked.value };
}

/** The event as the form's draft, so both are checked by one set of rules. */
export function draftOfEvent(event: BostotteEvent): BostotteDraft {
  return emptyBostotteDraft({
    kind: KIND_OF_EVENT[event.kind],
    cpr: event.cpr,
    legalBasis: event.legalBasis,
    hours: event.hours ? String(event.hours.amount) : "",
    hoursPer: event.hours?.per ?? "",
    from: event.period?.from ?? "",
    to: event.period?.to ?? "",
    review: event.period?.review ?? "",
    purpose: event.purpose ?? "",
    reasonCategory: event.reasonCategory ?? "",
    reasonText: event.reasonText ?? "",
    endDate: event.endDate ?? "",
  });
}

export type ReceiveBostotteOutcome =
  /** Answer 201. */
  | { kind: "recorded"; record: BostotteRecord }
  /** The same event again: answer 200 with the decision recorded the first time. */
  | { kind: "duplicate"; record: BostotteRecord }
  /** The event id was used for other content: answer 409. */
  | { kind: "conflict"; decisionId: string }
  /** Answer 400 with the errors. */
  | { kind: "invalid"; errors: EventFieldError[] };

/**
 * One authenticated call of the endpoint: parse, then record once per event id (SPEC §7).
 * The edge has authenticated `callerAppId` for `municipality` and answers with the outcome.
 */
export async function receiveBostotteEvent(
  deps: BostotteDeps,
  command: { municipality: Municipality; callerAppId: string; body: unknown },
): Promise<ReceiveBostotteOutcome> {
  const { municipality } = command;
  const parse = parseBostotteEvent(command.body, municipality, localDateIn(deps.clock.now(), deps.timeZone));
  if (!parse.ok) return { kind: "invalid", errors: parse.errors };
  const { event } = parse;
  const outcome = await recordBostotteDecision(deps, {
    municipality,
    decision: parse.decision,
    by: { id: command.callerAppId, name: event.decidedBy ?? "" },
    source: "api",
    eventId: event.eventId,
    decidedAt: new Date(event.decidedAt).toISOString(),
  });
  switch (outcome.kind) {
    case "recorded":
    case "duplicate":
    case "conflict":
      return outcome;
    case "invalid":
      return { kind: "invalid", errors: fieldErrorsOfEvent(outcome.errors, event) };
    case "invalid-event-id":
      return { kind: "invalid", errors: [fieldError("eventId", "event-id.format")] };
    case "not-allowed":
      // Only the bot's users are checked for a role; an API caller is authenticated by the edge.
      throw new Error("An API event cannot be refused for a role");
  }
}

/** The JSON path of each field of the form. */
const PATH_OF_FIELD: Readonly<Record<BostotteField, string>> = {
  kind: "kind",
  cpr: "cpr",
  legalBasis: "legalBasis",
  hours: "hours.amount",
  hoursPer: "hours.per",
  from: "period.from",
  to: "period.to",
  review: "period.review",
  purpose: "purpose",
  reasonCategory: "reasonCategory",
  reasonText: "reasonText",
  endDate: "endDate",
};

/** The domain's field errors as the contract's, a missing object reported once as itself ("hours", "period"). */
export function fieldErrorsOfEvent(errors: BostotteFieldErrors, event: Pick<BostotteEvent, "hours" | "period">): EventFieldError[] {
  const out = Object.entries(errors).map(([field, code]) => {
    const path = PATH_OF_FIELD[field as BostotteField];
    if (path.startsWith("hours.") && !event.hours) return fieldError("hours", "required");
    if (path.startsWith("period.") && !event.period) return fieldError("period", "required");
    return fieldError(code === "period.end-required" ? "period" : path, code);
  });
  return dedupe(out);
}

const MESSAGES: Readonly<Record<string, string>> = {
  required: "is required",
  type: "has the wrong type",
  "field.unknown": "is not a field of this contract version",
  "version.unsupported": 'must be "1"',
  "event-id.format": "must be 1-100 characters of A-Z a-z 0-9 . _ : @ ~ + = -",
  "kind.unknown": 'must be "grant", "refusal" or "termination"',
  "legal-basis.unknown": 'must be "sel-85" or "sel-85a"',
  "hours-per.unknown": 'must be "week" or "month"',
  "hours.format": "must be a number with at most two decimals",
  "hours.not-positive": "must be more than 0",
  "hours.too-many": `must be at most ${MAX_HOURS.week} a week or ${MAX_HOURS.month} a month`,
  "date.invalid": "must be an existing date, YYYY-MM-DD, in the years 2000-2099",
  "date.before-from": "must not be before period.from",
  "period.end-required": "a grant needs period.to or period.review (or both)",
  "reason.unknown": "is not one of the municipality's reason categories for this kind",
  "datetime.invalid": "must be an ISO 8601 date-time with offset, e.g. 2026-05-04T10:15:00+02:00",
  "too-long": "is too long (at most 500 characters)",
  "too-many-lines": "has too many lines (at most 5)",
  "cpr.format": "must be a CPR number, DDMMYY-SSSS or DDMMYYSSSS",
  "cpr.date": "does not hold an existing birth date",
  "cpr.future": "holds a birth date in the future",
  "cpr.too-young": "belongs to a citizen younger than the municipality handles",
  invalid: "is not valid",
};

function fieldError(path: string, code: string): EventFieldError {
  return { path, code, message: MESSAGES[code] ?? MESSAGES["invalid"]! };
}

const ENUM_CODES: Readonly<Record<string, string>> = {
  kind: "kind.unknown",
  legalBasis: "legal-basis.unknown",
  "hours.per": "hours-per.unknown",
};

function issueErrors(issue: z.ZodIssue): EventFieldError[] {
  const path = issue.path.join(".");
  switch (issue.code) {
    case "invalid_type":
      return [fieldError(path || "(body)", issue.received === "undefined" ? "required" : "type")];
    case "invalid_literal":
      if (issue.received === undefined) return [fieldError(path, "required")];
      return [fieldError(path, path === "version" ? "version.unsupported" : "invalid")];
    case "invalid_enum_value":
      return [fieldError(path, ENUM_CODES[path] ?? "invalid")];
    case "unrecognized_keys":
      return issue.keys.map((key) => fieldError(path ? `${path}.${key}` : key, "field.unknown"));
    default:
      // Our own checks carry their code as the message (see the schema).
      return [fieldError(path, issue.message in MESSAGES ? issue.message : "invalid")];
  }
}

function dedupe(errors: EventFieldError[]): EventFieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\n${e.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

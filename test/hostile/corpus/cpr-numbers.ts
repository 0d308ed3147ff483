import type { FieldErrorCode } from "../../../src/domain/case.js";
import { fakeCprForAge } from "../../support/fixtures.js";
import { NOW } from "../hostile-world.js";

/*
 * CPR numbers as people type them (SPEC §9: `DDMMYY-SSSS`, dash optional; the century from
 * the 7th digit — 0–3: 1900s; 4 or 9: 2000–2036 for YY 00–36, else 1900s; 5–8: 2000–2057 for
 * YY 00–57, else 1800s; no modulus-11; replacement numbers with day + 60). Each is typed
 * into the raise-case form and the "følg" form. What must hold: an accepted number is stored
 * as its ten digits with the right birth date, age and forum, and only ever shown masked; a
 * refused one gets the Danish error beside the field, and nothing is stored; no number
 * reaches a forum channel or a log line.
 *
 * Every accepted number is fictitious: a replacement number (day + 60). A refused one may
 * use a real day, since its date does not exist.
 */

export type CprCase =
  | { name: string; typed: string; accepted: { age: number; forum: "unge" | "voksne"; digits: string } }
  | { name: string; typed: string; refused: FieldErrorCode | "unreadable" };

/** Accepted: stored as `digits`, the citizen `age` years old today, so in that age's forum. */
const accepted = (name: string, typed: string, age: number, digits = typed.replace(/\D/g, "")): CprCase => ({
  name,
  typed,
  accepted: { age, forum: age <= 29 ? "unge" : "voksne", digits },
});
const refused = (name: string, typed: string, code: FieldErrorCode | "unreadable"): CprCase => ({ name, typed, refused: code });

const fifteen = fakeCprForAge(15, NOW);
const fourteen = fakeCprForAge(14, NOW);

export const CPR_CASES: CprCase[] = [
  // ─── Accepted ───────────────────────────────────────────────────────────────────────
  accepted("with a dash", "610190-4321", 36),
  accepted("without a dash", "6101904321", 36),
  accepted("with spaces, a tab and a no-break space around it", " \u00A0610190-4321\t ", 36, "6101904321"),
  accepted("failing modulus 11 (not required since 2007)", "610190-4320", 36),
  accepted("29 February 2000, 7th digit 4 (YY 00–36: 2000s)", "890200-4321", 26),
  accepted("29 February 2000, 7th digit 9", "890200-9321", 26),
  accepted("29 February 2000, 7th digit 5 (YY 00–57: 2000s)", "890200-5321", 26),
  accepted("29 February 1996, 7th digit 0 (1900s)", "890296-0321", 30),
  accepted("29 February 1904, 7th digit 3 (1900s)", "890204-3321", 122),
  accepted("29 February 1960, 7th digit 4 (YY 37–99: 1900s)", "890260-4321", 66),
  accepted("29 February 1860, 7th digit 5 (YY 58–99: 1800s)", "890260-5321", 166),
  accepted("fifteen years old today, the youngest the forums take", fifteen, 15),

  // ─── Refused: no such date ──────────────────────────────────────────────────────────
  refused("29 February 1900, 7th digit 0 (1900 is no leap year)", "290200-0321", "cpr.date"),
  refused("29 February 1900 as a replacement number", "890200-0321", "cpr.date"),
  refused("29 February 1937, 7th digit 4 (YY 37–99: 1900s, no leap year)", "890237-4321", "cpr.date"),
  refused("29 February 1858, 7th digit 5 (YY 58–99: 1800s, no leap year)", "890258-5321", "cpr.date"),
  refused("30 February", "300290-4321", "cpr.date"),
  refused("31 April", "310490-4321", "cpr.date"),
  refused("month 13", "011390-4321", "cpr.date"),
  refused("month 00", "010090-4321", "cpr.date"),
  refused("day 00", "000190-4321", "cpr.date"),
  refused("replacement day 60 (day 0)", "600190-4321", "cpr.date"),
  refused("replacement day 92 (day 32)", "920190-4321", "cpr.date"),

  // ─── Refused: not born yet, or too young ────────────────────────────────────────────
  refused("29 February 2036, 7th digit 4 (2000s: in the future)", "890236-4321", "cpr.future"),
  refused("29 February 2056, 7th digit 5 (2000s: in the future)", "890256-5321", "cpr.future"),
  refused("born in 2030", "610130-4321", "cpr.future"),
  refused("fourteen years old", fourteen, "cpr.too-young"),

  // ─── Refused: not DDMMYY-SSSS ───────────────────────────────────────────────────────
  refused("full-width digits and dash", "６１０１９０－４３２１", "cpr.format"),
  refused("full-width digits, ASCII dash", "６１０１９０-４３２１", "cpr.format"),
  refused("Arabic-Indic digits", "٦١٠١٩٠-٤٣٢١", "cpr.format"),
  refused("a space instead of the dash", "610190 4321", "cpr.format"),
  refused("spaces between pairs", "61 01 90 43 21", "cpr.format"),
  refused("an en dash", "610190–4321", "cpr.format"),
  refused("two dashes", "610190--4321", "cpr.format"),
  refused("dashes in the date", "61-01-90-4321", "cpr.format"),
  refused("nine digits", "610190-432", "cpr.format"),
  refused("eleven digits", "610190-43210", "cpr.format"),
  refused("a letter O for a zero", "61019O-4321", "cpr.format"),
  refused("a zero-width space inside", "6101\u200B90-4321", "cpr.format"),
  refused("a name after the number", "610190-4321 Hansen", "cpr.format"),
  refused("a right-to-left override around it", "\u202E610190-4321\u202C", "cpr.format"),
  refused("empty", "", "required"),
  refused("only spaces", "   ", "required"),
  refused("41 characters (no form sends it: the form cannot be read)", "6".repeat(41), "unreadable"),
];

import { createHmac } from "node:crypto";

/**
 * A Danish CPR number that has passed format and date validation.
 * `digits` is always the ten digits without a dash.
 */
export interface Cpr {
  readonly digits: string;
  readonly birthDate: LocalDate;
  /** True for an erstatningspersonnummer (day of month + 60). */
  readonly isReplacementNumber: boolean;
}

/** A calendar date without time zone. Months are 1–12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export type CprError = "cpr.format" | "cpr.date";

export type CprResult = { ok: true; cpr: Cpr } | { ok: false; error: CprError };

const CPR_PATTERN = /^(\d{2})(\d{2})(\d{2})-?(\d{4})$/;

/**
 * Parses `DDMMYY-SSSS` (dash optional, surrounding spaces ignored).
 * The century follows from the 7th digit (SPEC §9). Modulus-11 is deliberately not
 * checked: numbers without it have been issued since 2007.
 */
export function parseCpr(input: string): CprResult {
  const match = CPR_PATTERN.exec(input.trim());
  if (!match) return { ok: false, error: "cpr.format" };
  const [, dd, mm, yy, serial] = match as unknown as [string, string, string, string, string];
  let day = Number(dd);
  const month = Number(mm);
  const twoDigitYear = Number(yy);
  const isReplacementNumber = day > 60;
  if (isReplacementNumber) day -= 60;
  const year = centuryOf(Number(serial[0]), twoDigitYear) + twoDigitYear;
  if (!isExistingDate(year, month, day)) return { ok: false, error: "cpr.date" };
  return {
    ok: true,
    cpr: { digits: `${dd}${mm}${yy}${serial}`, birthDate: { year, month, day }, isReplacementNumber },
  };
}

function centuryOf(seventhDigit: number, twoDigitYear: number): number {
  if (seventhDigit <= 3) return 1900;
  if (seventhDigit === 4 || seventhDigit === 9) return twoDigitYear <= 36 ? 2000 : 1900;
  return twoDigitYear <= 57 ? 2000 : 1800;
}

export function isExistingDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Hides all four serial digits: the last one reveals gender (SPEC §9).
 */
export function maskCpr(digits: string): string {
  return `${digits.slice(0, 6)}-xxxx`;
}

/** Ten digits standing alone (ASCII or full-width), with a dash or a space after the sixth or none. */
const CPR_IN_TEXT = /(?<![0-9\uFF10-\uFF19])([0-9\uFF10-\uFF19]{6})[-\s\u2010-\u2015\uFF0D]?[0-9\uFF10-\uFF19]{4}(?![0-9\uFF10-\uFF19])/g;

/**
 * Masks every CPR-shaped number in a free text as {@link maskCpr} does, however it is
 * written: for text typed by someone (a name) that a forum channel shows (SPEC §9).
 */
export function maskCprNumbers(text: string): string {
  return text.replace(CPR_IN_TEXT, (_match, birth: string) => `${birth}-xxxx`);
}

/**
 * Full years between birth and `on`. A person born 29 February has their birthday
 * on 1 March in non-leap years.
 */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  let age = on.year - birthDate.year;
  if (on.month < birthDate.month || (on.month === birthDate.month && on.day < birthDate.day)) age -= 1;
  return age;
}

/**
 * A keyed hash for finding cases by CPR without storing the number in clear.
 * A plain hash would be reversible by trying all ~3.6 million valid numbers per day.
 */
export function cprLookupKey(digits: string, key: Buffer): string {
  return createHmac("sha256", key).update(digits).digest("hex");
}

import { describe, expect, it } from "vitest";
import {
  bostotteDecisionId,
  bostotteFingerprint,
  draftOfDecision,
  emptyBostotteDraft,
  isValidEventId,
  KLE_NUMBERS,
  parseHours,
  validateBostotteDraft,
  type BostotteDraft,
} from "../../src/domain/bostotte.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { fakeCpr, fakeCprForAge, testMunicipality } from "../support/fixtures.js";

const TODAY = { year: 2026, month: 11, day: 23 };
const ON_TODAY = new Date("2026-11-23T10:00:00Z");
const municipality = testMunicipality("t-bostotte");
const CPR = fakeCprForAge(40, ON_TODAY);

const grant = (overrides: Partial<BostotteDraft> = {}) =>
  emptyBostotteDraft({
    kind: "bevilling",
    cpr: CPR,
    legalBasis: "sel-85",
    hours: "5",
    hoursPer: "week",
    from: "2026-12-01",
    to: "2027-05-31",
    ...overrides,
  });
const refusal = (overrides: Partial<BostotteDraft> = {}) =>
  emptyBostotteDraft({ kind: "afslag", cpr: CPR, legalBasis: "sel-85", reasonCategory: "ikke-i-maalgruppen", ...overrides });
const termination = (overrides: Partial<BostotteDraft> = {}) =>
  emptyBostotteDraft({
    kind: "ophoer",
    cpr: CPR,
    legalBasis: "sel-85a",
    endDate: "2026-12-31",
    reasonCategory: "maal-naaet",
    ...overrides,
  });

const errorsOf = (draft: BostotteDraft) => {
  const result = validateBostotteDraft(draft, municipality, TODAY);
  return result.ok ? {} : result.errors;
};

describe("a bostøtte grant (bevilling) and its bevillingsramme", () => {
  it("accepts hours per week, a period and a short purpose, and keeps them", () => {
    const result = validateBostotteDraft(
      grant({ hours: "7,5", purpose: "  Støtte til at holde bolig\r\nog økonomi " }),
      municipality,
      TODAY,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "bevilling",
        cprDigits: CPR.replace("-", ""),
        legalBasis: "sel-85",
        frame: { hours: 7.5, per: "week", from: "2026-12-01", to: "2027-05-31", purpose: "Støtte til at holde bolig\nog økonomi" },
      },
    });
  });

  it("accepts a review date instead of an end date, and both", () => {
    expect(validateBostotteDraft(grant({ to: "", review: "2027-03-01" }), municipality, TODAY)).toMatchObject({
      ok: true,
      value: { frame: { review: "2027-03-01" } },
    });
    expect(validateBostotteDraft(grant({ review: "2027-03-01" }), municipality, TODAY).ok).toBe(true);
  });

  it("needs an end date or a review date", () => {
    expect(errorsOf(grant({ to: "", review: "" }))).toEqual({ to: "period.end-required" });
  });

  it("refuses 0, negative and unreadable hours", () => {
    expect(errorsOf(grant({ hours: "0" }))).toEqual({ hours: "hours.not-positive" });
    expect(errorsOf(grant({ hours: "0,00" }))).toEqual({ hours: "hours.not-positive" });
    expect(errorsOf(grant({ hours: "-3" }))).toEqual({ hours: "hours.not-positive" });
    expect(errorsOf(grant({ hours: "fem" }))).toEqual({ hours: "hours.format" });
    expect(errorsOf(grant({ hours: "1,234" }))).toEqual({ hours: "hours.format" });
    expect(errorsOf(grant({ hours: "" }))).toEqual({ hours: "required" });
  });

  it("refuses absurd hours: over 60 a week or over 260 a month", () => {
    expect(errorsOf(grant({ hours: "60" }))).toEqual({});
    expect(errorsOf(grant({ hours: "60,5" }))).toEqual({ hours: "hours.too-many" });
    expect(errorsOf(grant({ hours: "200", hoursPer: "month" }))).toEqual({});
    expect(errorsOf(grant({ hours: "261", hoursPer: "month" }))).toEqual({ hours: "hours.too-many" });
  });

  it("needs the unit of the hours", () => {
    expect(errorsOf(grant({ hoursPer: "" }))).toEqual({ hoursPer: "required" });
    expect(errorsOf(grant({ hoursPer: "day" }))).toEqual({ hoursPer: "hours-per.unknown" });
  });

  it("refuses an end or review date before the from-date", () => {
    expect(errorsOf(grant({ to: "2026-11-30" }))).toEqual({ to: "date.before-from" });
    expect(errorsOf(grant({ review: "2026-11-01" }))).toEqual({ review: "date.before-from" });
    expect(errorsOf(grant({ to: "2026-12-01" }))).toEqual({});
  });

  it("needs ISO dates that exist", () => {
    expect(errorsOf(grant({ from: "" }))).toEqual({ from: "required" });
    expect(errorsOf(grant({ from: "01-12-2026" }))).toEqual({ from: "date.invalid" });
    expect(errorsOf(grant({ to: "2027-02-29" }))).toEqual({ to: "date.invalid" });
    expect(errorsOf(grant({ review: "2027-13-01", to: "" }))).toEqual({ review: "date.invalid" });
  });

  it("holds the purpose to five lines and 500 characters", () => {
    expect(errorsOf(grant({ purpose: "x".repeat(501) }))).toEqual({ purpose: "too-long" });
    expect(errorsOf(grant({ purpose: "1\n2\n3\n4\n5\n6" }))).toEqual({ purpose: "too-many-lines" });
    expect(errorsOf(grant({ purpose: "1\n2\n3\n4\n5" }))).toEqual({});
  });
});

describe("a bostøtte refusal (afslag)", () => {
  it("accepts a reason category of the municipality's list and an optional short text", () => {
    expect(validateBostotteDraft(refusal({ reasonText: "Henvist til § 107" }), municipality, TODAY)).toEqual({
      ok: true,
      value: {
        kind: "afslag",
        cprDigits: CPR.replace("-", ""),
        legalBasis: "sel-85",
        reasonCategory: "ikke-i-maalgruppen",
        reasonText: "Henvist til § 107",
      },
    });
  });

  it("needs a reason category from the refusal list, not the termination list", () => {
    expect(errorsOf(refusal({ reasonCategory: "" }))).toEqual({ reasonCategory: "required" });
    expect(errorsOf(refusal({ reasonCategory: "maal-naaet" }))).toEqual({ reasonCategory: "reason.unknown" });
    expect(errorsOf(refusal({ reasonText: "x".repeat(501) }))).toEqual({ reasonText: "too-long" });
  });

  it("uses the municipality's configured categories", () => {
    const own = municipalitySchema.parse({ ...municipality, bostotte: { refusalReasons: [{ id: "egen", label: "Egen kategori" }] } });
    expect(validateBostotteDraft(refusal({ reasonCategory: "egen" }), own, TODAY).ok).toBe(true);
    expect(validateBostotteDraft(refusal({ reasonCategory: "ikke-i-maalgruppen" }), own, TODAY).ok).toBe(false);
  });

  it("ignores the fields of a grant", () => {
    expect(validateBostotteDraft(refusal({ hours: "0", from: "nonsense" }), municipality, TODAY).ok).toBe(true);
  });
});

describe("a bostøtte termination (ophør)", () => {
  it("accepts an end date and a termination reason", () => {
    expect(validateBostotteDraft(termination(), municipality, TODAY)).toMatchObject({
      ok: true,
      value: { kind: "ophoer", endDate: "2026-12-31", reasonCategory: "maal-naaet", reasonText: "" },
    });
  });

  it("needs the end date", () => {
    expect(errorsOf(termination({ endDate: "" }))).toEqual({ endDate: "required" });
    expect(errorsOf(termination({ endDate: "2026-02-30" }))).toEqual({ endDate: "date.invalid" });
  });

  it("needs a reason category from the termination list", () => {
    expect(errorsOf(termination({ reasonCategory: "ikke-i-maalgruppen" }))).toEqual({ reasonCategory: "reason.unknown" });
    expect(errorsOf(termination({ reasonCategory: "flyttet" }))).toEqual({});
  });
});

describe("every bostøtte decision", () => {
  it("checks the CPR number exactly as the raise-case form does", () => {
    expect(errorsOf(grant({ cpr: "" }))).toEqual({ cpr: "required" });
    expect(errorsOf(refusal({ cpr: "12345" }))).toEqual({ cpr: "cpr.format" });
    expect(errorsOf(termination({ cpr: fakeCpr({ year: 1990, month: 2, day: 31 }) }))).toEqual({ cpr: "cpr.date" });
    expect(errorsOf(grant({ cpr: fakeCprForAge(12, ON_TODAY) }))).toEqual({ cpr: "cpr.too-young" });
    expect(errorsOf(grant({ cpr: fakeCpr({ year: 2027, month: 1, day: 1 }) }))).toEqual({ cpr: "cpr.future" });
  });

  it("needs a kind and a legal basis it knows", () => {
    expect(errorsOf(emptyBostotteDraft({ cpr: CPR, legalBasis: "sel-85" }))).toEqual({ kind: "required" });
    expect(errorsOf(emptyBostotteDraft({ kind: "bevilge", cpr: CPR, legalBasis: "sel-85" }))).toEqual({ kind: "kind.unknown" });
    expect(errorsOf(grant({ legalBasis: "" }))).toEqual({ legalBasis: "required" });
    expect(errorsOf(grant({ legalBasis: "sel-107" }))).toEqual({ legalBasis: "legal-basis.unknown" });
  });

  it("reports every field in error at once", () => {
    expect(Object.keys(errorsOf(grant({ cpr: "x", hours: "0", from: "", to: "", purpose: "x".repeat(600) }))).sort()).toEqual([
      "cpr",
      "from",
      "hours",
      "purpose",
      "to",
    ]);
  });

  it("maps §§ 85 and 85 a to their KLE numbers", () => {
    expect(KLE_NUMBERS).toEqual({ "sel-85": "27.36.12", "sel-85a": "27.36.14" });
  });

  it("round-trips through the form, so a decision built elsewhere is checked by the same rules", () => {
    for (const draft of [grant({ review: "2027-02-01", purpose: "Bolig" }), refusal({ reasonText: "Tekst" }), termination()]) {
      const first = validateBostotteDraft(draft, municipality, TODAY);
      if (!first.ok) throw new Error("fixture must be valid");
      expect(validateBostotteDraft(draftOfDecision(first.value), municipality, TODAY)).toEqual(first);
    }
  });

  it("fingerprints the content: the same decision alike, any change different", () => {
    const a = validateBostotteDraft(grant(), municipality, TODAY);
    const b = validateBostotteDraft(grant({ hours: "5,0", cpr: CPR.replace("-", "") }), municipality, TODAY);
    const c = validateBostotteDraft(grant({ hours: "6" }), municipality, TODAY);
    if (!a.ok || !b.ok || !c.ok) throw new Error("fixtures must be valid");
    expect(bostotteFingerprint(a.value)).toBe(bostotteFingerprint(b.value));
    expect(bostotteFingerprint(a.value)).not.toBe(bostotteFingerprint(c.value));
  });

  it("gives one decision id per tenant, source and event id", () => {
    const id = bostotteDecisionId("t", "api", "evt-1");
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(bostotteDecisionId("t", "api", "evt-1")).toBe(id);
    expect(bostotteDecisionId("t", "bot", "evt-1")).not.toBe(id);
    expect(bostotteDecisionId("u", "api", "evt-1")).not.toBe(id);
  });

  it("accepts only event ids that are safe in a table key", () => {
    expect(isValidEventId("SAG-2026:0001.3")).toBe(true);
    expect(isValidEventId("f3c1b2a0-8d7e-4c1b-9a00-000000000001")).toBe(true);
    for (const bad of ["", "a/b", "a|b", "a#b", "a?b", "a b", "x".repeat(101), "æ"]) expect(isValidEventId(bad)).toBe(false);
  });

  it("reads hours with a Danish decimal comma", () => {
    expect(parseHours("7,25")).toEqual({ ok: true, value: 7.25 });
    expect(parseHours(" 10 ")).toEqual({ ok: true, value: 10 });
  });
});

describe("the bostøtte configuration", () => {
  it("defaults to Norddjurs' reason categories, the forum-channel fallback and målgruppeskift at 18 and 30", () => {
    expect(municipality.bostotte.refusalReasons.map((r) => r.id)).toEqual([
      "ikke-i-maalgruppen",
      "tilbudt-anden-indsats",
      "borgeren-oensker-det-ikke",
      "andet",
    ]);
    expect(municipality.bostotte.terminationReasons.find((r) => r.id === "maal-naaet")?.label).toBe("Mål nået");
    expect(municipality.bostotte.fallback).toBe("forum-channel");
    expect(municipality.targetGroupAges).toEqual([18, 30]);
  });

  it("refuses a reason id used twice, a bad id, and an age listed twice", () => {
    const twice = [
      { id: "a", label: "A" },
      { id: "a", label: "B" },
    ];
    expect(municipalitySchema.safeParse({ ...municipality, bostotte: { refusalReasons: twice } }).success).toBe(false);
    expect(
      municipalitySchema.safeParse({ ...municipality, bostotte: { terminationReasons: [{ id: "Med Mellemrum", label: "x" }] } }).success,
    ).toBe(false);
    expect(municipalitySchema.safeParse({ ...municipality, targetGroupAges: [18, 18] }).success).toBe(false);
  });
});

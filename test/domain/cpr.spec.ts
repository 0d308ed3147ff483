import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { ageOn, cprLookupKey, maskCpr, maskCprNumbers, parseCpr } from "../../src/domain/cpr.js";
import { fakeCpr } from "../support/fixtures.js";

const birthDates = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2036, 11, 31)), noInvalidDate: true })
  .map((d) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));

describe("parseCpr", () => {
  it("accepts DDMMYY-SSSS with and without the dash", () => {
    expect(parseCpr("700190-4321").ok).toBe(true);
    expect(parseCpr("7001904321").ok).toBe(true);
    expect(parseCpr("  700190-4321 ").ok).toBe(true);
  });

  it("refuses a 31 February", () => {
    expect(parseCpr("310299-1234")).toEqual({ ok: false, error: "cpr.date" });
  });

  it("refuses nine digits, letters and a misplaced dash", () => {
    for (const bad of ["70019-4321", "700190432", "7001904321x", "70019-04321", "ab0190-4321", ""]) {
      expect(parseCpr(bad)).toEqual({ ok: false, error: "cpr.format" });
    }
  });

  it("does not require modulus-11 (numbers without it are issued since 2007)", () => {
    // 0101904321 does not satisfy modulus 11; it must still be accepted.
    const weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    const sum = [..."0101904321"].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
    expect(sum % 11).not.toBe(0);
    expect(parseCpr("010190-4321").ok).toBe(true);
  });

  it.each([
    ["010190-0123", 1990],
    ["010190-3123", 1990],
    ["010110-4123", 2010],
    ["010140-4123", 1940],
    ["010136-9123", 2036],
    ["010137-9123", 1937],
    ["010157-5123", 2057],
    ["010158-5123", 1858],
    ["010199-8123", 1899],
  ])("reads the century of %s from the 7th digit as %i", (cpr, year) => {
    const parsed = parseCpr(cpr);
    expect(parsed.ok && parsed.cpr.birthDate.year).toBe(year);
  });

  it("accepts replacement numbers with day + 60 and checks the real date", () => {
    const parsed = parseCpr("610190-4321");
    expect(parsed).toMatchObject({ ok: true, cpr: { isReplacementNumber: true, birthDate: { year: 1990, month: 1, day: 1 } } });
    expect(parseCpr("890290-4321")).toEqual({ ok: false, error: "cpr.date" }); // 29 Feb 1990 does not exist
  });

  it("knows leap years across centuries", () => {
    expect(parseCpr("290200-4123").ok).toBe(true); // 2000 is a leap year
    expect(parseCpr("290200-5923").ok).toBe(true); // 2000 again (5–8, YY ≤ 57)
    expect(parseCpr("290200-0123").ok).toBe(false); // 1900 is not
  });

  test.prop([birthDates, fc.integer({ min: 0, max: 9999 })])(
    "every generated replacement number parses back to its birth date",
    (birth, serial) => {
      const parsed = parseCpr(fakeCpr(birth, serial));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) {
        expect(parsed.cpr.birthDate).toEqual(birth);
        expect(parsed.cpr.isReplacementNumber).toBe(true);
      }
    },
  );
});

describe("maskCpr", () => {
  test.prop([fc.stringMatching(/^\d{10}$/)])("hides all four serial digits, including the gender digit", (digits) => {
    const masked = maskCpr(digits);
    expect(masked).toBe(`${digits.slice(0, 6)}-xxxx`);
    expect(masked).not.toMatch(/\d{7}/);
  });
});

describe("maskCprNumbers", () => {
  it("masks a CPR number typed into a text, however it is written", () => {
    for (const typed of ["610190-4321", "6101904321", "610190 4321", "610190–4321", "６１０１９０－４３２１"])
      expect(maskCprNumbers(`Navn ${typed}, kollega`)).toMatch(/^Navn [0-9０-９]{6}-xxxx, kollega$/);
  });

  it("leaves other numbers alone: longer runs, dates, phone numbers", () => {
    for (const text of ["sag 12345678901", "2026-11-23", "tlf. 86 12 34 56", "61019043210"]) expect(maskCprNumbers(text)).toBe(text);
  });
});

describe("ageOn", () => {
  it("turns a year older on the birthday, not the day before", () => {
    const birth = { year: 1996, month: 11, day: 24 };
    expect(ageOn(birth, { year: 2026, month: 11, day: 23 })).toBe(29);
    expect(ageOn(birth, { year: 2026, month: 11, day: 24 })).toBe(30);
  });

  it("gives someone born 29 February their birthday on 1 March in other years", () => {
    const birth = { year: 2008, month: 2, day: 29 };
    expect(ageOn(birth, { year: 2026, month: 2, day: 28 })).toBe(17);
    expect(ageOn(birth, { year: 2026, month: 3, day: 1 })).toBe(18);
  });

  test.prop([birthDates, fc.integer({ min: 0, max: 100 })])("is exactly n on the n-th birthday", (birth, n) => {
    const day = birth.month === 2 && birth.day === 29 && !isLeap(birth.year + n) ? { month: 3, day: 1 } : birth;
    expect(ageOn(birth, { year: birth.year + n, month: day.month, day: day.day })).toBe(n);
  });
});

describe("cprLookupKey", () => {
  it("is deterministic per key and differs between keys", () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    expect(cprLookupKey("7001904321", a)).toBe(cprLookupKey("7001904321", a));
    expect(cprLookupKey("7001904321", a)).not.toBe(cprLookupKey("7001904321", b));
    expect(cprLookupKey("7001904321", a)).not.toContain("700190");
  });
});

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

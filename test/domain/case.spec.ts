import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { caseReference, validateDraft } from "../../src/domain/case.js";
import { fakeCpr, testMunicipality, validDraft } from "../support/fixtures.js";

const municipality = testMunicipality();
const meetingDay = { year: 2026, month: 11, day: 25 };

function cprAgedOn(age: number, on = meetingDay, birthdayOffsetDays = -10) {
  const d = new Date(Date.UTC(on.year - age, on.month - 1, on.day + birthdayOffsetDays));
  return fakeCpr({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

describe("validateDraft", () => {
  it("routes a 29-year-old to the youth forum and a 30-year-old to the adult forum (seed 001)", () => {
    const young = validateDraft(validDraft({ cpr: cprAgedOn(29) }), municipality, meetingDay);
    const adult = validateDraft(validDraft({ cpr: cprAgedOn(30) }), municipality, meetingDay);
    expect(young.ok && young.value.forum.id).toBe("unge");
    expect(adult.ok && adult.value.forum.id).toBe("voksne");
  });

  it("judges age on the given date: turning 30 before that date means the adult forum", () => {
    const cpr = cprAgedOn(30, meetingDay, -1); // 30th birthday the day before the meeting
    const result = validateDraft(validDraft({ cpr }), municipality, meetingDay);
    expect(result.ok && result.value.age).toBe(30);
    const dayBefore = validateDraft(validDraft({ cpr }), municipality, { year: 2026, month: 11, day: 23 });
    expect(dayBefore.ok && dayBefore.value.forum.id).toBe("unge");
  });

  it("refuses a 14-year-old and accepts a 15-year-old", () => {
    expect(validateDraft(validDraft({ cpr: cprAgedOn(14) }), municipality, meetingDay)).toEqual({
      ok: false,
      errors: { cpr: "cpr.too-young" },
    });
    expect(validateDraft(validDraft({ cpr: cprAgedOn(15) }), municipality, meetingDay).ok).toBe(true);
  });

  it("refuses a birth date in the future", () => {
    const result = validateDraft(validDraft({ cpr: fakeCpr({ year: 2030, month: 1, day: 1 }) }), municipality, meetingDay);
    expect(result).toEqual({ ok: false, errors: { cpr: "cpr.future" } });
  });

  it("reports every wrong field at once", () => {
    const result = validateDraft(
      {
        cpr: "12345678",
        health: "",
        social: "a\nb\nc\nd\ne\nf",
        question: "x".repeat(501),
        department: "Kantinen",
        acute: true,
        acuteReason: " ",
      },
      municipality,
      meetingDay,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        cpr: "cpr.format",
        health: "required",
        social: "too-many-lines",
        question: "too-long",
        department: "department.unknown",
        acuteReason: "required",
      },
    });
  });

  it("accepts five lines but not six, and ignores the reason when the case is not acute", () => {
    const five = validateDraft(validDraft({ health: "1\n2\n3\n4\n5", acuteReason: "x\n".repeat(20) }), municipality, meetingDay);
    expect(five.ok).toBe(true);
    expect(five.ok && five.value.acuteReason).toBe("");
    expect(validateDraft(validDraft({ health: "1\r\n2\r\n3\r\n4\r\n5\r\n6" }), municipality, meetingDay).ok).toBe(false);
  });

  it("takes a required text of invisible characters only as empty, and keeps what is visible as typed", () => {
    const invisible = validateDraft(validDraft({ health: "\u200B\u2060 \u200B" }), municipality, meetingDay);
    expect(invisible).toMatchObject({ ok: false, errors: { health: "required" } });
    const kept = validateDraft(validDraft({ health: "\u200BSmerter\u200Bog søvn\u2060" }), municipality, meetingDay);
    expect(kept.ok && kept.value.health).toBe("Smerter\u200Bog søvn");
  });

  it("requires a department", () => {
    expect(validateDraft(validDraft({ department: "" }), municipality, meetingDay)).toEqual({
      ok: false,
      errors: { department: "required" },
    });
  });

  test.prop([fc.integer({ min: 15, max: 110 })])("every supported age lands in exactly one forum", (age) => {
    const result = validateDraft(validDraft({ cpr: cprAgedOn(age) }), municipality, meetingDay);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.forum.id).toBe(age <= 29 ? "unge" : "voksne");
  });
});

describe("caseReference", () => {
  it("is short and zero-padded", () => {
    expect(caseReference(7)).toBe("SP-0007");
    expect(caseReference(12345)).toBe("SP-12345");
  });
});

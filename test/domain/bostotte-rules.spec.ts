import { describe, expect, it } from "vitest";
import { emptyBostotteDraft, validateBostotteDraft } from "../../src/domain/bostotte.js";
import { bostotteMessages, bostotteRecipients } from "../../src/domain/bostotte-recipients.js";
import { ageOn, parseCpr } from "../../src/domain/cpr.js";
import { birthdayKeysOn, targetGroupChangesOn } from "../../src/domain/target-group-change.js";
import type { CaseRecord } from "../../src/domain/case.js";
import { CASEWORKER, COLLEAGUE, fakeCpr, fakeCprForAge, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const municipality = testMunicipality();
const today = { year: 2026, month: 11, day: 23 };
const cpr = fakeCprForAge(40, new Date("2026-11-23T07:00:00Z"));
const grant = (overrides: Record<string, string> = {}) =>
  emptyBostotteDraft({
    kind: "bevilling",
    cpr,
    legalBasis: "sel-85",
    hours: "5",
    hoursPer: "week",
    from: "2026-12-01",
    to: "2027-05-31",
    ...overrides,
  });
const errorsOf = (draft: ReturnType<typeof emptyBostotteDraft>) => {
  const result = validateBostotteDraft(draft, municipality, today);
  return result.ok ? {} : result.errors;
};

describe("bostøtte decisions: each kind's rules (SPEC §7, seed 001 'Afgørelser om bostøtte')", () => {
  it("accepts a grant with its bevillingsramme, hours with a Danish decimal comma", () => {
    const result = validateBostotteDraft(grant({ hours: "7,5", to: "", review: "2027-03-01" }), municipality, today);
    expect(result).toMatchObject({
      ok: true,
      value: { kind: "bevilling", frame: { hours: 7.5, per: "week", from: "2026-12-01", review: "2027-03-01" } },
    });
  });

  it("refuses hours that are 0, negative, absurd or not a number", () => {
    expect(errorsOf(grant({ hours: "0" }))).toEqual({ hours: "hours.not-positive" });
    expect(errorsOf(grant({ hours: "-3" }))).toEqual({ hours: "hours.not-positive" });
    expect(errorsOf(grant({ hours: "61" }))).toEqual({ hours: "hours.too-many" });
    expect(errorsOf(grant({ hours: "261", hoursPer: "month" }))).toEqual({ hours: "hours.too-many" });
    expect(errorsOf(grant({ hours: "fem" }))).toEqual({ hours: "hours.format" });
  });

  it("needs an end or a review date, neither before the start", () => {
    expect(errorsOf(grant({ to: "" }))).toEqual({ to: "period.end-required" });
    expect(errorsOf(grant({ to: "2026-11-30" }))).toEqual({ to: "date.before-from" });
    expect(errorsOf(grant({ review: "2026-11-01" }))).toEqual({ review: "date.before-from" });
    expect(errorsOf(grant({ from: "2026-02-30" }))).toMatchObject({ from: "date.invalid" });
  });

  it("checks the CPR number exactly as the raise-case form does", () => {
    expect(errorsOf(grant({ cpr: "" }))).toEqual({ cpr: "required" });
    expect(errorsOf(grant({ cpr: "12345" }))).toEqual({ cpr: "cpr.format" });
    expect(errorsOf(grant({ cpr: "3102901234" }))).toEqual({ cpr: "cpr.date" });
    expect(errorsOf(grant({ cpr: fakeCprForAge(12, new Date("2026-11-23T07:00:00Z")) }))).toEqual({ cpr: "cpr.too-young" });
  });

  it("needs a reason category from the municipality's list for a refusal, and an end date for a termination", () => {
    const refusal = emptyBostotteDraft({ kind: "afslag", cpr, legalBasis: "sel-85a", reasonCategory: "ikke-i-maalgruppen" });
    expect(validateBostotteDraft(refusal, municipality, today)).toMatchObject({
      ok: true,
      value: { kind: "afslag", reasonCategory: "ikke-i-maalgruppen" },
    });
    expect(errorsOf({ ...refusal, reasonCategory: "fordi" })).toEqual({ reasonCategory: "reason.unknown" });
    const termination = emptyBostotteDraft({ kind: "ophoer", cpr, legalBasis: "sel-85", reasonCategory: "flyttet" });
    expect(errorsOf(termination)).toEqual({ endDate: "required" });
    expect(validateBostotteDraft({ ...termination, endDate: "2026-12-31" }, municipality, today)).toMatchObject({
      ok: true,
      value: { endDate: "2026-12-31" },
    });
  });
});

describe("who is told of a bostøtte decision", () => {
  const follower = (aadObjectId: string) => ({ aadObjectId, purpose: "bostotte-orientering" as const, since: "2026-11-01T00:00:00Z" });

  it("tells followers and case owners, each once, only while they hold the caseworker role", () => {
    expect(bostotteRecipients(municipality, { followers: [follower(CASEWORKER.aadObjectId)], cases: [] }, 40)).toEqual({
      kind: "caseworkers",
      aadObjectIds: [CASEWORKER.aadObjectId],
    });
    expect(bostotteRecipients(municipality, { followers: [], cases: [{ caseNo: 1, raisedBy: COLLEAGUE.aadObjectId }] }, 40)).toEqual({
      kind: "caseworkers",
      aadObjectIds: [COLLEAGUE.aadObjectId],
    });
    const both = bostotteRecipients(
      municipality,
      {
        followers: [follower(CASEWORKER.aadObjectId), follower(OUTSIDER.aadObjectId)],
        cases: [
          { caseNo: 1, raisedBy: CASEWORKER.aadObjectId },
          { caseNo: 2, raisedBy: COLLEAGUE.aadObjectId },
        ],
      },
      40,
    );
    expect(both).toEqual({ kind: "caseworkers", aadObjectIds: [CASEWORKER.aadObjectId, COLLEAGUE.aadObjectId].sort() });
  });

  it("falls back to the forum channel of the citizen's age when nobody is linked — never drops the decision", () => {
    expect(bostotteRecipients(municipality, { followers: [], cases: [] }, 22)).toEqual({ kind: "forum", forumId: "unge" });
    expect(bostotteRecipients(municipality, { followers: [follower(SOCIAL_CASEWORKER.aadObjectId)], cases: [] }, 45)).toEqual({
      kind: "forum",
      forumId: "voksne",
    });
    const messages = bostotteMessages(municipality.tenantId, "d1", "afslag", { kind: "forum", forumId: "voksne" }, new Date());
    expect(messages.map((m) => [m.target, m.content])).toEqual([
      [
        { kind: "forum-channel", forumId: "voksne" },
        { kind: "bostotte", decisionId: "d1", decision: "afslag", audience: "forum" },
      ],
    ]);
  });

  it("keys each message to the decision and its recipient, so a decision never tells anyone twice", () => {
    const once = bostotteMessages(
      municipality.tenantId,
      "d2",
      "bevilling",
      { kind: "caseworkers", aadObjectIds: [CASEWORKER.aadObjectId, COLLEAGUE.aadObjectId] },
      new Date(),
    );
    const again = bostotteMessages(
      municipality.tenantId,
      "d2",
      "bevilling",
      { kind: "caseworkers", aadObjectIds: [CASEWORKER.aadObjectId, COLLEAGUE.aadObjectId] },
      new Date(),
    );
    expect(once.map((m) => m.id)).toEqual(again.map((m) => m.id));
    expect(new Set(once.map((m) => m.id)).size).toBe(2);
  });
});

describe("målgruppeskift (seed 001: gensidig orientering)", () => {
  const caseOf = (overrides: Partial<CaseRecord>): CaseRecord =>
    ({
      caseNo: 7,
      reference: "SP-0007",
      state: "booked",
      raisedBy: CASEWORKER.aadObjectId,
      socialCaseworker: undefined,
      ...overrides,
    }) as CaseRecord;

  it("tells both caseworkers on the day a citizen with a case in play turns 18 or 30, and nobody on other days", () => {
    const birth = { year: 1996, month: 12, day: 5 };
    const citizen = (cases: CaseRecord[]) => [{ citizenId: "c1", birthDate: birth, cases }];
    const visitated = caseOf({ state: "visitated", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId });
    const changes = targetGroupChangesOn(municipality, { year: 2026, month: 12, day: 5 }, citizen([visitated]));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ age: 30 });
    expect(targetGroupChangesOn(municipality, { year: 2026, month: 12, day: 6 }, citizen([visitated]))).toEqual([]);
    expect(targetGroupChangesOn(municipality, { year: 2026, month: 12, day: 5 }, citizen([caseOf({ state: "closed" })]))).toEqual([]);
  });

  it("counts a citizen born 29 February on 1 March in a year without that day, as ageOn does", () => {
    const cpr = parseCpr(fakeCpr({ year: 2008, month: 2, day: 29 }));
    if (!cpr.ok) throw new Error(cpr.error);
    expect(ageOn(cpr.cpr.birthDate, { year: 2026, month: 2, day: 28 })).toBe(17);
    expect(ageOn(cpr.cpr.birthDate, { year: 2026, month: 3, day: 1 })).toBe(18);
    expect(birthdayKeysOn({ year: 2026, month: 3, day: 1 })).toEqual(expect.arrayContaining(["0301", "0229"]));
    const changes = targetGroupChangesOn(municipality, { year: 2026, month: 3, day: 1 }, [
      { citizenId: "c2", birthDate: cpr.cpr.birthDate, cases: [caseOf({})] },
    ]);
    expect(changes.map((c) => c.age)).toEqual([18]);
  });
});

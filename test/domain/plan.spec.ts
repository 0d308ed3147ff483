import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  diffPlan,
  draftOf,
  findAfterCycles,
  MAX_EFFORTS,
  newEffortId,
  parseBudget,
  validatePlanDraft,
  type PlanContent,
  type PlanDraft,
  type PlanFieldErrors,
} from "../../src/domain/plan.js";
import { OUTSIDER, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { effortDraft, OWNERS, planDraft, TODAY } from "../support/plan-fixtures.js";

const municipality = testMunicipality("plan-tenant");
const context = { owners: OWNERS, directory: municipality.directory };

function errorsOf(draft: PlanDraft, previous?: PlanContent): PlanFieldErrors {
  const result = validatePlanDraft(draft, TODAY, { ...context, previous });
  return result.ok ? {} : result.errors;
}

function valid(draft: PlanDraft = planDraft()): PlanContent {
  const result = validatePlanDraft(draft, TODAY, context);
  if (!result.ok) throw new Error(`expected a valid plan, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe("validatePlanDraft", () => {
  it("accepts a complete plan and normalises it", () => {
    const plan = valid(planDraft({ framework: "  Fast møde hver uge.\r\nÉn indgang.  ", budgetKr: "50 000 kr." }));
    expect(plan.framework).toBe("Fast møde hver uge.\nÉn indgang.");
    expect(plan.budgetKr).toBe(50_000);
    expect(plan.forumFollowUp).toBe("2027-02-01");
    expect(plan.efforts[0]).toMatchObject({ id: "e1", performer: { kind: "named", name: "Mette Mentor" } });
    expect(plan.efforts[0]).not.toHaveProperty("after");
    expect(plan.efforts[1]).toMatchObject({
      after: "e1",
      performer: { kind: "directory", aadObjectId: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
    });
  });

  it("leaves out the optional budget and forum follow-up when they are empty", () => {
    const plan = valid(planDraft({ budgetKr: "", forumFollowUp: " " }));
    expect(plan).not.toHaveProperty("budgetKr");
    expect(plan).not.toHaveProperty("forumFollowUp");
  });

  it("refuses a plan without efforts, and more than the cap", () => {
    expect(errorsOf(planDraft({ efforts: [] }))).toEqual({ efforts: "efforts.required" });
    const many = Array.from({ length: MAX_EFFORTS + 1 }, (_, i) => effortDraft({ id: `e${i + 1}` }));
    expect(errorsOf(planDraft({ efforts: many }))).toEqual({ efforts: "efforts.too-many" });
    expect(errorsOf(planDraft({ efforts: many.slice(0, MAX_EFFORTS) }))).toEqual({});
  });

  it("refuses an effort without title, purpose, department or who carries it out, each beside its field", () => {
    const errors = errorsOf(
      planDraft({ efforts: [effortDraft({ title: " ", purpose: "", department: "", personId: "", personName: "" })] }),
    );
    expect(errors).toEqual({
      "efforts.0.title": "required",
      "efforts.0.purpose": "required",
      "efforts.0.department": "required",
      "efforts.0.person": "required",
    });
  });

  it("refuses a person id that is not in the municipality's directory", () => {
    expect(errorsOf(planDraft({ efforts: [effortDraft({ personId: OUTSIDER.aadObjectId })] }))).toEqual({
      "efforts.0.person": "person.unknown",
    });
  });

  it("limits free texts like the case: characters and lines", () => {
    const longPurpose = "x".repeat(501);
    const sixLines = ["1", "2", "3", "4", "5", "6"].join("\n");
    expect(errorsOf(planDraft({ efforts: [effortDraft({ purpose: longPurpose })] }))).toEqual({ "efforts.0.purpose": "too-long" });
    expect(errorsOf(planDraft({ efforts: [effortDraft({ purpose: sixLines })] }))).toEqual({ "efforts.0.purpose": "too-many-lines" });
    expect(errorsOf(planDraft({ efforts: [effortDraft({ title: "To\nlinjer" })] }))).toEqual({ "efforts.0.title": "too-many-lines" });
    expect(errorsOf(planDraft({ framework: sixLines }))).toEqual({ framework: "too-many-lines" });
    expect(errorsOf(planDraft({ framework: "" }))).toEqual({ framework: "required" });
  });

  it("refuses a period ending before it starts, and dates that do not exist", () => {
    expect(errorsOf(planDraft({ efforts: [effortDraft({ from: "2027-02-01", to: "2027-01-31" })] }))).toEqual({
      "efforts.0.to": "period.ends-before-start",
    });
    expect(errorsOf(planDraft({ efforts: [effortDraft({ from: "2027-02-30" })] }))).toEqual({ "efforts.0.from": "date.invalid" });
    expect(errorsOf(planDraft({ efforts: [effortDraft({ to: "31.05.2027" })] }))).toEqual({ "efforts.0.to": "date.invalid" });
    expect(errorsOf(planDraft({ efforts: [effortDraft({ from: "" })] }))).toEqual({ "efforts.0.from": "required" });
    // A period that started before today is fine: an adjusted plan keeps its running efforts.
    expect(errorsOf(planDraft({ efforts: [effortDraft({ from: "2026-09-01" })] }))).toEqual({});
  });

  it("refuses an 'after' that points to no effort of the plan", () => {
    const efforts = [effortDraft(), effortDraft({ id: "e2", from: "2027-01-01", after: "e9" })];
    expect(errorsOf(planDraft({ efforts }))).toEqual({ "efforts.1.after": "after.unknown" });
  });

  it("refuses an effort after itself, and 'after' references in a circle", () => {
    expect(errorsOf(planDraft({ efforts: [effortDraft({ after: "e1" })] }))).toEqual({ "efforts.0.after": "after.cycle" });
    const circle = [
      effortDraft({ id: "a", after: "c" }),
      effortDraft({ id: "b", after: "a" }),
      effortDraft({ id: "c", after: "b" }),
      effortDraft({ id: "d", after: "c" }),
    ];
    expect(errorsOf(planDraft({ efforts: circle }))).toEqual({
      "efforts.0.after": "after.cycle",
      "efforts.1.after": "after.cycle",
      "efforts.2.after": "after.cycle",
      // d follows the circle but is not on it; its own start date is what is wrong.
      "efforts.3.from": "after.starts-too-early",
    });
  });

  it("refuses an effort that must come after another but starts no later than it", () => {
    const efforts = [effortDraft({ from: "2027-01-01" }), effortDraft({ id: "e2", from: "2027-01-01", after: "e1" })];
    expect(errorsOf(planDraft({ efforts }))).toEqual({ "efforts.1.from": "after.starts-too-early" });
  });

  it("refuses effort ids that are malformed or used twice", () => {
    expect(errorsOf(planDraft({ efforts: [effortDraft({ id: "E 1" })] }))).toEqual({ "efforts.0.id": "effort.id-invalid" });
    expect(errorsOf(planDraft({ efforts: [effortDraft(), effortDraft()] }))).toEqual({ "efforts.1.id": "effort.id-duplicate" });
  });

  it("requires both follow-up dates and refuses one in the past", () => {
    expect(errorsOf(planDraft({ employmentFollowUp: "", socialFollowUp: "" }))).toEqual({
      employmentFollowUp: "required",
      socialFollowUp: "required",
    });
    expect(errorsOf(planDraft({ employmentFollowUp: "2026-11-22" }))).toEqual({ employmentFollowUp: "date.past" });
    expect(errorsOf(planDraft({ socialFollowUp: "2026-13-01" }))).toEqual({ socialFollowUp: "date.invalid" });
    expect(errorsOf(planDraft({ forumFollowUp: "2026-11-20" }))).toEqual({ forumFollowUp: "date.past" });
    // Today is not in the past.
    expect(errorsOf(planDraft({ employmentFollowUp: TODAY }))).toEqual({});
  });

  it("keeps a past follow-up date that the plan already had, but refuses moving one into the past", () => {
    const previous = { ...valid(), employmentFollowUp: "2026-11-20" };
    expect(errorsOf(planDraft({ employmentFollowUp: "2026-11-20" }), previous)).toEqual({});
    expect(errorsOf(planDraft({ employmentFollowUp: "2026-11-19" }), previous)).toEqual({ employmentFollowUp: "date.past" });
  });

  it("requires the fixed caseworker to be one of the plan's two owners", () => {
    expect(errorsOf(planDraft({ fixedCaseworker: "" }))).toEqual({ fixedCaseworker: "required" });
    expect(errorsOf(planDraft({ fixedCaseworker: OUTSIDER.aadObjectId }))).toEqual({ fixedCaseworker: "fixed-caseworker.not-owner" });
    expect(errorsOf(planDraft({ fixedCaseworker: OWNERS[0]! }))).toEqual({});
  });

  it("refuses a negative, zero, absurd or malformed budget frame", () => {
    expect(errorsOf(planDraft({ budgetKr: "-25000" }))).toEqual({ budgetKr: "budget.negative" });
    expect(errorsOf(planDraft({ budgetKr: "0" }))).toEqual({ budgetKr: "budget.not-positive" });
    expect(errorsOf(planDraft({ budgetKr: "1.000.001" }))).toEqual({ budgetKr: "budget.too-large" });
    expect(errorsOf(planDraft({ budgetKr: "25000,50" }))).toEqual({ budgetKr: "budget.format" });
    expect(errorsOf(planDraft({ budgetKr: "mange penge" }))).toEqual({ budgetKr: "budget.format" });
  });
});

describe("parseBudget", () => {
  it("reads whole kroner as Danes type them", () => {
    expect(parseBudget("25000")).toEqual({ ok: true, value: 25_000 });
    expect(parseBudget("25.000")).toEqual({ ok: true, value: 25_000 });
    expect(parseBudget("1 000 000 kr")).toEqual({ ok: true, value: 1_000_000 });
    expect(parseBudget("")).toEqual({ ok: true, value: undefined });
    expect(parseBudget("25.00")).toEqual({ ok: false, error: "budget.format" });
  });
});

describe("diffPlan", () => {
  it("lists the efforts added, removed and changed, and every other part that changed", () => {
    const before = valid();
    const after = valid(
      planDraft({
        efforts: [
          effortDraft({ purpose: "Mentor to gange om ugen.", to: "2027-06-30" }),
          effortDraft({ id: "e3", title: "Misbrugsbehandling", from: "2027-01-04" }),
        ],
        framework: "Nyt: møde hver uge.",
        socialFollowUp: "2027-02-05",
        budgetKr: "",
        fixedCaseworker: OWNERS[0]!,
      }),
    );
    expect(diffPlan(before, after)).toEqual([
      { part: "effort", change: "changed", effortId: "e1", title: "Mentorforløb", fields: ["purpose", "to"] },
      { part: "effort", change: "added", effortId: "e3", title: "Misbrugsbehandling" },
      { part: "effort", change: "removed", effortId: "e2", title: "Socialpædagogisk bostøtte" },
      { part: "framework" },
      { part: "social-follow-up" },
      { part: "fixed-caseworker" },
      { part: "budget" },
    ]);
  });

  it("finds nothing between a plan and itself, and round-trips through the form", () => {
    const plan = valid();
    expect(diffPlan(plan, plan)).toEqual([]);
    expect(diffPlan(plan, valid(draftOf(plan)))).toEqual([]);
  });

  it("gives a new effort row the first free id", () => {
    expect(newEffortId([])).toBe("e1");
    expect(newEffortId(["e1", "e3"])).toBe("e2");
  });
});

/** Each effort names at most one predecessor: a graph is a list of "after" indexes (or none). */
const graphs = fc
  .integer({ min: 1, max: MAX_EFFORTS })
  .chain((n) => fc.array(fc.option(fc.nat({ max: n - 1 }), { nil: undefined }), { minLength: n, maxLength: n }));

/** Independent oracle: a node lies on a cycle when following "after" from it comes back to it within n steps. */
function onCycle(after: readonly (number | undefined)[], start: number): boolean {
  let node = after[start];
  for (let step = 0; step < after.length && node !== undefined; step++) {
    if (node === start) return true;
    node = after[node];
  }
  return false;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i + 1}`);

/** Start dates in the order the references require: each effort starts a week after its predecessor's start. */
function draftFor(after: readonly (number | undefined)[]): PlanDraft {
  const depth = (i: number): number => (after[i] === undefined ? 0 : 1 + depth(after[i]!));
  const names = ids(after.length);
  return planDraft({
    efforts: after.map((a, i) => {
      const from = new Date(Date.UTC(2027, 0, 4 + 7 * depth(i))).toISOString().slice(0, 10);
      return effortDraft({ id: names[i]!, from, to: "2028-12-31", after: a === undefined ? "" : names[a]! });
    }),
  });
}

describe("the 'after' ordering check", () => {
  test.prop([graphs])("marks exactly the efforts that lie on a cycle", (after) => {
    const names = ids(after.length);
    const found = findAfterCycles(after.map((a, i) => ({ id: names[i]!, after: a === undefined ? undefined : names[a] })));
    const expected = new Set(names.filter((_, i) => onCycle(after, i)));
    expect(found).toEqual(expected);
  });

  /** Acyclic by construction: every effort may only come after one earlier in a random order. */
  const acyclic = fc
    .integer({ min: 1, max: MAX_EFFORTS })
    .chain((n) =>
      fc.tuple(
        fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
        fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: n, maxLength: n }),
      ),
    )
    .map(([order, picks]) => {
      const after: (number | undefined)[] = new Array(order.length).fill(undefined);
      order.forEach((node, position) => {
        const pick = picks[position];
        after[node] = position === 0 || pick === undefined ? undefined : order[pick % position];
      });
      return after;
    });

  test.prop([acyclic])("accepts every acyclic plan", (after) => {
    const result = validatePlanDraft(draftFor(after), TODAY, context);
    expect(result).toMatchObject({ ok: true });
  });

  test.prop([acyclic, fc.nat(), fc.nat()])("rejects every plan whose references run in a circle", (after, a, b) => {
    // Close a circle: point `from` back at `to`, a node on its own chain of predecessors (or itself).
    const from = a % after.length;
    const chain = [from];
    for (let node = after[from]; node !== undefined; node = after[node]) chain.push(node);
    const cyclic = [...after];
    const to = chain[b % chain.length]!;
    // `to` is `from` or one of its predecessors: make `to` come after `from`, closing the loop.
    cyclic[to] = from;
    const result = validatePlanDraft(withAfter(draftFor(after), cyclic), TODAY, context);
    expect(result.ok).toBe(false);
    const errors = result.ok ? {} : result.errors;
    const names = ids(after.length);
    for (let i = 0; i < cyclic.length; i++) {
      if (onCycle(cyclic, i)) expect(errors[`efforts.${i}.after`], names[i]).toBe("after.cycle");
    }
    expect(Object.values(errors)).toContain("after.cycle");
  });
});

/** The same efforts and dates with other "after" references. */
function withAfter(draft: PlanDraft, after: readonly (number | undefined)[]): PlanDraft {
  const names = ids(after.length);
  return { ...draft, efforts: draft.efforts.map((e, i) => ({ ...e, after: after[i] === undefined ? "" : names[after[i]!]! })) };
}

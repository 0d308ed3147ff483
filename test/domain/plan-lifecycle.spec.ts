import { describe, expect, it } from "vitest";
import { isPlanOpen, PLAN_EVENTS, PLAN_STATES, planTransition, type PlanEvent, type PlanState } from "../../src/domain/plan-lifecycle.js";

/**
 * The whole table, written out by hand: every state × every event. A cell is the next
 * state, or "-" where the event is refused.
 */
const EXPECTED: Record<PlanState, Record<PlanEvent, PlanState | "-">> = {
  draft: {
    edit: "draft",
    approve: "draft",
    agree: "agreed",
    "register-meetings": "draft",
    consent: "-",
    resume: "-",
    refuse: "-",
    "follow-up": "draft",
    withdraw: "ended",
    end: "ended",
  },
  agreed: {
    edit: "draft",
    approve: "-",
    agree: "-",
    "register-meetings": "agreed",
    consent: "active",
    resume: "active",
    refuse: "ended",
    "follow-up": "agreed",
    withdraw: "ended",
    end: "ended",
  },
  active: {
    edit: "draft",
    approve: "-",
    agree: "-",
    "register-meetings": "active",
    consent: "-",
    resume: "-",
    refuse: "-",
    "follow-up": "active",
    withdraw: "ended",
    end: "ended",
  },
  ended: {
    edit: "-",
    approve: "-",
    agree: "-",
    "register-meetings": "-",
    consent: "-",
    resume: "-",
    refuse: "-",
    "follow-up": "-",
    withdraw: "-",
    end: "-",
  },
};

describe("the plan's life (state × event)", () => {
  for (const state of PLAN_STATES) {
    for (const event of PLAN_EVENTS) {
      const expected = EXPECTED[state][event];
      it(`${state} + ${event} → ${expected === "-" ? "refused" : expected}`, () => {
        const result = planTransition(state, event);
        if (expected === "-") {
          expect(result).toEqual({ ok: false, error: state === "ended" ? "plan.ended" : "plan.not-allowed-now" });
        } else {
          expect(result).toEqual({ ok: true, next: expected });
        }
      });
    }
  }

  it("covers every state and event of the machine", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PLAN_STATES].sort());
    for (const state of PLAN_STATES) expect(Object.keys(EXPECTED[state]).sort()).toEqual([...PLAN_EVENTS].sort());
  });

  it("reaches active only through the citizen's consent (or a consent still in force)", () => {
    const intoActive = PLAN_STATES.flatMap((s) => PLAN_EVENTS.filter((e) => s !== "active" && EXPECTED[s][e] === "active"));
    expect(new Set(intoActive)).toEqual(new Set(["consent", "resume"]));
  });

  it("never leaves ended", () => {
    expect(isPlanOpen("ended")).toBe(false);
    for (const event of PLAN_EVENTS) expect(planTransition("ended", event).ok).toBe(false);
    for (const state of ["draft", "agreed", "active"] as const) expect(isPlanOpen(state)).toBe(true);
  });

  it("takes an agreed or active plan back to draft on any edit", () => {
    expect(planTransition("agreed", "edit")).toEqual({ ok: true, next: "draft" });
    expect(planTransition("active", "edit")).toEqual({ ok: true, next: "draft" });
  });
});

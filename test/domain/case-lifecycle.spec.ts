import { describe, expect, it } from "vitest";
import {
  CASE_EVENTS,
  CASE_STATES,
  canBeDecided,
  canBeWithdrawn,
  transition,
  type CaseEvent,
  type CaseState,
} from "../../src/domain/case-lifecycle.js";

/** The whole table, written out: every state × every event (SPEC §5). */
const EXPECTED: Record<CaseState, Record<CaseEvent, CaseState | "case.already-decided" | "case.not-allowed-now">> = {
  booked: {
    start: "visitated",
    "no-basis": "closed",
    "more-information": "awaiting-information",
    postpone: "booked",
    "information-added": "case.not-allowed-now",
    moved: "booked",
    withdraw: "withdrawn",
  },
  acute: {
    start: "visitated",
    "no-basis": "closed",
    "more-information": "awaiting-information",
    postpone: "booked",
    "information-added": "case.not-allowed-now",
    moved: "case.not-allowed-now",
    withdraw: "withdrawn",
  },
  "awaiting-information": {
    start: "case.not-allowed-now",
    "no-basis": "case.not-allowed-now",
    "more-information": "case.not-allowed-now",
    postpone: "case.not-allowed-now",
    "information-added": "booked",
    moved: "case.not-allowed-now",
    withdraw: "withdrawn",
  },
  visitated: {
    start: "case.already-decided",
    "no-basis": "case.already-decided",
    "more-information": "case.already-decided",
    postpone: "case.already-decided",
    "information-added": "case.already-decided",
    moved: "case.already-decided",
    withdraw: "case.already-decided",
  },
  closed: {
    start: "case.already-decided",
    "no-basis": "case.already-decided",
    "more-information": "case.already-decided",
    postpone: "case.already-decided",
    "information-added": "case.already-decided",
    moved: "case.already-decided",
    withdraw: "case.already-decided",
  },
  withdrawn: {
    start: "case.not-allowed-now",
    "no-basis": "case.not-allowed-now",
    "more-information": "case.not-allowed-now",
    postpone: "case.not-allowed-now",
    "information-added": "case.not-allowed-now",
    moved: "case.not-allowed-now",
    withdraw: "case.not-allowed-now",
  },
};

describe("the case state machine", () => {
  for (const state of CASE_STATES) {
    for (const event of CASE_EVENTS) {
      const expected = EXPECTED[state][event];
      it(`${state} + ${event} → ${expected}`, () => {
        const result = transition(state, event);
        if (expected.startsWith("case.")) expect(result).toEqual({ ok: false, error: expected });
        else expect(result).toEqual({ ok: true, next: expected });
      });
    }
  }

  it("offers decision buttons only where a decision can be recorded", () => {
    expect(CASE_STATES.filter(canBeDecided)).toEqual(["booked", "acute"]);
  });

  it("lets a case be withdrawn only until the forum has decided it", () => {
    expect(CASE_STATES.filter(canBeWithdrawn)).toEqual(["booked", "acute", "awaiting-information"]);
  });
});

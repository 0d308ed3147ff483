/**
 * The life of a case (SPEC §3–5) as an explicit state machine. The Teams edge maps verbs
 * and inputs onto these events; nothing else changes a case's state.
 *
 *   booked ──start──────────────▶ visitated        (Start sag i myndighedsafdelingen)
 *   booked ──no-basis───────────▶ closed           (Ikke grundlag for tværgående sag)
 *   booked ──more-information───▶ awaiting-information
 *   booked ──postpone───────────▶ booked           (moved to the next meeting)
 *   acute  ── same four decisions as booked (postpone books it into the next meeting)
 *   awaiting-information ──information-added──▶ booked (back on the next agenda)
 *   booked | acute | awaiting-information ──withdraw──▶ withdrawn (the caseworker takes it back)
 */
export const CASE_STATES = ["booked", "acute", "awaiting-information", "visitated", "closed", "withdrawn"] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const DECISIONS = ["start", "no-basis", "more-information", "postpone"] as const;
export type DecisionKind = (typeof DECISIONS)[number];

export type CaseEvent = DecisionKind | "information-added" | "moved" | "withdraw";
export const CASE_EVENTS: readonly CaseEvent[] = [...DECISIONS, "information-added", "moved", "withdraw"];

const TRANSITIONS: Record<CaseState, Partial<Record<CaseEvent, CaseState>>> = {
  booked: {
    start: "visitated",
    "no-basis": "closed",
    "more-information": "awaiting-information",
    postpone: "booked",
    moved: "booked",
    withdraw: "withdrawn",
  },
  acute: {
    start: "visitated",
    "no-basis": "closed",
    "more-information": "awaiting-information",
    postpone: "booked",
    withdraw: "withdrawn",
  },
  "awaiting-information": { "information-added": "booked", withdraw: "withdrawn" },
  visitated: {},
  closed: {},
  withdrawn: {},
};

export type TransitionResult = { ok: true; next: CaseState } | { ok: false; error: "case.already-decided" | "case.not-allowed-now" };

export function transition(state: CaseState, event: CaseEvent): TransitionResult {
  const next = TRANSITIONS[state][event];
  if (next) return { ok: true, next };
  return { ok: false, error: isDecided(state) ? "case.already-decided" : "case.not-allowed-now" };
}

/** Whether the forum has given its final word on the case. */
export function isDecided(state: CaseState): boolean {
  return state === "visitated" || state === "closed";
}

/** Whether the case is over for the forum: decided, or taken back by its caseworker. */
export function isFinished(state: CaseState): boolean {
  return isDecided(state) || state === "withdrawn";
}

/** Whether the raising caseworker can still take the case back (SPEC §3: "withdraw a case that has not been decided"). */
export function canBeWithdrawn(state: CaseState): boolean {
  return transition(state, "withdraw").ok;
}

/** Whether a coordinator can record a decision now (buttons on the card). */
export function canBeDecided(state: CaseState): boolean {
  return DECISIONS.some((d) => transition(state, d).ok);
}

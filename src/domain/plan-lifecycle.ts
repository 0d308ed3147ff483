/**
 * The life of a joint plan (fælles plan, SPEC §5; seed 001 "Borgers plan") as an explicit
 * state machine. The plan use cases map every command onto these events; nothing else
 * changes a plan's state.
 *
 *   draft  ──edit───────────────▶ draft    (a new version; approvals cleared)
 *   draft  ──approve────────────▶ draft    (one owner approved the current version)
 *   draft  ──agree──────────────▶ agreed   (the second owner approved the same version: "enige")
 *   agreed ──edit───────────────▶ draft    (any change after agreement needs both approvals again)
 *   agreed ──consent────────────▶ active   (the citizen consented at or after the fællessamtale)
 *   agreed ──resume─────────────▶ active   (an adjusted plan whose efforts all lie within a consent still in force)
 *   agreed ──refuse─────────────▶ ended    (the citizen declined the offer)
 *   active ──edit───────────────▶ draft    (an adjustment: both owners approve again; see below)
 *   active ──follow-up──────────▶ active
 *   any but ended ──withdraw────▶ ended    (consent withdrawn; only while a consent is in force)
 *   any but ended ──end─────────▶ ended    (the owners close the plan: completed or given up)
 *   draft, agreed, active ──register-meetings / follow-up──▶ same state
 *   ended: final.
 *
 * Adjusting an active plan takes it back to draft: the citizen consented to what both
 * caseworkers agreed, so a changed plan is agreed anew. When the adjusted version is
 * agreed and each of its efforts is covered by the consent still in force, it becomes
 * active again at once (`resume`); an effort the citizen has not consented to needs a new
 * consent first. Meanwhile the consent stays on record (and may be withdrawn), and the
 * owners are still reminded of the follow-up dates.
 *
 * In law the joint plan is the holistic plan of Lov om en aktiv beskæftigelsesindsats
 * § 40, stk. 3: an offer the citizen may decline, which needs their consent. So no plan is
 * ever active without consent, and withdrawn consent ends it.
 */
export const PLAN_STATES = ["draft", "agreed", "active", "ended"] as const;
export type PlanState = (typeof PLAN_STATES)[number];

export const PLAN_EVENTS = [
  "edit",
  "approve",
  "agree",
  "register-meetings",
  "consent",
  "resume",
  "refuse",
  "follow-up",
  "withdraw",
  "end",
] as const;
export type PlanEvent = (typeof PLAN_EVENTS)[number];

const TRANSITIONS: Record<PlanState, Partial<Record<PlanEvent, PlanState>>> = {
  draft: {
    edit: "draft",
    approve: "draft",
    agree: "agreed",
    "register-meetings": "draft",
    "follow-up": "draft",
    withdraw: "ended",
    end: "ended",
  },
  agreed: {
    edit: "draft",
    "register-meetings": "agreed",
    consent: "active",
    resume: "active",
    refuse: "ended",
    "follow-up": "agreed",
    withdraw: "ended",
    end: "ended",
  },
  active: { edit: "draft", "register-meetings": "active", "follow-up": "active", withdraw: "ended", end: "ended" },
  ended: {},
};

export type PlanTransition = { ok: true; next: PlanState } | { ok: false; error: "plan.ended" | "plan.not-allowed-now" };

export function planTransition(state: PlanState, event: PlanEvent): PlanTransition {
  const next = TRANSITIONS[state][event];
  if (next) return { ok: true, next };
  return { ok: false, error: state === "ended" ? "plan.ended" : "plan.not-allowed-now" };
}

/** Whether the plan can still change at all. */
export function isPlanOpen(state: PlanState): boolean {
  return state !== "ended";
}

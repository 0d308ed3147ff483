import { DateTime } from "luxon";
import { isCoordinatorOf } from "./access.js";
import { caseReference, MAX_LINES } from "./case.js";
import { displayName, type Municipality } from "./municipality.js";
import { notification, type Notification } from "./notification.js";
import {
  checkText,
  consentCoversPlan,
  consentInForce,
  diffPlan,
  isAgreed,
  isFollowUpRecorded,
  isPlanOwner,
  MAX_FOLLOW_UP_RECORDS,
  MAX_NOTE_CHARS,
  normalise,
  ownerIds,
  parseIsoDate,
  SHARED_INFORMATION,
  sideOf,
  validatePlanDraft,
  type FollowUpKind,
  type OwnerSide,
  type PersonRef,
  type PlanChange,
  type PlanDraft,
  type PlanEndReason,
  type PlanFieldErrors,
  type PlanRecord,
  type PlanSummary,
  type SharedInformation,
} from "./plan.js";
import { planTransition, type PlanEvent } from "./plan-lifecycle.js";
import type { AuditEntry, CaseRepository, Clock, PlanRepository } from "./ports.js";
import {
  planActiveEvent,
  planAgreedEvent,
  planEndedEvent,
  planFollowUpHeldEvent,
  recordOverview,
  type OverviewEvent,
  type OverviewLog,
} from "./overview-events.js";
import { workingDaysOf } from "./working-days.js";

/**
 * The joint plan's use cases (SPEC §5; seed 001 "Borgers plan"; seed 002). Each returns an
 * outcome union for the Teams edge to turn into a card; field errors are codes keyed by the
 * field's path. Only the plan's two owners — the case's raising caseworker and the social
 * caseworker it was visitated to — may change it; anyone else is refused, and every refusal,
 * view, change, approval, consent and export is an audit row beside the case (SPEC §9).
 * Every change commits its audit row and its messages in one transaction, conditional on
 * the plan as read, so two caseworkers can never silently overwrite each other.
 *
 * In law the plan is the holistic plan of Lov om en aktiv beskæftigelsesindsats § 40,
 * stk. 3: an offer the citizen may decline. It becomes active only with the citizen's
 * consent, and withdrawn consent ends it.
 */
export interface PlanDeps {
  plans: PlanRepository;
  cases: CaseRepository;
  clock: Clock;
  /** The municipality's wall-clock zone: "today" and every date of the plan are local dates. */
  timeZone: string;
  /**
   * The managers' overview (SPEC §8): an event when a plan is first agreed, becomes active,
   * ends, or has a follow-up recorded, written again by a repeated action.
   */
  overview?: Pick<OverviewLog, "record">;
}

/** Who acts: the Entra object id of the incoming activity, and the name Teams gives. */
export type Actor = PersonRef;

/** The municipality's local date of an instant, YYYY-MM-DD. */
export function localIsoDate(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

// ─── Open ──────────────────────────────────────────────────────────────────────────

export type OpenPlanOutcome =
  | { kind: "opened"; plan: PlanRecord }
  | { kind: "already-open"; plan: PlanRecord }
  /** The case has not been visitated (SPEC §5: "Start sag i myndighedsafdelingen"), so it has no social caseworker yet. */
  | { kind: "not-visitated" }
  | { kind: "not-allowed" }
  | { kind: "unknown-case" };

/**
 * Opens the plan of a visitated case (SPEC §5: "plan work starts"): its owners are the
 * case's raising caseworker and the social caseworker it was visitated to, and only they
 * may open it. The other owner is told. Opening twice returns the plan already there.
 */
export async function openPlan(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; by: Actor },
): Promise<OpenPlanOutcome> {
  const { municipality, by } = command;
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  const now = deps.clock.now();
  if (by.aadObjectId === "" || (by.aadObjectId !== record.raisedBy && by.aadObjectId !== record.socialCaseworker)) {
    await deps.plans.audit(tenantId, record.caseNo, audit(now, by, "plan-refused", "open: not an owner of the plan"));
    return { kind: "not-allowed" };
  }
  const existing = await deps.plans.get(tenantId, record.caseNo);
  if (existing) {
    await deps.plans.audit(tenantId, record.caseNo, audit(now, by, "plan-view", "open: the plan exists"));
    return { kind: "already-open", plan: existing };
  }
  if (record.state !== "visitated" || !record.socialCaseworker) return { kind: "not-visitated" };

  const at = now.toISOString();
  const socialName = displayName(municipality, record.socialCaseworker) ?? (by.aadObjectId === record.socialCaseworker ? by.name : "");
  const plan: PlanRecord = {
    tenantId,
    caseNo: record.caseNo,
    reference: caseReference(record.caseNo),
    owners: {
      employment: { aadObjectId: record.raisedBy, name: record.raisedByName },
      social: { aadObjectId: record.socialCaseworker, name: socialName },
    },
    state: "draft",
    version: 0,
    approvals: [],
    changes: [],
    followUps: [],
    createdAt: at,
    createdBy: by.aadObjectId,
    updatedAt: at,
    revision: 1,
  };
  const messages = others(plan, by.aadObjectId).map((to) => planMessage(plan, to, { event: "opened", version: 0 }, `opened`, now));
  if (await deps.plans.create(plan, audit(now, by, "plan-open", "joint plan opened"), messages)) return { kind: "opened", plan };
  const winner = await deps.plans.get(tenantId, record.caseNo);
  if (!winner) throw new Error("The plan was neither created nor found");
  return { kind: "already-open", plan: winner };
}

// ─── Edit ──────────────────────────────────────────────────────────────────────────

export type EditPlanOutcome =
  /** A new version; `approvalsCleared` when an owner had approved the version it replaces. */
  | { kind: "saved"; plan: PlanRecord; changes: PlanChange[]; approvalsCleared: boolean }
  /** The draft is what is stored already (a double click, a re-delivered submit): nothing changed. */
  | { kind: "unchanged"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: PlanFieldErrors }
  /** The plan changed since the card was shown: `plan` is the newer one; show it with the user's input kept. */
  | { kind: "conflict"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

export interface EditPlanCommand {
  municipality: Municipality;
  caseNo: number;
  /** The plan version the card showed: an edit is only ever made to what the caseworker saw. */
  expectedVersion: number;
  draft: PlanDraft;
  by: Actor;
}

/**
 * An owner saves the plan form. Every save is a whole, valid plan and a new version: any
 * approval is cleared (both must approve again) and the other owner is told what changed,
 * so their card is never silently stale. Two owners saving at once: the first wins, the
 * second gets `conflict` with the newer plan.
 */
export async function editPlan(deps: PlanDeps, command: EditPlanCommand): Promise<EditPlanOutcome> {
  const { municipality, by } = command;
  return changePlan<EditPlanOutcome>(deps, municipality, command.caseNo, by, "edit", (plan, now) => {
    const step = planTransition(plan.state, "edit");
    if (!step.ok) return { result: { kind: "not-allowed-now", plan } };
    const today = localIsoDate(now, deps.timeZone);
    const checked = validatePlanDraft(command.draft, today, {
      owners: ownerIds(plan),
      directory: municipality.directory,
      previous: plan.content,
    });
    const same = checked.ok && plan.content !== undefined && diffPlan(plan.content, checked.value).length === 0;
    if (plan.version !== command.expectedVersion) return { result: same ? { kind: "unchanged", plan } : { kind: "conflict", plan } };
    if (!checked.ok) return { result: { kind: "invalid", plan, errors: checked.errors } };
    if (same) return { result: { kind: "unchanged", plan } };

    const changes = diffPlan(plan.content, checked.value);
    const version = plan.version + 1;
    const next: PlanRecord = {
      ...plan,
      state: step.next,
      version,
      content: checked.value,
      approvals: [],
      changes,
      changedBy: by.aadObjectId,
      agreedAt: undefined,
      updatedAt: now.toISOString(),
    };
    const messages = others(plan, by.aadObjectId).map((to) =>
      planMessage(plan, to, { event: "changed", version }, `v${version}:changed`, now),
    );
    return {
      write: { next, audit: audit(now, by, "plan-edit", `version ${version}: ${changes.map(changeCode).join(", ")}`), messages },
      then: (saved) => ({ kind: "saved", plan: saved, changes, approvalsCleared: plan.approvals.length > 0 }),
    };
  });
}

function changeCode(change: PlanChange): string {
  return change.part === "effort" ? `effort ${change.effortId} ${change.change}` : change.part;
}

// ─── Approve ───────────────────────────────────────────────────────────────────────

export type ApprovePlanOutcome =
  /**
   * The owner's approval is stored. `agreed`: both owners have now approved this version
   * ("enige", seed 001). `active`: an adjusted plan within the consent in force became
   * active again at once.
   */
  | { kind: "approved"; plan: PlanRecord; agreed: boolean; active: boolean }
  | { kind: "already-approved"; plan: PlanRecord }
  /** The version approved is no longer the current one: `plan` is the current plan. */
  | { kind: "stale"; plan: PlanRecord }
  /** Nothing has been written into the plan yet. */
  | { kind: "incomplete"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/**
 * An owner approves a version. The plan is agreed only when both owners approved the same,
 * current version; the other owner is told of each approval, both of the agreement.
 */
export async function approvePlan(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; version: number; by: Actor },
): Promise<ApprovePlanOutcome> {
  const { by } = command;
  const outcome = await changePlan<ApprovePlanOutcome>(deps, command.municipality, command.caseNo, by, "approve", (plan, now) => {
    const side = sideOf(plan, by.aadObjectId)!;
    if (plan.version !== command.version) return { result: { kind: "stale", plan } };
    if (plan.approvals.some((a) => a.side === side && a.version === plan.version)) return { result: { kind: "already-approved", plan } };
    if (!planTransition(plan.state, "approve").ok) return { result: { kind: "not-allowed-now", plan } };
    if (!plan.content) return { result: { kind: "incomplete", plan } };

    const at = now.toISOString();
    const approvals = [
      ...plan.approvals.filter((a) => a.version === plan.version),
      { side, aadObjectId: by.aadObjectId, name: by.name, version: plan.version, at },
    ];
    let next: PlanRecord = { ...plan, approvals, updatedAt: at };
    let event: "approved" | "agreed" | "active" = "approved";
    if (isAgreed(next)) {
      next = { ...next, state: mustTransition(next.state, "agree"), agreedAt: at, firstAgreedAt: plan.firstAgreedAt ?? at };
      event = "agreed";
      if (consentCoversPlan(next)) {
        next = { ...next, state: mustTransition(next.state, "resume") };
        event = "active";
      }
    }
    const to = event === "approved" ? others(plan, by.aadObjectId) : ownerIds(plan);
    const messages = to.map((r) =>
      planMessage(
        plan,
        r,
        { event, version: plan.version },
        `v${plan.version}:${event === "approved" ? `approved-by:${side}` : event}`,
        now,
      ),
    );
    return {
      write: {
        next,
        audit: audit(now, by, "plan-approve", `version ${plan.version}${event === "approved" ? "" : `: ${event}`}`),
        messages,
      },
      then: (saved) => ({ kind: "approved", plan: saved, agreed: event !== "approved", active: event === "active" }),
    };
  });
  // A repeated approval (already approved) writes the agreement's event again: it completes one cut off the first time.
  if ((outcome.kind === "approved" && outcome.agreed) || outcome.kind === "already-approved") {
    await recordPlanOverview(deps, outcome.plan, (forumId) => [planAgreedEvent(outcome.plan, forumId)]);
  }
  return outcome;
}

// ─── Koordineringsmøde and fællessamtale ──────────────────────────────────────────

export interface MeetingsInput {
  /** Koordineringsmøde, YYYY-MM-DD or "". */
  coordinationMeeting: string;
  /** Fællessamtale, YYYY-MM-DD or "". */
  jointConversation: string;
}

export type MeetingsFieldError = "required" | "date.invalid" | "meetings.order";

export type RegisterMeetingsOutcome =
  | { kind: "registered"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: Partial<Record<keyof MeetingsInput, MeetingsFieldError>> }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/**
 * Registers the dates (planned or held) of the koordineringsmøde and the fællessamtale
 * (seed 001: the caseworkers agree first, then the plan is presented to the citizen at the
 * fællessamtale). Either may be registered alone; a date left empty keeps what is stored.
 * Not part of the plan's content, so approvals stay.
 */
export async function registerMeetings(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; input: MeetingsInput; by: Actor },
): Promise<RegisterMeetingsOutcome> {
  const { by, input } = command;
  return changePlan<RegisterMeetingsOutcome>(deps, command.municipality, command.caseNo, by, "register meetings", (plan, now) => {
    if (!planTransition(plan.state, "register-meetings").ok) return { result: { kind: "not-allowed-now", plan } };
    const errors: Partial<Record<keyof MeetingsInput, MeetingsFieldError>> = {};
    const date = (field: keyof MeetingsInput): string | undefined => {
      if (!input[field].trim()) return plan.meetings?.[field];
      const parsed = parseIsoDate(input[field]);
      if (!parsed.ok) {
        errors[field] = parsed.error;
        return undefined;
      }
      return parsed.date;
    };
    const coordinationMeeting = date("coordinationMeeting");
    const jointConversation = date("jointConversation");
    if (!input.coordinationMeeting.trim() && !input.jointConversation.trim()) errors.coordinationMeeting = "required";
    if (coordinationMeeting && jointConversation && jointConversation < coordinationMeeting) errors.jointConversation = "meetings.order";
    if (Object.keys(errors).length > 0) return { result: { kind: "invalid", plan, errors } };
    const at = now.toISOString();
    const next: PlanRecord = {
      ...plan,
      meetings: {
        ...(coordinationMeeting ? { coordinationMeeting } : {}),
        ...(jointConversation ? { jointConversation } : {}),
        registeredBy: by.aadObjectId,
        registeredAt: at,
      },
      updatedAt: at,
    };
    const purpose = `koordineringsmøde ${coordinationMeeting ?? "-"}, fællessamtale ${jointConversation ?? "-"}`;
    return {
      write: { next, audit: audit(now, by, "plan-meetings", purpose), messages: [] },
      then: (saved) => ({ kind: "registered", plan: saved }),
    };
  });
}

// ─── Consent, refusal, withdrawal ─────────────────────────────────────────────────

export interface ConsentInput {
  /** The day the citizen consented, YYYY-MM-DD. */
  givenOn: string;
  /** Ids of the efforts the consent covers. */
  efforts: string[];
  /** What the departments may share with each other ({@link SHARED_INFORMATION}). */
  sharedInformation: string[];
  note: string;
}

export type ConsentFieldError =
  | "required"
  | "date.invalid"
  | "date.future"
  | "consent.no-joint-conversation"
  | "consent.before-joint-conversation"
  | "consent.efforts-required"
  | "consent.effort-unknown"
  | "consent.information-unknown"
  | "too-long"
  | "too-many-lines";

export type RecordConsentOutcome =
  | { kind: "active"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: Partial<Record<keyof ConsentInput, ConsentFieldError>> }
  /** The version consented to is no longer the current one. */
  | { kind: "stale"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/**
 * Records the citizen's consent to the agreed plan (LAB § 40, stk. 3): the day, the
 * efforts it covers, and what the departments may share. Given at or after the
 * fællessamtale, which must be registered first. The plan becomes active; both owners are told.
 */
export async function recordConsent(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; expectedVersion: number; input: ConsentInput; by: Actor },
): Promise<RecordConsentOutcome> {
  const { by, input } = command;
  const outcome = await changePlan<RecordConsentOutcome>(deps, command.municipality, command.caseNo, by, "consent", (plan, now) => {
    if (plan.version !== command.expectedVersion) return { result: { kind: "stale", plan } };
    const step = planTransition(plan.state, "consent");
    if (!step.ok) return { result: { kind: "not-allowed-now", plan } };
    const today = localIsoDate(now, deps.timeZone);
    const errors: Partial<Record<keyof ConsentInput, ConsentFieldError>> = {};
    const givenOn = pastDate(input.givenOn, today);
    const joint = plan.meetings?.jointConversation;
    if (!givenOn.ok) errors.givenOn = givenOn.error;
    else if (!joint) errors.givenOn = "consent.no-joint-conversation";
    else if (givenOn.date < joint) errors.givenOn = "consent.before-joint-conversation";
    const known = new Set(plan.content?.efforts.map((e) => e.id));
    const efforts = [...new Set(input.efforts.map((e) => e.trim()).filter(Boolean))];
    if (efforts.length === 0) errors.efforts = "consent.efforts-required";
    else if (efforts.some((e) => !known.has(e))) errors.efforts = "consent.effort-unknown";
    const shared = [...new Set(input.sharedInformation.map((s) => s.trim()).filter(Boolean))];
    if (shared.some((s) => !(SHARED_INFORMATION as readonly string[]).includes(s)))
      errors.sharedInformation = "consent.information-unknown";
    const note = checkText(input.note, { required: false, maxChars: MAX_NOTE_CHARS, maxLines: MAX_LINES });
    if (note) errors.note = note;
    if (Object.keys(errors).length > 0 || !givenOn.ok) return { result: { kind: "invalid", plan, errors } };

    const at = now.toISOString();
    const next: PlanRecord = {
      ...plan,
      state: step.next,
      consent: {
        givenOn: givenOn.date,
        version: plan.version,
        efforts,
        sharedInformation: shared as SharedInformation[],
        note: normalise(input.note),
        recordedBy: by.aadObjectId,
        recordedAt: at,
      },
      activatedAt: plan.activatedAt ?? at,
      updatedAt: at,
    };
    const messages = ownerIds(plan).map((to) =>
      planMessage(plan, to, { event: "active", version: plan.version }, `v${plan.version}:active`, now),
    );
    return {
      write: { next, audit: audit(now, by, "plan-consent", `consent to version ${plan.version} given ${givenOn.date}`), messages },
      then: (saved) => ({ kind: "active", plan: saved }),
    };
  });
  if (outcome.kind === "active") await recordPlanOverview(deps, outcome.plan, (forumId) => [planActiveEvent(outcome.plan, forumId)]);
  return outcome;
}

export interface DatedNoteInput {
  /** The day it happened, YYYY-MM-DD. */
  on: string;
  note: string;
}

export type DatedNoteFieldError = "required" | "date.invalid" | "date.future" | "withdrawal.before-consent" | "too-long" | "too-many-lines";

export type EndingOutcome =
  | { kind: "ended"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: Partial<Record<keyof DatedNoteInput, DatedNoteFieldError>> }
  | { kind: "stale"; plan: PlanRecord }
  /** Withdrawal: there is no consent in force to withdraw. */
  | { kind: "no-consent"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/**
 * The citizen declines the offer (LAB § 40, stk. 3): the agreed plan ends, never having been
 * active; both owners are told.
 */
export async function recordRefusal(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; expectedVersion: number; input: DatedNoteInput; by: Actor },
): Promise<EndingOutcome> {
  const { by, input } = command;
  const outcome = await changePlan<EndingOutcome>(deps, command.municipality, command.caseNo, by, "refusal", (plan, now) => {
    if (plan.version !== command.expectedVersion) return { result: { kind: "stale", plan } };
    const step = planTransition(plan.state, "refuse");
    if (!step.ok) return { result: { kind: "not-allowed-now", plan } };
    const checked = checkDatedNote(input, localIsoDate(now, deps.timeZone));
    if (!checked.ok) return { result: { kind: "invalid", plan, errors: checked.errors } };
    const at = now.toISOString();
    const next: PlanRecord = {
      ...plan,
      state: step.next,
      refusal: { on: checked.on, note: checked.note, recordedBy: by.aadObjectId, recordedAt: at },
      ended: { at, by: by.aadObjectId, reason: "refused", note: checked.note },
      updatedAt: at,
    };
    return endWrite(plan, next, by, now, "plan-refusal", `refused ${checked.on}`);
  });
  return recordEnding(deps, outcome);
}

/**
 * The citizen withdraws their consent: the plan ends at once and both owners are told. Possible
 * whenever a consent is in force — also while an adjustment of an active plan awaits approval.
 */
export async function withdrawConsent(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; input: DatedNoteInput; by: Actor },
): Promise<EndingOutcome> {
  const { by, input } = command;
  const outcome = await changePlan<EndingOutcome>(deps, command.municipality, command.caseNo, by, "withdraw consent", (plan, now) => {
    const step = planTransition(plan.state, "withdraw");
    if (!step.ok) return { result: { kind: "not-allowed-now", plan } };
    const consent = consentInForce(plan);
    if (!consent) return { result: { kind: "no-consent", plan } };
    const checked = checkDatedNote(input, localIsoDate(now, deps.timeZone));
    if (checked.ok && checked.on < consent.givenOn)
      return { result: { kind: "invalid", plan, errors: { on: "withdrawal.before-consent" } } };
    if (!checked.ok) return { result: { kind: "invalid", plan, errors: checked.errors } };
    const at = now.toISOString();
    const next: PlanRecord = {
      ...plan,
      state: step.next,
      consent: { ...consent, withdrawnOn: checked.on, withdrawalNote: checked.note, withdrawnBy: by.aadObjectId, withdrawnAt: at },
      ended: { at, by: by.aadObjectId, reason: "consent-withdrawn", note: checked.note },
      updatedAt: at,
    };
    return endWrite(plan, next, by, now, "plan-withdraw", `consent withdrawn ${checked.on}`);
  });
  return recordEnding(deps, outcome);
}

export type EndPlanFieldError = "required" | "too-long" | "too-many-lines";

export type EndPlanOutcome =
  | { kind: "ended"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: Partial<Record<"reason" | "note", EndPlanFieldError>> }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/** An owner closes the plan: its efforts are completed, or it is given up. Both owners are told. */
export async function endPlan(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; input: { reason: "completed" | "cancelled" | ""; note: string }; by: Actor },
): Promise<EndPlanOutcome> {
  const { by, input } = command;
  const outcome = await changePlan<EndPlanOutcome>(deps, command.municipality, command.caseNo, by, "end", (plan, now) => {
    const step = planTransition(plan.state, "end");
    if (!step.ok) return { result: { kind: "not-allowed-now", plan } };
    const errors: Partial<Record<"reason" | "note", EndPlanFieldError>> = {};
    if (input.reason !== "completed" && input.reason !== "cancelled") errors.reason = "required";
    const note = checkText(input.note, { required: false, maxChars: MAX_NOTE_CHARS, maxLines: MAX_LINES });
    if (note) errors.note = note;
    if (Object.keys(errors).length > 0) return { result: { kind: "invalid", plan, errors } };
    const at = now.toISOString();
    const reason = input.reason as PlanEndReason;
    const next: PlanRecord = {
      ...plan,
      state: step.next,
      ended: { at, by: by.aadObjectId, reason, note: normalise(input.note) },
      updatedAt: at,
    };
    return endWrite(plan, next, by, now, "plan-end", reason);
  });
  return recordEnding(deps, outcome);
}

/** The ended plan's event for the managers' overview. */
async function recordEnding<T extends { kind: string; plan?: PlanRecord }>(deps: PlanDeps, outcome: T): Promise<T> {
  const plan = outcome.plan;
  if (outcome.kind === "ended" && plan) await recordPlanOverview(deps, plan, (forumId) => [planEndedEvent(plan, forumId)]);
  return outcome;
}

function endWrite(
  plan: PlanRecord,
  next: PlanRecord,
  by: Actor,
  now: Date,
  action: AuditEntry["action"],
  purpose: string,
): Step<{ kind: "ended"; plan: PlanRecord }> {
  const messages = ownerIds(plan).map((to) => planMessage(plan, to, { event: "ended", version: plan.version }, "ended", now));
  return { write: { next, audit: audit(now, by, action, purpose), messages }, then: (saved) => ({ kind: "ended", plan: saved }) };
}

function checkDatedNote(
  input: DatedNoteInput,
  today: string,
): { ok: true; on: string; note: string } | { ok: false; errors: Partial<Record<keyof DatedNoteInput, DatedNoteFieldError>> } {
  const errors: Partial<Record<keyof DatedNoteInput, DatedNoteFieldError>> = {};
  const on = pastDate(input.on, today);
  if (!on.ok) errors.on = on.error;
  const note = checkText(input.note, { required: false, maxChars: MAX_NOTE_CHARS, maxLines: MAX_LINES });
  if (note) errors.note = note;
  if (!on.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, on: on.date, note: normalise(input.note) };
}

/** A date that has happened: not after today. */
function pastDate(
  value: string,
  today: string,
): { ok: true; date: string } | { ok: false; error: "required" | "date.invalid" | "date.future" } {
  const parsed = parseIsoDate(value);
  if (!parsed.ok) return parsed;
  if (parsed.date > today) return { ok: false, error: "date.future" };
  return parsed;
}

// ─── Follow-up held ───────────────────────────────────────────────────────────────

export type FollowUpFieldError = "required" | "date.invalid" | "date.future" | "too-long" | "too-many-lines";

export type RecordFollowUpOutcome =
  | { kind: "recorded"; plan: PlanRecord }
  | { kind: "invalid"; plan: PlanRecord; errors: Partial<Record<"heldOn" | "note", FollowUpFieldError>> }
  /** The plan sets no follow-up of that kind (e.g. none in the forum). */
  | { kind: "no-follow-up"; plan: PlanRecord }
  | { kind: "already-recorded"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "not-allowed" }
  | { kind: "no-plan" };

/**
 * Records that the plan's current follow-up of `kind` took place, with a short note. Not
 * part of the plan's content, so approvals stay; setting the next follow-up date is an edit.
 */
export async function recordFollowUp(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; kind: FollowUpKind; input: { heldOn: string; note: string }; by: Actor },
): Promise<RecordFollowUpOutcome> {
  const { by, input, kind } = command;
  const outcome = await changePlan<RecordFollowUpOutcome>(
    deps,
    command.municipality,
    command.caseNo,
    by,
    "record follow-up",
    (plan, now) => {
      if (!planTransition(plan.state, "follow-up").ok || plan.followUps.length >= MAX_FOLLOW_UP_RECORDS)
        return { result: { kind: "not-allowed-now", plan } };
      const c = plan.content;
      const date = kind === "employment" ? c?.employmentFollowUp : kind === "social" ? c?.socialFollowUp : c?.forumFollowUp;
      if (!date) return { result: { kind: "no-follow-up", plan } };
      if (isFollowUpRecorded(plan, kind, date)) return { result: { kind: "already-recorded", plan } };
      const errors: Partial<Record<"heldOn" | "note", FollowUpFieldError>> = {};
      const heldOn = pastDate(input.heldOn, localIsoDate(now, deps.timeZone));
      if (!heldOn.ok) errors.heldOn = heldOn.error;
      const note = checkText(input.note, { required: true, maxChars: MAX_NOTE_CHARS, maxLines: MAX_LINES });
      if (note) errors.note = note;
      if (!heldOn.ok || Object.keys(errors).length > 0) return { result: { kind: "invalid", plan, errors } };
      const at = now.toISOString();
      const next: PlanRecord = {
        ...plan,
        followUps: [
          ...plan.followUps,
          { kind, date, heldOn: heldOn.date, note: normalise(input.note), recordedBy: by.aadObjectId, recordedAt: at },
        ],
        updatedAt: at,
      };
      return {
        write: { next, audit: audit(now, by, "plan-follow-up", `${kind} follow-up of ${date} held ${heldOn.date}`), messages: [] },
        then: (saved) => ({ kind: "recorded", plan: saved }),
      };
    },
  );
  // A repeated recording (already recorded) writes the follow-up's event again from what is stored.
  if (outcome.kind === "recorded" || outcome.kind === "already-recorded") {
    const plan = outcome.plan;
    const c = plan.content;
    const date = kind === "employment" ? c?.employmentFollowUp : kind === "social" ? c?.socialFollowUp : c?.forumFollowUp;
    const held = plan.followUps.find((f) => f.kind === kind && f.date === date);
    const rule = workingDaysOf(command.municipality);
    if (held) await recordPlanOverview(deps, plan, (forumId) => [planFollowUpHeldEvent(plan, forumId, held, rule)]);
  }
  return outcome;
}

// ─── Sagsbehandlerskift ───────────────────────────────────────────────────────────

export type ReassignPlanOwnerOutcome =
  | { kind: "reassigned"; plan: PlanRecord }
  /** `to` owns that side already. */
  | { kind: "unchanged"; plan: PlanRecord }
  /** `to` owns the other side: one person cannot hold both. */
  | { kind: "same-person"; plan: PlanRecord }
  | { kind: "not-allowed-now"; plan: PlanRecord }
  | { kind: "no-plan" };

/**
 * Sagsbehandlerskift (SPEC §2, §7; seed 001: "gensidig orientering ved … sagsbehandlerskift"):
 * the owner of one side of the plan becomes `to`. For the hand-over use case, which decides
 * who may hand over and tells the people concerned; this only moves the plan, audited as
 * done by `by`. The content, its version and the approvals stay (each approval names who
 * gave it); a fixed caseworker who leaves is followed by the new owner.
 */
export async function reassignPlanOwner(
  deps: PlanDeps,
  command: { municipality: Municipality; caseNo: number; side: OwnerSide; to: PersonRef; by: Actor; purpose: string },
): Promise<ReassignPlanOwnerOutcome> {
  const { side, to, by } = command;
  const outcome = await changePlan<ReassignPlanOwnerOutcome>(
    deps,
    command.municipality,
    command.caseNo,
    by,
    "reassign owner",
    (plan, now) => {
      if (plan.state === "ended") return { result: { kind: "not-allowed-now", plan } };
      const old = plan.owners[side];
      if (old.aadObjectId === to.aadObjectId) return { result: { kind: "unchanged", plan } };
      if (plan.owners[side === "employment" ? "social" : "employment"].aadObjectId === to.aadObjectId)
        return { result: { kind: "same-person", plan } };
      const content =
        plan.content && plan.content.fixedCaseworker === old.aadObjectId
          ? { ...plan.content, fixedCaseworker: to.aadObjectId }
          : plan.content;
      const next: PlanRecord = { ...plan, owners: { ...plan.owners, [side]: { ...to } }, content, updatedAt: now.toISOString() };
      const purpose = `${side} owner handed over: ${command.purpose.trim().slice(0, 200)}`;
      return {
        write: { next, audit: audit(now, by, "plan-edit", purpose), messages: [] },
        then: (saved) => ({ kind: "reassigned", plan: saved }),
      };
    },
    false,
  );
  if (outcome.kind === "not-allowed") throw new Error("unreachable: owners are not checked here");
  return outcome;
}

// ─── Reading ──────────────────────────────────────────────────────────────────────

/** How many plans `planer` lists: the newest cases. */
export const MY_PLANS_LIMIT = 20;

/** `planer`: the plans the user owns, newest case first, without their text (nothing decrypted, so not audited). */
export async function plansOf(
  deps: Pick<PlanDeps, "plans">,
  command: { municipality: Municipality; user: string },
): Promise<{ plans: PlanSummary[]; limited: boolean }> {
  const plans = await deps.plans.listOwnedBy(command.municipality.tenantId, command.user, MY_PLANS_LIMIT);
  return { plans, limited: plans.length >= MY_PLANS_LIMIT };
}

export type ViewPlanOutcome = { kind: "shown"; plan: PlanRecord; as: "owner" | "coordinator" } | { kind: "refused" } | { kind: "no-plan" };

/**
 * Shows the whole plan: to its owners, and on demand to the coordinators of the case's
 * forum (e.g. at a follow-up in the forum). Every view and every refusal is audited with
 * its purpose (SPEC §9).
 */
export async function viewPlan(
  deps: Pick<PlanDeps, "plans" | "cases" | "clock">,
  command: { municipality: Municipality; caseNo: number; user: string; purpose?: string },
): Promise<ViewPlanOutcome> {
  const { municipality, user } = command;
  const tenantId = municipality.tenantId;
  const plan = await deps.plans.get(tenantId, command.caseNo);
  if (!plan) return { kind: "no-plan" };
  const purpose = command.purpose?.trim().slice(0, 200) || "joint plan";
  const now = deps.clock.now();
  let as: "owner" | "coordinator" | undefined = isPlanOwner(plan, user) ? "owner" : undefined;
  if (!as) {
    // The forum as it stands now (a follow-up may have moved the case to the other forum); nothing sealed is read.
    const [entry] = await deps.cases.agendaEntries(tenantId, [plan.caseNo]);
    if (entry && user && isCoordinatorOf(municipality, entry.forumId, user)) as = "coordinator";
  }
  const who = { aadObjectId: user, name: "" };
  if (!as) {
    await deps.plans.audit(tenantId, plan.caseNo, audit(now, who, "plan-refused", `view: ${purpose}`));
    return { kind: "refused" };
  }
  await deps.plans.audit(tenantId, plan.caseNo, audit(now, who, "plan-view", `${as}: ${purpose}`));
  return { kind: "shown", plan, as };
}

export type ExportPlanOutcome = { kind: "export"; plan: PlanRecord } | { kind: "refused" } | { kind: "no-plan" };

/**
 * The plan for the case file (journalisering, SPEC §5): its owners only, audited. The edge
 * turns the plan into text with `planExportText`.
 */
export async function exportPlan(
  deps: Pick<PlanDeps, "plans" | "clock">,
  command: { municipality: Municipality; caseNo: number; user: string },
): Promise<ExportPlanOutcome> {
  const tenantId = command.municipality.tenantId;
  const plan = await deps.plans.get(tenantId, command.caseNo);
  if (!plan) return { kind: "no-plan" };
  const who = { aadObjectId: command.user, name: "" };
  const now = deps.clock.now();
  if (!isPlanOwner(plan, command.user)) {
    await deps.plans.audit(tenantId, plan.caseNo, audit(now, who, "plan-refused", "export"));
    return { kind: "refused" };
  }
  await deps.plans.audit(tenantId, plan.caseNo, audit(now, who, "plan-export", `version ${plan.version} for the case file`));
  return { kind: "export", plan };
}

// ─── Shared machinery ─────────────────────────────────────────────────────────────

/** One try of a change: either an answer without writing, or a write and the answer once it is stored. */
type Step<T> = { result: T } | { write: { next: PlanRecord; audit: AuditEntry; messages: Notification[] }; then: (saved: PlanRecord) => T };

/** A lost race is retried from a fresh read, where the step's own checks (version, state) decide again. */
const MAX_ATTEMPTS = 5;

/**
 * Reads the plan, refuses (and audits) anyone but its owners, and stores what `step`
 * decides, conditional on the revision read.
 */
async function changePlan<T>(
  deps: PlanDeps,
  municipality: Municipality,
  caseNo: number,
  by: Actor,
  what: string,
  step: (plan: PlanRecord, now: Date) => Step<T>,
  /** False only for a caller that has checked who may act itself (a hand-over). */
  ownersOnly = true,
): Promise<T | { kind: "no-plan" } | { kind: "not-allowed" }> {
  const tenantId = municipality.tenantId;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const plan = await deps.plans.get(tenantId, caseNo);
    if (!plan) return { kind: "no-plan" };
    const now = deps.clock.now();
    if (ownersOnly && !isPlanOwner(plan, by.aadObjectId)) {
      await deps.plans.audit(tenantId, caseNo, audit(now, by, "plan-refused", `${what}: not an owner of the plan`));
      return { kind: "not-allowed" };
    }
    const decided = step(plan, now);
    if ("result" in decided) return decided.result;
    const saved = await deps.plans.save(decided.write.next, plan.revision, decided.write.audit, decided.write.messages);
    if (saved) return decided.then(saved);
  }
  throw new Error(`The plan of case ${caseNo} changed ${MAX_ATTEMPTS} times while saving; try again`);
}

/**
 * Writes a plan's overview events after its change committed, counted under the forum of
 * its case. Never fails the change (see `recordOverview`).
 */
export async function recordPlanOverview(
  deps: Pick<PlanDeps, "overview" | "cases" | "clock">,
  plan: Pick<PlanRecord, "tenantId" | "caseNo">,
  events: (forumId: string) => (OverviewEvent | undefined)[],
): Promise<void> {
  if (!deps.overview) return;
  let forumId: string | undefined;
  try {
    forumId = (await deps.cases.get(plan.tenantId, plan.caseNo))?.forumId;
  } catch {
    return; // The change stands; see the crash window in README ("Managers' overview").
  }
  if (forumId) await recordOverview(deps.overview, plan.tenantId, events(forumId), deps.clock.now());
}

function mustTransition(state: PlanRecord["state"], event: PlanEvent): PlanRecord["state"] {
  const step = planTransition(state, event);
  if (!step.ok) throw new Error(`Plan event ${event} in state ${state}`);
  return step.next;
}

function audit(now: Date, by: Pick<Actor, "aadObjectId">, action: AuditEntry["action"], purpose: string): AuditEntry {
  return { at: now.toISOString(), user: by.aadObjectId, action, purpose };
}

/** The owners other than `user`. */
function others(plan: PlanRecord, user: string): string[] {
  return ownerIds(plan).filter((id) => id !== user);
}

type PlanEventContent = { event: "opened" | "changed" | "approved" | "agreed" | "active" | "ended"; version: number };

/** A message to one owner, keyed to this event of this plan only: the same event never sends twice. */
function planMessage(plan: PlanRecord, to: string, content: PlanEventContent, event: string, now: Date): Notification {
  return notification(
    plan.tenantId,
    `plan:${plan.caseNo}:${event}:${to}`,
    { kind: "personal", aadObjectId: to },
    { kind: "plan", caseNo: plan.caseNo, ...content },
    now,
  );
}

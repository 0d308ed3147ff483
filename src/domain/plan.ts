import { DateTime } from "luxon";
import { MAX_CHARS, MAX_LINES, normaliseText } from "./case.js";
import type { PlanState } from "./plan-lifecycle.js";

/**
 * The citizen's joint plan (fælles plan) as data, and the rules for what the two
 * caseworkers may write into it (SPEC §5; seed 001 "Borgers plan"; seed 002 for the fixed
 * caseworker, the budget/action frame and the follow-up in the forum).
 *
 * In law the plan is the holistic plan of Lov om en aktiv beskæftigelsesindsats § 40,
 * stk. 3: an offer to the citizen, who may decline it, and which needs their consent.
 */

export type { PlanState } from "./plan-lifecycle.js";

/** A plan holds at most this many efforts: a plan is read aloud at a fællessamtale. */
export const MAX_EFFORTS = 12;
/** An effort's title is one short line. */
export const MAX_TITLE_CHARS = 100;
/** A department name, as in the municipality configuration. */
export const MAX_DEPARTMENT_CHARS = 60;
/** A person's typed name. */
export const MAX_PERSON_CHARS = 100;
/** Seed 002 names 25,000–50,000 kr; more than a million is a typing error, not a frame. */
export const MAX_BUDGET_KR = 1_000_000;
/** A follow-up note is short: "kort notat". */
export const MAX_NOTE_CHARS = 300;
/** Follow-ups recorded on one plan; years of monthly follow-ups on both sides fit. */
export const MAX_FOLLOW_UP_RECORDS = 120;

/** Which side of the plan an owner stands for. */
export type OwnerSide = "employment" | "social";

/** The three kinds of follow-up a plan sets: employment, social (seed 001) and in the forum (seed 002). */
export const FOLLOW_UP_KINDS = ["employment", "social", "forum"] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export interface PersonRef {
  aadObjectId: string;
  name: string;
}

/** Who carries out an effort: a colleague from the municipality's directory, or a typed name. */
export type EffortPerformer = { kind: "directory"; aadObjectId: string; name: string } | { kind: "named"; name: string };

/** One effort (indsats) of the plan. */
export interface Effort {
  /** Stable within the plan; "after" and consent refer to it. */
  id: string;
  title: string;
  purpose: string;
  department: string;
  performer: EffortPerformer;
  /** ISO dates, YYYY-MM-DD. */
  from: string;
  to: string;
  /** The effort that must start first; absent: it runs in parallel with the others. */
  after?: string;
}

/** What both caseworkers agree on; every change of it is a new version. */
export interface PlanContent {
  efforts: Effort[];
  /** Rammen for samarbejdet. */
  framework: string;
  employmentFollowUp: string;
  socialFollowUp: string;
  /** The owner who is the citizen's single point of contact (seed 002: "fast sagsbehandler"). */
  fixedCaseworker: string;
  /** Seed 002: the frame within which the fixed caseworker may act alone, in whole kroner. */
  budgetKr?: number;
  /** Seed 002: a date for follow-up in the sparring forum. */
  forumFollowUp?: string;
}

/** An effort as typed into the form; every field a string, exactly as typed. */
export interface EffortDraft {
  id: string;
  title: string;
  purpose: string;
  department: string;
  /** An Entra object id from the municipality's directory, or "" … */
  personId: string;
  /** … then a typed name. */
  personName: string;
  from: string;
  to: string;
  /** "" for parallel, or the id of the effort that must start first. */
  after: string;
}

/** The plan form as submitted; validation turns it into {@link PlanContent}. */
export interface PlanDraft {
  efforts: EffortDraft[];
  framework: string;
  employmentFollowUp: string;
  socialFollowUp: string;
  fixedCaseworker: string;
  /** "" for none; digits, optionally with "." or spaces as thousands separators and "kr". */
  budgetKr: string;
  forumFollowUp: string;
}

export const EFFORT_FIELDS = ["id", "title", "purpose", "department", "person", "from", "to", "after"] as const;
export type EffortField = (typeof EFFORT_FIELDS)[number];

/** Where an error belongs on the form: a top-level field, the effort list, or one effort's field. */
export type PlanFieldPath =
  | "efforts"
  | `efforts.${number}.${EffortField}`
  | "framework"
  | "employmentFollowUp"
  | "socialFollowUp"
  | "fixedCaseworker"
  | "budgetKr"
  | "forumFollowUp";

export type PlanFieldErrorCode =
  | "required"
  | "too-long"
  | "too-many-lines"
  | "date.invalid"
  | "date.past"
  | "period.ends-before-start"
  | "after.unknown"
  | "after.cycle"
  | "after.starts-too-early"
  | "effort.id-invalid"
  | "effort.id-duplicate"
  | "efforts.required"
  | "efforts.too-many"
  | "person.unknown"
  | "fixed-caseworker.not-owner"
  | "budget.format"
  | "budget.negative"
  | "budget.not-positive"
  | "budget.too-large";

export type PlanFieldErrors = Partial<Record<PlanFieldPath, PlanFieldErrorCode>>;

export type PlanValidation = { ok: true; value: PlanContent } | { ok: false; errors: PlanFieldErrors };

export interface PlanValidationContext {
  /** The two owners' object ids; the fixed caseworker must be one of them. */
  owners: readonly string[];
  /** The municipality's directory (object id → name): who an effort may name by id. */
  directory: Readonly<Record<string, string>>;
  /**
   * The stored content the draft edits. A date already in it is not refused for lying in
   * the past: a caseworker who fixes a typo after a follow-up date must not be forced to
   * move it. A date that is new or changed must not be in the past.
   */
  previous?: PlanContent;
}

const EFFORT_ID = /^[a-z0-9-]{1,16}$/;

/**
 * Checks a plan draft. `today` is the municipality's local date (YYYY-MM-DD). Every error
 * is a code keyed by the path of the field it belongs to, so the form can show each one
 * beside its field with everything typed kept.
 */
export function validatePlanDraft(draft: PlanDraft, today: string, context: PlanValidationContext): PlanValidation {
  const errors: PlanFieldErrors = {};
  const set = (path: PlanFieldPath, code: PlanFieldErrorCode | undefined) => {
    if (code && !errors[path]) errors[path] = code;
  };

  if (draft.efforts.length === 0) set("efforts", "efforts.required");
  if (draft.efforts.length > MAX_EFFORTS) set("efforts", "efforts.too-many");

  const ids = new Map<string, number>();
  draft.efforts.forEach((effort, i) => {
    const id = effort.id.trim();
    if (!EFFORT_ID.test(id)) set(`efforts.${i}.id`, "effort.id-invalid");
    else if (ids.has(id)) set(`efforts.${i}.id`, "effort.id-duplicate");
    else ids.set(id, i);
  });

  const efforts: Effort[] = [];
  draft.efforts.forEach((d, i) => {
    const path = (field: EffortField) => `efforts.${i}.${field}` as const;
    set(path("title"), checkText(d.title, { required: true, maxChars: MAX_TITLE_CHARS, maxLines: 1 }));
    set(path("purpose"), checkText(d.purpose, { required: true, maxChars: MAX_CHARS, maxLines: MAX_LINES }));
    set(path("department"), checkText(d.department, { required: true, maxChars: MAX_DEPARTMENT_CHARS, maxLines: 1 }));

    const personId = d.personId.trim();
    let performer: EffortPerformer | undefined;
    if (personId) {
      const name = context.directory[personId];
      if (name === undefined) set(path("person"), "person.unknown");
      else performer = { kind: "directory", aadObjectId: personId, name };
    } else {
      const code = checkText(d.personName, { required: true, maxChars: MAX_PERSON_CHARS, maxLines: 1 });
      set(path("person"), code);
      if (!code) performer = { kind: "named", name: normalise(d.personName) };
    }

    // An effort's period may lie in the past: an adjusted plan keeps the efforts under way.
    const from = parseIsoDate(d.from);
    const to = parseIsoDate(d.to);
    set(path("from"), from.ok ? undefined : from.error);
    set(path("to"), to.ok ? undefined : to.error);
    if (from.ok && to.ok && to.date < from.date) set(path("to"), "period.ends-before-start");

    const after = d.after.trim();
    if (after && !ids.has(after)) set(path("after"), "after.unknown");

    if (performer && from.ok && to.ok) {
      efforts.push({
        id: d.id.trim(),
        title: normalise(d.title),
        purpose: normalise(d.purpose),
        department: normalise(d.department),
        performer,
        from: from.date,
        to: to.date,
        ...(after ? { after } : {}),
      });
    }
  });

  // The "after" references: none may form a cycle, and an effort starts after the one before it.
  const graph = draft.efforts.map((e) => ({ id: e.id.trim(), after: e.after.trim() || undefined }));
  const cyclic = findAfterCycles(graph);
  draft.efforts.forEach((d, i) => {
    const id = d.id.trim();
    if (cyclic.has(id)) {
      set(`efforts.${i}.after`, "after.cycle");
      return;
    }
    const before = d.after.trim() ? ids.get(d.after.trim()) : undefined;
    if (before === undefined) return;
    const mine = parseIsoDate(d.from);
    const theirs = parseIsoDate(draft.efforts[before]!.from);
    if (mine.ok && theirs.ok && mine.date <= theirs.date) set(`efforts.${i}.from`, "after.starts-too-early");
  });

  set("framework", checkText(draft.framework, { required: true, maxChars: MAX_CHARS, maxLines: MAX_LINES }));

  const followUp = (field: "employmentFollowUp" | "socialFollowUp" | "forumFollowUp", required: boolean): string | undefined => {
    const typed = draft[field].trim();
    if (!typed) {
      if (required) set(field, "required");
      return undefined;
    }
    const parsed = parseIsoDate(typed);
    if (!parsed.ok) {
      set(field, parsed.error);
      return undefined;
    }
    const unchanged = context.previous?.[field] === parsed.date;
    if (parsed.date < today && !unchanged) {
      set(field, "date.past");
      return undefined;
    }
    return parsed.date;
  };
  const employmentFollowUp = followUp("employmentFollowUp", true);
  const socialFollowUp = followUp("socialFollowUp", true);
  const forumFollowUp = followUp("forumFollowUp", false);

  const fixedCaseworker = draft.fixedCaseworker.trim();
  if (!fixedCaseworker) set("fixedCaseworker", "required");
  else if (!context.owners.includes(fixedCaseworker)) set("fixedCaseworker", "fixed-caseworker.not-owner");

  const budget = parseBudget(draft.budgetKr);
  if (!budget.ok) set("budgetKr", budget.error);

  if (Object.keys(errors).length > 0 || !employmentFollowUp || !socialFollowUp || !budget.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      efforts,
      framework: normalise(draft.framework),
      employmentFollowUp,
      socialFollowUp,
      fixedCaseworker,
      ...(budget.value !== undefined ? { budgetKr: budget.value } : {}),
      ...(forumFollowUp ? { forumFollowUp } : {}),
    },
  };
}

/**
 * The efforts whose "after" chain runs in a circle (an effort after itself, or A after B
 * after A …). References to unknown ids are not followed. Each effort names at most one
 * predecessor, so following the references from any effort either ends or loops.
 */
export function findAfterCycles(efforts: readonly { id: string; after?: string | undefined }[]): Set<string> {
  const next = new Map<string, string | undefined>();
  for (const e of efforts) if (!next.has(e.id)) next.set(e.id, e.after);
  const done = new Set<string>();
  const cyclic = new Set<string>();
  for (const start of next.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    let node: string | undefined = start;
    while (node !== undefined && next.has(node) && !done.has(node) && !onPath.has(node)) {
      path.push(node);
      onPath.add(node);
      node = next.get(node);
    }
    if (node !== undefined && onPath.has(node)) {
      for (let i = path.indexOf(node); i < path.length; i++) cyclic.add(path[i]!);
    }
    for (const visited of path) done.add(visited);
  }
  return cyclic;
}

type DateParse = { ok: true; date: string } | { ok: false; error: "required" | "date.invalid" };

/** An ISO date as a date input sends it; years outside 2000–2099 are typing errors. */
export function parseIsoDate(value: string): DateParse {
  const typed = value.trim();
  if (!typed) return { ok: false, error: "required" };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(typed)) return { ok: false, error: "date.invalid" };
  const date = DateTime.fromISO(typed, { zone: "UTC" });
  if (!date.isValid || date.toISODate() !== typed || date.year < 2000 || date.year > 2099) return { ok: false, error: "date.invalid" };
  return { ok: true, date: typed };
}

type BudgetParse =
  | { ok: true; value: number | undefined }
  | { ok: false; error: "budget.format" | "budget.negative" | "budget.not-positive" | "budget.too-large" };

/** "50000", "50.000", "50 000 kr." → 50000; "" → none. Only whole kroner. */
export function parseBudget(value: string): BudgetParse {
  let typed = value
    .trim()
    .replace(/\s*kr\.?$/i, "")
    .trim();
  if (!typed) return { ok: true, value: undefined };
  const negative = /^[-−]/.test(typed);
  if (negative) typed = typed.slice(1).trim();
  if (!/^\d{1,3}([. ]\d{3})*$|^\d+$/.test(typed)) return { ok: false, error: "budget.format" };
  const amount = Number(typed.replace(/[. ]/g, ""));
  if (negative) return { ok: false, error: amount === 0 ? "budget.not-positive" : "budget.negative" };
  if (amount === 0) return { ok: false, error: "budget.not-positive" };
  if (amount > MAX_BUDGET_KR) return { ok: false, error: "budget.too-large" };
  return { ok: true, value: amount };
}

export function checkText(
  value: string,
  rule: { required: boolean; maxChars: number; maxLines: number },
): "required" | "too-long" | "too-many-lines" | undefined {
  const text = normalise(value);
  if (text === "") return rule.required ? "required" : undefined;
  if (text.length > rule.maxChars) return "too-long";
  if (text.split("\n").length > rule.maxLines) return "too-many-lines";
  return undefined;
}

/** As every text of a case is kept (`normaliseText`): line breaks as `\n`, nothing blank or invisible around it. */
export function normalise(value: string): string {
  return normaliseText(value);
}

/** The form pre-filled with a plan's content (or empty for a new plan), so an edit starts from what is stored. */
export function draftOf(content: PlanContent | undefined): PlanDraft {
  if (!content) {
    return { efforts: [], framework: "", employmentFollowUp: "", socialFollowUp: "", fixedCaseworker: "", budgetKr: "", forumFollowUp: "" };
  }
  return {
    efforts: content.efforts.map((e) => ({
      id: e.id,
      title: e.title,
      purpose: e.purpose,
      department: e.department,
      personId: e.performer.kind === "directory" ? e.performer.aadObjectId : "",
      personName: e.performer.kind === "named" ? e.performer.name : "",
      from: e.from,
      to: e.to,
      after: e.after ?? "",
    })),
    framework: content.framework,
    employmentFollowUp: content.employmentFollowUp,
    socialFollowUp: content.socialFollowUp,
    fixedCaseworker: content.fixedCaseworker,
    budgetKr: content.budgetKr === undefined ? "" : String(content.budgetKr),
    forumFollowUp: content.forumFollowUp ?? "",
  };
}

/** An id for a new effort row on the form: "e1", "e2", … the first not in use. */
export function newEffortId(existing: readonly string[]): string {
  for (let n = 1; ; n++) if (!existing.includes(`e${n}`)) return `e${n}`;
}

/** One part of the plan that differs between two versions, for "what changed" on the other owner's card. */
export type PlanChange =
  | { part: "effort"; change: "added" | "removed"; effortId: string; title: string }
  | { part: "effort"; change: "changed"; effortId: string; title: string; fields: EffortField[] }
  | { part: "framework" | "employment-follow-up" | "social-follow-up" | "fixed-caseworker" | "budget" | "forum-follow-up" };

/** What changed from `before` (undefined: nothing was saved yet) to `after`. Efforts are matched by id. */
export function diffPlan(before: PlanContent | undefined, after: PlanContent): PlanChange[] {
  const changes: PlanChange[] = [];
  const old = new Map((before?.efforts ?? []).map((e) => [e.id, e]));
  const now = new Map(after.efforts.map((e) => [e.id, e]));
  for (const e of after.efforts) {
    const was = old.get(e.id);
    if (!was) {
      changes.push({ part: "effort", change: "added", effortId: e.id, title: e.title });
      continue;
    }
    const fields = effortFieldsChanged(was, e);
    if (fields.length > 0) changes.push({ part: "effort", change: "changed", effortId: e.id, title: e.title, fields });
  }
  for (const e of before?.efforts ?? [])
    if (!now.has(e.id)) changes.push({ part: "effort", change: "removed", effortId: e.id, title: e.title });
  const top: [Exclude<PlanChange["part"], "effort">, unknown, unknown][] = [
    ["framework", before?.framework, after.framework],
    ["employment-follow-up", before?.employmentFollowUp, after.employmentFollowUp],
    ["social-follow-up", before?.socialFollowUp, after.socialFollowUp],
    ["fixed-caseworker", before?.fixedCaseworker, after.fixedCaseworker],
    ["budget", before?.budgetKr, after.budgetKr],
    ["forum-follow-up", before?.forumFollowUp, after.forumFollowUp],
  ];
  for (const [part, a, b] of top) if (a !== b) changes.push({ part } as PlanChange);
  return changes;
}

function effortFieldsChanged(a: Effort, b: Effort): EffortField[] {
  const fields: EffortField[] = [];
  if (a.title !== b.title) fields.push("title");
  if (a.purpose !== b.purpose) fields.push("purpose");
  if (a.department !== b.department) fields.push("department");
  if (JSON.stringify(performerKey(a.performer)) !== JSON.stringify(performerKey(b.performer))) fields.push("person");
  if (a.from !== b.from) fields.push("from");
  if (a.to !== b.to) fields.push("to");
  if ((a.after ?? "") !== (b.after ?? "")) fields.push("after");
  return fields;
}

/** A directory colleague is the same person whatever the directory calls them today. */
function performerKey(p: EffortPerformer): string {
  return p.kind === "directory" ? `id:${p.aadObjectId}` : `name:${p.name}`;
}

// ─── The stored plan ────────────────────────────────────────────────────────────────

export interface PlanApproval {
  side: OwnerSide;
  aadObjectId: string;
  name: string;
  version: number;
  at: string;
}

/** Koordineringsmøde and fællessamtale (seed 001), planned or held: local dates. */
export interface PlanMeetings {
  coordinationMeeting?: string;
  jointConversation?: string;
  registeredBy: string;
  registeredAt: string;
}

/** What the citizen may let the departments share with each other (the consent's scope). */
export const SHARED_INFORMATION = [
  "health",
  "social",
  "employment",
  "education",
  "housing",
  "finances",
  "substance-use",
  "family",
] as const;
export type SharedInformation = (typeof SHARED_INFORMATION)[number];

/** The citizen's consent to the plan (LAB § 40, stk. 3). */
export interface PlanConsent {
  givenOn: string;
  /** The plan version the citizen was shown. */
  version: number;
  /** The efforts the consent covers. */
  efforts: string[];
  sharedInformation: SharedInformation[];
  note: string;
  recordedBy: string;
  recordedAt: string;
  withdrawnOn?: string;
  withdrawalNote?: string;
  withdrawnBy?: string;
  withdrawnAt?: string;
}

export interface PlanRefusal {
  on: string;
  note: string;
  recordedBy: string;
  recordedAt: string;
}

export type PlanEndReason = "refused" | "consent-withdrawn" | "completed" | "cancelled";

export interface PlanEnd {
  at: string;
  by: string;
  reason: PlanEndReason;
  note: string;
}

/** A follow-up that took place, answering the plan's follow-up date of that kind. */
export interface FollowUpRecord {
  kind: FollowUpKind;
  /** The follow-up date of the plan it answers. */
  date: string;
  heldOn: string;
  note: string;
  recordedBy: string;
  recordedAt: string;
}

/**
 * A stored plan. `version` counts content versions (what is approved and shown as
 * "version 3"; 0 until the first save); `revision` counts every stored change and is what
 * storage writes are conditional on.
 */
export interface PlanRecord {
  tenantId: string;
  caseNo: number;
  reference: string;
  /** The case's raising (employment) caseworker and the social caseworker it was visitated to. */
  owners: { employment: PersonRef; social: PersonRef };
  state: PlanState;
  version: number;
  content?: PlanContent;
  /** Approvals of the current version only; an edit clears them. */
  approvals: PlanApproval[];
  /** What the latest edit changed, for the other owner's card. */
  changes: PlanChange[];
  changedBy?: string;
  agreedAt?: string;
  /** When both owners first agreed a version; kept through later adjustments (the managers' overview counts it once). */
  firstAgreedAt?: string;
  meetings?: PlanMeetings;
  consent?: PlanConsent;
  refusal?: PlanRefusal;
  /** When the plan first became active. */
  activatedAt?: string;
  ended?: PlanEnd;
  followUps: FollowUpRecord[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  revision: number;
  /** Set once retention deleted the plan's text with its case's personal data (SPEC §9, `retention.ts`). */
  anonymisedAt?: string;
}

/** What `planer` lists: nothing of the plan's text, so nothing is decrypted for it. */
export type PlanSummary = Pick<PlanRecord, "tenantId" | "caseNo" | "reference" | "owners" | "state" | "version" | "updatedAt"> & {
  /** The sides that approved the current version. */
  approvedBy: OwnerSide[];
  /** The earliest follow-up not yet recorded as held. */
  nextFollowUp?: { kind: FollowUpKind; date: string };
};

export function ownerIds(plan: Pick<PlanRecord, "owners">): string[] {
  return [plan.owners.employment.aadObjectId, plan.owners.social.aadObjectId];
}

export function isPlanOwner(plan: Pick<PlanRecord, "owners">, aadObjectId: string): boolean {
  return aadObjectId !== "" && ownerIds(plan).includes(aadObjectId);
}

export function sideOf(plan: Pick<PlanRecord, "owners">, aadObjectId: string): OwnerSide | undefined {
  if (plan.owners.employment.aadObjectId === aadObjectId) return "employment";
  if (plan.owners.social.aadObjectId === aadObjectId) return "social";
  return undefined;
}

/** Both owners approved the current version: the caseworkers are "enige" (seed 001). */
export function isAgreed(plan: Pick<PlanRecord, "approvals" | "version">): boolean {
  const sides = new Set(plan.approvals.filter((a) => a.version === plan.version).map((a) => a.side));
  return sides.has("employment") && sides.has("social");
}

/** A consent given and not withdrawn. */
export function consentInForce(plan: Pick<PlanRecord, "consent">): PlanConsent | undefined {
  return plan.consent && !plan.consent.withdrawnOn ? plan.consent : undefined;
}

/** Whether the consent in force covers every effort of the current version. */
export function consentCoversPlan(plan: Pick<PlanRecord, "consent" | "content">): boolean {
  const consent = consentInForce(plan);
  if (!consent || !plan.content) return false;
  return plan.content.efforts.every((e) => consent.efforts.includes(e.id));
}

/** The plan's follow-up dates by kind (none once it has ended, so no one is reminded of them). */
export function followUpDatesOf(plan: Pick<PlanRecord, "state" | "content">): { kind: FollowUpKind; date: string }[] {
  if (plan.state === "ended" || !plan.content) return [];
  const c = plan.content;
  const dates: { kind: FollowUpKind; date: string }[] = [
    { kind: "employment", date: c.employmentFollowUp },
    { kind: "social", date: c.socialFollowUp },
  ];
  if (c.forumFollowUp) dates.push({ kind: "forum", date: c.forumFollowUp });
  return dates;
}

/** Whether the follow-up of `kind` on `date` has been recorded as held. */
export function isFollowUpRecorded(plan: Pick<PlanRecord, "followUps">, kind: FollowUpKind, date: string): boolean {
  return plan.followUps.some((f) => f.kind === kind && f.date === date);
}

/** The earliest follow-up not yet recorded as held. */
export function nextFollowUp(plan: Pick<PlanRecord, "state" | "content" | "followUps">): { kind: FollowUpKind; date: string } | undefined {
  return followUpDatesOf(plan)
    .filter((f) => !isFollowUpRecorded(plan, f.kind, f.date))
    .sort((a, b) => a.date.localeCompare(b.date) || FOLLOW_UP_KINDS.indexOf(a.kind) - FOLLOW_UP_KINDS.indexOf(b.kind))[0];
}

export function summaryOfPlan(plan: PlanRecord): PlanSummary {
  const next = nextFollowUp(plan);
  return {
    tenantId: plan.tenantId,
    caseNo: plan.caseNo,
    reference: plan.reference,
    owners: plan.owners,
    state: plan.state,
    version: plan.version,
    updatedAt: plan.updatedAt,
    approvedBy: plan.approvals.filter((a) => a.version === plan.version).map((a) => a.side),
    ...(next ? { nextFollowUp: next } : {}),
  };
}

/** An instant as the municipality's local date (YYYY-MM-DD) and clock time (HH:mm). */
export function localDateTimeOf(instant: string, timeZone: string): { date: string; time: string } {
  const at = DateTime.fromISO(instant, { zone: "UTC" }).setZone(timeZone);
  return { date: at.toISODate()!, time: at.toFormat("HH:mm") };
}

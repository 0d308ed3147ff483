import { DateTime } from "luxon";
import type { BostotteRecord } from "./bostotte.js";
import type { CaseAnonymisation, CaseRecord } from "./case.js";
import type { Follower } from "./citizen.js";
import type { Municipality } from "./municipality.js";
import { ageGroupOf } from "./overview-events.js";
import type { PlanRecord } from "./plan.js";
import type { AuditEntry, CaseRepository, CitizenErasure, Clock, PlanRepository, PrivacyStore, RetentionCandidate } from "./ports.js";

/**
 * Retention (SPEC §9: "a retention job that deletes or anonymises closed cases after a
 * configurable period"; "audit rows are kept for a configurable period and then deleted").
 *
 * The case itself is journalised in the municipality's own case system; Sparring's copy is a
 * working copy for the cooperation, so once a case is over its personal data goes after
 * `retention.closedCaseMonths`: the CPR number, its look-up hash, every text of the case and
 * its joint plan, and its link to the citizen. What stays are the anonymous facts the
 * managers' overview counts (forum, age group, department, state, decision, dates, acute).
 * A citizen's own rows — followers, bostøtte decisions — have the same clock, and once
 * nothing is left of a citizen their sealed CPR number goes too.
 *
 * Nothing here scans: the repositories note each case that ends (and each citizen followed
 * or decided on) in a month of the retention index before the change commits; the job reads
 * only the months whose clock may have run out, checks each subject against what is stored,
 * and deletes, moves the note on, or drops it. Every step is idempotent, so a run cut off
 * anywhere is completed by the next one.
 */

export type RetentionSettings = Municipality["retention"];

/** Candidates read per municipality and run; more wait for the next run. */
export const CANDIDATES_PER_RUN = 500;
/** Audit rows deleted per municipality and run, roughly; more wait for the next run. */
export const AUDIT_ROWS_PER_RUN = 5_000;
/** The actor retention's own audit rows name. */
export const RETENTION_ACTOR = "sparring-retention";

/** `YYYY-MM` (UTC) of an instant: the month partitions of the retention and audit indexes. */
export function monthOf(instant: string | Date): string {
  return utc(instant).toFormat("yyyy-MM");
}

/** The instant `months` calendar months after `instant`, ISO (UTC). */
export function plusMonths(instant: string | Date, months: number): string {
  return utc(instant).plus({ months }).toISO()!;
}

function utc(instant: string | Date): DateTime {
  return (typeof instant === "string" ? DateTime.fromISO(instant, { zone: "UTC" }) : DateTime.fromJSDate(instant)).toUTC();
}

/** Whether a clock started at `start` has run `months` months by `now`. */
export function isDue(start: string, now: Date, months: number): boolean {
  return utc(plusMonths(start, months)) <= utc(now);
}

/**
 * When a case's retention clock started, or undefined while the case still matters to the
 * cooperation: a case closed ("Ikke grundlag") at its decision; a withdrawn one when it was
 * taken back; a visitated one when its joint plan ended — or, with no plan at all,
 * `unplannedVisitationMonths` after the visitation. Open cases and visitated ones whose plan
 * is under way have none. `noted` (when the case was noted) stands in for a date an older
 * record lacks.
 */
export function retentionStart(
  record: Pick<CaseRecord, "state" | "decidedAt" | "withdrawnAt">,
  plan: Pick<PlanRecord, "state" | "ended"> | undefined,
  settings: RetentionSettings,
  noted?: string,
): string | undefined {
  switch (record.state) {
    case "closed":
      return record.decidedAt ?? noted;
    case "withdrawn":
      return record.withdrawnAt ?? noted;
    case "visitated":
      if (plan) return plan.state === "ended" ? (plan.ended?.at ?? noted) : undefined;
      return record.decidedAt ? plusMonths(record.decidedAt, settings.unplannedVisitationMonths) : undefined;
    default:
      return undefined;
  }
}

/** What the case keeps of itself once its personal data is deleted. */
export function anonymisationOf(record: Pick<CaseRecord, "age">, settings: RetentionSettings, now: Date): CaseAnonymisation {
  return { at: now.toISOString(), afterMonths: settings.closedCaseMonths, ageGroup: ageGroupOf(record.age) };
}

/** The lower bound of an age group: what `age` says of an anonymised case. */
export function ageOfGroup(group: CaseAnonymisation["ageGroup"]): number {
  return group === "15-17" ? 15 : group === "18-29" ? 18 : 30;
}

/**
 * A case record with its personal data gone, as storage keeps it: no CPR number, no text,
 * the age only as its group; every anonymous fact as it was.
 */
export function anonymisedCase(record: CaseRecord, anonymisation: CaseAnonymisation): CaseRecord {
  return {
    ...record,
    cprDigits: "",
    age: ageOfGroup(anonymisation.ageGroup),
    health: "",
    social: "",
    question: "",
    acuteReason: "",
    decisionNote: "",
    additionalInfo: "",
    anonymised: anonymisation,
  };
}

/**
 * The joint plan with its text gone (efforts, framework, changes, notes, what the citizen
 * consented to share); its state, versions, owners, approvals and dates stay.
 */
export function anonymisedPlan(plan: PlanRecord, now: Date): PlanRecord {
  const at = now.toISOString();
  const rest: Omit<PlanRecord, "content"> & { content?: PlanRecord["content"] } = { ...plan };
  delete rest.content;
  return {
    ...rest,
    changes: [],
    ...(plan.consent
      ? {
          consent: {
            ...plan.consent,
            efforts: [],
            sharedInformation: [],
            note: "",
            ...(plan.consent.withdrawalNote !== undefined ? { withdrawalNote: "" } : {}),
          },
        }
      : {}),
    ...(plan.refusal ? { refusal: { ...plan.refusal, note: "" } } : {}),
    ...(plan.ended ? { ended: { ...plan.ended, note: "" } } : {}),
    followUps: plan.followUps.map((f) => ({ ...f, note: "" })),
    updatedAt: at,
    anonymisedAt: at,
  };
}

/**
 * When a bostøtte decision's clock starts: the later of the decision and the last day of
 * the support it is about (a grant's end or review date, a termination's end date).
 */
export function bostotteClockStart(record: Pick<BostotteRecord, "decidedAt" | "decision">): string {
  const d = record.decision;
  const dates = [d.kind === "bevilling" ? (d.frame.to ?? d.frame.review) : d.kind === "ophoer" ? d.endDate : undefined];
  let start = utc(record.decidedAt);
  for (const date of dates) {
    const day = date ? DateTime.fromISO(date, { zone: "UTC" }) : undefined;
    if (day?.isValid && day > start) start = day;
  }
  return start.toISO()!;
}

/** What retention does with a citizen's own rows (see {@link citizenVerdict}). */
export interface CitizenVerdict {
  decisionIds: string[];
  followers: string[];
  /** Nothing of the citizen is left: their row (the sealed CPR number) goes. */
  citizen: boolean;
  /** When the next clock of what is left runs out is worth a look; undefined when only held cases keep the citizen. */
  next?: string;
}

/**
 * A citizen's own rows: each bostøtte decision goes `months` after its clock started; a
 * following lapses once it is that old and nothing else — a case still held, a decision —
 * keeps the citizen; when nothing is left, the citizen's row goes too.
 */
export function citizenVerdict(
  citizen: { heldCases: number; decisions: readonly BostotteRecord[]; followers: readonly Follower[] },
  now: Date,
  months: number,
): CitizenVerdict {
  const decisions = citizen.decisions.map((d) => ({ id: d.id, start: bostotteClockStart(d) }));
  const decisionsDue = decisions.filter((d) => isDue(d.start, now, months));
  const decisionsLeft = decisions.filter((d) => !isDue(d.start, now, months));
  const followersFree = citizen.heldCases === 0 && decisionsLeft.length === 0;
  const followersDue = followersFree ? citizen.followers.filter((f) => isDue(f.since, now, months)) : [];
  const followersLeft = citizen.followers.filter((f) => !followersDue.includes(f));
  const clocks = decisionsLeft.length > 0 ? decisionsLeft.map((d) => d.start) : followersFree ? followersLeft.map((f) => f.since) : [];
  const next = clocks.sort((a, b) => utc(a).toMillis() - utc(b).toMillis())[0];
  return {
    decisionIds: decisionsDue.map((d) => d.id),
    followers: followersDue.map((f) => f.aadObjectId),
    citizen: citizen.heldCases === 0 && decisionsLeft.length === 0 && followersLeft.length === 0,
    ...(next ? { next } : {}),
  };
}

export interface RetentionDeps {
  cases: Pick<CaseRepository, "get">;
  plans: Pick<PlanRepository, "get" | "save">;
  privacy: PrivacyStore;
  clock: Clock;
}

/** What one run did, for the log and the tests. */
export interface RetentionRun {
  anonymisedCases: number[];
  /** Citizens some of whose rows were deleted. */
  erasedCitizens: string[];
  auditRowsDeleted: number;
}

/**
 * The daily retention job for one municipality (lease-guarded by the scheduler, so once
 * across instances; idempotent, so a repeat or an overlap changes nothing twice): deletes
 * the personal data that is due, then the audit rows older than `retention.auditMonths`. A
 * subject that fails is left for the next run; the others go on, and the run then fails so
 * the scheduler logs it.
 */
export async function applyRetention(deps: RetentionDeps, municipality: Municipality): Promise<RetentionRun> {
  const { tenantId, retention } = municipality;
  const now = deps.clock.now();
  const run: RetentionRun = { anonymisedCases: [], erasedCitizens: [], auditRowsDeleted: 0 };
  const untilMonth = monthOf(plusMonths(now, -retention.closedCaseMonths));
  const candidates = await deps.privacy.retentionCandidates(tenantId, untilMonth, CANDIDATES_PER_RUN);
  const failures: unknown[] = [];
  for (const candidate of candidates) {
    try {
      if (candidate.subject.kind === "case") await retainCase(deps, municipality, candidate, candidate.subject.caseNo, now, run);
      else await retainCitizen(deps, municipality, candidate.subject.citizenId, candidate.month, now, run);
    } catch (error) {
      failures.push(error);
    }
  }
  run.auditRowsDeleted = await deps.privacy.deleteAuditBefore(
    tenantId,
    new Date(plusMonths(now, -retention.auditMonths)),
    AUDIT_ROWS_PER_RUN,
  );
  if (failures.length > 0) throw new AggregateError(failures, `retention: ${failures.length} subject(s) failed and wait for the next run`);
  return run;
}

async function retainCase(
  deps: RetentionDeps,
  municipality: Municipality,
  candidate: RetentionCandidate,
  caseNo: number,
  now: Date,
  run: RetentionRun,
): Promise<void> {
  const { tenantId, retention } = municipality;
  const record = await deps.cases.get(tenantId, caseNo);
  if (!record || record.anonymised) return deps.privacy.dropRetention(tenantId, candidate);
  const plan = record.state === "visitated" ? await deps.plans.get(tenantId, caseNo) : undefined;
  const start = retentionStart(record, plan, retention, `${candidate.month}-01T00:00:00.000Z`);
  // Still under way: the change that ends it notes it again.
  if (!start) return deps.privacy.dropRetention(tenantId, candidate);
  if (!isDue(start, now, retention.closedCaseMonths)) return moveOn(deps, tenantId, candidate, monthOf(start));

  // The plan's text first: the case's mark is what says "done", so a run cut off in between is completed by the next.
  if (plan && !plan.anonymisedAt) {
    const saved = await deps.plans.save(
      anonymisedPlan(plan, now),
      plan.revision,
      retentionAudit(now, "anonymise", `retention: the joint plan's text deleted ${retention.closedCaseMonths} months after it ended`),
      [],
    );
    if (!saved) return; // changed meanwhile: the next run looks again
  }
  const done = await deps.privacy.anonymiseCase(
    tenantId,
    caseNo,
    record.version,
    anonymisationOf(record, retention, now),
    retentionAudit(now, "anonymise", `retention: personal data deleted ${retention.closedCaseMonths} months after the case ended`),
    candidate.month,
  );
  if (!done) return; // changed meanwhile: the next run looks again
  run.anonymisedCases.push(caseNo);
  if (done.citizenId) await retainCitizen(deps, municipality, done.citizenId, candidate.month, now, run);
  await deps.privacy.dropRetention(tenantId, candidate);
}

async function retainCitizen(
  deps: RetentionDeps,
  municipality: Municipality,
  citizenId: string,
  month: string,
  now: Date,
  run: RetentionRun,
): Promise<void> {
  const { tenantId, retention } = municipality;
  const candidate: RetentionCandidate = { month, subject: { kind: "citizen", citizenId } };
  const stored = await deps.privacy.citizenRecords(tenantId, citizenId);
  if (!stored) return deps.privacy.dropRetention(tenantId, candidate);
  const held: number[] = [];
  const gone: number[] = [];
  for (const link of stored.links.cases) {
    const record = await deps.cases.get(tenantId, link.caseNo);
    (record && !record.anonymised ? held : gone).push(link.caseNo);
  }
  const verdict = citizenVerdict(
    { heldCases: held.length, decisions: stored.decisions, followers: stored.links.followers },
    now,
    retention.closedCaseMonths,
  );
  const erasure: CitizenErasure = {
    caseLinks: gone,
    decisionIds: verdict.decisionIds,
    followers: verdict.followers,
    citizen: verdict.citizen,
  };
  if (erasure.citizen || erasure.caseLinks.length + erasure.decisionIds.length + erasure.followers.length > 0) {
    await deps.privacy.eraseCitizenData(
      tenantId,
      citizenId,
      erasure,
      retentionAudit(now, "retention-erase", `retention after ${retention.closedCaseMonths} months: ${erasureText(erasure)}`),
    );
    run.erasedCitizens.push(citizenId);
  }
  if (verdict.next) await moveOn(deps, tenantId, candidate, monthOf(verdict.next));
  else await deps.privacy.dropRetention(tenantId, candidate);
}

/** Keeps a candidate whose clock has not run out, moved to the month it started so earlier months empty. */
async function moveOn(deps: RetentionDeps, tenantId: string, candidate: RetentionCandidate, month: string): Promise<void> {
  if (month <= candidate.month) return;
  await deps.privacy.noteRetention(tenantId, candidate.subject, month);
  await deps.privacy.dropRetention(tenantId, candidate);
}

function retentionAudit(now: Date, action: AuditEntry["action"], purpose: string): AuditEntry {
  return { at: now.toISOString(), user: RETENTION_ACTOR, action, purpose };
}

function erasureText(e: CitizenErasure): string {
  const parts = [
    e.caseLinks.length > 0 ? `${e.caseLinks.length} case link(s)` : "",
    e.decisionIds.length > 0 ? `${e.decisionIds.length} bostøtte decision(s)` : "",
    e.followers.length > 0 ? `${e.followers.length} follower(s)` : "",
    e.citizen ? "the citizen's CPR number" : "",
  ];
  return parts.filter(Boolean).join(", ");
}

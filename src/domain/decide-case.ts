import { canDecide, isSocialCaseworker } from "./access.js";
import { bookFirstFree, bookingCandidates, parseMeetingKey, placementIn } from "./booking.js";
import { parseCpr } from "./cpr.js";
import { checkNote, normaliseText, type CaseRecord } from "./case.js";
import { transition, type DecisionKind } from "./case-lifecycle.js";
import type { Municipality } from "./municipality.js";
import { moveCase, releaseUnlessHeld, type MoveDeps } from "./move-case.js";
import { notification, type Notification } from "./notification.js";
import type { AuditEntry, CasePatch } from "./ports.js";
import { decidedEvent, recordOverview } from "./overview-events.js";

export interface DecisionInput {
  decision: DecisionKind | "";
  socialCaseworker: string;
  /** Why there is no basis (no-basis) or what is missing (more-information). */
  note: string;
}

export type DecisionFieldError = "decision.required" | "social-caseworker.required" | "note.required" | "note.too-long";

export type DecideOutcome =
  | { kind: "decided"; record: CaseRecord }
  | { kind: "invalid"; record: CaseRecord; errors: Partial<Record<"decision" | "socialCaseworker" | "note", DecisionFieldError>> }
  | { kind: "already-decided"; record: CaseRecord }
  | { kind: "stale"; record: CaseRecord }
  | { kind: "not-allowed"; record: CaseRecord }
  | { kind: "not-allowed-now"; record: CaseRecord }
  | { kind: "no-free-meeting"; record: CaseRecord }
  | { kind: "unknown-case" };

export interface DecideCommand {
  municipality: Municipality;
  caseNo: number;
  /** The case version the card showed: a decision is only ever made on what the coordinator saw. */
  expectedVersion: number;
  input: DecisionInput;
  by: { aadObjectId: string; name: string };
}

/**
 * A coordinator records the forum's decision (SPEC §5). Exactly one decision wins: the
 * change is conditional on the case version the card showed, so of two coordinators
 * pressing at once the second sees the first one's decision; a stale or re-delivered card
 * changes nothing. The card update and every notification commit with the decision.
 */
export async function decideCase(deps: MoveDeps, command: DecideCommand): Promise<DecideOutcome> {
  const outcome = await decide(deps, command);
  // The overview's event is built from the stored decision, so a re-delivered press (already
  // decided) writes the same row again: it completes an event cut off the first time.
  if (outcome.kind === "decided" || outcome.kind === "already-decided") {
    await recordOverview(deps.overview, command.municipality.tenantId, [decidedEvent(outcome.record)], deps.clock.now());
  }
  return outcome;
}

async function decide(deps: MoveDeps, command: DecideCommand): Promise<DecideOutcome> {
  const { municipality, by } = command;
  const tenantId = municipality.tenantId;
  const now = deps.clock.now();
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  const refuse = async (kind: "not-allowed" | "stale", purpose: string) => {
    await deps.cases.audit(tenantId, record.caseNo, { at: now.toISOString(), user: by.aadObjectId, action: "decide-refused", purpose });
    return { kind, record } as const;
  };
  if (!canDecide(municipality, record.forumId, by.aadObjectId)) return refuse("not-allowed", "not a coordinator of the forum");
  // Taken back by its caseworker: nothing left to decide, whatever the card showed.
  if (record.state === "withdrawn") return { kind: "not-allowed-now", record };
  if (record.version !== command.expectedVersion) {
    if (record.decision && record.state !== "booked") return { kind: "already-decided", record };
    return refuse("stale", `card version ${command.expectedVersion}, case version ${record.version}`);
  }

  const errors = validateDecision(municipality, command.input);
  if (Object.keys(errors).length > 0) return { kind: "invalid", record, errors };
  const decision = command.input.decision as DecisionKind;
  const step = transition(record.state, decision);
  if (!step.ok) return step.error === "case.already-decided" ? { kind: "already-decided", record } : { kind: "not-allowed-now", record };

  const decided: CasePatch = {
    decision,
    decidedBy: by.aadObjectId,
    decidedByName: by.name,
    decidedAt: now.toISOString(),
    decisionNote: decision === "no-basis" || decision === "more-information" ? normaliseText(command.input.note) : "",
  };
  const audit = { at: now.toISOString(), user: by.aadObjectId, action: "decide" as const, purpose: decision };

  if (decision === "postpone" && record.state === "acute") {
    // Udsæt on an acute case: it holds no slot yet, so it is booked into the next meeting with a free slot.
    const booked = await bookIntoNextMeeting(
      deps,
      municipality,
      record,
      { ...decided, state: step.next, postponements: record.postponements + 1 },
      audit,
      (next) => [
        caseCardUpdate(next, now),
        notification(
          tenantId,
          `case:${next.caseNo}:moved:v${next.version}`,
          { kind: "personal", aadObjectId: next.raisedBy },
          { kind: "case-moved", caseNo: next.caseNo, reason: "postponed" },
          now,
        ),
      ],
    );
    if (booked.kind === "booked") return { kind: "decided", record: booked.record };
    if (booked.kind === "no-free-meeting") return { kind: "no-free-meeting", record };
    if (booked.kind === "lost" && booked.latest)
      return booked.latest.decision ? { kind: "already-decided", record: booked.latest } : { kind: "stale", record: booked.latest };
    return { kind: "unknown-case" };
  }
  if (decision === "postpone") {
    // Udsæt: the case moves to the next meeting with a free slot; the caseworker is told.
    const moved = await moveCase(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      target: { kind: "next" },
      by: by.aadObjectId,
      reason: "postponed",
      extra: decided,
    });
    if (moved.kind === "moved") return { kind: "decided", record: moved.record };
    if (moved.kind === "stale")
      return moved.record.decision ? { kind: "already-decided", record: moved.record } : { kind: "stale", record: moved.record };
    if (moved.kind === "no-free-meeting") return { kind: "no-free-meeting", record };
    return { kind: "not-allowed-now", record };
  }

  const patch: CasePatch = {
    ...decided,
    state: step.next,
    ...(decision === "start" ? { socialCaseworker: command.input.socialCaseworker } : {}),
  };
  const changed = await deps.cases.change(tenantId, record.caseNo, record.version, patch, audit, (next) => decisionMessages(next, now));
  if (changed) return { kind: "decided", record: changed };
  const latest = await deps.cases.get(tenantId, record.caseNo);
  if (!latest) return { kind: "unknown-case" };
  return latest.decision ? { kind: "already-decided", record: latest } : { kind: "stale", record: latest };
}

function validateDecision(municipality: Municipality, input: DecisionInput): Extract<DecideOutcome, { kind: "invalid" }>["errors"] {
  const errors: Extract<DecideOutcome, { kind: "invalid" }>["errors"] = {};
  if (!input.decision) errors.decision = "decision.required";
  if (input.decision === "start" && !isSocialCaseworker(municipality, input.socialCaseworker))
    errors.socialCaseworker = "social-caseworker.required";
  if (input.decision === "no-basis" || input.decision === "more-information") {
    const note = checkNote(input.note);
    if (!note.ok) errors.note = note.error;
  }
  return errors;
}

/** Who must know about a decision (SPEC §7), each message keyed to this decision only. */
export function decisionMessages(record: CaseRecord, now: Date): Notification[] {
  const t = record.tenantId;
  const key = `case:${record.caseNo}:v${record.version}`;
  const messages = [
    caseCardUpdate(record, now),
    notification(
      t,
      `${key}:decision:raiser`,
      { kind: "personal", aadObjectId: record.raisedBy },
      { kind: "decision", caseNo: record.caseNo, audience: "raiser" },
      now,
    ),
  ];
  if (record.decision === "start" && record.socialCaseworker) {
    messages.push(
      notification(
        t,
        `${key}:decision:social`,
        { kind: "personal", aadObjectId: record.socialCaseworker },
        { kind: "decision", caseNo: record.caseNo, audience: "social-caseworker" },
        now,
      ),
    );
  }
  return messages;
}

export type AddInformationOutcome =
  | { kind: "added"; record: CaseRecord }
  | { kind: "invalid"; record: CaseRecord; error: "note.required" | "note.too-long" }
  | { kind: "not-allowed" }
  | { kind: "not-awaiting"; record: CaseRecord }
  | { kind: "no-free-meeting"; record: CaseRecord }
  | { kind: "unknown-case" };

/**
 * The caseworker adds what the forum asked for (SPEC §5 "Mere information"): the case
 * goes back on the agenda of the next meeting with a free slot, and its card says so.
 */
export async function addInformation(
  deps: MoveDeps,
  command: { municipality: Municipality; caseNo: number; expectedVersion: number; text: string; by: string },
): Promise<AddInformationOutcome> {
  const { municipality } = command;
  const tenantId = municipality.tenantId;
  const record = await deps.cases.get(tenantId, command.caseNo);
  if (!record) return { kind: "unknown-case" };
  if (record.raisedBy !== command.by) return { kind: "not-allowed" };
  if (record.version !== command.expectedVersion || !transition(record.state, "information-added").ok)
    return { kind: "not-awaiting", record };
  const note = checkNote(command.text);
  if (!note.ok) return { kind: "invalid", record, error: note.error };

  const now = deps.clock.now();
  const booked = await bookIntoNextMeeting(
    deps,
    municipality,
    record,
    { state: "booked", additionalInfo: [record.additionalInfo, note.text].filter(Boolean).join("\n\n") },
    { at: now.toISOString(), user: command.by, action: "add-information", purpose: "more information for the forum" },
    (next) => [caseCardUpdate(next, now)],
  );
  switch (booked.kind) {
    case "booked":
      return { kind: "added", record: booked.record };
    case "no-free-meeting":
      return { kind: "no-free-meeting", record };
    case "lost":
      return booked.latest ? { kind: "not-awaiting", record: booked.latest } : { kind: "unknown-case" };
  }
}

/** The case's card in the forum channel is edited to show this version. */
function caseCardUpdate(record: CaseRecord, now: Date): Notification {
  return notification(
    record.tenantId,
    `case:${record.caseNo}:v${record.version}:card`,
    { kind: "forum-channel", forumId: record.forumId },
    { kind: "case-card", caseNo: record.caseNo, mode: "update" },
    now,
  );
}

/**
 * Books a case that holds no slot (acute, or waiting for information) into the next
 * meeting with a free slot, together with `patch`, conditional on the version read. The
 * slot is claimed first and given back when the change loses its race.
 */
async function bookIntoNextMeeting(
  deps: MoveDeps,
  municipality: Municipality,
  record: CaseRecord,
  patch: CasePatch,
  audit: AuditEntry,
  messages: (next: CaseRecord) => Notification[],
): Promise<{ kind: "booked"; record: CaseRecord } | { kind: "no-free-meeting" } | { kind: "lost"; latest: CaseRecord | undefined }> {
  const tenantId = municipality.tenantId;
  const cpr = parseCpr(record.cprDigits);
  if (!cpr.ok) return { kind: "lost", latest: undefined };
  const candidates = bookingCandidates(municipality, cpr.cpr.birthDate, deps.calendar.openForBooking(municipality, deps.clock.now()));
  const booking = await bookFirstFree(deps.meetings, tenantId, candidates, record.caseNo);
  if (!booking) return { kind: "no-free-meeting" };
  const changed = await deps.cases.change(
    tenantId,
    record.caseNo,
    record.version,
    { ...patch, ...placementIn(booking.meeting, booking.slot, cpr.cpr.birthDate) },
    audit,
    messages,
  );
  if (!changed) {
    const latest = await deps.cases.get(tenantId, record.caseNo);
    await releaseUnlessHeld(deps, tenantId, latest, booking.meeting, booking.slot, record.caseNo);
    return { kind: "lost", latest };
  }
  // A case that still held a slot elsewhere (an old booking) gives it back.
  const old = record.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  if (old && record.slot !== undefined && record.meetingKey !== changed.meetingKey)
    await deps.meetings.releaseSlot(tenantId, old, record.slot, record.caseNo);
  return { kind: "booked", record: changed };
}

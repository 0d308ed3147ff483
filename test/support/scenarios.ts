import { randomUUID } from "node:crypto";
import { meetingKey, parseMeetingKey } from "../../src/domain/booking.js";
import type { CaseDraft } from "../../src/domain/case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { raiseCase, type RaiseCaseOutcome } from "../../src/domain/raise-case.js";
import { CASEWORKER, fakeCprForAge, validDraft } from "./fixtures.js";
import { MONDAY_MORNING, type InMemoryPorts } from "./in-memory/index.js";

/** A citizen of 45: always the adult forum. */
export const ADULT_CPR = fakeCprForAge(45, MONDAY_MORNING);
/** A citizen of 20: always the youth forum. */
export const YOUTH_CPR = fakeCprForAge(20, MONDAY_MORNING);

/** Raises a case through the use case, as a caseworker's form would; fails the test unless it was raised. */
export async function raised(
  ports: InMemoryPorts,
  municipality: Municipality,
  draft: Partial<CaseDraft> = {},
  submissionId: string = randomUUID(),
): Promise<Extract<RaiseCaseOutcome, { kind: "raised" }>> {
  const outcome = await raiseCase(ports, { municipality, submissionId, user: CASEWORKER, draft: validDraft({ cpr: ADULT_CPR, ...draft }) });
  if (outcome.kind !== "raised") throw new Error(`expected the case to be raised, got ${outcome.kind}`);
  return outcome;
}

/**
 * Takes every slot of the forum's meetings open for booking now (with case numbers no
 * real case has), except the meetings listed by key.
 */
export async function fillOpenMeetings(
  ports: InMemoryPorts,
  municipality: Municipality,
  forumId: string,
  except: string[] = [],
): Promise<void> {
  let filler = 900_000;
  for (const meeting of ports.calendar.openForBooking(municipality, ports.clock.now())) {
    if (meeting.forumId !== forumId || except.includes(meetingKey(meeting))) continue;
    for (let slot = 0; slot < meeting.capacity; slot++) await ports.meetings.claimSlot(municipality.tenantId, meeting, filler++);
  }
}

/** A meeting by its key, e.g. `voksne:2026-11-25`. */
export function meetingOf(key: string): { forumId: string; date: string } {
  const meeting = parseMeetingKey(key);
  if (!meeting) throw new Error(`not a meeting key: ${key}`);
  return meeting;
}

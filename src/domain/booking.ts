import { ageOn, type LocalDate } from "./cpr.js";
import { forumForAge, type Municipality } from "./municipality.js";
import type { MeetingRepository, MeetingSlotsSeen } from "./ports.js";

/** The least the booking rules need to know about a meeting. */
export interface MeetingRef {
  forumId: string;
  /** Local meeting date, YYYY-MM-DD. */
  date: string;
  startsAt: Date;
  capacity: number;
}

export function meetingKey(meeting: { forumId: string; date: string }): string {
  return `${meeting.forumId}:${meeting.date}`;
}

export function parseMeetingKey(key: string): { forumId: string; date: string } | undefined {
  const match = /^([a-z0-9-]{1,32}):(\d{4}-\d{2}-\d{2})$/.exec(key);
  return match ? { forumId: match[1]!, date: match[2]! } : undefined;
}

/** When a case's slot starts: slots follow each other from the meeting's start. */
export function slotStartsAt(meeting: { startsAt: Date; slotMinutes: number }, slot: number): Date {
  return new Date(meeting.startsAt.getTime() + slot * meeting.slotMinutes * 60_000);
}

export function localDateOf(isoDate: string): LocalDate {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return { year, month, day };
}

/**
 * The meetings a citizen may be booked into, best first (SPEC §3.4–3.5): chronological
 * across all forums, keeping only meetings of the forum the citizen belongs to *on that
 * meeting's date*. A citizen who turns 30 before the youth forum's next meeting is thus
 * offered the adult forum's meetings (seed 001: "op til og med 29 år" / "30 år og ældre").
 * Whether a meeting still has a free slot is decided by storage when claiming one.
 */
export function bookingCandidates<M extends MeetingRef>(municipality: Municipality, birthDate: LocalDate, openMeetings: readonly M[]): M[] {
  return [...openMeetings]
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.forumId.localeCompare(b.forumId))
    .filter((m) => forumForAge(municipality, ageOn(birthDate, localDateOf(m.date)))?.id === m.forumId);
}

/** What a case row records of its booking: the meeting, the slot, and forum and age as on that meeting's date. */
export function placementIn(meeting: { forumId: string; date: string }, slot: number, birthDate: LocalDate) {
  return { meetingKey: meetingKey(meeting), slot, forumId: meeting.forumId, age: ageOn(birthDate, localDateOf(meeting.date)) };
}

export interface Booking<M extends MeetingRef = MeetingRef> {
  meeting: M;
  slot: number;
  /** Meetings passed over because they were full (or cancelled) — the caseworker is told. */
  skippedFull: M[];
}

/**
 * Books the case into the first candidate with a free slot (SPEC §4: "When a meeting is
 * full, the case goes to the next meeting with a free slot").
 */
export async function bookFirstFree<M extends MeetingRef>(
  meetings: MeetingRepository,
  tenantId: string,
  candidates: readonly M[],
  caseNo: number,
  /** The first candidate as read already (see `MeetingRepository.slotsSeen`). */
  firstSeen?: MeetingSlotsSeen,
): Promise<Booking<M> | undefined> {
  const skippedFull: M[] = [];
  for (const [i, meeting] of candidates.entries()) {
    const slot = await meetings.claimSlot(tenantId, meeting, caseNo, i === 0 ? firstSeen : undefined);
    if (slot !== undefined) return { meeting, slot, skippedFull };
    skippedFull.push(meeting);
  }
  return undefined;
}

import type { Notification } from "../../../src/domain/notification.js";
import type { MeetingRepository, MeetingSlotRef, MeetingSlotsSeen, MeetingStatus } from "../../../src/domain/ports.js";
import { DuplicateMessageError, meetingSource, type InMemoryOutbox } from "./in-memory-outbox.js";

type MeetingKey = { forumId: string; date: string };

/**
 * Meeting slots in memory, with the semantics of `TableMeetingRepository`: one slot per
 * case, never more than the capacity, none in a cancelled meeting; once-only marks.
 */
export class InMemoryMeetingRepository implements MeetingRepository {
  private readonly slots = new Map<string, Map<number, number>>();
  private readonly statuses = new Map<string, MeetingStatus>();

  constructor(private readonly outbox: InMemoryOutbox) {}

  /** `seen` only saves Table Storage a read; memory always knows the meeting as it is now. */
  async claimSlot(tenantId: string, meeting: MeetingSlotRef, caseNo: number, _seen?: MeetingSlotsSeen): Promise<number | undefined> {
    const taken = this.slotsOf(tenantId, meeting);
    for (const [slot, holder] of taken) if (holder === caseNo) return slot;
    if (this.statusOf(tenantId, meeting).cancelled) return undefined;
    for (let slot = 0; slot < meeting.capacity; slot++) {
      if (taken.has(slot)) continue;
      taken.set(slot, caseNo);
      return slot;
    }
    return undefined;
  }

  async slotsSeen(tenantId: string, meeting: MeetingKey): Promise<MeetingSlotsSeen> {
    return { bookings: await this.bookings(tenantId, meeting), cancelled: this.statusOf(tenantId, meeting).cancelled };
  }

  async releaseSlot(tenantId: string, meeting: MeetingKey, slot: number, caseNo: number): Promise<void> {
    const taken = this.slotsOf(tenantId, meeting);
    if (taken.get(slot) === caseNo) taken.delete(slot);
  }

  async bookings(tenantId: string, meeting: MeetingKey): Promise<{ slot: number; caseNo: number }[]> {
    return [...this.slotsOf(tenantId, meeting)].map(([slot, caseNo]) => ({ slot, caseNo })).sort((a, b) => a.slot - b.slot);
  }

  async status(tenantId: string, meeting: MeetingKey): Promise<MeetingStatus> {
    return { ...this.statusOf(tenantId, meeting) };
  }

  async cancel(tenantId: string, meeting: MeetingSlotRef, by: string): Promise<boolean> {
    const current = this.statusOf(tenantId, meeting);
    if (current.cancelled) return false;
    this.statuses.set(meetingSource(tenantId, meeting), { ...current, cancelled: true, cancelledBy: by });
    return true;
  }

  async publishAgenda(tenantId: string, meeting: MeetingKey, at: Date, message: Notification): Promise<boolean> {
    return this.markOnce(tenantId, meeting, "agendaPublishedAt", at, [message]);
  }

  async markRolledOver(tenantId: string, meeting: MeetingKey, at: Date): Promise<boolean> {
    return this.markOnce(tenantId, meeting, "rolledOverAt", at, []);
  }

  private markOnce(
    tenantId: string,
    meeting: MeetingKey,
    mark: "agendaPublishedAt" | "rolledOverAt",
    at: Date,
    messages: Notification[],
  ): boolean {
    const current = this.statusOf(tenantId, meeting);
    if (current[mark]) return false;
    try {
      this.outbox.commit(meetingSource(tenantId, meeting), messages);
    } catch (error) {
      if (error instanceof DuplicateMessageError) return false;
      throw error;
    }
    this.statuses.set(meetingSource(tenantId, meeting), { ...current, [mark]: at.toISOString() });
    return true;
  }

  private statusOf(tenantId: string, meeting: MeetingKey): MeetingStatus {
    return this.statuses.get(meetingSource(tenantId, meeting)) ?? { cancelled: false };
  }

  private slotsOf(tenantId: string, meeting: MeetingKey): Map<number, number> {
    const source = meetingSource(tenantId, meeting);
    let taken = this.slots.get(source);
    if (!taken) this.slots.set(source, (taken = new Map()));
    return taken;
  }
}

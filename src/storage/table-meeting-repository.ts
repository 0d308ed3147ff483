import type { TableClient } from "@azure/data-tables";
import type { Notification } from "../domain/notification.js";
import type { MeetingRepository, MeetingSlotRef, MeetingStatus } from "../domain/ports.js";
import type { TableOutbox } from "./table-outbox.js";
import { storageStatusOf as statusOf } from "./storage-errors.js";
import { assertSafeKeyPart, keys, MEETING_ROW, ROW_PREFIX, rowsWithPrefix } from "./table-layout.js";

interface MeetingEntity {
  cancelled?: boolean;
  cancelledBy?: string;
  agendaPublishedAt?: string;
  rolledOverAt?: string;
}

type MeetingKey = { forumId: string; date: string };

export class TableMeetingRepository implements MeetingRepository {
  constructor(
    private readonly table: TableClient,
    private readonly outbox: TableOutbox,
  ) {}

  async claimSlot(tenantId: string, meeting: MeetingSlotRef, caseNo: number): Promise<number | undefined> {
    const pk = this.partition(tenantId, meeting);
    const taken = await this.bookings(tenantId, meeting);
    const mine = taken.find((b) => b.caseNo === caseNo);
    if (mine) return mine.slot;

    const used = new Set(taken.map((b) => b.slot));
    for (let slot = 0; slot < meeting.capacity; slot++) {
      if (used.has(slot)) continue;
      try {
        await this.table.createEntity({ partitionKey: pk, rowKey: keys.slotRow(slot), caseNo, slot });
      } catch (error) {
        if (statusOf(error) === 409) continue; // someone booked it a moment ago: try the next
        throw error;
      }
      // A cancellation marks the meeting first and then moves its cases, so checking after
      // the claim closes the race: either the canceller sees this slot, or we see the mark.
      if ((await this.status(tenantId, meeting)).cancelled) {
        await this.releaseSlot(tenantId, meeting, slot, caseNo);
        return undefined;
      }
      return slot;
    }
    return undefined;
  }

  async releaseSlot(tenantId: string, meeting: MeetingKey, slot: number, caseNo: number): Promise<void> {
    const pk = this.partition(tenantId, meeting);
    try {
      const row = await this.table.getEntity<{ caseNo: number }>(pk, keys.slotRow(slot));
      if (row.caseNo !== caseNo) return; // already someone else's
      await this.table.deleteEntity(pk, keys.slotRow(slot), { etag: row.etag });
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 412) return;
      throw error;
    }
  }

  async bookings(tenantId: string, meeting: MeetingKey): Promise<{ slot: number; caseNo: number }[]> {
    const pk = this.partition(tenantId, meeting);
    const rows = this.table.listEntities<{ slot: number; caseNo: number }>({
      queryOptions: { filter: rowsWithPrefix(pk, ROW_PREFIX.slot), select: ["slot", "caseNo"] },
    });
    const out: { slot: number; caseNo: number }[] = [];
    for await (const row of rows) out.push({ slot: row.slot, caseNo: row.caseNo });
    return out.sort((a, b) => a.slot - b.slot);
  }

  async status(tenantId: string, meeting: MeetingKey): Promise<MeetingStatus> {
    try {
      const row = await this.table.getEntity<MeetingEntity>(this.partition(tenantId, meeting), MEETING_ROW);
      return {
        cancelled: row.cancelled === true,
        cancelledBy: row.cancelledBy,
        agendaPublishedAt: row.agendaPublishedAt,
        rolledOverAt: row.rolledOverAt,
      };
    } catch (error) {
      if (statusOf(error) === 404) return { cancelled: false };
      throw error;
    }
  }

  async cancel(tenantId: string, meeting: MeetingKey, by: string): Promise<boolean> {
    const pk = this.partition(tenantId, meeting);
    for (;;) {
      let current: (MeetingEntity & { etag: string }) | undefined;
      try {
        current = await this.table.getEntity<MeetingEntity>(pk, MEETING_ROW);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      if (current?.cancelled) return false;
      try {
        if (current) {
          await this.table.updateEntity({ partitionKey: pk, rowKey: MEETING_ROW, cancelled: true, cancelledBy: by }, "Merge", {
            etag: current.etag,
          });
        } else {
          await this.table.createEntity({ partitionKey: pk, rowKey: MEETING_ROW, cancelled: true, cancelledBy: by });
        }
        return true;
      } catch (error) {
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
      }
    }
  }

  async publishAgenda(tenantId: string, meeting: MeetingKey, at: Date, message: Notification): Promise<boolean> {
    return this.markOnce(tenantId, meeting, { agendaPublishedAt: at.toISOString() }, (row) => Boolean(row?.agendaPublishedAt), [message]);
  }

  async markRolledOver(tenantId: string, meeting: MeetingKey, at: Date): Promise<boolean> {
    return this.markOnce(tenantId, meeting, { rolledOverAt: at.toISOString() }, (row) => Boolean(row?.rolledOverAt), []);
  }

  /** Sets a once-only mark on the meeting row, eTag-guarded, with any messages in the same batch. */
  private async markOnce(
    tenantId: string,
    meeting: MeetingKey,
    mark: MeetingEntity,
    alreadyDone: (row: MeetingEntity | undefined) => boolean,
    messages: Notification[],
  ): Promise<boolean> {
    const pk = this.partition(tenantId, meeting);
    let current: (MeetingEntity & { etag: string }) | undefined;
    try {
      current = await this.table.getEntity<MeetingEntity>(pk, MEETING_ROW);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    if (alreadyDone(current)) return false;
    const entity = { partitionKey: pk, rowKey: MEETING_ROW, ...mark };
    try {
      await this.outbox.commit(pk, [current ? ["update", entity, "Merge", { etag: current.etag }] : ["create", entity]], messages);
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return false; // another instance did it first
      throw error;
    }
  }

  private partition(tenantId: string, meeting: MeetingKey): string {
    return keys.meetingPartition(
      assertSafeKeyPart(tenantId, "tenant id"),
      assertSafeKeyPart(meeting.forumId, "forum id"),
      assertSafeKeyPart(meeting.date, "meeting date"),
    );
  }
}

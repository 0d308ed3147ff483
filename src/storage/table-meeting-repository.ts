import type { TableClient } from "@azure/data-tables";
import type { Notification } from "../domain/notification.js";
import type { MeetingRepository, MeetingSlotRef, MeetingSlotsSeen, MeetingStatus } from "../domain/ports.js";
import type { TableOutbox } from "./table-outbox.js";
import { storageStatusOf as statusOf } from "./storage-errors.js";
import { assertSafeKeyPart, keys, MEETING_ROW, ROW_PREFIX, rowsWithPrefix } from "./table-layout.js";

/**
 * A slot row is a booking (`caseNo`), or — written by a cancellation into every slot still
 * free — a closed slot (`closed: true`) that no booking can take any more.
 */
interface SlotEntity {
  slot: number;
  caseNo?: number;
  closed?: boolean;
}

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

  /**
   * One conditional create per slot tried: a slot row can be created once, so two bookings
   * never share a slot, and a cancellation closes every free slot by creating its row (see
   * {@link cancel}), so a booking either lands before that — and the cancellation, reading
   * the bookings afterwards, moves it on — or finds no slot. `seen` saves the first read.
   */
  async claimSlot(tenantId: string, meeting: MeetingSlotRef, caseNo: number, seen?: MeetingSlotsSeen): Promise<number | undefined> {
    const pk = this.partition(tenantId, meeting);
    const view = seen ?? (await this.slotsSeen(tenantId, meeting));
    if (view.cancelled) return undefined;
    const mine = view.bookings.find((b) => b.caseNo === caseNo);
    if (mine) return mine.slot;

    const used = new Set(view.bookings.map((b) => b.slot));
    for (let slot = 0; slot < meeting.capacity; slot++) {
      if (used.has(slot)) continue;
      try {
        await this.table.createEntity<SlotEntity>({ partitionKey: pk, rowKey: keys.slotRow(slot), caseNo, slot });
        return slot;
      } catch (error) {
        if (statusOf(error) !== 409) throw error; // 409: someone booked it (or a cancellation closed it) a moment ago: try the next
      }
    }
    // An earlier look may be out of date (a slot freed since, or this case booked by a repeat of its form): look again once.
    return seen ? this.claimSlot(tenantId, meeting, caseNo) : undefined;
  }

  /** The meeting's slot rows and its cancellation mark, in one query (its outbox rows are left out). */
  async slotsSeen(tenantId: string, meeting: MeetingKey): Promise<MeetingSlotsSeen> {
    const pk = this.partition(tenantId, meeting);
    const upper = ROW_PREFIX.slot.slice(0, -1) + String.fromCharCode(ROW_PREFIX.slot.charCodeAt(ROW_PREFIX.slot.length - 1) + 1);
    const rows = this.table.listEntities<SlotEntity & MeetingEntity>({
      queryOptions: {
        filter: `PartitionKey eq '${pk.replace(/'/g, "''")}' and (RowKey eq '${MEETING_ROW}' or (RowKey ge '${ROW_PREFIX.slot}' and RowKey lt '${upper}'))`,
        select: ["RowKey", "slot", "caseNo", "cancelled"],
      },
    });
    const seen: MeetingSlotsSeen = { bookings: [], cancelled: false };
    for await (const row of rows) {
      // Closed slots (no case) come only after the cancellation mark: the meeting shows as cancelled.
      if (row.rowKey === MEETING_ROW) seen.cancelled = row.cancelled === true;
      else if (typeof row.caseNo === "number") seen.bookings.push({ slot: row.slot, caseNo: row.caseNo });
    }
    seen.bookings.sort((a, b) => a.slot - b.slot);
    return seen;
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
    const rows = this.table.listEntities<SlotEntity>({
      queryOptions: { filter: rowsWithPrefix(pk, ROW_PREFIX.slot), select: ["slot", "caseNo"] },
    });
    const out: { slot: number; caseNo: number }[] = [];
    for await (const row of rows) if (typeof row.caseNo === "number") out.push({ slot: row.slot, caseNo: row.caseNo });
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

  /**
   * Marks the meeting cancelled, then closes every slot still free (creating its row), so
   * no booking can land after the caller reads the bookings to move them on. Closing is
   * done again by a repeated cancellation, which completes one cut off half-way.
   */
  async cancel(tenantId: string, meeting: MeetingSlotRef, by: string): Promise<boolean> {
    const pk = this.partition(tenantId, meeting);
    let first = false;
    for (;;) {
      let current: (MeetingEntity & { etag: string }) | undefined;
      try {
        current = await this.table.getEntity<MeetingEntity>(pk, MEETING_ROW);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      if (current?.cancelled) break;
      try {
        if (current) {
          await this.table.updateEntity({ partitionKey: pk, rowKey: MEETING_ROW, cancelled: true, cancelledBy: by }, "Merge", {
            etag: current.etag,
          });
        } else {
          await this.table.createEntity({ partitionKey: pk, rowKey: MEETING_ROW, cancelled: true, cancelledBy: by });
        }
        first = true;
        break;
      } catch (error) {
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
      }
    }
    await Promise.all(
      Array.from({ length: meeting.capacity }, async (_, slot) => {
        try {
          await this.table.createEntity<SlotEntity>({ partitionKey: pk, rowKey: keys.slotRow(slot), slot, closed: true });
        } catch (error) {
          if (statusOf(error) !== 409) throw error; // booked, or closed already
        }
      }),
    );
    return first;
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

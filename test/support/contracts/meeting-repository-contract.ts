import { describe, expect, it } from "vitest";
import { notification, type NotificationContent, type NotificationTarget } from "../../../src/domain/notification.js";
import type { MeetingRepository, MeetingSlotRef } from "../../../src/domain/ports.js";

/** A meeting repository with a tenant nobody else uses, and a look at the messages stored beside a meeting. */
export interface MeetingRepositoryUnderTest {
  meetings: MeetingRepository;
  tenantId: string;
  otherTenantId: string;
  /** The messages committed beside the meeting, in any order. */
  messagesOf(meeting: {
    forumId: string;
    date: string;
  }): Promise<{ id: string; target: NotificationTarget; content: NotificationContent; state: string }[]>;
}

const youth = (date: string, capacity = 6): MeetingSlotRef => ({ forumId: "unge", date, capacity });
const AT = new Date("2026-11-27T11:00:00Z");

/** What every {@link MeetingRepository} must do, whatever stores it. */
export function meetingRepositoryContract(name: string, make: () => Promise<MeetingRepositoryUnderTest>): void {
  describe(`MeetingRepository contract: ${name}`, () => {
    describe("slots", () => {
      it("gives each case the lowest free slot, and a case that claims again the slot it holds", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2026-12-01");
        expect(await meetings.claimSlot(tenantId, m, 11)).toBe(0);
        expect(await meetings.claimSlot(tenantId, m, 12)).toBe(1);
        expect(await meetings.claimSlot(tenantId, m, 11)).toBe(0);
        expect(await meetings.bookings(tenantId, m)).toEqual([
          { slot: 0, caseNo: 11 },
          { slot: 1, caseNo: 12 },
        ]);
      });

      it("never books more cases than the meeting has slots", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2026-12-08", 2);
        expect(await meetings.claimSlot(tenantId, m, 1)).toBe(0);
        expect(await meetings.claimSlot(tenantId, m, 2)).toBe(1);
        expect(await meetings.claimSlot(tenantId, m, 3)).toBeUndefined();
        expect((await meetings.bookings(tenantId, m)).map((b) => b.caseNo)).toEqual([1, 2]);
      });

      it("releases a slot only while it is still that case's, and hands the freed slot out again", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2026-12-15");
        for (const caseNo of [1, 2, 3]) await meetings.claimSlot(tenantId, m, caseNo);
        await meetings.releaseSlot(tenantId, m, 1, 999);
        expect((await meetings.bookings(tenantId, m)).map((b) => b.caseNo)).toEqual([1, 2, 3]);
        await meetings.releaseSlot(tenantId, m, 1, 2);
        await meetings.releaseSlot(tenantId, m, 1, 2);
        expect(await meetings.claimSlot(tenantId, m, 4)).toBe(1);
        expect(await meetings.bookings(tenantId, m)).toEqual([
          { slot: 0, caseNo: 1 },
          { slot: 1, caseNo: 4 },
          { slot: 2, caseNo: 3 },
        ]);
      });

      it("keeps meetings and tenants apart", async () => {
        const { meetings, tenantId, otherTenantId } = await make();
        await meetings.claimSlot(tenantId, youth("2027-01-05"), 1);
        expect(await meetings.claimSlot(tenantId, youth("2027-01-12"), 2)).toBe(0);
        expect(await meetings.claimSlot(tenantId, { forumId: "voksne", date: "2027-01-05", capacity: 3 }, 3)).toBe(0);
        expect(await meetings.claimSlot(otherTenantId, youth("2027-01-05"), 1)).toBe(0);
        expect(await meetings.bookings(tenantId, youth("2027-01-05"))).toEqual([{ slot: 0, caseNo: 1 }]);
        expect(await meetings.bookings(otherTenantId, youth("2027-01-12"))).toEqual([]);
      });
    });

    describe("cancelling", () => {
      it("knows an untouched meeting as not cancelled", async () => {
        const { meetings, tenantId } = await make();
        expect(await meetings.status(tenantId, youth("2027-02-02"))).toEqual({ cancelled: false });
      });

      it("cancels a meeting once, saying who did, and books nothing more into it", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2027-02-09");
        expect(await meetings.claimSlot(tenantId, m, 1)).toBe(0);
        expect(await meetings.cancel(tenantId, m, "koordinator")).toBe(true);
        expect(await meetings.cancel(tenantId, m, "en anden")).toBe(false);
        expect(await meetings.status(tenantId, m)).toMatchObject({ cancelled: true, cancelledBy: "koordinator" });
        expect(await meetings.claimSlot(tenantId, m, 2)).toBeUndefined();
        // The cases already there are moved on by the use case, not by cancelling.
        expect(await meetings.bookings(tenantId, m)).toEqual([{ slot: 0, caseNo: 1 }]);
      });
    });

    describe("once-only marks", () => {
      it("publishes an agenda once, storing its message with the mark", async () => {
        const harness = await make();
        const { meetings, tenantId } = harness;
        const m = youth("2026-12-01");
        const message = notification(
          tenantId,
          "agenda:unge:2026-12-01",
          { kind: "forum-channel", forumId: "unge" },
          { kind: "agenda", forumId: "unge", date: "2026-12-01", late: false },
          AT,
        );
        expect(await meetings.publishAgenda(tenantId, m, AT, message)).toBe(true);
        expect(await meetings.publishAgenda(tenantId, m, new Date(AT.getTime() + 60_000), message)).toBe(false);
        expect(await meetings.status(tenantId, m)).toEqual({
          cancelled: false,
          agendaPublishedAt: AT.toISOString(),
          cancelledBy: undefined,
          rolledOverAt: undefined,
        });
        expect(await harness.messagesOf(m)).toEqual([
          {
            id: message.id,
            target: { kind: "forum-channel", forumId: "unge" },
            content: { kind: "agenda", forumId: "unge", date: "2026-12-01", late: false },
            state: "pending",
          },
        ]);
      });

      it("marks a meeting rolled over once", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2026-12-08");
        expect(await meetings.markRolledOver(tenantId, m, AT)).toBe(true);
        expect(await meetings.markRolledOver(tenantId, m, AT)).toBe(false);
        expect(await meetings.status(tenantId, m)).toMatchObject({ cancelled: false, rolledOverAt: AT.toISOString() });
      });

      it("keeps each mark apart from the others", async () => {
        const { meetings, tenantId } = await make();
        const m = youth("2026-12-15");
        const message = notification(
          tenantId,
          "agenda:unge:2026-12-15",
          { kind: "forum-channel", forumId: "unge" },
          { kind: "agenda", forumId: "unge", date: "2026-12-15", late: true },
          AT,
        );
        expect(await meetings.cancel(tenantId, m, "koordinator")).toBe(true);
        expect(await meetings.markRolledOver(tenantId, m, AT)).toBe(true);
        expect(await meetings.publishAgenda(tenantId, m, AT, message)).toBe(true);
        expect(await meetings.status(tenantId, m)).toEqual({
          cancelled: true,
          cancelledBy: "koordinator",
          rolledOverAt: AT.toISOString(),
          agendaPublishedAt: AT.toISOString(),
        });
      });
    });
  });
}

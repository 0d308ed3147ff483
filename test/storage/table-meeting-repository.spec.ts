import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { bookFirstFree, type MeetingRef } from "../../src/domain/booking.js";
import { TableMeetingRepository } from "../../src/storage/table-meeting-repository.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { openTables } from "../../src/storage/table-storage.js";

let meetings: TableMeetingRepository;

beforeAll(async () => {
  const tables = await openTables(inject("azuriteConnectionString"));
  meetings = new TableMeetingRepository(tables.cases, new TableOutbox(tables.cases, tables.outbox));
});

const meeting = (date: string, capacity = 6): MeetingRef => ({
  forumId: "unge",
  date,
  startsAt: new Date(`${date}T13:00:00Z`),
  capacity,
});

/** Races only Table Storage can lose; what every meeting repository does is in the contract. */
describe("booking slots (Azurite)", () => {
  it("never exceeds capacity: 20 concurrent bookings for a 6-slot meeting put exactly 6 there", async () => {
    const tenant = randomUUID();
    const candidates = [meeting("2026-12-01"), meeting("2026-12-08"), meeting("2026-12-15"), meeting("2026-12-22")];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bookFirstFree(meetings, tenant, candidates, 100 + i)));
    const perMeeting = new Map<string, number>();
    for (const r of results) perMeeting.set(r!.meeting.date, (perMeeting.get(r!.meeting.date) ?? 0) + 1);
    expect(perMeeting.get("2026-12-01")).toBe(6);
    expect(perMeeting.get("2026-12-08")).toBe(6);
    expect(perMeeting.get("2026-12-15")).toBe(6);
    expect(perMeeting.get("2026-12-22")).toBe(2);
    const first = await meetings.bookings(tenant, meeting("2026-12-01"));
    expect(first.map((b) => b.slot)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => `${r!.meeting.date}/${r!.slot}`)).size).toBe(20);
  });
  it("keeps a slot claimed during a cancellation only if it was claimed before the mark: claims agree with the bookings left", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-05-04");
    const [, ...claims] = await Promise.all([
      meetings.cancel(tenant, m, "koordinator"),
      ...[1, 2, 3, 4].map((caseNo) => meetings.claimSlot(tenant, m, caseNo)),
    ]);
    const claimedBy = claims.flatMap((slot, i) => (slot === undefined ? [] : [{ slot, caseNo: i + 1 }]));
    expect(await meetings.bookings(tenant, m)).toEqual(claimedBy.sort((a, b) => a.slot - b.slot));
    expect(await meetings.claimSlot(tenant, m, 9)).toBeUndefined();
  });

  it("gives no slot to a booking that looked at the meeting before it was cancelled, and counts closed slots as no bookings", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-05-11", 3);
    expect(await meetings.claimSlot(tenant, m, 1)).toBe(0);
    const seenBefore = await meetings.slotsSeen(tenant, m);
    expect(seenBefore).toEqual({ bookings: [{ slot: 0, caseNo: 1 }], cancelled: false });
    expect(await meetings.cancel(tenant, m, "koordinator")).toBe(true);
    expect(await meetings.claimSlot(tenant, m, 2, seenBefore)).toBeUndefined();
    expect(await meetings.bookings(tenant, m)).toEqual([{ slot: 0, caseNo: 1 }]);
    expect(await meetings.slotsSeen(tenant, m)).toEqual({ bookings: [{ slot: 0, caseNo: 1 }], cancelled: true });
    // Cancelling again closes nothing twice and books nothing.
    expect(await meetings.cancel(tenant, m, "koordinator")).toBe(false);
    expect(await meetings.bookings(tenant, m)).toEqual([{ slot: 0, caseNo: 1 }]);
  });

  it("books from an earlier look that has gone stale: a slot taken since is skipped, one freed since is found again", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-05-18", 2);
    const empty = await meetings.slotsSeen(tenant, m);
    expect(await meetings.claimSlot(tenant, m, 1)).toBe(0);
    expect(await meetings.claimSlot(tenant, m, 2, empty)).toBe(1);
    const full = await meetings.slotsSeen(tenant, m);
    await meetings.releaseSlot(tenant, m, 0, 1);
    expect(await meetings.claimSlot(tenant, m, 3, full)).toBe(0);
  });
});

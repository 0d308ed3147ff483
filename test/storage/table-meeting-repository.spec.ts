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

describe("booking slots (Azurite)", () => {
  it("never exceeds capacity: 20 concurrent bookings for a 6-slot meeting put exactly 6 there", async () => {
    const tenant = randomUUID();
    const candidates = [meeting("2026-12-01"), meeting("2026-12-08"), meeting("2026-12-15"), meeting("2026-12-22")];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bookFirstFree(meetings, tenant, candidates, 100 + i)),
    );
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

  it("tells which meetings were full and returns undefined when all are", async () => {
    const tenant = randomUUID();
    const small = [meeting("2027-01-05", 1), meeting("2027-01-12", 1)];
    expect((await bookFirstFree(meetings, tenant, small, 1))!.skippedFull).toEqual([]);
    expect((await bookFirstFree(meetings, tenant, small, 2))!.skippedFull.map((m) => m.date)).toEqual(["2027-01-05"]);
    expect(await bookFirstFree(meetings, tenant, small, 3)).toBeUndefined();
  });

  it("gives a case that books again the slot it already holds", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-02-02");
    expect(await meetings.claimSlot(tenant, m, 7)).toBe(0);
    expect(await meetings.claimSlot(tenant, m, 7)).toBe(0);
    expect(await meetings.bookings(tenant, m)).toEqual([{ slot: 0, caseNo: 7 }]);
  });

  it("refuses bookings into a cancelled meeting and frees a released slot", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-03-02");
    expect(await meetings.claimSlot(tenant, m, 1)).toBe(0);
    await meetings.releaseSlot(tenant, m, 0, 1);
    expect(await meetings.claimSlot(tenant, m, 2)).toBe(0);
    expect(await meetings.cancel(tenant, m, "koordinator")).toBe(true);
    expect(await meetings.cancel(tenant, m, "koordinator")).toBe(false);
    expect(await meetings.claimSlot(tenant, m, 3)).toBeUndefined();
    expect(await meetings.status(tenant, m)).toMatchObject({ cancelled: true, cancelledBy: "koordinator" });
  });

  it("does not release a slot that now belongs to another case", async () => {
    const tenant = randomUUID();
    const m = meeting("2027-04-06");
    await meetings.claimSlot(tenant, m, 1);
    await meetings.releaseSlot(tenant, m, 0, 999);
    expect(await meetings.bookings(tenant, m)).toEqual([{ slot: 0, caseNo: 1 }]);
  });
});

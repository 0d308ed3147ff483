import { describe, expect, it } from "vitest";
import { bookFirstFree, bookingCandidates, parseMeetingKey, meetingKey } from "../../src/domain/booking.js";
import { testMunicipality } from "../support/fixtures.js";
import { InMemoryMeetingRepository, InMemoryOutbox } from "../support/in-memory/index.js";

const municipality = testMunicipality();
const m = (forumId: string, date: string, hour = 13) => ({ forumId, date, startsAt: new Date(`${date}T${hour}:00:00Z`), capacity: 6 });

describe("bookingCandidates", () => {
  const open = [m("voksne", "2026-12-09"), m("unge", "2026-12-01"), m("unge", "2026-12-08"), m("voksne", "2026-11-25")];

  it("offers a 25-year-old only youth meetings, earliest first", () => {
    expect(bookingCandidates(municipality, { year: 2001, month: 6, day: 1 }, open).map(meetingKey)).toEqual([
      "unge:2026-12-01",
      "unge:2026-12-08",
    ]);
  });

  it("judges age on each meeting's date: a citizen turning 30 on 5 December goes to the adult forum after that", () => {
    const birth = { year: 1996, month: 12, day: 5 };
    expect(bookingCandidates(municipality, birth, open).map(meetingKey)).toEqual(["unge:2026-12-01", "voksne:2026-12-09"]);
  });

  it("offers nothing to someone too young on every meeting date", () => {
    expect(bookingCandidates(municipality, { year: 2013, month: 1, day: 1 }, open)).toEqual([]);
  });
});

describe("bookFirstFree", () => {
  const small = [
    { ...m("unge", "2027-01-05"), capacity: 1 },
    { ...m("unge", "2027-01-12"), capacity: 1 },
  ];

  it("books the first candidate with a free slot and tells which meetings were full", async () => {
    const meetings = new InMemoryMeetingRepository(new InMemoryOutbox());
    expect(await bookFirstFree(meetings, municipality.tenantId, small, 1)).toEqual({ meeting: small[0], slot: 0, skippedFull: [] });
    expect(await bookFirstFree(meetings, municipality.tenantId, small, 2)).toEqual({ meeting: small[1], slot: 0, skippedFull: [small[0]] });
    expect(await bookFirstFree(meetings, municipality.tenantId, small, 3)).toBeUndefined();
  });

  it("passes over a cancelled meeting as if it were full", async () => {
    const meetings = new InMemoryMeetingRepository(new InMemoryOutbox());
    await meetings.cancel(municipality.tenantId, small[0]!, "koordinator");
    expect(await bookFirstFree(meetings, municipality.tenantId, small, 1)).toEqual({ meeting: small[1], slot: 0, skippedFull: [small[0]] });
  });
});

describe("meeting keys", () => {
  it("round-trip and refuse anything else", () => {
    expect(parseMeetingKey(meetingKey({ forumId: "unge", date: "2026-12-01" }))).toEqual({ forumId: "unge", date: "2026-12-01" });
    expect(parseMeetingKey("unge:2026-12-01'; drop")).toBeUndefined();
  });
});

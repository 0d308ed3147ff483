import { fc, test } from "@fast-check/vitest";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCHEDULES,
  agendaDeadlineFor,
  isDayOff,
  isPublicHoliday,
  meetingById,
  meetingsWithDeadlineBetween,
  openMeetingsForBooking,
  slotStart,
  upcomingMeetings,
  type ForumSchedule,
} from "../../src/domain/calendar.js";

const ZONE = "Europe/Copenhagen";
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();

const adult = DEFAULT_SCHEDULES.voksne;
const youth = DEFAULT_SCHEDULES.unge;

const instants = fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2032-12-31T00:00:00Z"), noInvalidDate: true });
const schedules: fc.Arbitrary<ForumSchedule> = fc.oneof(
  fc.constant(adult as ForumSchedule),
  fc.constant(youth as ForumSchedule),
  fc.record({
    cadence: fc.oneof(
      fc.record({
        kind: fc.constant("weekly" as const),
        weekday: fc.integer({ min: 1, max: 5 }),
        time: fc.constantFrom("08:30", "13:00", "15:45"),
      }),
      fc.record({
        kind: fc.constant("biweekly" as const),
        weekday: fc.integer({ min: 1, max: 5 }),
        time: fc.constantFrom("09:00", "14:00"),
        isoWeekParity: fc.constantFrom("even" as const, "odd" as const),
      }),
      fc.record({
        kind: fc.constant("monthly" as const),
        weekday: fc.integer({ min: 1, max: 5 }),
        time: fc.constantFrom("10:00", "14:00"),
        nth: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, "last" as const),
      }),
    ),
    durationMinutes: fc.constantFrom(30, 60, 90),
    slotMinutes: fc.constantFrom(10, 15),
    agendaDeadline: fc.oneof(
      fc.record({ kind: fc.constant("daysBefore" as const), days: fc.integer({ min: 1, max: 7 }), time: fc.constant("12:00") }),
      fc.record({ kind: fc.constant("weekdayBefore" as const), weekday: fc.integer({ min: 1, max: 5 }), time: fc.constant("12:00") }),
    ),
  }),
);
const daysOff = fc.subarray(["12-24", "12-31", "06-05"]);

describe("the adult forum (seed 001: Wednesday 14:00 in even weeks, agenda the Monday before at 12:00)", () => {
  it("meets on 25 November and 9 December 2026 after Monday 23 November", () => {
    const [first, second] = upcomingMeetings("voksne", adult, { from: at("2026-11-23T08:00"), count: 2 });
    expect(first).toMatchObject({ date: "2026-11-25", capacity: 3, slotMinutes: 10 });
    expect(local(first!.startsAt).toFormat("cccc HH:mm")).toBe("Wednesday 14:00");
    expect(local(first!.agendaDeadline).toISO()).toBe("2026-11-23T12:00:00.000+01:00");
    expect(local(first!.endsAt).toFormat("HH:mm")).toBe("14:30");
    expect(second!.date).toBe("2026-12-09");
    expect([0, 1, 2, 3].map((i) => slotStart(first!, i) && local(slotStart(first!, i)!).toFormat("HH:mm"))).toEqual([
      "14:00",
      "14:10",
      "14:20",
      undefined,
    ]);
  });

  it("is closed for booking once Monday's 12:00 deadline has passed", () => {
    const [open] = openMeetingsForBooking("voksne", adult, { now: at("2026-11-23T12:00:01"), count: 1 });
    expect(open!.date).toBe("2026-12-09");
    const [stillOpen] = openMeetingsForBooking("voksne", adult, { now: at("2026-11-23T11:59"), count: 1 });
    expect(stillOpen!.date).toBe("2026-11-25");
  });

  it("handles a year with 53 ISO weeks: week 53 of 2026 and week 1 of 2027 are both odd, so no meeting for four weeks", () => {
    const dates = upcomingMeetings("voksne", adult, { from: at("2026-12-10T00:00"), count: 3 }).map((m) => m.date);
    // 2026-12-23 (week 52, even), then weeks 53 and 1 are odd: next is 2027-01-13 (week 2).
    expect(dates).toEqual(["2026-12-23", "2027-01-13", "2027-01-27"]);
  });

  it("supports the 'once a month' reading: the first Wednesday", () => {
    const monthly: ForumSchedule = { ...adult, cadence: { kind: "monthly", weekday: 3, time: "14:00", nth: 1 } };
    expect(upcomingMeetings("voksne", monthly, { from: at("2026-11-23T00:00"), count: 3 }).map((m) => m.date)).toEqual([
      "2026-12-02",
      "2027-01-06",
      "2027-02-03",
    ]);
  });
});

describe("the youth forum (weekly, 60 minutes, agenda 3 days before at 12:00)", () => {
  it("has six 10-minute slots and a deadline three days before", () => {
    const [m] = upcomingMeetings("unge", youth, { from: at("2026-11-23T00:00"), count: 1 });
    expect(m).toMatchObject({ date: "2026-11-24", capacity: 6 });
    expect(local(m!.agendaDeadline).toISODate()).toBe("2026-11-20"); // Saturday 21 → Friday 20
  });
});

describe("holidays and days off", () => {
  it("knows that Store bededag was abolished from 2024", () => {
    expect(isPublicHoliday(DateTime.fromISO("2023-05-05"))).toBe(true);
    expect(isPublicHoliday(DateTime.fromISO("2024-04-26"))).toBe(false);
    expect(isPublicHoliday(DateTime.fromISO("2025-05-16"))).toBe(false);
  });

  it("cancels a meeting on a public holiday: the weekly Monday meeting skips 2. påskedag 2027", () => {
    const monday: ForumSchedule = { ...youth, cadence: { kind: "weekly", weekday: 1, time: "13:00" } };
    const dates = upcomingMeetings("unge", monday, { from: at("2027-03-20T00:00"), count: 2 }).map((m) => m.date);
    expect(dates).toEqual(["2027-03-22", "2027-04-05"]);
    expect(meetingById("unge", monday, "2027-03-29")).toBeUndefined();
  });

  it("moves a deadline on a holiday to the previous working day", () => {
    // Meeting Sunday-after-Ascension? Use a Friday meeting 2026-05-15: 1 day before is Kristi himmelfartsdag (Thursday 14 May).
    const friday: ForumSchedule = {
      ...youth,
      cadence: { kind: "weekly", weekday: 5, time: "10:00" },
      agendaDeadline: { kind: "daysBefore", days: 1, time: "12:00" },
    };
    expect(agendaDeadlineFor(DateTime.fromISO("2026-05-15", { zone: ZONE }), friday).toISO()).toBe("2026-05-13T12:00:00.000+02:00");
    // Adult deadline "the Monday before" on 2. påskedag 2027 (29 March) moves to Friday 26 March? That is Langfredag: Thursday 25 is Skærtorsdag too → Wednesday 24.
    expect(agendaDeadlineFor(DateTime.fromISO("2027-03-31", { zone: ZONE }), adult).toISODate()).toBe("2027-03-24");
  });

  it("cancels meetings on local days off only when configured", () => {
    const thursday: ForumSchedule = { ...youth, cadence: { kind: "weekly", weekday: 4, time: "13:00" } };
    const from = at("2026-12-20T00:00");
    expect(upcomingMeetings("unge", thursday, { from, count: 1 })[0]!.date).toBe("2026-12-24");
    expect(upcomingMeetings("unge", thursday, { from, count: 1, localDaysOff: ["12-24", "12-31"] })[0]!.date).toBe("2027-01-07");
    expect(isDayOff(DateTime.fromISO("2026-12-28"), ["2026-12-28"])).toBe(true);
  });
});

describe("daylight saving", () => {
  it("keeps a Monday meeting at 13:00 local on both sides of the March and October changes", () => {
    const monday: ForumSchedule = { ...youth, cadence: { kind: "weekly", weekday: 1, time: "13:00" } };
    for (const from of ["2026-03-25T00:00", "2026-10-21T00:00"]) {
      const meetings = upcomingMeetings("unge", monday, { from: at(from), count: 2 });
      const offsets = meetings.map((m) => local(m.startsAt).offset);
      expect(meetings.map((m) => local(m.startsAt).toFormat("HH:mm"))).toEqual(["13:00", "13:00"]);
      expect(new Set(offsets).size).toBe(1); // both after the change that weekend
      expect(local(meetings[0]!.agendaDeadline).toFormat("HH:mm")).toBe("12:00");
    }
    // The deadline 3 days before Monday 30 March 2026 is Friday 27 March, before the change: +01:00.
    const [m] = upcomingMeetings("unge", monday, { from: at("2026-03-28T00:00"), count: 1 });
    expect(local(m!.startsAt).offset).toBe(120);
    expect(local(m!.agendaDeadline).offset).toBe(60);
    expect(local(m!.agendaDeadline).toFormat("cccc HH:mm")).toBe("Friday 12:00");
  });
});

describe("calendar properties", () => {
  test.prop([schedules, instants, daysOff])(
    "every meeting is on an allowed day at the configured local time, never on a day off",
    (schedule, from, off) => {
      const meetings = upcomingMeetings("f", schedule, { from, count: 8, localDaysOff: off });
      expect(meetings).toHaveLength(8);
      let previous = from.getTime();
      for (const m of meetings) {
        const start = local(m.startsAt);
        expect(m.startsAt.getTime()).toBeGreaterThan(previous);
        previous = m.startsAt.getTime();
        expect(start.weekday).toBe(schedule.cadence.weekday);
        expect(start.toFormat("HH:mm")).toBe(schedule.cadence.time);
        expect(start.toISODate()).toBe(m.date);
        if (schedule.cadence.kind === "biweekly") expect(start.weekNumber % 2 === 0).toBe(schedule.cadence.isoWeekParity === "even");
        if (schedule.cadence.kind === "monthly" && schedule.cadence.nth !== "last")
          expect(Math.ceil(start.day / 7)).toBe(schedule.cadence.nth);
        expect(isDayOff(start, off)).toBe(false);
        expect(m.capacity).toBe(Math.floor(schedule.durationMinutes / schedule.slotMinutes));
      }
    },
  );

  test.prop([schedules, instants, daysOff])(
    "every deadline is before its meeting, on a working day at 12:00 local",
    (schedule, from, off) => {
      for (const m of upcomingMeetings("f", schedule, { from, count: 6, localDaysOff: off })) {
        const deadline = local(m.agendaDeadline);
        expect(m.agendaDeadline.getTime()).toBeLessThan(m.startsAt.getTime());
        expect(deadline.weekday).toBeLessThanOrEqual(5);
        expect(isDayOff(deadline, off)).toBe(false);
        expect(deadline.toFormat("HH:mm")).toBe("12:00");
      }
    },
  );

  test.prop([schedules, instants])("booking never offers a meeting whose deadline has passed", (schedule, now) => {
    const open = openMeetingsForBooking("f", schedule, { now, count: 5 });
    expect(open.length).toBeGreaterThan(0);
    for (const m of open) expect(m.agendaDeadline.getTime()).toBeGreaterThan(now.getTime());
  });

  test.prop([schedules, instants, fc.integer({ min: 1, max: 14 * 24 })])(
    "agendas due between two instants are exactly the meetings with a deadline in between",
    (schedule, since, hours) => {
      const until = new Date(since.getTime() + hours * 3_600_000);
      const due = meetingsWithDeadlineBetween("f", schedule, since, until);
      for (const m of due) {
        expect(m.agendaDeadline.getTime()).toBeGreaterThan(since.getTime());
        expect(m.agendaDeadline.getTime()).toBeLessThanOrEqual(until.getTime());
      }
      const later = upcomingMeetings("f", schedule, { from: since, count: 20 }).filter(
        (m) => m.agendaDeadline.getTime() > since.getTime() && m.agendaDeadline.getTime() <= until.getTime(),
      );
      expect(due.map((m) => m.date)).toEqual(later.map((m) => m.date));
    },
  );

  test.prop([schedules, instants])("meetingById recognises exactly the computed meetings", (schedule, from) => {
    for (const m of upcomingMeetings("f", schedule, { from, count: 4 })) expect(meetingById("f", schedule, m.date)).toEqual(m);
    const dayAfter = local(upcomingMeetings("f", schedule, { from, count: 1 })[0]!.startsAt)
      .plus({ days: 1 })
      .toISODate()!;
    expect(meetingById("f", schedule, dayAfter)).toBeUndefined();
  });
});

import {
  DEFAULT_SCHEDULES,
  meetingById,
  meetingsWithDeadlineBetween,
  upcomingMeetings,
  type ForumSchedule,
  type Meeting,
} from "./calendar.js";
import type { Municipality } from "./municipality.js";
import type { MeetingCalendar, ScheduledMeeting } from "./ports.js";

/** How far ahead booking looks for a free slot: about half a year of weekly meetings. */
const BOOKING_HORIZON = 26;

/** The schedule a forum runs on: its own, or Norddjurs' default for its id (seed 001). */
export function scheduleOf(municipality: Municipality, forumId: string): ForumSchedule | undefined {
  const forum = municipality.forums.find((f) => f.id === forumId);
  return forum?.schedule ?? (DEFAULT_SCHEDULES as Record<string, ForumSchedule | undefined>)[forumId];
}

function toScheduled(m: Meeting): ScheduledMeeting {
  return {
    forumId: m.forumId,
    date: m.date,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    agendaDeadline: m.agendaDeadline,
    capacity: m.capacity,
    slotMinutes: m.slotMinutes,
  };
}

/**
 * The calendar of every forum of a municipality, computed from configuration. A forum's
 * meetings from the start of a day are computed once per day and process (pure, so safe
 * with several instances): booking asks for half a year of meetings on every new case.
 */
export function forumCalendar(timeZone: string): MeetingCalendar {
  const options = (municipality: Municipality) => ({ zone: timeZone, localDaysOff: municipality.localDaysOff });
  let memoDay = "";
  /** A meeting looked up by date is the same all day; "mine sager" and agendas ask for many. */
  const found = new Map<string, ScheduledMeeting | undefined>();
  const memo = new Map<string, Meeting[]>();
  const meetingsFromToday = (municipality: Municipality, forumId: string, schedule: ForumSchedule, now: Date): Meeting[] => {
    const day = now.toLocaleDateString("sv-SE", { timeZone });
    if (day !== memoDay) {
      memo.clear();
      found.clear();
      memoDay = day;
    }
    const key = `${municipality.tenantId}|${forumId}`;
    let meetings = memo.get(key);
    if (!meetings) {
      const startOfDay = new Date(`${day}T00:00:00Z`);
      // From a day before, so no meeting of today is missed whatever the zone's offset.
      const from = new Date(startOfDay.getTime() - 86_400_000);
      meetings = upcomingMeetings(forumId, schedule, { from, count: BOOKING_HORIZON + 6, ...options(municipality) });
      memo.set(key, meetings);
    }
    return meetings;
  };
  return {
    openForBooking(municipality, now) {
      return municipality.forums.flatMap((forum) => {
        const schedule = scheduleOf(municipality, forum.id);
        if (!schedule) return [];
        return meetingsFromToday(municipality, forum.id, schedule, now)
          .filter((m) => m.startsAt.getTime() > now.getTime() && m.agendaDeadline.getTime() > now.getTime())
          .slice(0, BOOKING_HORIZON)
          .map(toScheduled);
      });
    },
    find(municipality, forumId, date) {
      const key = `${municipality.tenantId}|${forumId}|${date}`;
      if (!found.has(key)) {
        if (found.size > 10_000) found.clear();
        const schedule = scheduleOf(municipality, forumId);
        const meeting = schedule ? meetingById(forumId, schedule, date, options(municipality)) : undefined;
        found.set(key, meeting ? toScheduled(meeting) : undefined);
      }
      return found.get(key);
    },
    withDeadlineBetween(municipality, forumId, since, until) {
      const schedule = scheduleOf(municipality, forumId);
      if (!schedule) return [];
      return meetingsWithDeadlineBetween(forumId, schedule, since, until, options(municipality)).map(toScheduled);
    },
    upcoming(municipality, forumId, from, count) {
      const schedule = scheduleOf(municipality, forumId);
      if (!schedule) return [];
      return upcomingMeetings(forumId, schedule, { from, count, ...options(municipality) }).map(toScheduled);
    },
  };
}

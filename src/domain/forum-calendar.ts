import {
  DEFAULT_SCHEDULES,
  meetingById,
  meetingsWithDeadlineBetween,
  openMeetingsForBooking,
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
  return { forumId: m.forumId, date: m.date, startsAt: m.startsAt, endsAt: m.endsAt, agendaDeadline: m.agendaDeadline, capacity: m.capacity, slotMinutes: m.slotMinutes };
}

/** The calendar of every forum of a municipality, computed from configuration. */
export function forumCalendar(timeZone: string): MeetingCalendar {
  const options = (municipality: Municipality) => ({ zone: timeZone, localDaysOff: municipality.localDaysOff });
  return {
    openForBooking(municipality, now) {
      return municipality.forums.flatMap((forum) => {
        const schedule = scheduleOf(municipality, forum.id);
        if (!schedule) return [];
        return openMeetingsForBooking(forum.id, schedule, { now, count: BOOKING_HORIZON, ...options(municipality) }).map(toScheduled);
      });
    },
    find(municipality, forumId, date) {
      const schedule = scheduleOf(municipality, forumId);
      const meeting = schedule ? meetingById(forumId, schedule, date, options(municipality)) : undefined;
      return meeting ? toScheduled(meeting) : undefined;
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

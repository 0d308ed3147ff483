import type { Municipality } from "./municipality.js";
import { moveAll, type MoveDeps } from "./move-case.js";
import { notification } from "./notification.js";

/** Catch-up window: after downtime, deadlines and meetings this far back are still handled. */
export const CATCH_UP_MS = 7 * 24 * 3_600_000;
/** An agenda published this long after its deadline says it is late. */
export const LATE_AFTER_MS = 10 * 60_000;
/** Cases roll on this long after a meeting ends, leaving time to record decisions. */
export const ROLL_OVER_AFTER_MS = 2 * 3_600_000;

/**
 * Publishes every agenda whose deadline has passed and that has not gone out (SPEC §4):
 * once, even with several instances (the meeting row's eTag decides), and after downtime
 * too, marked late. Returns the meetings published by this call.
 */
export async function publishDueAgendas(deps: MoveDeps, municipality: Municipality): Promise<string[]> {
  const now = deps.clock.now();
  const published: string[] = [];
  for (const forum of municipality.forums) {
    for (const meeting of deps.calendar.withDeadlineBetween(municipality, forum.id, new Date(now.getTime() - CATCH_UP_MS), now)) {
      // After downtime: an agenda for a meeting that has already been held helps nobody.
      if (meeting.endsAt.getTime() <= now.getTime()) continue;
      const status = await deps.meetings.status(municipality.tenantId, meeting);
      if (status.agendaPublishedAt || status.cancelled) continue;
      const late = now.getTime() - meeting.agendaDeadline.getTime() > LATE_AFTER_MS;
      const message = notification(
        municipality.tenantId,
        `agenda:${meeting.forumId}:${meeting.date}`,
        { kind: "forum-channel", forumId: meeting.forumId },
        { kind: "agenda", forumId: meeting.forumId, date: meeting.date, late },
        now,
      );
      if (await deps.meetings.publishAgenda(municipality.tenantId, meeting, now, message))
        published.push(`${meeting.forumId}:${meeting.date}`);
    }
  }
  return published;
}

/**
 * Cases still booked into a meeting that has ended are moved on to the next meeting with
 * a free slot (SPEC §4: "Cases not decided at a meeting roll to the next one").
 */
export async function rollOverEndedMeetings(deps: MoveDeps, municipality: Municipality): Promise<number> {
  const now = deps.clock.now();
  let moved = 0;
  for (const forum of municipality.forums) {
    const recent = deps.calendar.upcoming(municipality, forum.id, new Date(now.getTime() - CATCH_UP_MS), 60);
    for (const meeting of recent) {
      if (meeting.endsAt.getTime() + ROLL_OVER_AFTER_MS > now.getTime()) break;
      const status = await deps.meetings.status(municipality.tenantId, meeting);
      if (status.rolledOverAt || status.cancelled) continue;
      const bookings = await deps.meetings.bookings(municipality.tenantId, meeting);
      const result = await moveAll(deps, municipality, meeting, bookings, "sparring", "rolled-over");
      moved += result.moved.length;
      // Only marked done when every case found a place; otherwise the next run tries again.
      if (result.unplaced.length === 0) await deps.meetings.markRolledOver(municipality.tenantId, meeting, now);
    }
  }
  return moved;
}

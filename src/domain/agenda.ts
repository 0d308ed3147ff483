import { meetingKey, slotStartsAt } from "./booking.js";
import type { AgendaEntry } from "./case.js";
import { forumOfChannel } from "./forum-channel.js";
import type { Forum, Municipality } from "./municipality.js";
import type { AddressBook, CaseRepository, Clock, MeetingCalendar, MeetingRepository, ScheduledMeeting } from "./ports.js";

export interface AgendaItem {
  entry: AgendaEntry;
  slot: number;
  startsAt: Date;
}

/** A meeting's agenda (dagsorden, SPEC §4): its booked cases in slot order with their 10-minute slots. */
export interface Agenda {
  meeting: ScheduledMeeting;
  items: AgendaItem[];
  /** Whether a coordinator may still cancel the meeting (it has not started). */
  cancellable: boolean;
}

export interface AgendaDeps {
  cases: CaseRepository;
  meetings: MeetingRepository;
  clock: Clock;
}

/**
 * The agenda of one meeting. Reads the meeting's slots (one query) and only the shown
 * columns of each booked case (point reads in parallel); decrypts nothing.
 */
export async function agendaOf(deps: AgendaDeps, municipality: Municipality, meeting: ScheduledMeeting): Promise<Agenda> {
  const bookings = await deps.meetings.bookings(municipality.tenantId, meeting);
  const entries = await deps.cases.agendaEntries(
    municipality.tenantId,
    bookings.map((b) => b.caseNo),
  );
  const byCase = new Map(entries.map((e) => [e.caseNo, e]));
  const key = meetingKey(meeting);
  const items = bookings.flatMap((b) => {
    const entry = byCase.get(b.caseNo);
    // A slot whose case has moved on (a move cut off half-way) is not on this agenda.
    return entry && entry.meetingKey === key ? [{ entry, slot: b.slot, startsAt: slotStartsAt(meeting, b.slot) }] : [];
  });
  return { meeting, items, cancellable: meeting.startsAt.getTime() > deps.clock.now().getTime() };
}

export type ChannelAgendaOutcome =
  { kind: "agendas"; forum: Forum; next: Agenda; preliminary?: Agenda } | { kind: "no-forum" } | { kind: "no-meeting"; forum: Forum };

/**
 * `@Sparring dagsorden` in a forum channel: the next meeting's agenda and, once that
 * agenda is closed, the following meeting's agenda as it stands (new cases go there).
 */
export async function agendaForChannel(
  deps: AgendaDeps & { addresses: AddressBook; calendar: MeetingCalendar },
  command: { municipality: Municipality; conversationId: string },
): Promise<ChannelAgendaOutcome> {
  const { municipality } = command;
  const forum = await forumOfChannel(deps, municipality, command.conversationId);
  if (!forum) return { kind: "no-forum" };
  const now = deps.clock.now();
  const [next, following] = deps.calendar.upcoming(municipality, forum.id, now, 2);
  if (!next) return { kind: "no-meeting", forum };
  const closed = next.agendaDeadline.getTime() <= now.getTime();
  const [nextAgenda, preliminary] = await Promise.all([
    agendaOf(deps, municipality, next),
    following && closed ? agendaOf(deps, municipality, following) : undefined,
  ]);
  return { kind: "agendas", forum, next: nextAgenda, ...(preliminary ? { preliminary } : {}) };
}

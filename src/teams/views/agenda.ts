import type { Agenda } from "../../domain/agenda.js";
import { meetingKey } from "../../domain/booking.js";
import { renderCard, type CardJson } from "../cards.js";
import { ageGroupText, clockText, dateTimeText, escapeMarkdown, forumName, type ViewContext } from "../format.js";
import { VERBS } from "../verbs.js";

export interface AgendaCard {
  meetingKey: string;
  canCancel: boolean;
  showCancelMeeting: typeof VERBS.showCancelMeeting;
  forumName: string;
  meetingText: string;
  note: string;
  count: number;
  capacity: number;
  slotMinutes: number;
  items: {
    caseNo: number;
    time: string;
    reference: string;
    ageGroup: string;
    department: string;
    acute: boolean;
    showCaseDetails: typeof VERBS.showCaseDetails;
  }[];
}

/** The dagsorden (SPEC §4): the booked cases in order with their slots, no CPR and no case text. */
export function agendaCard(view: ViewContext, agenda: Agenda, note = ""): CardJson {
  const { municipality, timeZone } = view;
  const { meeting } = agenda;
  return renderCard("agenda", {
    meetingKey: meetingKey(meeting),
    // Offered to everyone in the channel; only the forum's coordinators get past the server check.
    canCancel: agenda.cancellable,
    showCancelMeeting: VERBS.showCancelMeeting,
    forumName: forumName(municipality, meeting.forumId),
    meetingText: dateTimeText(meeting.startsAt, timeZone),
    note,
    count: agenda.items.length,
    capacity: meeting.capacity,
    slotMinutes: meeting.slotMinutes,
    items: agenda.items.map(({ entry, startsAt }) => ({
      caseNo: entry.caseNo,
      time: clockText(startsAt, timeZone),
      reference: entry.reference,
      ageGroup: ageGroupText(municipality, entry.forumId),
      department: escapeMarkdown(entry.department),
      acute: entry.acute,
      showCaseDetails: VERBS.showCaseDetails,
    })),
  });
}

import { meetingKey } from "../../domain/booking.js";
import type { ScheduledMeeting } from "../../domain/ports.js";
import { renderCard, type CardJson } from "../cards.js";
import { dateTimeText, forumName, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface CancelMeetingCard {
  title: string;
  meetingText: string;
  question: string;
  meetingKey: string;
  cancelMeeting: typeof VERBS.cancelMeeting;
}

/** "Aflys mødet?": what cancelling does, for a coordinator to confirm. */
export function cancelMeetingCard(view: ViewContext, meeting: ScheduledMeeting, booked: number): CardJson {
  return renderCard("cancel-meeting", {
    title: TEXT.cancelTitle(forumName(view.municipality, meeting.forumId)),
    meetingText: dateTimeText(meeting.startsAt, view.timeZone),
    question: TEXT.cancelQuestion(booked),
    meetingKey: meetingKey(meeting),
    cancelMeeting: VERBS.cancelMeeting,
  });
}

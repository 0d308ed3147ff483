import type { CancelOutcome } from "../../domain/move-case.js";
import { renderCard, type CardJson } from "../cards.js";
import { dateTimeText, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";

export interface MeetingCancelledCard {
  meetingText: string;
  message: string;
  lines: { text: string }[];
}

/** The meeting is cancelled: where each of its cases went. */
export function meetingCancelledCard(view: ViewContext, outcome: Extract<CancelOutcome, { kind: "cancelled" }>): CardJson {
  return renderCard("meeting-cancelled", {
    meetingText: dateTimeText(outcome.meeting.startsAt, view.timeZone),
    message: TEXT.cancelled(outcome.moved.length, outcome.unplaced.length),
    lines: [
      ...outcome.moved.map((m) => ({ text: TEXT.movedLine(m.record.reference, dateTimeText(m.to.startsAt, view.timeZone)) })),
      ...outcome.unplaced.map((r) => ({ text: TEXT.unplacedLine(r.reference) })),
    ],
  });
}

import { meetingKey } from "../../domain/booking.js";
import type { CaseRecord } from "../../domain/case.js";
import type { ScheduledMeeting } from "../../domain/ports.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, dateTimeText, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

export interface MoveCaseCard {
  caseNo: number;
  version: number;
  reference: string;
  meetingText: string;
  error: string;
  selected: string;
  meetings: { key: string; title: string }[];
  moveCase: typeof VERBS.moveCase;
  showCaseCard: typeof VERBS.showCaseCard;
}

/** "Flyt sag": the meetings a coordinator can move the case to, with their free slots. */
export function moveCaseCard(
  view: ViewContext,
  record: CaseRecord,
  meetings: { meeting: ScheduledMeeting; free: number }[],
  form: { error?: string; selected?: string } = {},
): CardJson {
  return renderCard("move-case", {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    meetingText: caseMeetingText(view, record),
    error: form.error ?? "",
    selected: form.selected ?? "",
    meetings: meetings.map(({ meeting, free }) => ({
      key: meetingKey(meeting),
      title: TEXT.moveChoice(dateTimeText(meeting.startsAt, view.timeZone), free),
    })),
    moveCase: VERBS.moveCase,
    showCaseCard: VERBS.showCaseCard,
  });
}

import type { CaseRecord } from "../../domain/case.js";
import { maskCpr } from "../../domain/cpr.js";
import type { RaiseCaseOutcome } from "../../domain/raise-case.js";
import { renderCard, type CardJson } from "../cards.js";
import { caseMeetingText, dateTimeText, forumName, meetingOfCase, shortDateText, type ViewContext } from "../format.js";
import { TEXT } from "../messages.js";

export interface CaseRaisedCard {
  reference: string;
  repeated: boolean;
  acute: boolean;
  maskedCpr: string;
  age: number;
  forumName: string;
  department: string;
  meetingText: string;
  raisedAt: string;
  nextStep: string;
}

/** The confirmation that replaces the form: case number, masked CPR, meeting, what happens next. */
export function caseRaisedCard(view: ViewContext, raised: Extract<RaiseCaseOutcome, { kind: "raised" }>): CardJson {
  const record: CaseRecord = raised.record;
  const forum = forumName(view.municipality, record.forumId);
  const meeting = meetingOfCase(view, record);
  const skipped = (raised.booking?.skippedFull ?? []).map((m) => shortDateText(m.startsAt, view.timeZone));
  const steps: string[] = [];
  if (record.state === "acute") steps.push(TEXT.acuteRaised(forum));
  else if (meeting) steps.push(TEXT.booked(forum, dateTimeText(meeting.agendaDeadline, view.timeZone)));
  if (skipped.length > 0) steps.push(TEXT.meetingsFull(skipped));
  steps.push(raised.forumHasChannel ? TEXT.nextStepRaised : TEXT.nextStepNoChannel(forum));
  return renderCard("case-raised", {
    reference: record.reference,
    repeated: !raised.created,
    acute: record.acute,
    maskedCpr: maskCpr(record.cprDigits),
    age: record.age,
    forumName: forum,
    department: record.department,
    meetingText: caseMeetingText(view, record),
    raisedAt: shortDateText(record.raisedAt, view.timeZone),
    nextStep: steps.join(" "),
  });
}

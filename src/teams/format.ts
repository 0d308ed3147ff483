import { DateTime } from "luxon";
import { parseMeetingKey, slotStartsAt } from "../domain/booking.js";
import type { BostotteKind, BostotteRecord } from "../domain/bostotte.js";
import type { CaseRecord } from "../domain/case.js";
import { maskCprNumbers } from "../domain/cpr.js";
import { ageRangeOf, displayName, type Municipality } from "../domain/municipality.js";
import type { MeetingCalendar, ScheduledMeeting } from "../domain/ports.js";
import { BOSTOTTE_TEXT, TEXT } from "./messages.js";

/**
 * Dates, times and names as users read them. Every card and message formats through
 * here, and nothing formatted is ever parsed back.
 */
export interface ViewContext {
  municipality: Municipality;
  timeZone: string;
  calendar: Pick<MeetingCalendar, "find">;
}

const at = (instant: Date | string, timeZone: string) =>
  (typeof instant === "string" ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant)).setZone(timeZone).setLocale("da");

/** "onsdag 2. december 2026 kl. 14.10" */
export function dateTimeText(instant: Date | string, timeZone: string): string {
  return at(instant, timeZone).toFormat("cccc d. LLLL yyyy 'kl.' HH.mm");
}

/** "23.11.2026" — the Danish short date. */
export function shortDateText(instant: Date | string, timeZone: string): string {
  return at(instant, timeZone).toFormat("dd.MM.yyyy");
}

/** "25.11.2026 kl. 14.12" */
export function shortDateTimeText(instant: Date | string, timeZone: string): string {
  return at(instant, timeZone).toFormat("dd.MM.yyyy 'kl.' HH.mm");
}

/** "kl. 14.10" */
export function clockText(instant: Date | string, timeZone: string): string {
  return at(instant, timeZone).toFormat("'kl.' HH.mm");
}

export function forumName(municipality: Municipality, forumId: string): string {
  return municipality.forums.find((f) => f.id === forumId)?.name ?? forumId;
}

/** A colleague's name from the municipality's directory, or a neutral word for someone unknown. */
export function personName(municipality: Municipality, aadObjectId: string): string {
  return displayName(municipality, aadObjectId) ?? TEXT.unknownPerson;
}

/** "15–29 år" / "30+ år": shown in the channel instead of the citizen's age. */
export function ageGroupText(municipality: Municipality, forumId: string): string {
  const range = ageRangeOf(municipality, forumId);
  return range ? TEXT.ageGroup(range.from, range.to) : "";
}

/** The meeting a case is booked into, as the calendar knows it today. */
export function meetingOfCase(view: ViewContext, record: Pick<CaseRecord, "meetingKey">): ScheduledMeeting | undefined {
  const key = record.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  return key ? view.calendar.find(view.municipality, key.forumId, key.date) : undefined;
}

/** Where and when the case will be discussed, in the words a caseworker reads. */
export function caseMeetingText(view: ViewContext, record: Pick<CaseRecord, "state" | "meetingKey" | "slot">): string {
  if (record.state === "acute") return TEXT.meetingAcute;
  const meeting = meetingOfCase(view, record);
  if (!meeting || record.slot === undefined) {
    const date = record.meetingKey ? parseMeetingKey(record.meetingKey)?.date : undefined;
    return date ? TEXT.meetingOnDate(date) : TEXT.meetingNotBooked;
  }
  return TEXT.meetingSlot(dateTimeText(slotStartsAt(meeting, record.slot), view.timeZone), record.slot + 1, meeting.capacity);
}

/** "Start sag i myndighedsafdelingen — visiteret til Jonas Dahl" */
export function decisionText(municipality: Municipality, record: Pick<CaseRecord, "decision" | "socialCaseworker">): string {
  if (!record.decision) return "";
  const label = TEXT.decisionLabel[record.decision];
  return record.decision === "start" && record.socialCaseworker
    ? TEXT.visitatedTo(label, personName(municipality, record.socialCaseworker))
    : label;
}

/** "Hanne Lund, 25.11.2026 kl. 14.12" */
export function decidedText(record: Pick<CaseRecord, "decidedByName" | "decidedAt">, timeZone: string): string {
  return record.decidedAt ? TEXT.decidedBy(channelText(record.decidedByName ?? ""), shortDateTimeText(record.decidedAt, timeZone)) : "";
}

/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): typed into a
 * text, they turn what follows around, e.g. the date after a name.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes user text inert in a TextBlock: Teams renders a markdown subset, so brackets,
 * emphasis and list markers typed by a user could otherwise form links or formatting, and
 * bidi controls could reorder the card's own text around it.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(BIDI_CONTROLS, "").replace(/[\\`*_[\]()<>~]/g, (c) => `\\${c}`);
}

/**
 * Text someone typed (a name, a forum name) that a forum channel shows: inert, and with any
 * CPR-shaped number in it masked, since a channel never shows a CPR number (SPEC §9).
 */
export function channelText(text: string): string {
  return escapeMarkdown(maskCprNumbers(text));
}

/** "2026-12-01" (an ISO calendar date, no time) → "01.12.2026". */
export function isoDateText(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return year && month && day ? `${day}.${month}.${year}` : isoDate;
}

/** The label the municipality gives a bostøtte reason category (configuration), or the id itself. */
export function bostotteReasonText(municipality: Municipality, kind: BostotteKind, reasonCategory: string): string {
  const list = kind === "ophoer" ? municipality.bostotte.terminationReasons : municipality.bostotte.refusalReasons;
  return list.find((r) => r.id === reasonCategory)?.label ?? reasonCategory;
}

/**
 * A bostøtte decision as facts: the kind, legal basis, the bevillingsramme (hours, period,
 * review) of a grant, the end date of a termination, the reason of a refusal or a
 * termination, who decided and when. `citizen` is what stands for the citizen (masked or
 * full CPR), or nothing where no CPR may be shown (a forum channel).
 */
export function bostotteFacts(
  view: ViewContext,
  record: BostotteRecord,
  citizen: { title: string; value: string } | undefined,
): { title: string; value: string }[] {
  const { municipality } = view;
  const d = record.decision;
  const f = BOSTOTTE_TEXT.fact;
  const facts: { title: string; value: string }[] = citizen ? [citizen] : [];
  facts.push(
    { title: f.kind, value: BOSTOTTE_TEXT.kindLabel[d.kind] },
    { title: f.legalBasis, value: BOSTOTTE_TEXT.legalBasis[d.legalBasis] },
  );
  if (d.kind === "bevilling") {
    facts.push({ title: f.hours, value: BOSTOTTE_TEXT.hoursText(d.frame.hours, d.frame.per) });
    facts.push({
      title: f.period,
      value: BOSTOTTE_TEXT.periodText(isoDateText(d.frame.from), d.frame.to ? isoDateText(d.frame.to) : undefined),
    });
    if (d.frame.review) facts.push({ title: f.review, value: isoDateText(d.frame.review) });
  } else {
    if (d.kind === "ophoer") facts.push({ title: f.endDate, value: isoDateText(d.endDate) });
    facts.push({ title: f.reason, value: bostotteReasonText(municipality, d.kind, d.reasonCategory) });
  }
  const by = record.decidedByName ? `${channelText(record.decidedByName)}, ` : "";
  facts.push({ title: f.decidedBy, value: `${by}${shortDateText(record.decidedAt, view.timeZone)}` });
  return facts;
}

/** 50000 → "50.000 kr." */
export function kronerText(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} kr.`;
}

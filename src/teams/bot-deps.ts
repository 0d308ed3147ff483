import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { DateTime } from "luxon";
import { parseMeetingKey } from "../domain/booking.js";
import type { CaseRecord } from "../domain/case.js";
import type { Municipality } from "../domain/municipality.js";
import type { AddressBook, CaseRepository, Clock, MeetingCalendar, MeetingRepository, ScheduledMeeting } from "../domain/ports.js";
import type { Logger } from "../logger.js";

/** Everything the Teams edge needs, wired once in `src/sparring.ts`. */
export interface BotDeps {
  adapter: TeamsAdapter;
  cases: CaseRepository;
  meetings: MeetingRepository;
  calendar: MeetingCalendar;
  addresses: AddressBook;
  clock: Clock;
  timeZone: string;
  municipalities: ReadonlyMap<string, Municipality>;
  logger: Logger;
}

export function tenantOf(ctx: TurnContext): string | undefined {
  const a = ctx.activity;
  return a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}

export function municipalityOf(ctx: TurnContext, deps: BotDeps): Municipality | undefined {
  return deps.municipalities.get(tenantOf(ctx) ?? "");
}

export function isPersonalChat(ctx: TurnContext): boolean {
  const type = ctx.activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}

export function forumName(municipality: Municipality, forumId: string): string {
  return municipality.forums.find((f) => f.id === forumId)?.name ?? forumId;
}

/** "onsdag 2. december 2026 kl. 14.10" */
export function formatDanishDateTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).setLocale("da").toFormat("cccc d. LLLL yyyy 'kl.' HH.mm");
}

export function slotStartsAt(meeting: ScheduledMeeting, slot: number): Date {
  return new Date(meeting.startsAt.getTime() + slot * meeting.slotMinutes * 60_000);
}

/** The meeting a case is booked into, as the calendar knows it today. */
type Placed = Pick<CaseRecord, "state" | "meetingKey" | "slot">;

export function meetingOfCase(deps: BotDeps, municipality: Municipality, record: Placed): ScheduledMeeting | undefined {
  const key = record.meetingKey ? parseMeetingKey(record.meetingKey) : undefined;
  return key ? deps.calendar.find(municipality, key.forumId, key.date) : undefined;
}

/** Where and when the case will be discussed, in the words a caseworker reads. */
export function caseMeetingText(deps: BotDeps, municipality: Municipality, record: Placed): string {
  if (record.state === "acute") return "Akut — drøftes hurtigst muligt, uden for mødekalenderen";
  const meeting = meetingOfCase(deps, municipality, record);
  if (!meeting || record.slot === undefined) return record.meetingKey ? `Møde ${parseMeetingKey(record.meetingKey)?.date ?? ""}` : "Ikke booket";
  return `${formatDanishDateTime(slotStartsAt(meeting, record.slot), deps.timeZone)} (plads ${record.slot + 1} af ${meeting.capacity})`;
}

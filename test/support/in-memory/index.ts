import { forumCalendar } from "../../../src/domain/forum-calendar.js";
import { DEFAULT_TIME_ZONE } from "../../../src/domain/time.js";
import { InMemoryAddressBook } from "./in-memory-address-book.js";
import { InMemoryCaseRepository } from "./in-memory-case-repository.js";
import { InMemoryLeaseStore } from "./in-memory-lease-store.js";
import { InMemoryMeetingRepository } from "./in-memory-meeting-repository.js";
import { InMemoryOutbox } from "./in-memory-outbox.js";
import { InMemoryOverviewLog } from "./in-memory-overview-log.js";
import { ManualClock } from "./manual-clock.js";

export { InMemoryAddressBook } from "./in-memory-address-book.js";
export { InMemoryCaseRepository } from "./in-memory-case-repository.js";
export { InMemoryLeaseStore } from "./in-memory-lease-store.js";
export { InMemoryMeetingRepository } from "./in-memory-meeting-repository.js";
export { caseSource, DuplicateMessageError, InMemoryOutbox, meetingSource, type StoredMessage } from "./in-memory-outbox.js";
export { ManualClock } from "./manual-clock.js";
export { InMemoryOverviewLog } from "./in-memory-overview-log.js";

/** Monday 23 November 2026, 08:00 in Copenhagen: the adult forum's agenda closes at 12:00 today for Wednesday 25 November. */
export const MONDAY_MORNING = new Date("2026-11-23T07:00:00Z");

/**
 * Every port of the domain in memory, wired together as in production: the repositories
 * commit their messages to the one outbox. The calendar is the real one (it is pure).
 */
export function inMemoryPorts(options: { now?: Date | string } = {}) {
  const outbox = new InMemoryOutbox();
  return {
    cases: new InMemoryCaseRepository(outbox),
    meetings: new InMemoryMeetingRepository(outbox),
    overview: new InMemoryOverviewLog(outbox),
    addresses: new InMemoryAddressBook(),
    outbox,
    leases: new InMemoryLeaseStore(),
    calendar: forumCalendar(DEFAULT_TIME_ZONE),
    clock: new ManualClock(options.now ?? MONDAY_MORNING),
    timeZone: DEFAULT_TIME_ZONE,
  };
}

export type InMemoryPorts = ReturnType<typeof inMemoryPorts>;

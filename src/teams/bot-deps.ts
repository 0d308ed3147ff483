import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { Municipality } from "../domain/municipality.js";
import type {
  AddressBook,
  CaseRepository,
  CitizenRepository,
  Clock,
  MeetingCalendar,
  MeetingRepository,
  Outbox,
  PlanRepository,
  PrivacyStore,
} from "../domain/ports.js";
import type { OverviewLog } from "../domain/overview-events.js";
import type { Directory } from "../domain/roles.js";
import type { Logger } from "../logger.js";

/** Everything the Teams edge needs, wired once in `src/sparring.ts`: ports, never storage classes. */
export interface BotDeps {
  adapter: TeamsAdapter;
  cases: CaseRepository;
  meetings: MeetingRepository;
  calendar: MeetingCalendar;
  addresses: AddressBook;
  citizens: CitizenRepository;
  /** The joint plans (SPEC §5). */
  plans: PlanRepository;
  /** The outbox as the edge sees it: what could not be delivered, for `status`. */
  outbox: Pick<Outbox, "parked">;
  /** The managers' overview (SPEC §8): events written by the use cases, subscriptions. */
  overview: OverviewLog;
  /** Privacy (SPEC §9): the retention index and job's storage, audit rows for access requests (`indsigt`). */
  privacy: PrivacyStore;
  clock: Clock;
  timeZone: string;
  municipalities: ReadonlyMap<string, Municipality>;
  /**
   * Where the role lists' groups and e-mail addresses are looked up (SPEC §1): Microsoft Graph
   * in production, the configuration's object ids locally. Without it the role lists are
   * used as written.
   */
  directory?: Directory;
  logger: Logger;
}

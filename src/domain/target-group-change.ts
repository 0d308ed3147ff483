import { DateTime } from "luxon";
import type { CaseRecord, CaseState } from "./case.js";
import { ageOn, parseCpr, type LocalDate } from "./cpr.js";
import type { Municipality } from "./municipality.js";
import { notification, type Notification } from "./notification.js";
import type { CaseRepository, CitizenRepository, Clock } from "./ports.js";

/**
 * Målgruppeskift (seed 001: "Det er vigtigt at sørge for gensidig orientering ved
 * målgruppeskift"): a citizen with a case in play turns one of the municipality's
 * `targetGroupAges` (default 18 and 30), and both the employment and the social
 * caseworker are told, once.
 *
 * Booked cases need no move here: a case is always booked into the forum of the citizen's
 * age on that meeting's date (`bookingCandidates`, also on every move and re-booking), so
 * a case whose meeting falls after the birthday is in the right forum already.
 */

/** Cases in play: waiting for the forum (booked, acute, awaiting information) or visitated. */
export const TARGET_GROUP_CASE_STATES: readonly CaseState[] = ["booked", "acute", "awaiting-information", "visitated"];

/** "MMDD" of a month and day: the key of the birthday index. */
export function monthDayKey(month: number, day: number): string {
  return `${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}`;
}

/**
 * The birthday index keys to read on `date`. A citizen born 29 February turns a year older
 * on 1 March in a non-leap year (as `ageOn` counts it), so on that day "0229" is read too.
 */
export function birthdayKeysOn(date: LocalDate): string[] {
  const key = monthDayKey(date.month, date.day);
  return date.month === 3 && date.day === 1 && !isLeapYear(date.year) ? [key, "0229"] : [key];
}

/** The age a citizen turns on `date`, if `date` is their birthday as `ageOn` counts it. */
export function ageTurnedOn(birthDate: LocalDate, date: LocalDate): number | undefined {
  const age = ageOn(birthDate, date);
  return age > 0 && age > ageOn(birthDate, previousDay(date)) ? age : undefined;
}

/** A citizen from the birthday index, with the cases linked to them. */
export interface TargetGroupCandidate {
  citizenId: string;
  birthDate: LocalDate;
  cases: readonly Pick<CaseRecord, "caseNo" | "state" | "raisedBy" | "socialCaseworker">[];
}

export interface TargetGroupRecipient {
  aadObjectId: string;
  audience: "caseworker" | "social-caseworker";
  /** The cases in play this person is on, ascending. */
  caseNos: number[];
}

export interface TargetGroupChange {
  citizenId: string;
  age: number;
  /** The birthday, YYYY-MM-DD. */
  date: string;
  recipients: TargetGroupRecipient[];
}

/**
 * Which citizens turn one of the configured ages on `date` while they have a case in play,
 * and who must be told: each case's raising (employment) caseworker and, for a visitated
 * case, its social caseworker — each person once, as an employment caseworker if both.
 */
export function targetGroupChangesOn(
  municipality: Pick<Municipality, "targetGroupAges">,
  date: LocalDate,
  candidates: readonly TargetGroupCandidate[],
): TargetGroupChange[] {
  const changes: TargetGroupChange[] = [];
  for (const candidate of candidates) {
    const age = ageTurnedOn(candidate.birthDate, date);
    if (age === undefined || !municipality.targetGroupAges.includes(age)) continue;
    const byPerson = new Map<string, TargetGroupRecipient>();
    const add = (aadObjectId: string | undefined, audience: TargetGroupRecipient["audience"], caseNo: number) => {
      if (!aadObjectId) return;
      const found = byPerson.get(aadObjectId) ?? { aadObjectId, audience, caseNos: [] };
      if (audience === "caseworker") found.audience = "caseworker";
      if (!found.caseNos.includes(caseNo)) found.caseNos.push(caseNo);
      byPerson.set(aadObjectId, found);
    };
    for (const c of candidate.cases) {
      if (!TARGET_GROUP_CASE_STATES.includes(c.state)) continue;
      add(c.raisedBy, "caseworker", c.caseNo);
      if (c.state === "visitated") add(c.socialCaseworker, "social-caseworker", c.caseNo);
    }
    if (byPerson.size === 0) continue;
    const recipients = [...byPerson.values()]
      .map((r) => ({ ...r, caseNos: [...r.caseNos].sort((a, b) => a - b) }))
      .sort((a, b) => a.aadObjectId.localeCompare(b.aadObjectId));
    changes.push({ citizenId: candidate.citizenId, age, date: isoDateOf(date), recipients });
  }
  return changes;
}

/**
 * One message per recipient, keyed to the citizen, the age and the person: whichever run or
 * instance commits it first, nobody is told twice that the citizen turned that age.
 */
export function targetGroupMessages(tenantId: string, change: TargetGroupChange, now: Date): Notification[] {
  return change.recipients.map((r) =>
    notification(
      tenantId,
      `target-group:${change.citizenId}:${change.age}:${r.aadObjectId}`,
      { kind: "personal", aadObjectId: r.aadObjectId },
      { kind: "target-group-change", caseNos: r.caseNos, age: change.age, date: change.date, audience: r.audience },
      now,
    ),
  );
}

export interface TargetGroupJobDeps {
  citizens: CitizenRepository;
  cases: Pick<CaseRepository, "get">;
  clock: Clock;
  timeZone: string;
}

/** After downtime, birthdays this many days back are still told (each once). */
export const TARGET_GROUP_CATCH_UP_DAYS = 7;
/** A day's messages go out from this local hour, not in the night. */
export const TARGET_GROUP_NOTICE_HOUR = 8;

/**
 * The målgruppeskift job: on a citizen's birthday (from {@link TARGET_GROUP_NOTICE_HOUR}
 * local time) tells the caseworkers of their cases in play once. Citizens come from the
 * one-partition birthday index; every message has a deterministic key and is committed on
 * its own, once, so a re-run, a run catching up after downtime, or two instances racing
 * never tell anyone twice — and a recipient added later the same day is still told.
 * Returns how many messages this run committed.
 */
export async function notifyTargetGroupChanges(deps: TargetGroupJobDeps, municipality: Municipality): Promise<number> {
  const tenantId = municipality.tenantId;
  if (municipality.targetGroupAges.length === 0) return 0;
  const now = deps.clock.now();
  const local = DateTime.fromJSDate(now, { zone: deps.timeZone });
  const lastDay = local.hour >= TARGET_GROUP_NOTICE_HOUR ? local.startOf("day") : local.startOf("day").minus({ days: 1 });
  let committed = 0;
  for (let back = TARGET_GROUP_CATCH_UP_DAYS; back >= 0; back--) {
    const day = lastDay.minus({ days: back });
    const date: LocalDate = { year: day.year, month: day.month, day: day.day };
    const seen = new Set<string>();
    for (const key of birthdayKeysOn(date)) {
      for (const row of await deps.citizens.birthdaysOn(tenantId, key)) {
        if (seen.has(row.citizenId)) continue;
        seen.add(row.citizenId);
        const cpr = parseCpr(row.cprDigits);
        if (!cpr.ok) continue;
        const age = ageTurnedOn(cpr.cpr.birthDate, date);
        if (age === undefined || !municipality.targetGroupAges.includes(age)) continue;
        const links = await deps.citizens.links(tenantId, row.citizenId);
        if (!links) continue;
        // The link is a hint; each case itself says who holds it now and whether it is in play.
        const cases = (await Promise.all(links.cases.map((link) => deps.cases.get(tenantId, link.caseNo)))).filter(
          (c): c is CaseRecord => c !== undefined,
        );
        for (const change of targetGroupChangesOn(municipality, date, [
          { citizenId: row.citizenId, birthDate: cpr.cpr.birthDate, cases },
        ])) {
          for (const message of targetGroupMessages(tenantId, change, now)) {
            if (await deps.citizens.notifyOnce(tenantId, row.citizenId, [message])) committed++;
          }
        }
      }
    }
  }
  return committed;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function previousDay(date: LocalDate): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day - 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoDateOf(date: LocalDate): string {
  return `${String(date.year).padStart(4, "0")}-${monthDayKey(date.month, date.day).replace(/^(\d\d)(\d\d)$/, "$1-$2")}`;
}

import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";
import type { CaseDraft } from "../../src/domain/case.js";
import type { NewCase } from "../../src/domain/ports.js";

/**
 * Fictitious CPR numbers only: replacement numbers (day + 60), so no real person can
 * ever match. `birth` is the real birth date the number encodes.
 */
export function fakeCpr(birth: { year: number; month: number; day: number }, serial = 4321): string {
  const dd = String(birth.day + 60).padStart(2, "0");
  const mm = String(birth.month).padStart(2, "0");
  const yy = String(birth.year % 100).padStart(2, "0");
  const century = Math.floor(birth.year / 100) * 100;
  // Pick a 7th digit that yields the right century for this two-digit year (SPEC §9 table).
  let seventh: number;
  if (century === 1900) seventh = Math.floor((serial % 4000) / 1000);
  else if (century === 2000) seventh = birth.year % 100 <= 36 ? 4 : 5;
  else seventh = 5;
  const rest = String(serial % 1000).padStart(3, "0");
  return `${dd}${mm}${yy}-${seventh}${rest}`;
}

/** A fictitious CPR for a citizen who is `age` years old on `on`. */
export function fakeCprForAge(age: number, on: Date = new Date()): string {
  const birth = DateTime.fromJSDate(on, { zone: "Europe/Copenhagen" }).minus({ years: age, days: 10 });
  return fakeCpr({ year: birth.year, month: birth.month, day: birth.day });
}

export const CASEWORKER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000001", name: "Test Sagsbehandler" };
export const ADMINISTRATOR = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000003", name: "Test Administrator" };
export const COORDINATOR = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000004", name: "Test Koordinator" };
export const SOCIAL_CASEWORKER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000005", name: "Test Socialrådgiver" };
export const YOUTH_COORDINATOR = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000006", name: "Test Ungekoordinator" };
/** A second employment caseworker, e.g. to hand a case over to. */
export const COLLEAGUE = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000007", name: "Test Kollega" };
export const OUTSIDER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000099", name: "Udenforstående" };

export function testMunicipality(tenantId: string = randomUUID()): Municipality {
  return municipalitySchema.parse({
    tenantId,
    name: "Testkommune",
    departments: ["Jobcenter", "Ungeindsatsen"],
    forums: [
      { id: "unge", name: "Sparring unge (15-29)", minAge: 15, maxAge: 29 },
      { id: "voksne", name: "Sparring voksne (30+)", minAge: 30 },
    ],
    roles: {
      caseworkers: [CASEWORKER.aadObjectId, COLLEAGUE.aadObjectId],
      administrators: [ADMINISTRATOR.aadObjectId],
      coordinators: { unge: [COORDINATOR.aadObjectId, YOUTH_COORDINATOR.aadObjectId], voksne: [COORDINATOR.aadObjectId] },
      socialCaseworkers: [SOCIAL_CASEWORKER.aadObjectId],
    },
    directory: { [SOCIAL_CASEWORKER.aadObjectId]: SOCIAL_CASEWORKER.name, [COLLEAGUE.aadObjectId]: COLLEAGUE.name },
  });
}

export function validDraft(overrides: Partial<CaseDraft> = {}): CaseDraft {
  return {
    cpr: fakeCprForAge(40),
    health: "Kroniske smerter",
    social: "Mistet bolig, gæld",
    question: "Skal sagen startes op i myndighedsafdelingen?",
    department: "Jobcenter",
    acute: false,
    acuteReason: "",
    ...overrides,
  };
}

/** A case as `raiseCase` hands it to storage: an adult citizen's, raised by {@link CASEWORKER}. */
export function newCase(tenantId: string, overrides: Partial<NewCase> = {}): NewCase {
  return {
    tenantId,
    cprDigits: fakeCpr({ year: 1990, month: 1, day: 1 }).replace("-", ""),
    age: 36,
    forumId: "voksne",
    department: "Jobcenter",
    health: "Kroniske smerter og søvnproblemer",
    social: "Gæld",
    question: "Skal sagen startes i myndighedsafdelingen?",
    acute: false,
    acuteReason: "",
    raisedBy: CASEWORKER.aadObjectId,
    raisedByName: CASEWORKER.name,
    raisedAt: "2026-11-23T07:00:00.000Z",
    ...overrides,
  };
}

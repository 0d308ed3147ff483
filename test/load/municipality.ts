import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";

/** A fictitious user of the load test: an Entra object id nobody real has, and a made-up name. */
export interface LoadUser {
  aadObjectId: string;
  name: string;
}

export interface LoadPeople {
  caseworkers: LoadUser[];
  coordinators: { user: LoadUser; forumId: "unge" | "voksne" }[];
  socialCaseworkers: LoadUser[];
  administrator: LoadUser;
}

/** The social case system's Entra app id, allowed to call `POST /api/bostotte/events` in the test municipality. */
export const CASE_SYSTEM_APP_ID = "10ad5e00-0000-4000-8000-00000000ca5e";
/** The audience the bot accepts bostøtte tokens for (`BOSTOTTE_API_AUDIENCE`). */
export const BOSTOTTE_AUDIENCE = "api://sparring-load-test";

/** Object ids in a block no real tenant hands out to people we know of: `10ad…-{role}{n}`. */
function user(role: number, n: number, name: string): LoadUser {
  return { aadObjectId: `10ad0000-0000-4000-8000-${String(role).padStart(4, "0")}${String(n).padStart(8, "0")}`, name };
}

export function loadPeople(counts: { caseworkers: number; coordinators: number; socialCaseworkers: number }): LoadPeople {
  return {
    caseworkers: Array.from({ length: counts.caseworkers }, (_, i) => user(1, i, `Sagsbehandler ${i + 1}`)),
    // Half the coordinators sit in each forum, so several race for the same case card.
    coordinators: Array.from({ length: counts.coordinators }, (_, i) => ({
      user: user(2, i, `Koordinator ${i + 1}`),
      forumId: i % 2 === 0 ? ("unge" as const) : ("voksne" as const),
    })),
    socialCaseworkers: Array.from({ length: counts.socialCaseworkers }, (_, i) => user(3, i, `Socialrådgiver ${i + 1}`)),
    administrator: user(4, 0, "Administrator"),
  };
}

/**
 * The test municipality: Norddjurs' forums, but meetings every week with more slots, so
 * a minute of load fills the first meetings (contention on the same slots) without
 * running out of calendar at once.
 */
export function loadMunicipality(people: LoadPeople, tenantId: string = randomUUID()): Municipality {
  const coordinatorsOf = (forumId: string) => people.coordinators.filter((c) => c.forumId === forumId).map((c) => c.user.aadObjectId);
  return municipalitySchema.parse({
    tenantId,
    name: "Belastningskommune (test)",
    departments: ["Jobcenter", "Ungeindsatsen"],
    forums: [
      {
        id: "unge",
        name: "Sparring unge (15-29)",
        minAge: 15,
        maxAge: 29,
        schedule: {
          cadence: { kind: "weekly", weekday: 2, time: "13:00" },
          durationMinutes: 60,
          slotMinutes: 10,
          agendaDeadline: { kind: "daysBefore", days: 3, time: "12:00" },
        },
      },
      {
        id: "voksne",
        name: "Sparring voksne (30+)",
        minAge: 30,
        schedule: {
          cadence: { kind: "weekly", weekday: 3, time: "14:00" },
          durationMinutes: 40,
          slotMinutes: 10,
          agendaDeadline: { kind: "weekdayBefore", weekday: 1, time: "12:00" },
        },
      },
    ],
    roles: {
      caseworkers: people.caseworkers.map((u) => u.aadObjectId),
      coordinators: { unge: coordinatorsOf("unge"), voksne: coordinatorsOf("voksne") },
      socialCaseworkers: people.socialCaseworkers.map((u) => u.aadObjectId),
      administrators: [people.administrator.aadObjectId],
    },
    directory: Object.fromEntries(
      [...people.caseworkers, ...people.coordinators.map((c) => c.user), ...people.socialCaseworkers, people.administrator].map((u) => [
        u.aadObjectId,
        u.name,
      ]),
    ),
    bostotte: { callerAppIds: [CASE_SYSTEM_APP_ID] },
  });
}

/** Writes the municipality as a `MUNICIPALITIES_FILE` the bot reads at start-up. */
export function writeMunicipalitiesFile(file: string, municipality: Municipality): void {
  writeFileSync(file, JSON.stringify([municipality], null, 2));
}

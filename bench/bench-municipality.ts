import { DEFAULT_SCHEDULES } from "../src/domain/calendar.js";
import type { Municipality } from "../src/domain/municipality.js";
import { testMunicipality } from "../test/support/fixtures.js";
import { BENCH_MANAGER } from "./world.js";

/**
 * The test municipality, with a manager, and with adult meetings of 30 slots instead of
 * Norddjurs' 3: twenty cases raised at the same moment (the concurrent run) then all fit
 * the next meeting, as one case does in the sequential run, instead of walking a filling
 * calendar. A turn books one slot either way; the booking reads only the slots taken.
 */
export function benchMunicipality(tenantId: string): Municipality {
  const municipality = testMunicipality(tenantId);
  municipality.roles.managers.push(BENCH_MANAGER.aadObjectId);
  const adults = municipality.forums.find((forum) => forum.id === "voksne");
  if (!adults) throw new Error("the test municipality has no adult forum");
  adults.schedule = { ...DEFAULT_SCHEDULES.voksne, cadence: { ...DEFAULT_SCHEDULES.voksne.cadence }, durationMinutes: 300 };
  return municipality;
}

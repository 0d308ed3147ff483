import { DateTime } from "luxon";
import type { LocalDate } from "./cpr.js";

/** Danish municipalities work in Copenhagen wall-clock time (SPEC §4). */
export const DEFAULT_TIME_ZONE = "Europe/Copenhagen";

export function localDateIn(instant: Date, timeZone: string): LocalDate {
  const dt = DateTime.fromJSDate(instant, { zone: timeZone });
  return { year: dt.year, month: dt.month, day: dt.day };
}

/**
 * Business hours: time that passes on a weekday (Monday to Friday, whole days) in the
 * community's time zone. Weekends are skipped from local midnight to local midnight, so a
 * weekend with a daylight-saving change is still skipped exactly, whatever its length.
 */
import { addDays, localTime, startOfDay, weekday } from "../core/zoned-time.js";
import { InternalError } from "../core/errors.js";

const HOUR_MS = 3_600_000;

function isWeekend(date: { year: number; month: number; day: number }): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** The instant `hours` business hours after `start` in `zone`. */
export function addBusinessHours(start: Date, hours: number, zone: string): Date {
  if (!(hours >= 0)) throw new InternalError("negative_business_hours", `business hours must be zero or more, not ${hours}`);
  let at = start.getTime();
  let remaining = hours * HOUR_MS;
  // Each turn moves to the end of one local day; 10,000 days is far beyond any setting.
  for (let guard = 0; guard < 10_000; guard++) {
    const today = localTime(new Date(at), zone);
    const tomorrow = startOfDay(addDays(today, 1), zone).getTime();
    if (isWeekend(today)) {
      at = tomorrow;
      continue;
    }
    if (remaining <= tomorrow - at) return new Date(at + remaining);
    remaining -= tomorrow - at;
    at = tomorrow;
  }
  throw new InternalError("business_hours_unfinished", "addBusinessHours did not finish");
}

/** Whether `hours` business hours have passed between `since` and `now`. */
export function businessHoursPassed(since: Date, hours: number, now: Date, zone: string): boolean {
  return addBusinessHours(since, hours, zone).getTime() <= now.getTime();
}

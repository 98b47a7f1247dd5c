/** When a reviewer's "away" ends: a date in the community's time zone or a duration from now. */
import { UserFacingError } from "../core/errors.js";
import { formatDate, startOfDay } from "../core/zoned-time.js";

/** The longest absence accepted; after that, `/reviewer leave` says it better. */
export const MAX_AWAY_DAYS = 365;

const UNITS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `2026-12-24` means back at the start of that day in `zone`; `12h`, `3d` and `2w` (also
 * `3 days`, `2 weeks`) count from `now`. Refuses the past and absences past a year.
 */
export function parseAwayUntil(text: string, now: Date, zone: string): Date {
  const t = text.trim().toLowerCase();
  const example = "Give a date like `2026-12-24` or a duration like `3d`, `12h` or `2w`.";
  let until: Date;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const duration = /^(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)$/.exec(t);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new UserFacingError(`${t} is not a date. ${example}`, "invalid_until");
    until = startOfDay({ year, month, day }, zone);
    if (until <= now) throw new UserFacingError(`${formatDate(until, zone)} has already begun. ${example}`, "invalid_until");
  } else if (duration) {
    const amount = Number(duration[1]);
    if (amount === 0) throw new UserFacingError(`An absence lasts at least an hour. ${example}`, "invalid_until");
    until = new Date(now.getTime() + amount * UNITS[duration[2]![0]!]!);
  } else {
    throw new UserFacingError(example, "invalid_until");
  }
  if (until.getTime() - now.getTime() > MAX_AWAY_DAYS * 86_400_000) {
    throw new UserFacingError(`That is more than ${MAX_AWAY_DAYS} days away; use \`/reviewer leave\` instead, and \`/reviewer join\` when you are back.`, "invalid_until");
  }
  return until;
}

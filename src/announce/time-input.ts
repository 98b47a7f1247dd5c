/**
 * Times and durations as creators type them: "2026-03-29 18:00", "tomorrow 18:00",
 * "next friday 9am", "friday at 6:30pm" in the community's time zone; "in 2 hours" from now;
 * an ISO time with its own offset; durations "90m", "1h30m", "2h".
 */
import { UserFacingError } from "../core/errors.js";
import { time } from "../core/markup.js";
import { addDays, formatDateTime, type LocalTime, localTime, pad, resolveLocalTime } from "../core/zoned-time.js";

/** A parsed moment and, when the wall time happened twice or not at all, a note saying which was taken. */
export interface ParsedTime {
  readonly at: Date;
  readonly note?: string;
}

/** How far ahead anything may be scheduled. */
const MAX_AHEAD_MS = 366 * 86_400_000;

export const TIME_FORMATS = "`2026-03-29 18:00`, `tomorrow 18:00`, `next friday 9am`, `in 2 hours` or `2026-03-29T18:00+02:00`";

const LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(?:at\s+)?|T)(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$/i;
/** A day in words, then a time of day: "tomorrow 18:00", "next friday at 9am", "sat 10:30". */
const RELATIVE = /^(today|tonight|tomorrow|(?:next\s+|this\s+)?[a-z]{3,9})\s+(?:at\s+)?(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$/i;
/** "in 2 hours", "in 30 min", "in 3 days", "in 1 week". */
const FROM_NOW = /^in\s+(\d{1,4})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** "18:00", "9am", "6:30 pm", "12pm" as hour and minute; undefined when it is not a time of day. */
function timeOfDay(text: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined; // a bare "9" is not a time
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === "pm" ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/**
 * The date a day word means, seen from `today`: "friday" is the coming Friday (today if it is
 * Friday), "next friday" the first Friday after today, and "this friday" the same as "friday".
 */
function dayFromWord(word: string, today: Pick<LocalTime, "year" | "month" | "day">): Pick<LocalTime, "year" | "month" | "day"> | undefined {
  const w = word.toLowerCase().replace(/\s+/g, " ");
  if (w === "today" || w === "tonight") return today;
  if (w === "tomorrow") return addDays(today, 1);
  const next = w.startsWith("next ");
  const name = w.replace(/^(next|this) /, "");
  const target = WEEKDAYS.findIndex((d) => d === name || (name.length >= 3 && d.startsWith(name)));
  if (target === -1) return undefined;
  const current = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  const ahead = (target - current + 7) % 7;
  return addDays(today, next && ahead === 0 ? 7 : ahead);
}

/** Whether `text` reads as a moment in any of the accepted forms (for spotting one among typed words). */
export function looksLikeTime(text: string): boolean {
  try {
    parseAnyTime(text.trim(), "UTC", new Date(Date.UTC(2026, 0, 1)), "time");
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` reads as a duration ("90m", "1h 30m"), whatever its length. */
export function looksLikeDuration(text: string): boolean {
  return DURATION.test(text.trim()) && /\d/.test(text);
}
const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads `text` as a moment after `now`. `what` names the option in messages. Daylight-saving
 * edges follow core/zoned-time.ts's one rule, and the note tells the creator which reading was
 * taken: a wall time that happens twice (clocks go back) is its first occurrence; one that does
 * not exist (clocks jump forward) is moved forward by the jump.
 */
export function parseTime(text: string, zone: string, now: Date, what: string): ParsedTime {
  const parsed = parseAnyTime(text.trim(), zone, now, what);
  if (parsed.at.getTime() <= now.getTime()) {
    throw new UserFacingError(`\`${what}\` ${formatDateTime(parsed.at, zone)} has already passed. Pick a time in the future.`, "time_in_past");
  }
  if (parsed.at.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw new UserFacingError(`\`${what}\` ${formatDateTime(parsed.at, zone)} is more than a year away. Pick a time within the next year.`, "time_too_far");
  }
  return parsed;
}

function parseAnyTime(text: string, zone: string, now: Date, what: string): ParsedTime {
  const offset = WITH_OFFSET.exec(text);
  if (offset) {
    const zoneOffset = offset[3]!.toUpperCase() === "Z" ? "Z" : offset[3]!.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
    const at = new Date(`${offset[1]}T${offset[2]}${zoneOffset}`);
    if (Number.isNaN(at.getTime())) throw unreadable(text, what);
    return { at };
  }
  const local = LOCAL.exec(text);
  if (local) {
    const clock = timeOfDay(local[4]!);
    if (!clock) throw unreadable(text, what);
    return fromWallTime({ year: Number(local[1]), month: Number(local[2]), day: Number(local[3]), ...clock }, zone, text, what);
  }
  const fromNow = FROM_NOW.exec(text);
  if (fromNow) return { at: new Date(now.getTime() + Number(fromNow[1]) * UNIT_MS[fromNow[2]!.toLowerCase()[0]!]!) };
  const relative = RELATIVE.exec(text);
  if (relative) {
    const date = dayFromWord(relative[1]!, localTime(now, zone));
    const clock = timeOfDay(relative[2]!);
    if (date && clock) return fromWallTime({ year: date.year, month: date.month, day: date.day, ...clock }, zone, text, what);
  }
  throw unreadable(text, what);
}

function fromWallTime(wall: LocalTime, zone: string, text: string, what: string): ParsedTime {
  if (!isRealDate(wall) || wall.hour > 23 || wall.minute > 59) throw unreadable(text, what);
  const resolved = resolveLocalTime(wall, zone);
  const shown = `${wall.year}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}`;
  switch (resolved.kind) {
    case "exact":
      return { at: resolved.instant };
    case "ambiguous":
      return { at: resolved.earlier, note: `${shown} happens twice in ${zone} that night (the clocks go back); I took the first one, before the change.` };
    case "skipped": {
      const taken = localTime(resolved.after, zone);
      return {
        at: resolved.after,
        note: `${shown} does not exist in ${zone}: the clocks jump forward ${describeJump(resolved.jumpMinutes)} that night, so I took ${pad(taken.hour)}:${pad(taken.minute)}, just after the change.`,
      };
    }
  }
}

function describeJump(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : `${minutes} minutes`;
}

function isRealDate(w: LocalTime): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCFullYear() === w.year && d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day;
}

function unreadable(text: string, what: string): UserFacingError {
  return new UserFacingError(`\`${what}\` “${text}” is not a time I can read. Write it like ${TIME_FORMATS}.`, "unreadable_time");
}

const INLINE = /\{([^{}\n]{1,60})\}/g;
const LOOKS_LIKE_TIME = /^\s*(?:\d{4}-|today\s|tomorrow\s|tonight\s|next\s|in\s+\d)/i;

/**
 * Turns times written in braces, `{2026-03-29 18:00}` or `{tomorrow 18:00}`, into time tokens,
 * so each reader sees them in their own zone. Other braces are left alone.
 */
export function expandInlineTimes(text: string, zone: string, now: Date, what: string): string {
  return text.replace(INLINE, (whole, inner: string) => (LOOKS_LIKE_TIME.test(inner) ? time(parseAnyTime(inner.trim(), zone, now, what).at) : whole));
}

/** Shortest and longest event. */
export const DURATION_MIN_MINUTES = 5;
export const DURATION_MAX_MINUTES = 12 * 60;

const DURATION = /^(?:(\d{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,3})\s*m(?:in(?:utes?|s)?)?)?$/i;

/** "90m", "1h30m", "1h 30m", "2h" (also "90min", "2 hours") as minutes, between 5 minutes and 12 hours. */
export function parseDuration(text: string, what = "duration"): number {
  const m = DURATION.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) {
    throw new UserFacingError(`\`${what}\` “${text}” is not a duration I can read. Write it like \`90m\`, \`1h30m\` or \`2h\`.`, "unreadable_duration");
  }
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  if (minutes < DURATION_MIN_MINUTES || minutes > DURATION_MAX_MINUTES) {
    throw new UserFacingError(`\`${what}\` should be between ${DURATION_MIN_MINUTES} minutes and ${DURATION_MAX_MINUTES / 60} hours (you wrote ${describeDuration(minutes)}).`, "duration_out_of_range");
  }
  return minutes;
}

/** "1 h 30 min", "45 min", "2 h". */
export function describeDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 ? `${h} h` : "", m > 0 || h === 0 ? `${m} min` : ""].filter(Boolean).join(" ");
}

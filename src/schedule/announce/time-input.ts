/**
 * Times and durations as creators type them: "2026-03-29 18:00" and "tomorrow 18:00" in the
 * community's time zone, or an ISO time with its own offset; "90m", "1h30m", "2h".
 */
import { UserFacingError } from "../../core/errors.js";
import { time } from "../../core/markup.js";
import { addDays, describeInZone, pad, resolveWallTime, type WallTime, wallTimeAt } from "./local-time.js";

/** A parsed moment and, when the wall time happened twice, a note saying which was taken. */
export interface ParsedTime {
  readonly at: Date;
  readonly note?: string;
}

/** How far ahead anything may be scheduled. */
const MAX_AHEAD_MS = 366 * 86_400_000;

export const TIME_FORMATS = "`2026-03-29 18:00`, `tomorrow 18:00` or `2026-03-29T18:00+02:00`";

const LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})$/i;
const RELATIVE = /^(today|tomorrow)\s+(\d{1,2}):(\d{2})$/i;
const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads `text` as a moment after `now`. `what` names the option in messages. A wall time that
 * does not exist (skipped by a jump forward) is refused; one that happens twice (the hour
 * repeated when clocks go back) is its first occurrence, and the note says so.
 */
export function parseTime(text: string, zone: string, now: Date, what: string): ParsedTime {
  const parsed = parseAnyTime(text.trim(), zone, now, what);
  if (parsed.at.getTime() <= now.getTime()) {
    throw new UserFacingError(`\`${what}\` ${describeInZone(parsed.at, zone)} has already passed. Pick a time in the future.`, "time_in_past");
  }
  if (parsed.at.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw new UserFacingError(`\`${what}\` ${describeInZone(parsed.at, zone)} is more than a year away. Pick a time within the next year.`, "time_too_far");
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
    const [, y, mo, d, h, mi] = local.map(Number) as [number, number, number, number, number, number];
    return fromWallTime({ year: y, month: mo, day: d, hour: h, minute: mi }, zone, text, what);
  }
  const relative = RELATIVE.exec(text);
  if (relative) {
    const today = wallTimeAt(now, zone);
    const date = relative[1]!.toLowerCase() === "tomorrow" ? addDays(today, 1) : today;
    return fromWallTime({ ...date, hour: Number(relative[2]), minute: Number(relative[3]) }, zone, text, what);
  }
  throw unreadable(text, what);
}

function fromWallTime(wall: WallTime, zone: string, text: string, what: string): ParsedTime {
  if (!isRealDate(wall) || wall.hour > 23 || wall.minute > 59) throw unreadable(text, what);
  const resolved = resolveWallTime(wall, zone);
  const shown = `${wall.year}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}`;
  switch (resolved.kind) {
    case "exact":
      return { at: resolved.instant };
    case "ambiguous":
      return { at: resolved.earlier, note: `${shown} happens twice in ${zone} that night (the clocks go back); I took the first one, before the change.` };
    case "skipped":
      throw new UserFacingError(
        `\`${what}\` ${shown} does not exist in ${zone}: the clocks jump forward ${describeJump(resolved.jumpMinutes)} that night. Pick a time outside the skipped hour.`,
        "time_skipped",
      );
  }
}

function describeJump(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : `${minutes} minutes`;
}

function isRealDate(w: WallTime): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCFullYear() === w.year && d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day;
}

function unreadable(text: string, what: string): UserFacingError {
  return new UserFacingError(`\`${what}\` “${text}” is not a time I can read. Write it like ${TIME_FORMATS}.`, "unreadable_time");
}

const INLINE = /\{([^{}\n]{1,60})\}/g;
const LOOKS_LIKE_TIME = /^\s*(?:\d{4}-|today\s|tomorrow\s)/i;

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

/** "90m", "1h30m", "1h 30m", "2h" (also "90min") as minutes, between 5 minutes and 12 hours. */
export function parseDuration(text: string, what = "duration"): number {
  const m = /^(?:(\d{1,2})\s*h)?\s*(?:(\d{1,3})\s*m(?:in)?)?$/i.exec(text.trim());
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

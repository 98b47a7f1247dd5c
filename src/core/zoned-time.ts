/**
 * Wall-clock time in an IANA time zone, from the platform's own time-zone data (Intl), so
 * business hours, quota months and "away until" dates follow the community's calendar,
 * daylight-saving changes included.
 */

/** A local calendar date and time; `month` is 1 to 12. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time at `instant` in `zone`. */
export function localTime(instant: Date, zone: string): LocalTime & { readonly second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at `instantMs`. */
function offsetAt(instantMs: number, zone: string): number {
  const l = localTime(new Date(instantMs), zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `zone`. A time skipped by a daylight-saving jump
 * (02:30 on a spring-forward night) maps to the moment after the jump, shifted by its length;
 * a repeated time (autumn) maps to its later occurrence.
 */
export function instantAt(local: LocalTime, zone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = wall - offsetAt(wall, zone);
  const firstOffset = offsetAt(first, zone);
  if (wall - firstOffset === first) return new Date(first);
  const second = wall - firstOffset;
  if (offsetAt(second, zone) === firstOffset) return new Date(second);
  return new Date(Math.max(first, second)); // in a gap: neither reading is exact
}

/** 0 for Sunday to 6 for Saturday, of a calendar date (no zone involved). */
export function weekday(date: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The calendar date `days` after a date (negative for before). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant a local calendar day starts (its first existing minute). */
export function startOfDay(date: { year: number; month: number; day: number }, zone: string): Date {
  return instantAt({ ...date, hour: 0, minute: 0 }, zone);
}

/** The calendar month containing `instant` in `zone`: when it started and when the next one starts. */
export function monthAround(instant: Date, zone: string): { start: Date; next: Date } {
  const l = localTime(instant, zone);
  const nextMonth = l.month === 12 ? { year: l.year + 1, month: 1 } : { year: l.year, month: l.month + 1 };
  return { start: startOfDay({ year: l.year, month: l.month, day: 1 }, zone), next: startOfDay({ ...nextMonth, day: 1 }, zone) };
}

/** "Thu 24 Dec 2026", the date of `instant` in `zone`, for replies. */
export function formatDate(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(instant).replace(",", "");
}

/** "Thu 24 Dec 2026, 14:00 (Europe/Berlin)", for replies that need the hour too. */
export function formatDateTime(instant: Date, zone: string): string {
  const l = localTime(instant, zone);
  const hm = `${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")}`;
  return `${formatDate(instant, zone)}, ${hm} (${zone})`;
}

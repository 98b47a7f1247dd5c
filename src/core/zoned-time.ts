/**
 * Wall-clock time in an IANA time zone, from the platform's own time-zone data (Intl), so
 * business hours, quota months and "away until" dates follow the community's calendar,
 * daylight-saving changes included. The one place that turns wall-clock times into instants:
 * see {@link instantAt} for how daylight-saving edges are read.
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

/** What a wall time is in a zone: one instant, none (skipped by a jump forward) or two (repeated). */
export type Resolved =
  | { readonly kind: "exact"; readonly instant: Date }
  | { readonly kind: "ambiguous"; readonly earlier: Date; readonly later: Date }
  | { readonly kind: "skipped"; readonly jumpMinutes: number; readonly after: Date };

const DAY_MS = 86_400_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone is ahead of UTC at an instant ("GMT+02:00", read from Intl). */
function offsetAt(instantMs: number, zone: string): number {
  let f = offsetFormats.get(zone);
  if (!f) offsetFormats.set(zone, (f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })));
  const name = f.formatToParts(new Date(instantMs)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0; // "GMT" alone: UTC itself
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -ms : ms;
}

/**
 * Every reading of `local` in `zone`. Offsets a day either side cover both sides of any change
 * near it (zones change their offset at most a few times a year); each offset that maps back
 * onto itself is a real reading. A skipped time's `after` is the wall time moved forward by
 * the jump (02:30 on a night that jumps from 02:00 to 03:00 is 03:30).
 */
export function resolveLocalTime(local: LocalTime, zone: string): Resolved {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetAt(asUtc - DAY_MS, zone);
  const after = offsetAt(asUtc + DAY_MS, zone);
  const readings = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => asUtc - offsetAt(instant, zone) === instant)
    .sort((a, b) => a - b);
  // In a gap, reading the wall time with the offset from before the jump lands the jump's length later.
  if (readings.length === 0) return { kind: "skipped", jumpMinutes: Math.abs(after - before) / 60_000, after: new Date(asUtc - before) };
  if (readings.length === 1) return { kind: "exact", instant: new Date(readings[0]!) };
  return { kind: "ambiguous", earlier: new Date(readings[0]!), later: new Date(readings[1]!) };
}

/**
 * The instant a wall-clock time happens in `zone`, by Guildhall's one rule for daylight-saving
 * edges (every schedule, day start and typed time uses it):
 * - a time that happens twice (clocks go back) is its **earlier** occurrence, the first time
 *   a clock in the zone shows it;
 * - a time that never happens (clocks jump forward) is **moved forward by the jump**: 02:30 on
 *   a night that jumps from 02:00 to 03:00 is 03:30, right after the change.
 * Callers that can tell a person which reading they took use {@link resolveLocalTime}.
 */
export function instantAt(local: LocalTime, zone: string): Date {
  const resolved = resolveLocalTime(local, zone);
  switch (resolved.kind) {
    case "exact":
      return resolved.instant;
    case "ambiguous":
      return resolved.earlier;
    case "skipped":
      return resolved.after;
  }
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
  return `${formatDate(instant, zone)}, ${pad(l.hour)}:${pad(l.minute)} (${zone})`;
}

/** Two digits: 9 → "09". */
export const pad = (n: number) => String(n).padStart(2, "0");

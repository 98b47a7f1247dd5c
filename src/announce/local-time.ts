/**
 * Wall-clock times in a community's IANA time zone, from the platform's own time-zone data
 * (Intl), so "2026-03-29 18:00" means 18:00 in Berlin on that day whichever side of a
 * daylight-saving change it falls.
 */

/** A calendar date and time of day as a person in the zone reads it; `month` is 1 to 12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** What a wall time is in a zone: one instant, none (skipped by a jump forward) or two (repeated). */
export type Resolved =
  | { readonly kind: "exact"; readonly instant: Date }
  | { readonly kind: "ambiguous"; readonly earlier: Date; readonly later: Date }
  | { readonly kind: "skipped"; readonly jumpMinutes: number };

const DAY_MS = 86_400_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(zone);
  if (!f) cache.set(zone, (f = make()));
  return f;
}

/** Milliseconds the zone is ahead of UTC at an instant ("GMT+02:00" read from Intl). */
export function offsetAt(instantMs: number, zone: string): number {
  const f = cached(offsetFormats, zone, () => new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }));
  const name = f.formatToParts(new Date(instantMs)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0; // "GMT" alone: UTC itself
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -ms : ms;
}

/** The wall time at `instant` in `zone`. */
export function wallTimeAt(instant: Date, zone: string): WallTime {
  const f = cached(partFormats, zone, () => new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }));
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/**
 * The instants at which `wall` happens in `zone`. Offsets a day either side cover both sides
 * of any change near it (zones change their offset at most a few times a year); each offset
 * that maps back onto itself is a real reading of the wall time.
 */
export function resolveWallTime(wall: WallTime, zone: string): Resolved {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = offsetAt(asUtc - DAY_MS, zone);
  const after = offsetAt(asUtc + DAY_MS, zone);
  const readings = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => asUtc - offsetAt(instant, zone) === instant)
    .sort((a, b) => a - b);
  if (readings.length === 0) return { kind: "skipped", jumpMinutes: Math.abs(after - before) / 60_000 };
  if (readings.length === 1) return { kind: "exact", instant: new Date(readings[0]!) };
  return { kind: "ambiguous", earlier: new Date(readings[0]!), later: new Date(readings[1]!) };
}

/** The calendar date `days` after a date. */
export function addDays(date: Pick<WallTime, "year" | "month" | "day">, days: number): Pick<WallTime, "year" | "month" | "day"> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "Sun 29 Mar 2026, 18:00 (Europe/Berlin)": how the community's zone reads an instant, for replies. */
export function describeInZone(instant: Date, zone: string): string {
  const date = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(instant).replace(",", "");
  const w = wallTimeAt(instant, zone);
  return `${date}, ${pad(w.hour)}:${pad(w.minute)} (${zone})`;
}

export const pad = (n: number) => String(n).padStart(2, "0");

import { formatDateTime } from "../../core/zoned-time.js";

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const UNIT_WORDS: Record<string, string> = {
  min: "m", mins: "m", minute: "m", minutes: "m", hour: "h", hours: "h", day: "d", days: "d", week: "w", weeks: "w",
  mo: "mo", mon: "mo", month: "mo", months: "mo",
};
/** How far one move may go: a year of playground time is plenty, and the walk stays quick. */
export const MAX_MOVE_MS = 366 * UNIT_MS.d!;

export const CLOCK_FORMATS = "/clock +1d, /clock +2h, /clock +1d 6h, /clock +30m, /clock +1 month or /clock 2026-12-24 17:55 (UTC)";

/**
 * Where `/clock <text>` moves the playground's clock: forward by an amount (`+1d`, `+2h`,
 * `+1d 6h`, `+90m`, `+1w`, `+2 days`, `+1 month`), or to a moment in UTC (`2026-12-24 17:55`,
 * `2026-12-24`). A month is a calendar month, as a monthly membership's period is (7 January
 * to 7 February). Returns a sentence for the member when the text is not one of those, or
 * would turn the clock back.
 */
export function clockTarget(text: string, now: Date): { at: Date } | { error: string } {
  const t = text.trim().toLowerCase();
  if (t.startsWith("-")) return { error: `The playground's clock only moves forward, as time does on a real server. Try ${CLOCK_FORMATS}.` };
  if (t.startsWith("+")) {
    const at = advance(t.slice(1), now);
    if (at === undefined) return { error: `“${text.trim()}” is not an amount of time I can read. Try ${CLOCK_FORMATS}.` };
    if (at.getTime() === now.getTime()) return { error: "Moving the clock by nothing leaves it where it is. Try /clock +1h." };
    if (at.getTime() - now.getTime() > MAX_MOVE_MS) return { error: "That is more than a year in one move. Move up to a year at a time." };
    return { at };
  }
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2}))?$/.exec(t);
  const at = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0))) : undefined;
  if (!m || !at || Number.isNaN(at.getTime()) || at.getUTCDate() !== Number(m[3]) || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59) {
    return { error: `“${text.trim()}” is not a time I can read. Try ${CLOCK_FORMATS}.` };
  }
  if (at <= now) {
    return { error: `${formatDateTime(at, "UTC")} is not after the playground's time, ${formatDateTime(now, "UTC")}. The clock only moves forward, as time does on a real server.` };
  }
  if (at.getTime() - now.getTime() > MAX_MOVE_MS) return { error: "That is more than a year ahead. Move up to a year at a time." };
  return { at };
}

/** `now` moved by "1d 6h", "90m", "2 days", "1 month": undefined when any part is not an amount of time. */
function advance(text: string, now: Date): Date | undefined {
  const parts = [...text.matchAll(/(\d{1,4})\s*([a-z]+)/g)];
  const rest = text.replace(/(\d{1,4})\s*([a-z]+)/g, "").trim();
  if (parts.length === 0 || rest !== "") return undefined;
  let ms = 0;
  let months = 0;
  for (const [, n, unit] of parts) {
    const u = UNIT_MS[unit!] !== undefined ? unit! : UNIT_WORDS[unit!];
    if (!u) return undefined;
    if (u === "mo") months += Number(n);
    else ms += Number(n) * UNIT_MS[u]!;
  }
  return new Date(addMonths(now, months).getTime() + ms);
}

/** `at` a number of calendar months later; the 31st becomes the month's last day, as billing does. */
function addMonths(at: Date, months: number): Date {
  if (months === 0) return at;
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1, at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return target;
}
/** "2 days 3 hours", "45 minutes": how far a move went, in words. */
export function describeSpan(ms: number): string {
  const days = Math.floor(ms / UNIT_MS.d!);
  const hours = Math.floor((ms % UNIT_MS.d!) / UNIT_MS.h!);
  const minutes = Math.round((ms % UNIT_MS.h!) / UNIT_MS.m!);
  const words = [plural(days, "day"), plural(hours, "hour"), plural(minutes, "minute")].filter(Boolean);
  return words.length > 0 ? words.join(" ") : "less than a minute";
}

function plural(n: number, unit: string): string {
  return n === 0 ? "" : `${n} ${unit}${n === 1 ? "" : "s"}`;
}

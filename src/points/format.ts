/**
 * Wording shared by the points commands: point counts, moments, and member text echoed back.
 */
import type { UserRef } from "../core/options.js";
import { mention } from "../core/markup.js";
import { inline } from "../core/member-text.js";

/** "1 point", "12 points", "-3 points", "20,049 points": grouped like the badges' "1,000 points". */
export function points(n: number): string {
  return `${n.toLocaleString("en-US")} point${Math.abs(n) === 1 ? "" : "s"}`;
}

/** "+5" or "-3": a ledger row's amount as members read it. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A member's name in bold, as text that can never ping. */
export function name(displayName: string): string {
  return `**${inline(displayName) || "someone"}**`;
}

/**
 * How a picked member is shown: a mention on Discord and Slack (mentions in replies never
 * notify; see the adapters), their name elsewhere.
 */
export function memberLabel(ref: UserRef): string {
  return (ref.platform === "discord" || ref.platform === "slack") && /^[A-Za-z0-9]+$/.test(ref.id) ? mention.user(ref.id) : name(ref.displayName);
}

/**
 * A future moment in words, for "you can give again ...": relative ("in 3 hours") and the
 * wall-clock time in the community's time zone, so it reads right on every platform.
 */
export function whenAgain(at: Date, now: Date, timeZone: string): string {
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }).format(at);
  return `in ${duration(at.getTime() - now.getTime())} (${clock})`;
}

/** "45 minutes", "3 hours 20 minutes", "2 days 4 hours": rounded up to the minute. */
export function duration(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 60_000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (total < 60) return plural(total, "minute");
  const hours = Math.floor(total / 60);
  if (hours < 48) return [plural(hours, "hour"), total % 60 ? plural(total % 60, "minute") : ""].filter(Boolean).join(" ");
  return [plural(Math.floor(hours / 24), "day"), hours % 24 ? plural(hours % 24, "hour") : ""].filter(Boolean).join(" ");
}

/** "3 hours ago", "2 days ago": how old a history row is. */
export function ago(at: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

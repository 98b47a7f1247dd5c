/** Small pieces of digest text, for every capability that contributes a section: members' words made safe, links, ages and moments. */
import { excerpt, linkLabel, quoted } from "./member-text.js";
import { time } from "./markup.js";

/** Titles are cut here: a digest line is a pointer to the thread, not the question itself. */
export const TITLE_MAX = 100;
const NAME_MAX = 40;

/** A member's title (a question, a course, an event) as a link label or plain text, on one line. */
export function titled(title: string, url?: string | null): string {
  const label = linkLabel(excerpt(title, TITLE_MAX));
  return url && /^https?:\/\//.test(url) && !/[)\s]/.test(url) ? `[${label}](${url})` : label;
}

/** A member's display name, bold, unable to form a mention. */
export function named(displayName: string): string {
  return `**${quoted(excerpt(displayName, NAME_MAX)).replace(/\*/g, "")}**`;
}

/** "3 days", "5 hours", "20 minutes": how long something has waited. */
export function age(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, "hour");
  return plural(Math.floor(hours / 24), "day");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A moment as each reader's own time (Discord and Slack show the token in the reader's zone). */
export const when = (instant: Date): string => time(instant);

/**
 * Members' own words (titles, details, names, tags) shown inside reply markup. A markup
 * mention token (`[[@id]]`) typed by a member would become a real mention on Slack, so
 * the `[[` that opens one is broken up; everything else (code above all) is left as typed.
 * Discord pings are limited by each post's `pings` whatever the text says.
 */

/** `[[` that starts any mention token (`[[#`, `[[@`, `[[@&`, `[[@^`). */
const MENTION_TOKEN = /\[\[(?=[#@])/g;

/** Text as the member wrote it, unable to form mention tokens. */
export function quoted(text: string): string {
  return text.replace(MENTION_TOKEN, "[\u200b[");
}

/** Text safe inside `[label](url)`: brackets would end the label early. */
export function linkLabel(text: string): string {
  return quoted(text).replace(/\[/g, "(").replace(/\]/g, ")").replace(/\n/g, " ");
}

/** The first `max` characters, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

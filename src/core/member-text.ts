/**
 * The one escaper for members' own words, next to the markup they are shown in (markup.ts).
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

/** One line of member text, at most `max` characters (titles, thread names). */
export function oneLine(text: string, max: number): string {
  return excerpt(quoted(text), max);
}

/**
 * Member text inside a sentence of reply markup (a reason, a note): one line, and unable to
 * open bold, a link or code that would swallow the rest of the sentence.
 */
export function inline(text: string): string {
  return quoted(text.replace(/\s+/g, " "))
    .replace(/\*\*/g, "*\u200b*")
    .replace(/\]\(/g, "]\u200b(")
    .replace(/`/g, "ʼ")
    .trim();
}

/** Text for a direct message, where nobody can be pinged: mention tokens become "someone". */
export function mentionsAsWords(text: string): string {
  return text.replace(/\[\[(?:#|@&|@\^|@)[A-Za-z0-9]+\]\]/g, "someone");
}

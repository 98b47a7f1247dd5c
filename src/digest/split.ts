/**
 * From a digest's sections to the messages that carry it, each within what Discord and Slack
 * accept: at most 1,900 characters of text (Discord allows 2,000 in a message and 4,096 in an
 * embed), at most 3,000 characters once rendered as Slack mrkdwn (one section block), and at
 * most 45 lines. Messages break between lines, never inside one; a section that goes on in the
 * next message repeats its heading; a single line too long for any message is shortened.
 */
import type { Post } from "../core/chat.js";
import { toDiscordMarkdown, toPlainText, toSlackMrkdwn } from "../core/markup.js";
import { LIMITS } from "../core/reply.js";
import type { DigestSection } from "./sections.js";

export const DIGEST_LIMITS = { chars: 1900, slackChars: LIMITS.slackSectionText, lines: 45 } as const;
/** A line may use this share of a message, leaving room for a heading above it. */
const LINE_SHARE = 0.8;

export interface DigestDraft {
  /** The first message's title; later ones add "(2/3)". */
  readonly title: string;
  /** A line above the sections (the period covered). */
  readonly intro?: string;
  readonly sections: readonly DigestSection[];
}

/** Whether `text` fits in one digest message on every platform (`share` of the limits). */
export function fitsOneMessage(text: string, share = 1): boolean {
  return (
    text.length <= DIGEST_LIMITS.chars * share &&
    toDiscordMarkdown(text).length <= DIGEST_LIMITS.chars * share &&
    toSlackMrkdwn(text).length <= DIGEST_LIMITS.slackChars * share
  );
}

/** A line that fits: as it is, else as plain text (no half links) cut with an ellipsis. */
export function fitLine(line: string, share = LINE_SHARE): string {
  const oneLine = line.replace(/\n/g, " ");
  if (fitsOneMessage(oneLine, share)) return oneLine;
  const plain = toPlainText(oneLine);
  let max = Math.min(plain.length, Math.floor(DIGEST_LIMITS.chars * share));
  // Slack's escaping can lengthen text (`<` is `&lt;`), so shrink until every form fits.
  while (max > 1 && !fitsOneMessage(`${plain.slice(0, max - 1)}…`, share)) max = Math.floor(max * 0.9);
  return `${plain.slice(0, max - 1)}…`;
}

/** The digest as messages, in order; none when there are no sections. */
export function splitDigest(draft: DigestDraft): Post[] {
  if (!draft.sections.some((s) => s.lines.length > 0)) return [];
  const pages: string[][] = [];
  let page: string[] = [];
  const fits = (lines: readonly string[]) => lines.length <= DIGEST_LIMITS.lines && fitsOneMessage(lines.join("\n"));
  const startPage = (lines: string[]) => {
    if (page.length > 0) pages.push(page);
    page = lines;
  };
  if (draft.intro) page.push(fitLine(draft.intro));
  for (const s of draft.sections) {
    const heading = fitLine(`**${s.heading}**`, 0.1);
    const lines = s.lines.map((l) => fitLine(l));
    if (lines.length === 0) continue;
    // A heading never ends a message: it goes with the section's first line.
    const opening = [...(page.length > 0 ? [""] : []), heading, lines[0]!];
    if (fits([...page, ...opening])) page.push(...opening);
    else startPage([heading, lines[0]!]);
    for (const line of lines.slice(1)) {
      if (fits([...page, line])) page.push(line);
      else startPage([fitLine(`**${s.heading} (continued)**`, 0.1), line]);
    }
  }
  if (page.length > 0) pages.push(page);
  return pages.map((lines, i) => ({ title: pages.length === 1 ? draft.title : `${draft.title} (${i + 1}/${pages.length})`, text: lines.join("\n") }));
}

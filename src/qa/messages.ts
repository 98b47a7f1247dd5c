/** What Q&A posts: the question in its thread, solved notes, nudges and reminders. */
import type { Post } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { mention } from "../core/markup.js";
import type { MessageContent } from "../core/reply.js";
import { badgeAnnouncement, type EarnedBadge } from "../points/index.js";
import type { Question } from "./questions.js";
import { excerpt, linkLabel, quoted } from "../core/member-text.js";

/** How to accept an answer, in the words of the platform the thread is on. */
export function howToAccept(platform: PlatformName, number?: number): string {
  const solved = number === undefined ? "`/solved`" : `\`/solved ${number}\``;
  if (platform === "discord") return `Found your answer? On the reply that solved it: Apps → **Accept answer** (or run \`/solved\` in this thread).`;
  if (platform === "slack") return `Found your answer? On the reply that solved it: ⋯ More actions → **Accept answer** (or run ${number === undefined ? "`/solved` with the question's number" : solved}).`;
  return `Found your answer? Accept the reply that solved it, or run ${solved}.`;
}

/** The first message of a question's thread; the title names the thread (Slack shows it as the heading). */
export function questionPost(input: { platform: PlatformName; askerName: string; details: string; tags: readonly string[]; bounty: number }): Post {
  const fields = [
    { name: "Asked by", value: quoted(input.askerName), inline: true },
    ...(input.tags.length > 0 ? [{ name: "Tags", value: input.tags.map((t) => `\`${t}\``).join(" "), inline: true }] : []),
    ...(input.bounty > 0 ? [{ name: "Bounty", value: `${input.bounty} points for the accepted answer`, inline: true }] : []),
  ];
  return { text: quoted(input.details), fields, footer: howToAccept(input.platform) };
}

/** A member as a post names them: a mention where they are on the thread's platform, else their name. */
export interface Named {
  readonly displayName: string;
  /** Their user id on the thread's platform, when known. */
  readonly platformUserId?: string | undefined;
}

export const nameOf = (who: Named) => (who.platformUserId ? mention.user(who.platformUserId) : `**${quoted(who.displayName)}**`);

export interface SolvedNote {
  readonly question: Question;
  readonly asker: Named;
  /** Absent when the asker marked it solved without crediting anyone, or accepted their own answer. */
  readonly answerer?: Named;
  readonly awards: { readonly answerer: number; readonly asker: number; readonly bounty: number };
  readonly bountyReturned: number;
  readonly previous?: Named;
  readonly badges: readonly EarnedBadge[];
  /** Set when a creator, not the asker, marked it solved: the note must not say the asker did. */
  readonly creator?: Named;
  /** The answer matched an earlier one: its points wait for a creator. */
  readonly held?: boolean;
}

/** Said in the thread when it is marked solved; pings only the answerer, so they hear of it. */
export function solvedNote(n: SolvedNote): Post {
  const lines: string[] = [];
  if (n.answerer) {
    lines.push(`✅ **Solved.** ${nameOf(n.answerer)}'s answer was accepted${n.creator ? ` by ${nameOf(n.creator)}, a creator` : ""}.`);
    const gains = [n.awards.answerer > 0 ? `${n.awards.answerer} points` : "", n.awards.bounty > 0 ? `the ${n.awards.bounty}-point bounty` : ""].filter(Boolean);
    if (gains.length > 0 && n.held) lines.push(`Its ${gains.join(" and ")} are held until a creator has checked it against an earlier answer.`);
    else if (gains.length > 0) lines.push(`${nameOf(n.answerer)} earns ${gains.join(" and ")}${n.awards.asker > 0 ? `; ${nameOf(n.asker)} earns ${n.awards.asker} for asking` : ""}.`);
  } else {
    lines.push(n.creator ? `✅ **Solved:** marked by ${nameOf(n.creator)}, a creator.` : `✅ **Solved** by ${nameOf(n.asker)}.`);
  }
  if (n.previous) lines.push(`The answer accepted before, by ${nameOf(n.previous)}, is no longer accepted; its points were taken back.`);
  if (n.bountyReturned > 0) lines.push(`The ${n.bountyReturned}-point bounty went back to ${nameOf(n.asker)}.`);
  // In the same message: posting again after the thread is archived would reopen it.
  const badges = badgeAnnouncement(n.badges);
  if (badges) lines.push(badges);
  const userIds = n.answerer?.platformUserId ? [n.answerer.platformUserId] : [];
  return { text: lines.join("\n"), tone: "success", pings: { userIds } };
}

/** The nudge for a question nobody answered: mentions (and pings) only the helpers. */
export function helpersPost(q: Question, helpers: { mention: string; pings: Post["pings"] }, hours: number): Post {
  return {
    text: `${helpers.mention} ${questionRef(q)} has had no reply for ${hours} hours. Can you help?`,
    ...(q.url ? { links: [{ label: "Open the question", url: q.url }] } : {}),
    ...(helpers.pings ? { pings: helpers.pings } : {}),
  };
}

/** The asker's reminder to accept an answer or close the question. */
export function reminderMessage(q: Question): MessageContent & { text: string } {
  const replies = q.replyCount === 1 ? "a reply" : `${q.replyCount} replies`;
  return {
    text: `Your question ${questionRef(q)} has ${replies}. If one solved it, accept it so whoever helped gets the credit; if you solved it yourself, close it with \`/solved ${q.number}\`.\n${howToAccept(q.platform as PlatformName, q.number)}`,
    ...(q.url ? { links: [{ label: "Open the question", url: q.url }] } : {}),
  };
}

/** `**#12** [How do I pin a future?](url)` */
export function questionRef(q: Pick<Question, "number" | "title" | "url">): string {
  const title = excerpt(q.title, 100);
  return q.url ? `**#${q.number}** [${linkLabel(title)}](${q.url})` : `**#${q.number}** “${quoted(title)}”`;
}

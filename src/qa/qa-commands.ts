/** `/ask`, `/solved`, `/questions` and the "Accept answer" message command. */
import { defineCommand } from "../core/command.js";
import type { CommandContext } from "../core/context.js";
import { defineMessageCommand } from "../core/message-command.js";
import { mention } from "../core/markup.js";
import { option, typedAs } from "../core/options.js";

import { allows } from "../core/permissions.js";
import { type Reply, reply } from "../core/reply.js";
import { qaSettingsSection } from "./settings-schema.js";
import { badgeAnnouncement } from "../points/index.js";
import { BOUNTY_MAX, BOUNTY_MIN, DETAILS_MAX, TITLE_MAX } from "./ask.js";
import { questionRef } from "./messages.js";
import type { Actor, Solved } from "./qa-service.js";
import type { Found } from "./search.js";
import { parseTags } from "./tags.js";
import { quoted } from "../core/member-text.js";

/** Tags typed among other words: `#rust #async` or a comma list `rust, async`. */
const TAGS_TYPED = typedAs.phrase(9, (t) => /^#[\w+.#-]+(\s+#[\w+.#-]+)*$/.test(t) || /^#?[\w+.#-]+(\s*,\s*#?[\w+.#-]+)+$/.test(t));

/** The member running a command, as Q&A sees them. */
export function actorOf(ctx: CommandContext<unknown>): Actor {
  return { memberId: ctx.member.id, displayName: ctx.member.displayName, isCreator: allows(ctx.level, "creator"), platform: ctx.platform, platformUserId: ctx.account.externalId };
}

/** `/ask <title> <details> [tags] [bounty]`: a thread in the help channel, with answers counted and accepted there. */
export const askCommand = defineCommand({
  name: "ask",
  description: "Ask the community a question; it gets a thread of its own",
  visibility: "public",
  options: {
    title: option.string({ description: "Your question in one line", required: true, minLength: 5, maxLength: TITLE_MAX }),
    details: option.string({ description: "What you tried, the error, a code snippet", required: true, minLength: 10, maxLength: DETAILS_MAX }),
    tags: option.string({ description: "Up to 5 tags, e.g. rust, async", maxLength: 100, typed: TAGS_TYPED }),
    bounty: option.integer({ description: `Points of yours for the accepted answer (${BOUNTY_MIN} to ${BOUNTY_MAX})`, min: BOUNTY_MIN, max: BOUNTY_MAX }),
  },
  handler: async (ctx) => {
    const o = ctx.options;
    const { question, thread, similar } = await ctx.services.qa.ask({
      communityId: ctx.community.id,
      spaceId: ctx.space.id,
      channelId: ctx.channel.id,
      asker: actorOf(ctx),
      title: o.title,
      details: o.details,
      tags: parseTags(o.tags),
      bounty: o.bounty ?? 0,
      qa: ctx.community.config?.qa ?? qaSettingsSection.defaults,
      now: ctx.now,
    });
    const where = thread.url ? "" : ` in ${mention.channel(thread.channelId)}`;
    return reply.public(`**${quoted(ctx.member.displayName)}** asked ${questionRef(question)}${where}. Answers go in its thread.`, {
      tone: "info",
      fields: [
        ...(question.tags.length > 0 ? [{ name: "Tags", value: question.tags.map((t) => `\`${t}\``).join(" "), inline: true }] : []),
        ...(question.bounty > 0 ? [{ name: "Bounty", value: `${question.bounty} points for the accepted answer`, inline: true }] : []),
        ...(similar.length > 0 ? [{ name: "Similar questions, maybe already answered", value: similar.map(line).join("\n") }] : []),
      ],
      ...(thread.url ? { links: [{ label: "Open the thread", url: thread.url }] } : {}),
    });
  },
});

/** "Accept answer" on a reply in a question's thread (Discord: Apps menu; Slack: message shortcut). */
export const acceptAnswerCommand = defineMessageCommand({
  name: "Accept answer",
  id: "accept_answer",
  description: "Accept this reply as the answer to your question",
  handler: async (ctx) => {
    const solved = await ctx.services.qa.accept({ communityId: ctx.community.id, spaceId: ctx.space.id, message: ctx.options.message, actor: actorOf(ctx), now: ctx.now });
    return solvedReply(ctx, solved);
  },
});

/** `/solved [question] [answerer]`: mark a question solved, crediting an answer or not. */
export const solvedCommand = defineCommand({
  name: "solved",
  description: "Mark your question solved, optionally crediting who answered it",
  options: {
    question: option.integer({ description: "The question's number (not needed inside its thread on Discord)", min: 1 }),
    answerer: option.user({ description: "Who answered it: they get the points, like accepting their reply" }),
  },
  handler: async (ctx) => {
    const solved = await ctx.services.qa.solve({
      communityId: ctx.community.id,
      spaceId: ctx.space.id,
      channelId: ctx.channel.id,
      number: ctx.options.question,
      answerer: ctx.options.answerer,
      actor: actorOf(ctx),
      now: ctx.now,
    });
    return solvedReply(ctx, solved);
  },
});

/** `/questions [search]`: search questions and accepted answers, or list the newest open questions. */
export const questionsCommand = defineCommand({
  name: "questions",
  description: "Search questions and their accepted answers, or see the open ones",
  options: { search: option.string({ description: "Words to look for, e.g. pin future", maxLength: 200 }) },
  handler: async (ctx) => {
    const text = ctx.options.search;
    const found = await ctx.services.qa.search(ctx.community.id, text);
    if (found.length === 0) {
      return reply.ephemeral(text ? `No questions match “${quoted(text)}”. Try other words, or ask with \`/ask\`.` : "No open questions right now. Ask one with `/ask`.");
    }
    return reply.ephemeral(found.map(line).join("\n"), { title: text ? `Questions matching “${quoted(text)}”` : "Newest open questions" });
  },
});

function line(q: Found): string {
  const state = q.status === "open" ? (q.replyCount === 0 ? "open, no replies yet" : `open, ${q.replyCount} repl${q.replyCount === 1 ? "y" : "ies"}`) : "✅ solved";
  return `${questionRef(q)} · ${state}${q.bounty > 0 && q.status === "open" ? ` · ${q.bounty}-point bounty` : ""}`;
}

/** What the member who accepted or ran /solved is told; the thread gets the public note. */
function solvedReply(ctx: CommandContext<unknown>, s: Solved): Reply {
  const q = s.question;
  const ref = questionRef(q);
  if (!s.changed) {
    return reply.ephemeral(s.accepted ? `That answer is already the accepted one for ${ref}.` : `${ref} is already marked solved.`);
  }
  const lines: string[] = [];
  const youAsked = ctx.member.id === q.askerId;
  const answerer = s.answerer ? `**${quoted(s.answerer.displayName)}**` : "";
  if (s.accepted && s.awards.answerer > 0) {
    const bounty = s.awards.bounty > 0 ? ` and the ${s.awards.bounty}-point bounty` : "";
    const accepted = youAsked ? "Accepted" : "As a creator, you accepted";
    lines.push(`✅ ${accepted} ${answerer}'s answer to ${ref}. They earn ${s.awards.answerer} points${bounty}; ${youAsked ? "you earn" : `the asker, **${quoted(s.asker.displayName)}**, earns`} ${s.awards.asker} for asking.`);
  } else if (s.accepted) {
    lines.push(`✅ Accepted your own answer to ${ref}. Your own answers earn no points.`);
  } else {
    const own = youAsked ? " with your own answer; your own answers earn no points" : " with the asker's own answer, which earns no points";
    lines.push(`✅ ${ref} is marked solved${s.question.acceptedText ? own : ""}.`);
  }
  if (s.held) lines.push(`⏸️ Its points are held: it matches ${Math.round(s.held.share * 100)}% of an earlier answer by another member. A creator will release or reverse them.`);
  if (s.previous) lines.push(`**${quoted(s.previous.displayName)}**'s answer is no longer the accepted one; its points were taken back.`);
  if (s.bountyReturned > 0) lines.push(`The ${s.bountyReturned}-point bounty went back to ${youAsked ? "you" : "the asker"}.`);
  const badges = badgeAnnouncement(s.badges);
  if (badges) lines.push(badges);
  return reply.ephemeral(lines.join("\n"), { tone: "success" });
}

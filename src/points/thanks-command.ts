/** `/thanks @member [reason]`: peer kudos. */
import { defineCommand } from "../core/command.js";
import type { CommandContext } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { timezoneOf } from "../config/communities.js";
import { pointsSettingsSection } from "./settings-schema.js";
import { badgeAnnouncement } from "./badges.js";
import { memberLabel, name, points } from "./format.js";
import { levelUpsAfter } from "./level-news.js";
import { inline } from "../core/member-text.js";

/** Room for a sentence; also kept short enough that /points history stays readable. */
export const THANKS_REASON_MAX = 200;

export const thanksCommand = defineCommand({
  name: "thanks",
  // Its ledger row is keyed by the interaction id (or it only reads): safe to run again after a crash.
  resumable: true,
  description: "Thank a member who helped you; they get a point",
  visibility: "public",
  options: {
    member: option.user({ description: "Who helped you", required: true }),
    // Before `reason` so that on Slack the reason takes the rest of the line.
    question: option.string({ description: "The question they answered, e.g. 12 (not needed in its thread on Discord)", maxLength: 12, typed: typedAs.pattern(/^#?\d{1,9}$/) }),
    reason: option.string({ description: "What for, in a few words", maxLength: THANKS_REASON_MAX }),
  },
  handler: async (ctx) => {
    const { member: ref } = ctx.options;
    const { question, reason } = questionAndReason(ctx.platform, ctx.options.question, ctx.options.reason);
    const receiver = (await ctx.services.identity.memberFor(ctx.community.id, ctx.platform, { id: ref.id, displayName: ref.displayName })).member;
    const questionId = await questionFor(ctx, question);
    const thanks = (ctx.community.config?.points ?? pointsSettingsSection.defaults).thanks;
    const result = await ctx.services.points.thank({
      communityId: ctx.community.id,
      giver: { memberId: ctx.member.id, displayName: ctx.member.displayName },
      receiver: { memberId: receiver.id, displayName: ref.displayName, label: memberLabel(ref) },
      ...(reason ? { reason } : {}),
      ...(questionId ? { questionId } : {}),
      rules: thanks,
      timeZone: timezoneOf(ctx.community.config),
      now: ctx.now,
      interactionId: ctx.interactionId,
    });
    const forWhat = reason ? `: “${inline(reason)}”` : "";
    const onQuestion = result.question ? `${result.question.countedForAnswer ? " for their answer" : ""} on #${result.question.number}` : "";
    const badges = badgeAnnouncement(result.badges);
    const levels = await levelUpsAfter(ctx.services, ctx.community, [receiver.id], ctx.log);
    const news = [badges, levels].filter(Boolean).map((line) => `\n${line}`).join("");
    return reply.public(`🙏 ${name(ctx.member.displayName)} thanked ${memberLabel(ref)}${onQuestion}${forWhat} (+${points(result.entry.amount)})${news}`, {
      tone: "success",
    });
  },
});

/**
 * Slack and the playground hand over text: `/thanks @ada great answer` fills `question`
 * with "great". A first word that is not a question number belongs to the reason there.
 * On Discord each option is its own field, so a bad number is an error.
 */
function questionAndReason(platform: string, question: string | undefined, reason: string | undefined): { question?: number; reason?: string } {
  if (question === undefined) return reason ? { reason } : {};
  const number = /^#?(\d{1,9})$/.exec(question.trim())?.[1];
  if (number) return { question: Number(number), ...(reason ? { reason } : {}) };
  if (platform === "discord") throw new UserFacingError("`question` takes a question number, like 12.", "invalid_option");
  return { reason: [question, reason].filter(Boolean).join(" ").slice(0, THANKS_REASON_MAX) };
}

/** The question named by number, or the one whose thread the command ran in (Q&A knows both). */
async function questionFor(ctx: CommandContext<unknown>, number: number | undefined): Promise<string | undefined> {
  const { qa } = ctx.services;
  if (number !== undefined) {
    const id = await qa.questionNumbered(ctx.community.id, number);
    if (!id) throw new UserFacingError(`There is no question #${number} here. Leave \`question\` out to thank them for something else.`, "unknown_question");
    return id;
  }
  return qa.questionInThread(ctx.community.id, { platform: ctx.platform, spaceId: ctx.space.id, threadId: ctx.channel.id });
}

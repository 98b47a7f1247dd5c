/**
 * The scheduled side of Q&A. Each pass claims a question with a conditional update before
 * posting, so a second run (or another process) finds nothing left to do; a post that fails
 * gives its claim back to be tried on the next run.
 */
import type { Pings } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import { mention } from "../core/markup.js";
import type { QaConfig } from "./settings-schema.js";
import { inTransaction } from "../db/transaction.js";
import { type Settlement, settleBountyInTransaction } from "./bounty-expiry.js";
import { helpersPost, nameOf, questionRef, reminderMessage } from "./messages.js";
import type { QaDeps } from "./qa-deps.js";
import { type Question, threadOf } from "./questions.js";

const HOUR = 3_600_000;
/** Questions handled per community per run; the rest wait for the next run. */
const BATCH = 100;

export type SettingsFor = (communityId: string) => Promise<QaConfig>;

/** How a platform's helpers are mentioned, or undefined where none are configured. */
export function helpersOn(platform: PlatformName, qa: QaConfig): { mention: string; pings: Pings } | undefined {
  const { discordRoleId, slackUserGroupId } = qa.helpers;
  const role = discordRoleId && { mention: mention.role(discordRoleId), pings: { discordRoleIds: [discordRoleId] } };
  const group = slackUserGroupId && { mention: mention.userGroup(slackUserGroupId), pings: { slackUserGroupIds: [slackUserGroupId] } };
  if (platform === "discord") return role || undefined;
  if (platform === "slack") return group || undefined;
  return role || group || undefined; // the playground shows whichever is configured
}

/** Re-posts each question nobody replied to within `staleAfterHours` to the helpers, once. */
export async function repostStaleQuestions(deps: QaDeps, settingsFor: SettingsFor, now: Date): Promise<number> {
  const where = { status: "open", replyCount: 0, helpersPingedAt: null } as const;
  let posted = 0;
  for (const { communityId } of await deps.db.question.groupBy({ by: ["communityId"], where })) {
    const qa = await settingsFor(communityId);
    const platforms = (Object.keys(deps.chat) as PlatformName[]).filter((p) => helpersOn(p, qa));
    if (platforms.length === 0) continue;
    const due = await deps.db.question.findMany({
      where: { ...where, communityId, platform: { in: platforms }, createdAt: { lte: new Date(now.getTime() - qa.staleAfterHours * HOUR) } },
      orderBy: { createdAt: "asc" },
      take: BATCH,
    });
    for (const q of due) {
      const claimed = await deps.db.question.updateMany({ where: { ...where, id: q.id }, data: { helpersPingedAt: now } });
      if (claimed.count === 0) continue;
      try {
        await deps.chat[q.platform as PlatformName]!.postInThread(threadOf(q), helpersPost(q, helpersOn(q.platform as PlatformName, qa)!, qa.staleAfterHours));
        posted++;
      } catch (error) {
        deps.log.warn({ err: error, question: q.id }, "could not re-post a stale question to the helpers; will try again");
        await deps.db.question.update({ where: { id: q.id }, data: { helpersPingedAt: null } });
      }
    }
  }
  return posted;
}

/** Reminds each asker whose answered question is still open `remindAskerAfterHours` after the first reply, once. */
export async function remindAskers(deps: QaDeps, settingsFor: SettingsFor, now: Date): Promise<number> {
  const where = { status: "open", replyCount: { gt: 0 }, askerRemindedAt: null } as const;
  let reminded = 0;
  for (const { communityId } of await deps.db.question.groupBy({ by: ["communityId"], where })) {
    const qa = await settingsFor(communityId);
    const due = await deps.db.question.findMany({
      where: { ...where, communityId, firstReplyAt: { lte: new Date(now.getTime() - qa.remindAskerAfterHours * HOUR) } },
      orderBy: { createdAt: "asc" },
      take: BATCH,
    });
    for (const q of due) {
      const claimed = await deps.db.question.updateMany({ where: { ...where, id: q.id }, data: { askerRemindedAt: now } });
      if (claimed.count === 0) continue;
      if (await remindAsker(deps, q)) reminded++;
      else await deps.db.question.update({ where: { id: q.id }, data: { askerRemindedAt: null } });
    }
  }
  return reminded;
}

/**
 * A direct message on the question's platform first, then any other platform the asker
 * linked; if none gets through, a line in the thread that mentions them.
 */
async function remindAsker(deps: QaDeps, q: Question): Promise<boolean> {
  const message = reminderMessage(q);
  if ((await deps.memberMessenger.send(q.askerId, message, { prefer: q.platform })) === "sent") return true;
  const here = await deps.db.platformAccount.findFirst({ where: { memberId: q.askerId, platform: q.platform }, orderBy: { createdAt: "asc" } });
  const poster = deps.chat[q.platform as PlatformName];
  if (!here || !poster) {
    deps.log.info({ question: q.id }, "could not reach the asker with a reminder");
    return false;
  }
  try {
    await poster.postInThread(threadOf(q), { ...message, text: `${mention.user(here.externalId)} ${message.text}`, pings: { userIds: [here.externalId] } });
    return true;
  } catch (error) {
    deps.log.warn({ err: error, question: q.id }, "could not post a reminder for the asker; will try again");
    return false;
  }
}

/** Settles every bounty whose window closed without an accepted answer, and says so in the thread. */
export async function settleExpiredBounties(deps: QaDeps, settingsFor: SettingsFor, now: Date): Promise<number> {
  const where = { status: "open", bounty: { gt: 0 }, bountySettledAt: null } as const;
  let settled = 0;
  for (const { communityId } of await deps.db.question.groupBy({ by: ["communityId"], where })) {
    const qa = await settingsFor(communityId);
    const dueBefore = new Date(now.getTime() - qa.bountyDays * 24 * HOUR);
    const due = await deps.db.question.findMany({ where: { ...where, communityId, createdAt: { lte: dueBefore } }, orderBy: { createdAt: "asc" }, take: BATCH, select: { id: true } });
    for (const { id } of due) {
      const result = await inTransaction(deps.db, (tx) => settleBountyInTransaction(tx, deps.ledger, id, dueBefore, now));
      if (!result) continue; // accepted or settled meanwhile
      settled++;
      await announceSettlement(deps, result);
    }
  }
  return settled;
}

async function announceSettlement(deps: QaDeps, s: Settlement): Promise<void> {
  const poster = deps.chat[s.question.platform as PlatformName];
  if (!poster) return;
  const answerer = s.answererId ? await deps.db.member.findUnique({ where: { id: s.answererId }, select: { displayName: true } }) : null;
  const parts = [`The ${s.question.bounty}-point bounty on ${questionRef(s.question)} expired with no accepted answer.`];
  if (answerer) parts.push(`${s.toAnswerer} points go to ${nameOf(answerer)}, whose reply got the most thanks.`);
  if (s.toAsker > 0) parts.push(`${s.toAsker} points went back to the asker.`);
  await poster.postInThread(threadOf(s.question), { text: parts.join(" ") }).catch((error: unknown) => deps.log.warn({ err: error, question: s.question.id }, "could not announce a settled bounty"));
}

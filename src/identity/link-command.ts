import { defineCommand } from "../core/command.js";
import { option } from "../core/options.js";
import type { CommandContext } from "../core/context.js";
import { reply } from "../core/reply.js";

/**
 * `/link` on one platform gives a code; `/link <code>` on the other joins the accounts,
 * so points, purchases and access follow the person, not the platform.
 */
export const linkCommand = defineCommand({
  name: "link",
  description: "Link your Discord and Slack accounts: get a code here, enter it on the other platform",
  options: {
    code: option.string({ description: "The code you got from /link on your other platform", minLength: 8, maxLength: 12 }),
  },
  handler: async (ctx) => {
    const { identity } = ctx.services;
    if (ctx.options.code === undefined) {
      const { code } = await identity.createLinkCode(ctx.community.id, ctx.member.id, ctx.platform, ctx.now);
      return reply.ephemeral(`Your link code is **${code}**. Within 10 minutes, run \`/link ${code}\` on your other platform. It works once.`, {
        title: "Link your accounts",
        tone: "info",
      });
    }
    const linked = await identity.redeemLinkCode({
      code: ctx.options.code,
      communityId: ctx.community.id,
      platform: ctx.platform,
      accountId: ctx.account.id,
      now: ctx.now,
    });
    await syncAfterLink(ctx, linked.memberId);
    return reply.ephemeral(`Linked: this account and your ${linked.otherPlatform} account are now one member, **${linked.displayName}**.`, {
      tone: "success",
    });
  },
});

/**
 * What the merged member bought now belongs to this one: when the person has anything from a
 * purchase or grant, every linked account gets its access now, not at the next reconciliation.
 * Someone with nothing to grant costs no platform calls.
 */
async function syncAfterLink(ctx: CommandContext<unknown>, memberId: string): Promise<void> {
  const { entitlements, accessSync } = ctx.services;
  try {
    if (entitlements && accessSync && (await entitlements.forMember(memberId)).length > 0) await accessSync.syncMember(memberId);
  } catch (error) {
    ctx.log.warn({ err: error }, "could not sync access after a link");
  }
}

/** `/reward add|list|archive|pending|fulfil|refund` for creators, and `/redeem` for members. */
import { SIMULATED_LABEL, suggestItems } from "../commerce/index.js";
import { type Autocomplete, defineCommand, defineGroup } from "../core/command.js";
import type { CommandContext } from "../core/context.js";
import { option, typedAs } from "../core/options.js";
import { type Reply, reply, truncate } from "../core/reply.js";
import { name, points } from "./format.js";
import { offerText, type Redeemed, redemptionRef, REWARD_KINDS, type RewardKind, type Reward } from "./rewards-service.js";
import { inline } from "../core/member-text.js";

const KIND_LABEL: Record<RewardKind, string> = { stripe_promotion: "Stripe promotion code", priority_review: "priority code review", custom: "custom (fulfilled by hand)" };

const rewardName = (description: string) => option.string({ description, required: true, minLength: 2, maxLength: 40, autocomplete: true });
const redemptionOption = option.string({ description: "The redemption, e.g. R-1A2B3C4D (see /reward pending)", required: true, minLength: 4, maxLength: 40, typed: typedAs.word });
const noteOption = option.string({ description: "A note for the member", maxLength: 500 });

/** Rewards on offer, by name, as the member types. */
const suggestRewards: Autocomplete = async (ctx, _option, typed) =>
  (await ctx.services.points.rewards.suggest(ctx.community.id, typed)).map((r) => ({ name: `${r.title} (${points(r.cost)})`.slice(0, 100), value: r.name }));

function rewardLine(r: { reward: Reward; left: number | null }, withKind: boolean): string {
  const left = r.left === null ? "" : r.left === 0 ? " · all gone" : ` · ${r.left} left`;
  const kind = withKind ? ` · ${KIND_LABEL[r.reward.kind as RewardKind] ?? r.reward.kind}` : "";
  return `**${inline(r.reward.title)}** (\`${r.reward.name}\`): ${points(r.reward.cost)}${kind}${left}${r.reward.archivedAt ? " · _archived_" : ""}`;
}

const add = defineCommand({
  name: "add",
  description: "Offer a reward members can buy with points",
  permission: "creator",
  options: {
    name: option.string({ description: "Short name members type, e.g. rust-discount", required: true, minLength: 2, maxLength: 40, typed: typedAs.word }),
    title: option.string({ description: "Title members see", required: true, maxLength: 100 }),
    cost: option.integer({ description: "Price in points", required: true, min: 1, max: 1_000_000 }),
    kind: option.string({ description: "What the member gets", required: true, choices: REWARD_KINDS.map((k) => ({ name: KIND_LABEL[k], value: k })) }),
    item: option.string({ description: "Stripe promotion: the course it discounts (see /courses)", maxLength: 40, autocomplete: true, typed: typedAs.word }),
    percent_off: option.integer({ description: "Stripe promotion: percent off (1 to 100)", min: 1, max: 100 }),
    amount_off: option.number({ description: "Stripe promotion: amount off, in the course's currency (e.g. 10)", min: 0.01, max: 100_000 }),
    stock: option.integer({ description: "How many can be redeemed in all (default: no limit)", min: 1, max: 100_000 }),
    description: option.string({ description: "What the member gets, in detail", maxLength: 1000 }),
  },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const o = ctx.options;
    const { reward, item } = await ctx.services.points.rewards.add(ctx.community.id, {
      name: o.name,
      title: o.title,
      description: o.description ?? "",
      cost: o.cost,
      kind: o.kind as RewardKind,
      itemName: o.item,
      percentOff: o.percent_off,
      amountOff: o.amount_off,
      stock: o.stock,
    });
    return reply.ephemeral(`Added ${rewardLine({ reward, left: reward.stock }, true)}: ${inline(offerText(reward, item))}. Members redeem it with \`/redeem ${reward.name}\`.`, { tone: "success" });
  },
});

const list = defineCommand({
  name: "list",
  description: "Every reward, archived ones included",
  permission: "creator",
  handler: async (ctx) => {
    const rewards = await ctx.services.points.rewards.list(ctx.community.id, { includeArchived: true });
    if (rewards.length === 0) return reply.ephemeral("No rewards yet. Offer one with `/reward add`.");
    return reply.ephemeral(rewards.map((r) => rewardLine(r, true)).join("\n"), { title: "Rewards" });
  },
});

const archive = defineCommand({
  name: "archive",
  description: "Stop offering a reward (redemptions already made stay)",
  permission: "creator",
  options: { name: rewardName("The reward's name") },
  autocomplete: suggestRewards,
  handler: async (ctx) => {
    const reward = await ctx.services.points.rewards.archive(ctx.community.id, ctx.options.name, ctx.now);
    return reply.ephemeral(`**${inline(reward.title)}** is no longer on offer. Pending redemptions of it are still in \`/reward pending\`.`, { tone: "success" });
  },
});

const pending = defineCommand({
  name: "pending",
  description: "Custom rewards waiting for you to fulfil them",
  permission: "creator",
  handler: async (ctx) => {
    const waiting = await ctx.services.points.rewards.pending(ctx.community.id);
    if (waiting.length === 0) return reply.ephemeral("Nothing is waiting: every custom reward has been fulfilled.");
    const lines = waiting.map((w) => `\`${redemptionRef(w.redemption.id)}\` ${name(w.memberName)}: ${inline(w.reward?.title ?? "a reward")} · ${w.redemption.createdAt.toISOString().slice(0, 10)}`);
    return reply.ephemeral(lines.join("\n"), { title: "Waiting to be fulfilled", footer: "Mark one done with /reward fulfil <R-…>, or give the points back with /reward refund." });
  },
});

const fulfil = defineCommand({
  name: "fulfil",
  description: "Mark a custom reward as fulfilled (the member is told)",
  permission: "creator",
  options: { redemption: redemptionOption, note: noteOption },
  handler: async (ctx) => {
    const done = await ctx.services.points.rewards.fulfil({ communityId: ctx.community.id, ref: ctx.options.redemption, creatorId: ctx.member.id, note: ctx.options.note, now: ctx.now });
    const title = inline(done.reward?.title ?? "your reward");
    const note = ctx.options.note ? `\n${ctx.member.displayName} says: ${ctx.options.note}` : "";
    const told = await ctx.services.memberMessenger.send(done.redemption.memberId, { text: `🎁 Your reward **${title}** (${redemptionRef(done.redemption.id)}) has been fulfilled.${inline(note)}` }, { prefer: ctx.platform });
    return reply.ephemeral(`Marked ${redemptionRef(done.redemption.id)} (**${title}** for ${name(done.memberName)}) as fulfilled.${told === "sent" ? " They have been told privately." : " They could not be messaged privately, so tell them yourself."}`, { tone: "success" });
  },
});

const refund = defineCommand({
  name: "refund",
  description: "Give the points back for a redemption not used yet",
  permission: "creator",
  options: { redemption: redemptionOption, note: noteOption },
  handler: async (ctx) => {
    const done = await ctx.services.points.rewards.refund({ communityId: ctx.community.id, ref: ctx.options.redemption, creatorId: ctx.member.id, note: ctx.options.note, now: ctx.now });
    const title = inline(done.reward?.title ?? "your reward");
    const note = ctx.options.note ? ` ${ctx.member.displayName} says: ${ctx.options.note}` : "";
    await ctx.services.memberMessenger.send(done.redemption.memberId, { text: `Your ${points(done.redemption.cost)} for **${title}** (${redemptionRef(done.redemption.id)}) are back in your balance.${inline(note)}` }, { prefer: ctx.platform });
    return reply.ephemeral(`Refunded ${redemptionRef(done.redemption.id)}: ${name(done.memberName)} has their ${points(done.redemption.cost)} back.`, { tone: "success" });
  },
});

/** `/reward ...`: creators manage what points can buy. */
export const rewardCommand = defineGroup({ name: "reward", description: "Manage the rewards members buy with points", subcommands: [add, list, archive, pending, fulfil, refund] });

/** `/redeem [reward]`: without a reward, what is on offer; with one, buy it. */
export const redeemCommand = defineCommand({
  name: "redeem",
  description: "Spend your points on a reward (leave empty to see them)",
  options: { reward: option.string({ description: "The reward's name", minLength: 2, maxLength: 40, autocomplete: true }) },
  autocomplete: suggestRewards,
  handler: async (ctx) => {
    if (!ctx.options.reward) return offers(ctx);
    const redeemed = await ctx.services.points.rewards.redeem({ communityId: ctx.community.id, memberId: ctx.member.id, rewardName: ctx.options.reward, now: ctx.now });
    return redeemedReply(ctx, redeemed);
  },
});

async function offers(ctx: CommandContext<unknown>): Promise<Reply> {
  const [rewards, balance] = await Promise.all([ctx.services.points.rewards.list(ctx.community.id), ctx.services.ledger.balance(ctx.community.id, ctx.member.id)]);
  if (rewards.length === 0) return reply.ephemeral(`No rewards are on offer yet. You have ${points(balance)}.`);
  const lines = rewards.map((r) => `${rewardLine(r, false)}\n   ${truncate(inline(offerText(r.reward, r.item)), 160)}`);
  return reply.ephemeral(lines.join("\n"), { title: "Rewards", footer: `You have ${points(balance)}. Redeem with /redeem <name>.` });
}

async function redeemedReply(ctx: CommandContext<unknown>, r: Redeemed): Promise<Reply> {
  const title = inline(r.reward.title);
  const left = `You have ${points(r.balance)} left.`;
  if (r.refunded) {
    ctx.log.warn({ err: r.refunded.cause, redemption: r.redemption.id }, "Stripe could not create a promotion code; the points were refunded");
    return reply.ephemeral(`Stripe could not create your code for **${title}** just now, so your ${points(r.reward.cost)} are back (you have ${points(r.balance)}). Please try again in a little while.`, { tone: "error" });
  }
  if (r.code) {
    const offer = inline(offerText(r.reward, r.item));
    const buy = r.item ? ` Use it at checkout: \`/buy ${r.item.name}\`.` : "";
    // The code is a (simulated) Stripe object: in the playground the private message says so too.
    const label = ctx.services.simulatedPayments ? { footer: SIMULATED_LABEL } : {};
    const dm = await ctx.services.memberMessenger.send(ctx.member.id, { text: `🎟️ Your code for **${title}**: \`${r.code}\`, ${offer}.${buy}`, ...label }, { prefer: ctx.platform });
    const kept = dm === "sent" ? " It is in your direct messages too." : " Keep this message: it holds your code.";
    return reply.ephemeral(`🎟️ ${r.resumed ? "Here is the code from your earlier redemption" : "Redeemed"} **${title}**: your code is \`${r.code}\`, ${offer}.${buy}${kept} ${left}`, { tone: "success" });
  }
  if (r.reward.kind === "priority_review") {
    return reply.ephemeral(`⚡ Redeemed **${title}**: your next \`/review\` goes to the front of the queue. ${left}`, { tone: "success" });
  }
  const ref = redemptionRef(r.redemption.id);
  return reply.public(`🎁 ${name(ctx.member.displayName)} redeemed **${title}** (${ref}). A creator will be in touch to fulfil it; creators: \`/reward fulfil ${ref}\`.`, { tone: "success" });
}

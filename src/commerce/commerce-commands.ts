import { defineCommand, defineGroup } from "../core/command.js";
import { UserFacingError } from "../core/errors.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import type { CommandContext } from "../core/context.js";
import { type EntitlementWithItem, isActive } from "./entitlement-service.js";
import { suggestItems } from "./item-autocomplete.js";
import { describeDrift } from "./access-drift.js";
import { formatPrice } from "./money.js";

const itemOption = option.string({ description: "The item's name (see /courses)", required: true, maxLength: 40, autocomplete: true });

/** `/buy <item>`: a private Checkout link. Access follows Stripe's confirmation, not this link. */
export const buyCommand = defineCommand({
  name: "buy",
  description: "Get a checkout link for a course or membership",
  options: { item: itemOption },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.item);
    const { url, reused } = await ctx.services.checkout.checkoutLink(ctx.community.id, ctx.member.id, item, ctx.now);
    // In the playground's simulated payments, the buyer can pay without leaving the chat.
    const next = ctx.services.simulatedPayments
      ? `Access arrives here as soon as the simulated payment provider confirms the payment. Open the link, or type \`/pay ${item.name}\`, to pay with simulated money.`
      : "Access arrives here as soon as Stripe confirms the payment.";
    return reply.ephemeral(
      `${reused ? "Your checkout link is still open" : "Here is your checkout link"} for **${item.title}** (${formatPrice(item)}). ${next}`,
      { links: [{ label: `Pay ${formatPrice(item)}`, url }], tone: "info" },
    );
  },
});

/** `/billing`: Stripe's customer portal, to update a card, see invoices or cancel. */
export const billingCommand = defineCommand({
  name: "billing",
  description: "Manage your payment method, invoices and memberships",
  handler: async (ctx) => {
    const url = await ctx.services.checkout.portalLink(ctx.community.id, ctx.member.id);
    return reply.ephemeral("Your billing portal: update your card, download invoices or cancel a membership.", { links: [{ label: "Open billing portal", url }] });
  },
});

function describe(e: EntitlementWithItem, now: Date): string {
  const from = e.source === "purchase" ? "purchase" : e.source === "subscription" ? `membership (${e.reason ?? "active"})` : e.source;
  const until = e.endsAt ? ` until ${e.endsAt.toISOString().slice(0, 10)}` : "";
  const state = e.revokedAt ? ` — ended: ${e.reason ?? "revoked"}` : isActive(e, now) ? "" : e.startsAt > now ? " — starts later" : " — ended";
  return `**${e.item.title}**: ${from}${until}${state}`;
}

async function accessReport(ctx: CommandContext<unknown>, memberId: string, who: string) {
  const all = await ctx.services.entitlements.forMember(memberId);
  const pending = await ctx.services.db.checkoutSession.findMany({ where: { memberId, status: "open", expiresAt: { gt: ctx.now } } });
  const active = all.filter((e) => isActive(e, ctx.now));
  const past = all.filter((e) => !isActive(e, ctx.now)).slice(0, 10);
  return reply.ephemeral(active.length > 0 ? active.map((e) => describe(e, ctx.now)).join("\n") : `${who} no active access.`, {
    title: "Access",
    fields: [
      ...(pending.length > 0 ? [{ name: "Pending checkouts", value: `${pending.length} open checkout link(s), waiting for payment` }] : []),
      ...(past.length > 0 ? [{ name: "Past", value: past.map((e) => describe(e, ctx.now)).join("\n") }] : []),
    ],
  });
}

const show = defineCommand({
  name: "show",
  description: "What access you (or, for creators, a member) have, and why",
  options: { member: option.user({ description: "A member (creators only)" }) },
  handler: async (ctx) => {
    if (!ctx.options.member) return accessReport(ctx, ctx.member.id, "You have");
    if (ctx.level === "member") throw new UserFacingError("Only creators can look at another member's access.", "missing_permission");
    // A lookup: someone never seen is reported as having nothing, and is not made a member.
    const target = await ctx.services.identity.findMember(ctx.community.id, ctx.platform, ctx.options.member.id);
    if (!target) return reply.ephemeral(`${ctx.options.member.displayName} has not used Guildhall here yet, so they have no access.`);
    const report = await accessReport(ctx, target.id, `${ctx.options.member.displayName} has`);
    // Creators also see whether the platforms agree (a role removed by hand, say).
    const drift = await ctx.services.accessDrift.check(ctx.community.id, { memberId: target.id, dryRun: true });
    const driftField = { name: "Drift", value: drift.entries.length === 0 ? "None: they hold exactly the managed roles and channels they are owed." : `${describeDrift(drift)}\nRun /access sync to repair it.` };
    return { ...report, fields: [...(report.fields ?? []), driftField] };
  },
});

const sync = defineCommand({
  name: "sync",
  description: "Repair a member's roles and channels where they differ from what they are owed",
  permission: "creator",
  options: { member: option.user({ description: "Who", required: true }) },
  handler: async (ctx) => {
    const target = await ctx.services.identity.findMember(ctx.community.id, ctx.platform, ctx.options.member.id);
    if (!target) return reply.ephemeral(`${ctx.options.member.displayName} has not used Guildhall here yet, so they are owed nothing.`);
    const drift = await ctx.services.accessDrift.check(ctx.community.id, { memberId: target.id, report: true });
    return reply.ephemeral(drift.entries.length === 0 ? `${ctx.options.member.displayName} already holds exactly what they are owed.` : describeDrift(drift), { tone: drift.entries.every((e) => e.outcome === "repaired") ? "success" : "warning" });
  },
});

const grant = defineCommand({
  name: "grant",
  description: "Give a member access by hand, optionally for some days",
  permission: "creator",
  options: { member: option.user({ description: "Who", required: true }), item: itemOption, days: option.integer({ description: "For how many days (default: until revoked)", min: 1, max: 3650 }) },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.item, { includeArchived: true });
    const target = await ctx.services.identity.memberFor(ctx.community.id, ctx.platform, { id: ctx.options.member.id, displayName: ctx.options.member.displayName });
    await ctx.services.entitlements.grantManual({ communityId: ctx.community.id, memberId: target.member.id, item, days: ctx.options.days, now: ctx.now, grantedBy: ctx.member.displayName, interactionId: ctx.interactionId });
    await ctx.services.accessSync.syncMember(target.member.id);
    const until = ctx.options.days ? ` for ${ctx.options.days} days` : "";
    return reply.ephemeral(`${ctx.options.member.displayName} now has **${item.title}**${until}.`, { tone: "success" });
  },
});

const revoke = defineCommand({
  name: "revoke",
  description: "End access you granted by hand",
  permission: "creator",
  options: { member: option.user({ description: "Who", required: true }), item: itemOption },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.item, { includeArchived: true });
    const target = await ctx.services.identity.memberFor(ctx.community.id, ctx.platform, { id: ctx.options.member.id, displayName: ctx.options.member.displayName });
    const { revoked, otherSources } = await ctx.services.entitlements.revokeManual({ memberId: target.member.id, item, now: ctx.now, revokedBy: ctx.member.displayName });
    await ctx.services.accessSync.syncMember(target.member.id);
    const rest = otherSources.length > 0 ? ` They keep access through their ${otherSources.join(" and ")}; refund or cancel it in Stripe to end that.` : "";
    return reply.ephemeral(`Ended ${revoked} manual grant(s) of **${item.title}**.${rest}`, { tone: "success" });
  },
});

const link = defineCommand({
  name: "link",
  description: "Link a member to their existing Stripe customer and apply what they paid for",
  permission: "creator",
  options: {
    member: option.user({ description: "Who", required: true }),
    customer: option.string({ description: "Their Stripe customer id (cus_…)", required: true, minLength: 5, maxLength: 60, typed: typedAs.word }),
  },
  handler: async (ctx) => {
    const customers = ctx.services.customers;
    if (!customers) throw new UserFacingError("Stripe is not connected yet: an admin sets STRIPE_SECRET_KEY (see the README).", "stripe_not_configured");
    if (!/^cus_[A-Za-z0-9]+$/.test(ctx.options.customer)) throw new UserFacingError("`customer` must be a Stripe customer id such as cus_Nf0abc (from the customer's page in Stripe).", "invalid_customer");
    const target = await ctx.services.identity.memberFor(ctx.community.id, ctx.platform, { id: ctx.options.member.id, displayName: ctx.options.member.displayName });
    const { applied } = await customers.link(ctx.community.id, target.member.id, ctx.options.customer);
    return reply.ephemeral(`Linked ${ctx.options.member.displayName} to ${ctx.options.customer}; applied ${applied} subscription(s) and purchase(s) from Stripe.`, { tone: "success" });
  },
});

/** `/access show|grant|revoke|link|sync`. */
export const accessCommand = defineGroup({ name: "access", description: "See and manage access to courses and memberships", subcommands: [show, grant, revoke, link, sync] });

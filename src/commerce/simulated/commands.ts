import { defineCommand } from "../../core/command.js";
import { option, typedAs } from "../../core/options.js";
import { reply } from "../../core/reply.js";
import type { Services } from "../../core/services.js";
import { isActive } from "../entitlement-service.js";
import { suggestItems } from "../item-autocomplete.js";
import { formatMoney } from "../money.js";
import type { SimulatedOutcome, SimulatedRenewal } from "./simulated-payments.js";
import { SIMULATED_LABEL } from "./simulator.js";

/**
 * Whether the member holds the item now, as Guildhall sees it after the events. "Now" is read
 * after the payment, not taken from the interaction: access starts when the events were applied,
 * which on a slow start (the first payment starts the HTTP server) can be seconds after the command.
 */
export async function holds(services: Services, outcome: SimulatedOutcome): Promise<boolean> {
  const all = await services.entitlements.forMember(outcome.memberId);
  const now = services.clock.now();
  return all.some((e) => e.itemId === outcome.item.id && isActive(e, now));
}

/** The private message a buyer gets when they paid on the checkout page, outside the chat. */
export async function tellBuyer(services: Services, outcome: SimulatedOutcome): Promise<void> {
  const access = (await holds(services, outcome)) ? `you now have **${outcome.item.title}**` : "no access yet: /access show says why";
  await services.memberMessenger.send(outcome.memberId, {
    text: `Your payment of ${formatMoney(outcome.amount, outcome.currency)} for **${outcome.item.title}** went through on the checkout page: ${access}.`,
    footer: SIMULATED_LABEL,
  });
}

const eventsField = (outcome: SimulatedOutcome) => ({ name: "Signed events sent to Guildhall's /webhooks/stripe", value: outcome.events.join(", ") || "none" });

/** `/pay [link]`: the buyer pays on the simulated checkout page. Exists only while payments are simulated. */
export const payCommand = defineCommand({
  name: "pay",
  description: "Pay a checkout link from /buy with simulated money (playground only)",
  options: {
    link: option.string({ description: "The link /buy gave you, or the item's name (default: your newest checkout)", maxLength: 300 }),
    code: option.string({ description: "A promotion code, as typed on the payment page (from /redeem)", maxLength: 60, typed: typedAs.namedOnly }),
  },
  handler: async (ctx) => {
    const outcome = await ctx.services.simulatedPayments!.pay(ctx.community.id, ctx.member.id, ctx.options.link, ctx.options.code);
    const who = outcome.memberId === ctx.member.id ? "you now have" : "the buyer now has";
    const access = (await holds(ctx.services, outcome)) ? `${who} **${outcome.item.title}**` : `no access yet: /access show says why`;
    return reply.ephemeral(
      `Paid ${formatMoney(outcome.amount, outcome.currency)} for **${outcome.item.title}**. Guildhall learned it from the payment provider's signed events, exactly as from Stripe: ${access}.`,
      { tone: "success", fields: [eventsField(outcome)] },
    );
  },
});

/** `/refund @member <item>`: the creator refunds a payment, as in Stripe's dashboard. Exists only while payments are simulated. */
export const refundCommand = defineCommand({
  name: "refund",
  description: "Refund a member's payment for an item in full (simulated payments, playground only)",
  permission: "creator",
  options: {
    member: option.user({ description: "Who paid", required: true }),
    item: option.string({ description: "The item they paid for", required: true, maxLength: 40, autocomplete: true }),
  },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const name = ctx.options.member.displayName;
    const target = await ctx.services.identity.findMember(ctx.community.id, ctx.platform, ctx.options.member.id);
    if (!target) return reply.ephemeral(`${name} has not used Guildhall here yet, so there is nothing to refund.`);
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.item, { includeArchived: true });
    const outcome = await ctx.services.simulatedPayments!.refund(ctx.community.id, target.id, item);
    const access = (await holds(ctx.services, outcome)) ? `${name} keeps **${item.title}** (/access show @${name} says through what)` : `${name}'s access to **${item.title}** has ended`;
    return reply.ephemeral(`Refunded ${formatMoney(outcome.amount, outcome.currency)} to ${name} for **${item.title}**. Guildhall learned it from the signed charge.refunded event: ${access}.`, {
      tone: "success",
      fields: [eventsField(outcome)],
    });
  },
});

/** The private message a member gets after cancelling a membership on the portal page. */
export async function tellCancelled(services: Services, cancelled: SimulatedOutcome & { readonly endsAt: Date }): Promise<void> {
  await services.memberMessenger.send(cancelled.memberId, {
    text: `Your membership **${cancelled.item.title}** is cancelled: it ends on ${cancelled.endsAt.toISOString().slice(0, 10)}, and your access lasts until then.`,
    footer: SIMULATED_LABEL,
  });
}

/**
 * The private message a member gets when their membership renews or ends at the period end:
 * the receipt Stripe would email, in the chat.
 */
export async function tellRenewed(services: Services, renewal: SimulatedRenewal): Promise<void> {
  const until = renewal.periodEnd.toISOString().slice(0, 10);
  const text = renewal.ended
    ? `Your membership **${renewal.item.title}** has ended, as you cancelled it; your access ended with the paid period, on ${until}.`
    : `Your membership **${renewal.item.title}** renewed: ${formatMoney(renewal.amount, renewal.currency)} paid for the period until ${until}.`;
  await services.memberMessenger.send(renewal.memberId, { text, footer: SIMULATED_LABEL });
}

import { previousAttributes, type FakeCore } from "./core.js";
import { collectEvents } from "./simulate-checkout.js";
import { endSubscription } from "./subscriptions.js";
import type { StripeObject } from "./types.js";

/**
 * The end of Smart Retries, as a Stripe account's "if all retries fail" setting decides it:
 * `cancel` cancels the subscription (`cancellation_details.reason: payment_failed`, the open
 * invoice stays open), `unpaid` leaves it `unpaid`. Only a `past_due` subscription gets there.
 */
export function exhaustRetries(core: FakeCore, subId: string, then: "cancel" | "unpaid"): StripeObject[] {
  const sub = core.state.subscriptions.get(subId);
  if (sub === undefined) throw new Error(`fake stripe: no subscription ${subId}`);
  if (sub["status"] !== "past_due") throw new Error(`fake stripe: subscription ${subId} is ${String(sub["status"])}, not past_due`);
  return collectEvents(core, () => {
    const before = structuredClone(sub);
    if (then === "unpaid") {
      sub["status"] = "unpaid";
      core.emit("customer.subscription.updated", sub, previousAttributes(before, sub));
      return;
    }
    sub["cancellation_details"] = { ...sub["cancellation_details"], reason: "payment_failed" };
    endSubscription(core, sub, "payment_failed");
    core.emit("customer.subscription.deleted", sub);
  });
}

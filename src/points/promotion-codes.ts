/**
 * The Stripe side of a `stripe_promotion` reward: a coupon that discounts only the reward's
 * course, and a single-use promotion code for it. Both calls carry idempotency keys derived
 * from the redemption, so retrying an interrupted issue never creates a second code.
 */
import type Stripe from "stripe";
import type { CatalogItem, Redemption, Reward } from "../generated/prisma/client.js";

/** Stripe caps coupon names at 40 characters. */
const COUPON_NAME_MAX = 40;

/**
 * Creates the coupon and its code; `customer` (the member's Stripe customer, when they have
 * one) makes the code work only for them.
 */
export async function createPromotionCode(stripe: Stripe, reward: Reward, item: CatalogItem, redemption: Redemption, customer: string | undefined): Promise<string> {
  const metadata = { guildhall_redemption: redemption.id, guildhall_member: redemption.memberId, guildhall_community: redemption.communityId };
  const discount = reward.percentOff ? { percent_off: reward.percentOff } : { amount_off: reward.amountOff ?? 0, currency: item.currency };
  const coupon = await stripe.coupons.create(
    {
      name: reward.title.slice(0, COUPON_NAME_MAX),
      duration: "once",
      max_redemptions: 1,
      applies_to: { products: [item.stripeProductId] },
      metadata,
      ...discount,
    },
    { idempotencyKey: `${redemption.idempotencyKey}:coupon` },
  );
  const code = await stripe.promotionCodes.create(
    { promotion: { type: "coupon", coupon: coupon.id }, max_redemptions: 1, metadata, ...(customer ? { customer } : {}) },
    { idempotencyKey: `${redemption.idempotencyKey}:promotion` },
  );
  return code.code;
}

/**
 * The Stripe side of a `stripe_promotion` reward: a coupon that discounts only the reward's
 * course, and a single-use promotion code for it. The coupon's id is derived from the
 * redemption and both calls carry idempotency keys derived from it, so retrying an
 * interrupted issue never creates a second code, and a later look finds what was created.
 */
import type Stripe from "stripe";
import type { CatalogItem, Redemption, Reward } from "../generated/prisma/client.js";
import { isMissing } from "../commerce/index.js";

/** Stripe caps coupon names at 40 characters. */
const COUPON_NAME_MAX = 40;

/** The coupon of a redemption has this id, so it can be looked up after an interruption. */
export function couponIdFor(redemption: Pick<Redemption, "id">): string {
  return `guildhall-${redemption.id}`;
}

function metadataOf(redemption: Redemption): Record<string, string> {
  return { guildhall_redemption: redemption.id, guildhall_member: redemption.memberId, guildhall_community: redemption.communityId };
}

/** The single-use code on the redemption's coupon; `customer` makes it work only for them. */
async function createCode(stripe: Stripe, redemption: Redemption, customer: string | undefined): Promise<string> {
  const code = await stripe.promotionCodes.create(
    { promotion: { type: "coupon", coupon: couponIdFor(redemption) }, max_redemptions: 1, metadata: metadataOf(redemption), ...(customer ? { customer } : {}) },
    { idempotencyKey: `${redemption.idempotencyKey}:promotion` },
  );
  return code.code;
}

/**
 * Creates the coupon and its code; `customer` (the member's Stripe customer, when they have
 * one) makes the code work only for them.
 */
export async function createPromotionCode(stripe: Stripe, reward: Reward, item: CatalogItem, redemption: Redemption, customer: string | undefined): Promise<string> {
  const discount = reward.percentOff ? { percent_off: reward.percentOff } : { amount_off: reward.amountOff ?? 0, currency: item.currency };
  await stripe.coupons.create(
    {
      id: couponIdFor(redemption),
      name: reward.title.slice(0, COUPON_NAME_MAX),
      duration: "once",
      max_redemptions: 1,
      applies_to: { products: [item.stripeProductId] },
      metadata: metadataOf(redemption),
      ...discount,
    },
    { idempotencyKey: `${redemption.idempotencyKey}:coupon` },
  );
  return createCode(stripe, redemption, customer);
}

/**
 * Finishes an interrupted issue from what Stripe holds: the code when the coupon was created
 * (creating the code if the interruption came between the two calls), or `undefined` when
 * the coupon never was, so nothing reached Stripe.
 */
export async function resumePromotionCode(stripe: Stripe, redemption: Redemption, customer: string | undefined): Promise<string | undefined> {
  try {
    await stripe.coupons.retrieve(couponIdFor(redemption));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const existing = await stripe.promotionCodes.list({ coupon: couponIdFor(redemption), limit: 1 });
  return existing.data[0]?.code ?? createCode(stripe, redemption, customer);
}

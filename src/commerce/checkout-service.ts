import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { InternalError, UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { CatalogItem } from "./catalog-service.js";
import { requireStripe } from "./stripe-errors.js";

/** Metadata on every Checkout Session, subscription and payment, so Stripe's word identifies the buyer. */
export const META = { member: "guildhall_member", community: "guildhall_community", item: "guildhall_item" } as const;

export interface CheckoutUrls {
  /** Where Stripe sends the buyer after paying or cancelling. Access never depends on it. */
  readonly successUrl: string;
  readonly cancelUrl: string;
  /** Where the customer portal's "return" button goes. */
  readonly portalReturnUrl: string;
}

/** Checkout links and the customer portal. */
export class CheckoutService {
  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe | undefined,
    private readonly urls: CheckoutUrls,
  ) {}

  /**
   * A Checkout link for this member and item. An open session is reused; a new one is
   * created with an idempotency key derived from member, item and attempt number, so a
   * retried command (or two at once) never creates two sessions.
   */
  async checkoutLink(communityId: string, memberId: string, item: CatalogItem, now: Date): Promise<{ url: string; reused: boolean }> {
    const stripe = requireStripe(this.stripe);
    const usableUntil = new Date(now.getTime() + 60_000); // a link about to expire is not worth sending
    const open = await this.db.checkoutSession.findFirst({
      where: { memberId, itemId: item.id, status: "open", expiresAt: { gt: usableUntil } },
      orderBy: { createdAt: "desc" },
    });
    if (open) return { url: open.url, reused: true };
    // The attempt number counts only sessions that can no longer be used, so two /buy at
    // the same moment (or a retry) derive the same key, while a new key follows an expiry.
    const attempt = await this.db.checkoutSession.count({
      where: { memberId, itemId: item.id, OR: [{ status: { not: "open" } }, { expiresAt: { lte: usableUntil } }] },
    });
    const customer = await this.customerId(communityId, memberId);
    const metadata = { [META.member]: memberId, [META.community]: communityId, [META.item]: item.id };
    const idempotencyKey = createHash("sha256").update(`checkout:${communityId}:${memberId}:${item.id}:${attempt}`).digest("hex");
    const session = await stripe.checkout.sessions.create(
      {
        mode: item.mode === "subscription" ? "subscription" : "payment",
        line_items: [{ price: item.stripePriceId, quantity: 1 }],
        client_reference_id: memberId,
        metadata,
        success_url: this.urls.successUrl,
        cancel_url: this.urls.cancelUrl,
        // A code redeemed with points (/redeem) is typed on Stripe's page; its coupon limits it to its course.
        allow_promotion_codes: true,
        ...(customer ? { customer } : item.mode === "payment" ? { customer_creation: "always" as const } : {}),
        ...(item.mode === "subscription" ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
      },
      { idempotencyKey },
    );
    if (!session.url) throw new InternalError("checkout_without_url", `Stripe returned checkout session ${session.id} without a URL`);
    await this.db.checkoutSession.upsert({
      where: { id: session.id },
      create: {
        id: session.id,
        communityId,
        memberId,
        itemId: item.id,
        url: session.url,
        status: session.status ?? "open",
        paymentStatus: session.payment_status,
        expiresAt: new Date(session.expires_at * 1000),
      },
      update: {},
    });
    return { url: session.url, reused: false };
  }

  /** A link to Stripe's customer portal for the member's customer. */
  async portalLink(communityId: string, memberId: string): Promise<string> {
    const stripe = requireStripe(this.stripe);
    const customer = await this.customerId(communityId, memberId);
    if (!customer) {
      throw new UserFacingError("You have no billing account here yet: it is created with your first purchase (/courses shows what is for sale).", "no_customer");
    }
    const portal = await stripe.billingPortal.sessions.create({ customer, return_url: this.urls.portalReturnUrl });
    return portal.url;
  }

  /** The member's Stripe customer in this community, once their first purchase made one. */
  async customerId(communityId: string, memberId: string): Promise<string | undefined> {
    const customer = await this.db.stripeCustomer.findUnique({ where: { communityId_memberId: { communityId, memberId } }, select: { id: true } });
    return customer?.id;
  }
}

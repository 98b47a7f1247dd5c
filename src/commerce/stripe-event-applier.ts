import type Stripe from "stripe";
import { DEFAULT_COMMERCE, type CommunityConfig } from "../config/communities.js";
import type { Db } from "../db/database.js";
import { isTransient } from "../db/transaction.js";
import type { Logger } from "../log/logger.js";
import type { Notice } from "./billing-notices.js";
import { META } from "./checkout-service.js";
import { idOf } from "./stripe-objects.js";
import { recordMoneyMoved } from "../insights/money-recorder.js";
import { accessWindow, type SubscriptionFacts, subscriptionFacts } from "./subscription-policy.js";

/** The event types Guildhall acts on; any other type is acknowledged and logged. */
export const HANDLED_EVENTS = new Set<string>([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "invoice.paid",
  "invoice.payment_failed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "charge.refunded",
  "charge.dispute.created",
]);

export type ApplyOutcome = { status: "applied"; members: string[]; notices: Notice[] } | { status: "duplicate" } | { status: "ignored"; why: string };

/** Fresh state read from Stripe before the transaction (no network calls inside it). */
type Fetched = { subscription?: Stripe.Subscription; charge?: Stripe.Charge; chargeSubscriptionId?: string };

/**
 * Applies one verified Stripe event exactly once. The event id is recorded in the same
 * transaction as its effects, so a redelivery (even a concurrent one) does nothing.
 * Subscriptions and charges are re-read from Stripe rather than taken from the event, so
 * the result does not depend on the order events arrive in; a re-read older than what is
 * stored never overwrites it.
 */
export class StripeEventApplier {
  readonly #slugs = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe,
    private readonly communities: readonly CommunityConfig[],
    private readonly log: Logger,
  ) {}

  async apply(event: Stripe.Event): Promise<ApplyOutcome> {
    if (!HANDLED_EVENTS.has(event.type)) {
      this.log.info({ event: event.id, type: event.type }, "ignoring a Stripe event type Guildhall does not use");
      return { status: "ignored", why: "unhandled type" };
    }
    const fetchedAt = BigInt(Date.now());
    const fetched = await this.#fetch(event);
    // A transaction that lost a race (a deadlock, a conflicting insert, a full pool) left
    // nothing behind; it is simply tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#applyOnce(event, fetched, fetchedAt);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isTransient(error)) throw error;
        this.log.debug({ err: error, event: event.id, attempt }, "retrying a Stripe event after a transient database error");
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
    }
  }

  #applyOnce(event: Stripe.Event, fetched: Fetched, fetchedAt: bigint): Promise<ApplyOutcome> {
    return this.db.$transaction(async (tx) => {
      const recorded = await tx.stripeEvent.createMany({ data: [{ id: event.id, type: event.type, created: event.created }], skipDuplicates: true });
      if (recorded.count === 0) return { status: "duplicate" } as const;
      const members = await this.#effects(tx as unknown as Db, event, fetched, fetchedAt);
      await recordMoneyMoved(tx as unknown as Db, event, fetched);
      const notices = event.type === "invoice.payment_failed" ? await this.#paymentFailedNotices(tx as unknown as Db, event, fetched) : [];
      return { status: "applied", members, notices } as const;
    });
  }

  async #fetch(event: Stripe.Event): Promise<Fetched> {
    const object = event.data.object as { object: string; id: string; subscription?: unknown; parent?: unknown; mode?: string };
    const subscriptionId = subscriptionIdOf(event);
    if (subscriptionId) return { subscription: await this.stripe.subscriptions.retrieve(subscriptionId) };
    const chargeId =
      object.object === "charge" ? object.id : object.object === "dispute" ? idOf((object as unknown as { charge: string | { id: string } }).charge) : undefined;
    if (!chargeId) return {};
    const charge = await this.stripe.charges.retrieve(chargeId);
    const chargeSubscriptionId = await this.#subscriptionPaidBy(charge);
    return chargeSubscriptionId ? { charge, chargeSubscriptionId } : { charge };
  }

  /**
   * A charge does not name its subscription; its invoice does. Purchases carry our metadata,
   * so only other charges look among the customer's recent invoices (one call).
   */
  async #subscriptionPaidBy(charge: Stripe.Charge): Promise<string | undefined> {
    const paymentIntent = idOf(charge.payment_intent);
    const customer = idOf(charge.customer);
    if (charge.metadata?.[META.item] || !paymentIntent || !customer) return undefined;
    const invoices = await this.stripe.invoices.list({ customer, limit: 10, expand: ["data.payments"] });
    const invoice = invoices.data.find((i) => i.payments?.data.some((p) => idOf(p.payment.payment_intent) === paymentIntent));
    return idOf(invoice?.parent?.subscription_details?.subscription);
  }

  async #effects(db: Db, event: Stripe.Event, fetched: Fetched, fetchedAt: bigint): Promise<string[]> {
    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded":
      case "checkout.session.async_payment_failed":
      case "checkout.session.expired":
        return this.#checkout(db, event.data.object, fetched, fetchedAt);
      case "charge.refunded":
      case "charge.dispute.created":
        if (!fetched.charge) return [];
        return this.#chargeReversed(db, fetched.charge, fetched.chargeSubscriptionId, event.type === "charge.dispute.created" || fetched.charge.disputed ? "disputed" : "refunded");
      default:
        return fetched.subscription ? this.#subscription(db, fetched.subscription, fetchedAt) : [];
    }
  }

  async #checkout(db: Db, session: Stripe.Checkout.Session, fetched: Fetched, fetchedAt: bigint): Promise<string[]> {
    const ours = ownerOf(session.metadata) ?? (await this.#ownerOfLinkedPurchase(db, session));
    if (!ours) return [];
    const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
    const paymentIntentId = idOf(session.payment_intent) ?? null;
    const state = { status: session.status ?? "complete", paymentStatus: session.payment_status, paymentIntentId };
    await db.checkoutSession.upsert({
      where: { id: session.id },
      // A purchase made before Guildhall has no row yet: keep one so its refund can find it.
      create: { id: session.id, communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, url: session.url ?? "", expiresAt: new Date(session.expires_at * 1000), ...state },
      update: state,
    });
    if (!paid) return [];
    const customerId = idOf(session.customer) ?? null;
    // In subscription mode the subscription step links the customer, in the same lock order.
    if (customerId && session.mode !== "subscription") await this.#linkCustomer(db, ours.communityId, ours.memberId, customerId, session.customer_details?.email ?? null);
    if (session.mode === "subscription") return fetched.subscription ? this.#subscription(db, fetched.subscription, fetchedAt) : [];
    await db.entitlement.upsert({
      where: { source_sourceRef_itemId: { source: "purchase", sourceRef: session.id, itemId: ours.itemId } },
      create: { communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, source: "purchase", sourceRef: session.id, startsAt: notAfterNow(new Date(session.created * 1000)) },
      update: {},
    });
    return [ours.memberId];
  }

  async #subscription(db: Db, sub: Stripe.Subscription, fetchedAt: bigint): Promise<string[]> {
    const ours = ownerOf(sub.metadata) ?? (await this.#ownerFromCustomer(db, sub));
    if (!ours) return [];
    const facts = subscriptionFacts(sub);
    const customerId = idOf(sub.customer);
    // Rows are always locked in one order (customer, subscription, entitlement) so that two
    // events of one purchase applied at once cannot deadlock.
    await this.#linkCustomer(db, ours.communityId, ours.memberId, customerId, null);
    const [stored] = await db.$queryRaw<{ version: bigint; pastDueSince: Date | null }[]>`
      SELECT "version", "pastDueSince" FROM "Subscription" WHERE "id" = ${sub.id} FOR UPDATE`;
    if (stored && stored.version >= fetchedAt) return []; // a later read already landed
    const failing = facts.status === "past_due" || facts.status === "unpaid";
    const pastDueSince = failing ? (stored?.pastDueSince ?? new Date(Number(fetchedAt))) : null;
    const data = { status: facts.status, currentPeriodEnd: facts.currentPeriodEnd, cancelAtPeriodEnd: facts.cancelAtPeriodEnd, pastDueSince, version: fetchedAt, customerId };
    await db.subscription.upsert({ where: { id: sub.id }, create: { id: sub.id, communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, ...data }, update: data });
    await this.#subscriptionEntitlement(db, ours, facts, pastDueSince);
    return [ours.memberId];
  }

  async #subscriptionEntitlement(db: Db, ours: Owner, facts: SubscriptionFacts, pastDueSince: Date | null): Promise<void> {
    const window = accessWindow({ ...facts, startedAt: notAfterNow(facts.startedAt) }, pastDueSince, await this.#policy(db, ours.communityId));
    const key = { source_sourceRef_itemId: { source: "subscription", sourceRef: facts.id, itemId: ours.itemId } };
    if (!window) {
      await db.entitlement.updateMany({ where: { source: "subscription", sourceRef: facts.id, itemId: ours.itemId }, data: { endsAt: facts.startedAt } });
      return;
    }
    await db.entitlement.upsert({
      where: key,
      create: { communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, source: "subscription", sourceRef: facts.id, ...window, reason: facts.status },
      update: { ...window, reason: facts.status },
    });
  }

  /** A failed renewal: the member hears about it (after commit), with when their grace ends. */
  async #paymentFailedNotices(db: Db, event: Stripe.Event, fetched: Fetched): Promise<Notice[]> {
    const sub = fetched.subscription && (await db.subscription.findUnique({ where: { id: fetched.subscription.id } }));
    if (!sub) return [];
    const entitlement = await db.entitlement.findFirst({ where: { source: "subscription", sourceRef: sub.id } });
    return [{ kind: "payment_failed", memberId: sub.memberId, communityId: sub.communityId, ref: (event.data.object as { id: string }).id, graceEndsAt: entitlement?.endsAt ?? null }];
  }

  /**
   * A refund of the whole payment, or any dispute, ends the related access at once: the
   * purchase it paid for, or the membership whose invoice it paid (which stays ended even if
   * the subscription goes on in Stripe; a creator can grant access again by hand).
   */
  async #chargeReversed(db: Db, charge: Stripe.Charge, subscriptionId: string | undefined, why: "refunded" | "disputed"): Promise<string[]> {
    if (why === "refunded" && charge.amount_refunded < charge.amount) return []; // partial refunds keep access
    const paymentIntentId = idOf(charge.payment_intent);
    const session = paymentIntentId ? await db.checkoutSession.findFirst({ where: { paymentIntentId } }) : null;
    const where = session ? { source: "purchase", sourceRef: session.id } : subscriptionId ? { source: "subscription", sourceRef: subscriptionId } : undefined;
    if (!where) return [];
    const communityId = session?.communityId ?? (await db.subscription.findUnique({ where: { id: subscriptionId! } }))?.communityId;
    if (communityId && !(await this.#policy(db, communityId)).refundsEndAccess) return [];
    const ended = await db.entitlement.findMany({ where: { ...where, revokedAt: null } });
    await db.entitlement.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date(), reason: why } });
    return [...new Set(ended.map((e) => e.memberId))];
  }

  /** The community's commerce policy, from its configuration or the defaults (slugs never change, so cached). */
  async #policy(db: Db, communityId: string) {
    let slug = this.#slugs.get(communityId);
    if (slug === undefined) {
      slug = (await db.community.findUnique({ where: { id: communityId }, select: { slug: true } }))?.slug ?? "";
      this.#slugs.set(communityId, slug);
    }
    return this.communities.find((c) => c.slug === slug)?.commerce ?? DEFAULT_COMMERCE;
  }

  /** Remembers which customer pays for a member. Checked first: an error would abort the transaction. */
  async #linkCustomer(db: Db, communityId: string, memberId: string, customerId: string, email: string | null): Promise<void> {
    // One statement: a new customer is recorded for the member; a customer imported by
    // backfill (no member yet) becomes theirs, since a paid checkout is Stripe's word; a
    // member who already pays as another customer keeps that one (ON CONFLICT covers both
    // unique keys, so no error can abort the transaction).
    const linked = await db.$executeRaw`
      INSERT INTO "StripeCustomer" ("id", "communityId", "memberId", "email", "createdAt")
      VALUES (${customerId}, ${communityId}, ${memberId}, ${email}, now())
      ON CONFLICT DO NOTHING`;
    if (linked === 0) {
      const adopted = await db.stripeCustomer.updateMany({ where: { id: customerId, memberId: null }, data: { memberId } });
      if (adopted.count === 0) this.log.debug({ customer: customerId, member: memberId }, "customer already recorded");
    }
  }

  /**
   * A purchase made before Guildhall (no metadata) belongs to a member only once a creator
   * linked its customer (`/access link`); its item is found by the price it bought.
   */
  async #ownerOfLinkedPurchase(db: Db, session: Stripe.Checkout.Session): Promise<Owner | undefined> {
    const customerId = idOf(session.customer);
    const priceId = session.line_items?.data[0]?.price?.id;
    if (!customerId || !priceId) return undefined;
    const customer = await db.stripeCustomer.findUnique({ where: { id: customerId } });
    if (!customer?.memberId) return undefined;
    const item = await db.catalogItem.findFirst({ where: { communityId: customer.communityId, stripePriceId: priceId } });
    return item ? { communityId: customer.communityId, memberId: customer.memberId, itemId: item.id } : undefined;
  }

  async #ownerFromCustomer(db: Db, sub: Stripe.Subscription): Promise<Owner | undefined> {
    const customerId = idOf(sub.customer);
    const customer = await db.stripeCustomer.findUnique({ where: { id: customerId } });
    const priceId = sub.items.data[0]?.price.id;
    if (!customer?.memberId || !priceId) return undefined;
    const item = await db.catalogItem.findFirst({ where: { communityId: customer.communityId, stripePriceId: priceId } });
    return item ? { communityId: customer.communityId, memberId: customer.memberId, itemId: item.id } : undefined;
  }
}

interface Owner {
  communityId: string;
  memberId: string;
  itemId: string;
}

function ownerOf(metadata: Stripe.Metadata | null | undefined): Owner | undefined {
  const memberId = metadata?.[META.member];
  const communityId = metadata?.[META.community];
  const itemId = metadata?.[META.item];
  return memberId && communityId && itemId ? { memberId, communityId, itemId } : undefined;
}

/** The subscription an event is about, for the event types that concern one. */
function subscriptionIdOf(event: Stripe.Event): string | undefined {
  const o = event.data.object as unknown as Record<string, unknown>;
  if (o.object === "subscription") return o.id as string;
  if (o.object === "checkout.session") return idOf(o.subscription as string | { id: string } | null);
  if (o.object === "invoice") {
    const parent = o.parent as { subscription_details?: { subscription?: string | { id: string } } } | null;
    const sub = parent?.subscription_details?.subscription ?? (o.subscription as string | { id: string } | undefined);
    return idOf(sub);
  }
  return undefined;
}

/**
 * Stripe's clock and ours may disagree by a little; access must never start "in the future"
 * by our clock, or nobody would grant it when that moment came.
 */
function notAfterNow(date: Date): Date {
  const now = new Date();
  return date > now ? now : date;
}

const MAX_ATTEMPTS = 4;


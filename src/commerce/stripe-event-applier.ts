import type Stripe from "stripe";
import type { CommunityConfig } from "../config/communities.js";
import { commerceSettingsSection } from "./settings-schema.js";
import type { MoneyMoved } from "../core/money-moved.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import { inTransaction } from "../db/transaction.js";
import type { Logger } from "../log/logger.js";
import { type AccessWindow, type MembershipObjects, membershipAccess, type PurchaseObjects, purchaseAccess, renewalDueAt } from "./access-rule.js";
import type { Notice } from "./billing-notices.js";
import { META } from "./checkout-service.js";
import { withOwners } from "./money-owner.js";
import { idOf, subscriptionOfInvoice } from "./stripe-objects.js";
import { readMembership, readPurchase } from "./stripe-reads.js";
import { subscriptionFacts } from "./subscription-policy.js";

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

/** `changed`: whether any entitlement or Checkout Session row is different afterwards. */
export type ApplyOutcome =
  | { status: "applied"; members: string[]; notices: Notice[]; changed: boolean }
  | { status: "duplicate" }
  | { status: "ignored"; why: string };

/** What an event is about, read fresh from Stripe before the transaction (no network calls inside it). */
interface Fetched {
  /** A Checkout Session of ours (any mode), for its row. */
  session?: Stripe.Checkout.Session;
  purchase?: PurchaseObjects;
  membership?: MembershipObjects;
  /** The charge a charge or dispute event is about, as read fresh when it was. */
  charge?: Stripe.Charge;
}

/** What listeners of the money-moved hook get from the same reads (the charge as fresh as any read of it). */
function moneyMoved(event: Stripe.Event, fetched: Fetched): MoneyMoved {
  const payments = [...(fetched.purchase?.payments ?? []), ...(fetched.membership?.payments ?? [])];
  const charge = fetched.charge && (payments.find((p) => p.charge.id === fetched.charge!.id)?.charge ?? fetched.charge);
  return {
    event,
    ...(fetched.membership ? { subscription: fetched.membership.subscription } : {}),
    ...(charge ? { charge } : {}),
    ...(charge && fetched.membership ? { chargeSubscriptionId: fetched.membership.subscription.id } : {}),
  };
}

interface Effect {
  members: string[];
  changed: boolean;
}

const NONE: Effect = { members: [], changed: false };

/**
 * Applies one verified Stripe event exactly once. An event only says which membership or
 * purchase to look at: its subscription, invoices, charges, refunds, disputes and Checkout
 * Session are read again from Stripe, and access is computed from them by the one access rule
 * (`access-rule.ts`), so the order, duplication or loss of events does not change the result.
 * The event id is recorded in the same transaction as the effects, so a redelivery does
 * nothing; a read older than the one stored never overwrites it.
 */
export class StripeEventApplier {
  readonly #slugs = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe,
    private readonly communities: readonly CommunityConfig[],
    private readonly log: Logger,
    private readonly clock: Clock,
    /** Told about every applied event inside its transaction (core/money-moved.ts); insights records revenue from it. */
    private readonly onMoneyMoved: (db: Db, moved: MoneyMoved) => Promise<void> = async () => undefined,
  ) {}

  async apply(event: Stripe.Event): Promise<ApplyOutcome> {
    if (!HANDLED_EVENTS.has(event.type)) {
      this.log.info({ event: event.id, type: event.type }, "ignoring a Stripe event type Guildhall does not use");
      return { status: "ignored", why: "unhandled type" };
    }
    const readAt = BigInt(this.clock.now().getTime());
    const fetched = await this.#read(event);
    // A transaction that lost a race (a deadlock, a conflicting insert, a full pool) left
    // nothing behind; it is simply tried again.
    return inTransaction(this.db, async (tx) => {
      const db = tx as unknown as Db;
      const recorded = await db.stripeEvent.createMany({ data: [{ id: event.id, type: event.type, created: event.created }], skipDuplicates: true });
      if (recorded.count === 0) return { status: "duplicate" } as const;
      const effects: Effect[] = [];
      if (fetched.session) effects.push(await this.#sessionRow(db, fetched.session));
      if (fetched.purchase) effects.push(await this.#purchase(db, fetched.purchase));
      if (fetched.membership) effects.push(await this.#membership(db, fetched.membership, readAt));
      await this.onMoneyMoved(db, await withOwners(db, event, moneyMoved(event, fetched)));
      const notices = event.type === "invoice.payment_failed" ? await this.#paymentFailedNotices(db, event, fetched) : [];
      return {
        status: "applied",
        members: [...new Set(effects.flatMap((e) => e.members))],
        notices,
        changed: effects.some((e) => e.changed),
      } as const;
    });
  }

  /** Reads what the event is about: a membership, a purchase, or both for a subscription checkout. */
  async #read(event: Stripe.Event): Promise<Fetched> {
    const object = event.data.object as unknown as { object: string; id: string; charge?: string | { id: string } };
    if (!(await this.#mayBeOurs(event))) return {};
    switch (object.object) {
      case "checkout.session": {
        const purchase = await readPurchase(this.stripe, object.id);
        const subscriptionId = idOf(purchase.session.subscription);
        if (purchase.session.mode === "subscription") {
          return { session: purchase.session, ...(subscriptionId ? { membership: await readMembership(this.stripe, subscriptionId, idOf(purchase.session.customer)) } : {}) };
        }
        return { session: purchase.session, purchase };
      }
      case "subscription":
        return { membership: await readMembership(this.stripe, object.id, idOf((event.data.object as Stripe.Subscription).customer)) };
      case "invoice": {
        const invoice = event.data.object as Stripe.Invoice;
        const subscriptionId = subscriptionOfInvoice(invoice);
        return subscriptionId ? { membership: await readMembership(this.stripe, subscriptionId, idOf(invoice.customer)) } : {};
      }
      case "charge":
        return this.#readPaidBy(event.data.object as Stripe.Charge);
      case "dispute":
        return object.charge ? this.#readPaidBy(await this.stripe.charges.retrieve(idOf(object.charge))) : {};
      default:
        return {};
    }
  }

  /**
   * Whether the event can concern a member, from the database alone: the objects Guildhall
   * creates carry its metadata (invoices copy their subscription's), and anything else counts
   * only once its customer is linked to a member or its row is known. Other accounts' traffic
   * on the same Stripe account then costs no reads.
   */
  async #mayBeOurs(event: Stripe.Event): Promise<boolean> {
    const o = event.data.object as unknown as {
      object: string; id: string; metadata?: Stripe.Metadata | null; customer?: string | { id: string } | null; payment_intent?: string | { id: string } | null;
      parent?: { subscription_details?: { metadata?: Stripe.Metadata | null; subscription?: string | { id: string } } | null } | null;
    };
    const metadata = o.object === "invoice" ? o.parent?.subscription_details?.metadata : o.metadata;
    if (metadata?.[META.member]) return true;
    const customer = idOf(o.customer);
    if (customer && (await this.db.stripeCustomer.findFirst({ where: { id: customer, memberId: { not: null } }, select: { id: true } }))) return true;
    const paymentIntent = idOf(o.payment_intent);
    if (paymentIntent && (await this.db.checkoutSession.findFirst({ where: { paymentIntentId: paymentIntent }, select: { id: true } }))) return true;
    switch (o.object) {
      case "checkout.session":
        return (await this.db.checkoutSession.count({ where: { id: o.id } })) > 0;
      case "subscription":
        return (await this.db.subscription.count({ where: { id: o.id } })) > 0;
      case "invoice": {
        const subscription = idOf(o.parent?.subscription_details?.subscription);
        return subscription !== undefined && (await this.db.subscription.count({ where: { id: subscription } })) > 0;
      }
      case "dispute":
        return true; // a dispute names only its charge: read it to know
      default:
        return false;
    }
  }

  /**
   * What a charge paid for: a purchase (our metadata, or a session we know by its payment)
   * or a membership (the invoice it paid names the subscription; found among the customer's
   * recent invoices, one call). Works whatever arrived first, the refund or the purchase.
   */
  async #readPaidBy(charge: Stripe.Charge): Promise<Fetched> {
    const paymentIntent = idOf(charge.payment_intent);
    const customer = idOf(charge.customer);
    if (!paymentIntent) return { charge };
    let sessionId = (await this.db.checkoutSession.findFirst({ where: { paymentIntentId: paymentIntent }, select: { id: true } }))?.id;
    if (!sessionId && charge.metadata?.[META.item]) {
      sessionId = (await this.stripe.checkout.sessions.list({ payment_intent: paymentIntent, limit: 1 })).data[0]?.id;
    }
    if (sessionId) {
      const purchase = await readPurchase(this.stripe, sessionId);
      return { session: purchase.session, purchase, charge };
    }
    if (!customer) return { charge };
    const invoices = await this.stripe.invoices.list({ customer, limit: 10, expand: ["data.payments"] });
    const invoice = invoices.data.find((i) => i.payments?.data.some((p) => idOf(p.payment.payment_intent) === paymentIntent));
    const subscriptionId = invoice && subscriptionOfInvoice(invoice);
    return subscriptionId ? { membership: await readMembership(this.stripe, subscriptionId, customer), charge } : { charge };
  }

  /**
   * Keeps our row of a Checkout Session in step with Stripe. A session only moves forward
   * (open, then complete or expired; unpaid, then paid), so an older read never takes it back.
   */
  async #sessionRow(db: Db, session: Stripe.Checkout.Session): Promise<Effect> {
    const ours = await this.#current(db, ownerOf(session.metadata) ?? (await this.#ownerOfLinkedPurchase(db, session)));
    if (!ours) return NONE;
    const [stored] = await db.$queryRaw<{ status: string; paymentStatus: string; paymentIntentId: string | null }[]>`
      SELECT "status", "paymentStatus", "paymentIntentId" FROM "CheckoutSession" WHERE "id" = ${session.id} FOR UPDATE`;
    const read = { status: session.status ?? "open", paymentStatus: session.payment_status, paymentIntentId: idOf(session.payment_intent) ?? null };
    if (!stored) {
      // A purchase made before Guildhall has no row yet: keep one so its refund can find it.
      await db.checkoutSession.create({
        data: { id: session.id, communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, url: session.url ?? "", expiresAt: new Date(session.expires_at * 1000), ...read },
      });
      return { members: [], changed: true };
    }
    const next = {
      status: rank(SESSION_STATUS, read.status) >= rank(SESSION_STATUS, stored.status) ? read.status : stored.status,
      paymentStatus: rank(PAYMENT_STATUS, read.paymentStatus) >= rank(PAYMENT_STATUS, stored.paymentStatus) ? read.paymentStatus : stored.paymentStatus,
      paymentIntentId: read.paymentIntentId ?? stored.paymentIntentId,
    };
    if (next.status === stored.status && next.paymentStatus === stored.paymentStatus && next.paymentIntentId === stored.paymentIntentId) return NONE;
    await db.checkoutSession.update({ where: { id: session.id }, data: next });
    return { members: [], changed: true };
  }

  async #purchase(db: Db, objects: PurchaseObjects): Promise<Effect> {
    const { session } = objects;
    const ours = await this.#current(db, ownerOf(session.metadata) ?? (await this.#ownerOfLinkedPurchase(db, session)));
    if (!ours) return NONE;
    const window = purchaseAccess(objects, await this.#policy(db, ours.communityId));
    if (!window) return NONE;
    const customerId = idOf(session.customer);
    if (customerId) await this.#linkCustomer(db, ours.communityId, ours.memberId, customerId, session.customer_details?.email ?? null);
    // Paid never becomes unpaid and a reversal is never undone, so a purchase only moves
    // forward too: an older read cannot give back what a newer one took away.
    const existing = await db.entitlement.findUnique({ where: entitlementKey("purchase", session.id, ours.itemId) });
    const revokedAt = existing?.revokedAt ?? window.reversed?.at ?? null;
    const reason = existing?.revokedAt ? existing.reason : (window.reversed?.why ?? null);
    return this.#writeEntitlement(db, ours, "purchase", session.id, { ...window, endsAt: null }, revokedAt, reason);
  }

  async #membership(db: Db, objects: MembershipObjects, readAt: bigint): Promise<Effect> {
    const sub = objects.subscription;
    const ours = await this.#current(db, ownerOf(sub.metadata) ?? (await this.#ownerFromCustomer(db, sub)));
    if (!ours) return NONE;
    const facts = subscriptionFacts(sub);
    const customerId = idOf(sub.customer);
    // Rows are always locked in one order (customer, subscription, entitlement) so that two
    // events of one purchase applied at once cannot deadlock.
    await this.#linkCustomer(db, ours.communityId, ours.memberId, customerId, null);
    const [stored] = await db.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "Subscription" WHERE "id" = ${sub.id} FOR UPDATE`;
    if (stored && stored.version > readAt) return NONE; // a later read already landed
    const policy = await this.#policy(db, ours.communityId);
    const data = { status: facts.status, currentPeriodEnd: facts.currentPeriodEnd, cancelAtPeriodEnd: facts.cancelAtPeriodEnd, pastDueSince: renewalDueAt(objects, policy), version: readAt, customerId };
    await db.subscription.upsert({ where: { id: sub.id }, create: { id: sub.id, communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, ...data }, update: data });
    const window = membershipAccess(objects, policy);
    if (!window) {
      // Never paid (any more): an entitlement that exists ends where it started.
      const existing = await db.entitlement.findUnique({ where: entitlementKey("subscription", sub.id, ours.itemId) });
      if (!existing) return { members: [ours.memberId], changed: false };
      return this.#writeEntitlement(db, ours, "subscription", sub.id, { startsAt: existing.startsAt, endsAt: existing.startsAt, reversed: null, reason: sub.status }, null, sub.status);
    }
    return this.#writeEntitlement(db, ours, "subscription", sub.id, window, window.reversed?.at ?? null, window.reversed?.why ?? window.reason);
  }

  /** Creates or updates one entitlement to the window; reports whether anything changed. */
  async #writeEntitlement(db: Db, ours: Owner, source: string, sourceRef: string, window: AccessWindow, revokedAt: Date | null, reason: string | null): Promise<Effect> {
    const data = { startsAt: this.#notAfterNow(window.startsAt), endsAt: window.endsAt, revokedAt, reason };
    const key = entitlementKey(source, sourceRef, ours.itemId);
    const existing = await db.entitlement.findUnique({ where: key });
    const same =
      existing &&
      existing.startsAt.getTime() === data.startsAt.getTime() &&
      existing.endsAt?.getTime() === data.endsAt?.getTime() &&
      existing.revokedAt?.getTime() === data.revokedAt?.getTime() &&
      existing.reason === data.reason;
    if (same) return { members: [ours.memberId], changed: false };
    await db.entitlement.upsert({ where: key, create: { communityId: ours.communityId, memberId: ours.memberId, itemId: ours.itemId, source, sourceRef, ...data }, update: data });
    return { members: [ours.memberId], changed: true };
  }

  /** A failed renewal: the member hears about it (after commit), with when their grace ends. */
  async #paymentFailedNotices(db: Db, event: Stripe.Event, fetched: Fetched): Promise<Notice[]> {
    const sub = fetched.membership && (await db.subscription.findUnique({ where: { id: fetched.membership.subscription.id } }));
    if (!sub) return [];
    const entitlement = await db.entitlement.findFirst({ where: { source: "subscription", sourceRef: sub.id } });
    return [{ kind: "payment_failed", memberId: sub.memberId, communityId: sub.communityId, ref: (event.data.object as { id: string }).id, graceEndsAt: entitlement?.endsAt ?? null }];
  }

  /**
   * Stripe's clock and ours may disagree by a little; access must never start "in the future"
   * by our clock, or nobody would grant it when that moment came.
   */
  #notAfterNow(date: Date): Date {
    const now = this.clock.now();
    return date > now ? now : date;
  }

  /** The community's commerce policy, from its configuration or the defaults (slugs never change, so cached). */
  async #policy(db: Db, communityId: string) {
    let slug = this.#slugs.get(communityId);
    if (slug === undefined) {
      slug = (await db.community.findUnique({ where: { id: communityId }, select: { slug: true } }))?.slug ?? "";
      this.#slugs.set(communityId, slug);
    }
    return this.communities.find((c) => c.slug === slug)?.commerce ?? commerceSettingsSection.defaults;
  }

  /** Remembers which customer pays for a member. Checked first: an error would abort the transaction. */
  /**
   * The member a payment belongs to now: Stripe's metadata names the member who paid, and
   * `/link` may since have folded them into another (the one that remains holds their access).
   */
  async #current(db: Db, owner: Owner | undefined): Promise<Owner | undefined> {
    let current = owner;
    // A member merged into one later merged again: follow the chain (a few links at most).
    for (let hops = 0; current && hops < 5; hops++) {
      const member = await db.member.findUnique({ where: { id: current.memberId }, select: { mergedIntoId: true } });
      if (!member?.mergedIntoId) break;
      current = { ...current, memberId: member.mergedIntoId };
    }
    return current;
  }

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

function entitlementKey(source: string, sourceRef: string, itemId: string) {
  return { source_sourceRef_itemId: { source, sourceRef, itemId } };
}

const SESSION_STATUS = ["open", "expired", "complete"];
const PAYMENT_STATUS = ["unpaid", "no_payment_required", "paid"];
/** How far along a status is; an unknown one counts as the newest. */
function rank(order: readonly string[], status: string): number {
  const at = order.indexOf(status);
  return at < 0 ? order.length : at;
}

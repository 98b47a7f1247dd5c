import { UserFacingError } from "../../core/errors.js";
import type { Clock } from "../../core/services.js";
import type { Db } from "../../db/database.js";
import type { CatalogItem, CatalogService } from "../catalog-service.js";
import { META } from "../checkout-service.js";
import type { MadeUpPrice } from "./price-text.js";
import { type PaymentSimulator, syncClock } from "./simulator.js";
import { renewSubscription } from "./stripe/lifecycle.js";
import { completeCheckout } from "./stripe/simulate-checkout.js";
import { currentPeriod, firstItem } from "./stripe/subscriptions.js";
import type { StripeObject } from "./stripe/types.js";
import type { WebhookDelivery } from "./webhook-delivery.js";

/** A simulated payment or refund, and the signed events it sent to Guildhall's webhook. */
export interface SimulatedOutcome {
  readonly memberId: string;
  readonly item: CatalogItem;
  readonly amount: number;
  readonly currency: string;
  /** The types of the events the act caused, in the order Guildhall received them. */
  readonly events: readonly string[];
}

/** A membership renewed (or, cancelled in the portal, ended) as its paid period ran out. */
export interface SimulatedRenewal extends SimulatedOutcome {
  /** True when it ended instead: the member had cancelled it. */
  readonly ended: boolean;
  /** The end of the period now paid for, or when it ended. */
  readonly periodEnd: Date;
}

/** Statuses Stripe's billing renews at the period end. */
const RENEWING = new Set(["active", "trialing"]);
/** A year of daily periods passed in one move of the clock is the most renewed at once. */
const MAX_RENEWALS_AT_ONCE = 400;

/** Whether the subscription's paid period has ended by `now` (seconds) and billing is due. */
function isDue(sub: StripeObject, now: number): boolean {
  return RENEWING.has(String(sub["status"])) && currentPeriod(sub).end <= now;
}

const SESSION_IN_LINK = /\/pay\/(cs_\w+)|^(cs_\w+)$/;

/**
 * The playground's stand-in for what happens outside Guildhall: a buyer paying on Stripe's
 * page, a creator refunding in Stripe's dashboard. Each act changes the simulated Stripe the
 * way Stripe would, then its events go to Guildhall's webhook; Guildhall learns of the
 * payment only from those signed events, as it does from real Stripe.
 */
export class SimulatedPayments {
  constructor(
    private readonly simulator: PaymentSimulator,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly delivery: WebhookDelivery,
    private readonly catalog: () => CatalogService,
  ) {}

  /** The link's address, for telling a simulated link from another. */
  get url(): string {
    return this.simulator.url;
  }

  /** Creates a product and price in the simulated Stripe, as a creator would in Stripe's dashboard. */
  async createPrice(price: MadeUpPrice, title: string): Promise<string> {
    const stripe = this.simulator.stripe;
    const product = await stripe.products.create({ name: title });
    const created = await stripe.prices.create({
      product: product.id,
      currency: price.currency,
      unit_amount: price.unitAmount,
      ...(price.interval ? { recurring: { interval: price.interval } } : {}),
    });
    return created.id;
  }

  /**
   * Pays an open checkout: `reference` is the link /buy gave, its session id, or an item's
   * name; without it, the member's newest open checkout.
   */
  async pay(communityId: string, memberId: string, reference: string | undefined, promotionCode?: string): Promise<SimulatedOutcome> {
    const sessionId = await this.#sessionFor(communityId, memberId, reference?.trim() || undefined);
    return this.paySession(sessionId, promotionCode);
  }

  /**
   * Pays a checkout session by id (the /pay command, or the Pay button of its page), with the
   * promotion code the buyer typed, if any (a /redeem reward's code).
   */
  async paySession(sessionId: string, promotionCode?: string): Promise<SimulatedOutcome> {
    syncClock(this.simulator.core, this.clock);
    const row = await this.db.checkoutSession.findUnique({ where: { id: sessionId } });
    const session = this.simulator.core.state.checkoutSessions.get(sessionId);
    if (!row || !session) throw new UserFacingError("That is not a checkout link from this playground: /buy gives one.", "unknown_checkout");
    const item = await this.db.catalogItem.findUniqueOrThrow({ where: { id: row.itemId } });
    if (session["status"] === "complete") throw new UserFacingError(`That checkout for **${item.title}** is already paid. /access show shows what it gave.`, "checkout_paid");
    if (session["status"] !== "open") throw new UserFacingError(`That checkout link for **${item.title}** has expired: /buy ${item.name} gives a new one.`, "checkout_expired");
    const code = promotionCode?.trim() || undefined;
    const events = await this.#deliverCausedBy(async () => void completeWith(this.simulator.core, sessionId, code));
    return { memberId: row.memberId, item, amount: Number(session["amount_total"]), currency: String(session["currency"]), events };
  }

  /**
   * Refunds the member's latest payment for the item in full, as a creator would in Stripe's
   * dashboard. Access ends when Guildhall receives the `charge.refunded` event.
   */
  async refund(communityId: string, memberId: string, item: CatalogItem): Promise<SimulatedOutcome> {
    syncClock(this.simulator.core, this.clock);
    const charge = await this.#refundableCharge(communityId, memberId, item);
    if (!charge) throw new UserFacingError(`There is no payment for **${item.title}** to refund: nothing paid, or already refunded.`, "nothing_to_refund");
    const paymentIntent = String(charge["payment_intent"]);
    const events = await this.#deliverCausedBy(() =>
      this.simulator.stripe.refunds.create({ payment_intent: paymentIntent, reason: "requested_by_customer" }, { idempotencyKey: `simulated-refund:${paymentIntent}` }),
    );
    return { memberId, item, amount: Number(charge["amount"]), currency: String(charge["currency"]), events };
  }

  /**
   * Schedules a membership's cancellation at its period end, as the member would in Stripe's
   * billing portal; access lasts until then.
   */
  async cancelAtPeriodEnd(subscriptionId: string): Promise<SimulatedOutcome & { readonly endsAt: Date }> {
    syncClock(this.simulator.core, this.clock);
    const sub = this.simulator.core.state.subscriptions.get(subscriptionId);
    const itemId = sub?.["metadata"]?.[META.item];
    const memberId = sub?.["metadata"]?.[META.member];
    if (!sub || typeof itemId !== "string" || typeof memberId !== "string") throw new UserFacingError("That is not a membership bought in this playground.", "unknown_subscription");
    const item = await this.db.catalogItem.findUniqueOrThrow({ where: { id: itemId } });
    if (sub["status"] === "canceled" || sub["cancel_at_period_end"] === true) throw new UserFacingError(`Your membership **${item.title}** is already cancelled.`, "already_cancelled");
    const events = await this.#deliverCausedBy(() => this.simulator.stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }));
    const price = sub["items"].data[0];
    const endsAt = new Date(Number(price?.current_period_end) * 1000);
    return { memberId, item, amount: Number(price?.price?.unit_amount ?? 0), currency: String(price?.price?.currency ?? item.currency), events, endsAt };
  }

  /**
   * Renews every membership whose paid period has ended by now, as Stripe's billing does: a
   * new period and its invoice, paid (`invoice.paid`, `customer.subscription.updated`); or, for
   * one the member cancelled in the billing portal, its end (`customer.subscription.deleted`).
   * The events reach Guildhall's webhook like every other. A long move of the clock passes
   * several period ends: each is a renewal of its own, as on Stripe.
   */
  async renewDue(): Promise<SimulatedRenewal[]> {
    const core = this.simulator.core;
    syncClock(core, this.clock);
    const due = [...core.state.subscriptions.values()].filter((sub) => isDue(sub, core.now()));
    if (due.length === 0) return [];
    const renewals: (Omit<SimulatedRenewal, "item"> & { readonly itemId: string })[] = [];
    await this.#deliverCausedBy(async () => {
      for (const sub of due) {
        const events: string[] = [];
        for (let period = 0; period < MAX_RENEWALS_AT_ONCE && isDue(sub, core.now()); period++) {
          events.push(...renewSubscription(core, String(sub["id"])).map((e) => String(e["type"])));
        }
        const item = firstItem(sub);
        renewals.push({
          memberId: String(sub["metadata"]?.[META.member]),
          amount: Number(item["price"]?.unit_amount ?? 0),
          currency: String(item["price"]?.currency ?? sub["currency"]),
          events,
          ended: sub["status"] === "canceled",
          periodEnd: new Date(currentPeriod(sub).end * 1000),
          itemId: String(sub["metadata"]?.[META.item]),
        });
      }
    });
    const items = await this.db.catalogItem.findMany({ where: { id: { in: renewals.map((r) => r.itemId) } } });
    return renewals.flatMap(({ itemId, ...r }) => {
      const item = items.find((i) => i.id === itemId);
      return item ? [{ ...r, item }] : [];
    });
  }

  async #sessionFor(communityId: string, memberId: string, reference: string | undefined): Promise<string> {
    const inLink = reference ? SESSION_IN_LINK.exec(reference) : null;
    if (inLink) return String(inLink[1] ?? inLink[2]);
    const item = reference ? await this.catalog().find(communityId, reference, { includeArchived: true }) : undefined;
    const open = await this.db.checkoutSession.findFirst({
      where: { communityId, memberId, status: "open", expiresAt: { gt: this.clock.now() }, ...(item ? { itemId: item.id } : {}) },
      orderBy: { createdAt: "desc" },
    });
    if (open) return open.id;
    throw new UserFacingError(item ? `You have no open checkout for **${item.title}**: /buy ${item.name} gives one.` : "You have no open checkout: /buy <item> gives one (/courses lists what is for sale).", "no_open_checkout");
  }

  /** The charge of the member's latest paid, unrefunded checkout of the item (a membership's latest invoice). */
  async #refundableCharge(communityId: string, memberId: string, item: CatalogItem): Promise<StripeObject | undefined> {
    const rows = await this.db.checkoutSession.findMany({ where: { communityId, memberId, itemId: item.id }, orderBy: { createdAt: "desc" } });
    const state = this.simulator.core.state;
    for (const row of rows) {
      const session = state.checkoutSessions.get(row.id);
      if (!session || session["status"] !== "complete") continue;
      const paymentIntent = session["mode"] === "subscription" ? latestInvoicePayment(state.invoices.get(String(state.subscriptions.get(String(session["subscription"]))?.["latest_invoice"]))) : session["payment_intent"];
      const charge = state.charges.get(String(state.paymentIntents.get(String(paymentIntent))?.["latest_charge"]));
      if (charge && charge["status"] === "succeeded" && charge["refunded"] !== true) return charge;
    }
    return undefined;
  }

  /**
   * Runs the act, then delivers every pending event (older ones, such as a price created by
   * /catalog add, go first) and returns the types of those the act caused.
   */
  async #deliverCausedBy(act: () => Promise<unknown>): Promise<string[]> {
    const events = this.simulator.core.state.events;
    const before = events.length;
    await act();
    const caused = events.slice(0, events.length - before).reverse().map((e) => String(e["type"]));
    this.simulator.save();
    try {
      await this.delivery.deliverPending();
      return caused;
    } catch (error) {
      if ((error as { code?: unknown }).code === "EADDRINUSE") {
        throw new UserFacingError("The playground's HTTP server, which receives the payment's signed events, cannot listen: its port is in use. Start the playground with PORT set to a free port (for example PORT=3001).", "port_in_use");
      }
      throw error;
    }
  }
}

/** Completes the checkout; a promotion code Stripe's page would refuse is the buyer's error, in its words. */
function completeWith(core: PaymentSimulator["core"], sessionId: string, promotionCode: string | undefined): void {
  try {
    completeCheckout(core, sessionId, promotionCode ? { promotionCode } : {});
  } catch (error) {
    if (!promotionCode) throw error;
    const why = error instanceof Error ? error.message.replace(/^fake stripe: /, "") : String(error);
    throw new UserFacingError(`The code “${promotionCode}” cannot be used for this checkout (${why}). Nothing was paid.`, "invalid_promotion_code");
  }
}

function latestInvoicePayment(invoice: StripeObject | undefined): unknown {
  return (invoice?.["payments"]?.data as StripeObject[] | undefined)?.[0]?.["payment"]?.payment_intent;
}

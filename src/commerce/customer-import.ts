import type Stripe from "stripe";
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { AccessSync } from "./access-sync.js";
import { isMissing } from "./stripe-errors.js";
import type { StripeEventApplier } from "./stripe-event-applier.js";
import { StripeLister } from "./stripe-listing.js";
import { idOf, syntheticEvent } from "./stripe-objects.js";

/** Progress of a long import, for a progress bar. */
export type Progress = (phase: string, done: number) => void;

export interface BackfillReport {
  readonly customers: number;
  readonly subscriptions: number;
  readonly purchases: number;
  /** Objects whose price no catalog item sells: not Guildhall's to grant. */
  readonly unmatched: number;
  readonly stripeCalls: number;
}


/**
 * Existing Stripe customers, imported before Guildhall sold anything itself. Customers are
 * recorded without a member: nobody gets access from an email address. A creator links a
 * customer to a member (`/access link`), and only then is their access applied.
 */
export class CustomerImport {
  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe,
    private readonly applier: StripeEventApplier,
    private readonly accessSync: AccessSync,
  ) {}

  /** `npx guildhall backfill`: records every customer whose subscriptions or purchases match a catalog price. */
  async backfill(progress: Progress = () => undefined): Promise<BackfillReport> {
    const lister = new StripeLister();
    const items = await this.db.catalogItem.findMany({ select: { communityId: true, stripePriceId: true } });
    const communityOfPrice = new Map(items.map((i) => [i.stripePriceId, i.communityId]));
    const customers = new Set<string>();
    let subscriptions = 0;
    let purchases = 0;
    let unmatched = 0;
    const record = async (customerId: string | undefined, priceId: string | undefined): Promise<boolean> => {
      const communityId = priceId ? communityOfPrice.get(priceId) : undefined;
      if (!customerId || !communityId) return false;
      await this.db.stripeCustomer.createMany({ data: [{ id: customerId, communityId, memberId: null }], skipDuplicates: true });
      customers.add(customerId);
      return true;
    };
    let n = 0;
    for await (const sub of lister.all((p) => this.stripe.subscriptions.list({ ...p, status: "all" }))) {
      if (await record(idOf(sub.customer), sub.items.data[0]?.price.id)) subscriptions++;
      else unmatched++;
      progress("subscriptions", ++n);
    }
    n = 0;
    for await (const session of lister.all((p) => this.stripe.checkout.sessions.list({ ...p, status: "complete", expand: ["data.line_items"] }))) {
      if (session.mode !== "payment") continue;
      if (await record(idOf(session.customer), session.line_items?.data[0]?.price?.id)) purchases++;
      else unmatched++;
      progress("payments", ++n);
    }
    return { customers: customers.size, subscriptions, purchases, unmatched, stripeCalls: lister.calls };
  }

  /**
   * A creator's verified link between a member and a Stripe customer, then that customer's
   * subscriptions and purchases applied through the webhook's own code.
   */
  async link(communityId: string, memberId: string, customerId: string): Promise<{ applied: number }> {
    try {
      const customer = await this.stripe.customers.retrieve(customerId);
      if ("deleted" in customer && customer.deleted) throw new UserFacingError(`The Stripe customer ${customerId} was deleted.`, "deleted_customer");
    } catch (error) {
      if (isMissing(error)) throw new UserFacingError(`Stripe has no customer “${customerId}”. Copy the id (cus_…) from the customer's page in Stripe.`, "unknown_customer");
      throw error;
    }
    const existing = await this.db.stripeCustomer.findUnique({ where: { id: customerId } });
    if (existing?.memberId && existing.memberId !== memberId) throw new UserFacingError(`That customer is already linked to another member.`, "customer_taken");
    const current = await this.db.stripeCustomer.findUnique({ where: { communityId_memberId: { communityId, memberId } } });
    if (current && current.id !== customerId) throw new UserFacingError(`This member already pays as ${current.id}; a member has one Stripe customer here.`, "member_has_customer");
    await this.db.stripeCustomer.upsert({ where: { id: customerId }, create: { id: customerId, communityId, memberId }, update: { memberId, communityId } });

    let applied = 0;
    const members = new Set<string>();
    const apply = async (event: Stripe.Event) => {
      const outcome = await this.applier.apply(event);
      if (outcome.status === "applied") {
        applied++;
        outcome.members.forEach((m) => members.add(m));
      }
    };
    const lister = new StripeLister();
    for await (const sub of lister.all((p) => this.stripe.subscriptions.list({ ...p, customer: customerId, status: "all" }))) {
      await apply(syntheticEvent("customer.subscription.updated", `link_${sub.id}_${memberId}`, sub));
    }
    for await (const session of lister.all((p) => this.stripe.checkout.sessions.list({ ...p, customer: customerId, status: "complete", expand: ["data.line_items"] }))) {
      if (session.mode === "payment") await apply(syntheticEvent("checkout.session.completed", `link_${session.id}_${memberId}`, session));
    }
    await this.accessSync.syncMembers([...members, memberId]);
    return { applied };
  }
}

import type Stripe from "stripe";

/** The id of an expandable Stripe field, whether it came as an id or as the object. */
export function idOf(value: string | { id: string }): string;
export function idOf(value: string | { id: string } | null | undefined): string | undefined;
export function idOf(value: string | { id: string } | null | undefined): string | undefined {
  return typeof value === "string" ? value : (value?.id ?? undefined);
}

/**
 * An event made by Guildhall itself (reconciliation, a creator's link) so the repair goes
 * through the webhook's applier. Its id encodes the state it applies, so it applies once.
 */
export function syntheticEvent(type: string, id: string, object: { created?: number }): Stripe.Event {
  return { id, object: "event", type, created: object.created ?? 0, data: { object }, livemode: false, pending_webhooks: 0, request: null, api_version: null } as unknown as Stripe.Event;
}

/** The subscription an invoice bills (on `parent` since API 2025-03-31). */
export function subscriptionOfInvoice(invoice: Stripe.Invoice): string | undefined {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy ?? null);
}

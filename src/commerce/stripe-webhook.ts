import Stripe from "stripe";
import { type RouteHandler, readRawBody, sendJson } from "../http/http-server.js";
import type { Metrics } from "../core/metrics.js";
import type { Logger } from "../log/logger.js";
import type { Notice } from "./billing-notices.js";
import type { StripeEventApplier } from "./stripe-event-applier.js";

export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";
/** Stripe's own default: a signed payload older than five minutes is refused (replays). */
const TOLERANCE_SECONDS = 300;

/**
 * `POST /webhooks/stripe`. The signature is checked on the raw bytes before anything is
 * parsed; a bad one gets 400 and changes nothing. A verified event is applied (exactly
 * once, see the applier) and answered 200; platform access follows after the answer.
 */
export function stripeWebhookRoute(opts: {
  secret: string;
  applier: StripeEventApplier;
  log: Logger;
  /** Called with the members whose access may have changed, after the event is stored. */
  onMembersChanged: (memberIds: string[]) => void;
  /** Called with private notices to send (a failed payment), after the event is stored. */
  onNotices?: (notices: Notice[]) => void;
  /** Called when a verified event starts being applied; the result is called when it is done. */
  onApplying?: () => () => void;
  /** Counts each delivery by event type and outcome. */
  metrics?: Pick<Metrics, "stripeWebhook">;
}): RouteHandler {
  return async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readRawBody(req);
    } catch {
      return sendJson(res, 413, { error: "body_too_large" });
    }
    const signature = req.headers["stripe-signature"];
    let event: Stripe.Event;
    try {
      if (typeof signature !== "string") throw new Error("missing Stripe-Signature header");
      event = Stripe.webhooks.constructEvent(raw, signature, opts.secret, TOLERANCE_SECONDS);
    } catch (error) {
      opts.log.warn({ reason: (error as Error).message }, "refused a Stripe webhook with a bad signature");
      opts.metrics?.stripeWebhook("unknown", "rejected");
      return sendJson(res, 400, { error: "invalid_signature" });
    }
    if (typeof event?.type !== "string" || typeof event.data?.object !== "object") {
      opts.log.warn({ event: event?.id }, "refused a malformed Stripe event");
      opts.metrics?.stripeWebhook("unknown", "rejected");
      return sendJson(res, 400, { error: "malformed_event" });
    }
    const done = opts.onApplying?.();
    try {
      const outcome = await opts.applier.apply(event).catch((error: unknown) => {
        opts.metrics?.stripeWebhook(event.type, "failed");
        throw error;
      });
      opts.metrics?.stripeWebhook(event.type, outcome.status);
      sendJson(res, 200, { received: true, outcome: outcome.status });
      if (outcome.status !== "applied") return;
      if (outcome.members.length > 0) opts.onMembersChanged(outcome.members);
      if (outcome.notices.length > 0) opts.onNotices?.(outcome.notices);
    } finally {
      done?.();
    }
  };
}

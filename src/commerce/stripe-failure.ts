/**
 * When Stripe itself is the problem (the key is wrong, or Stripe cannot be reached), the
 * person who can fix it is told so in one sentence with the fix, instead of "something went
 * wrong". Used by the dispatcher (through core's explainer hook) and by the command line.
 */
import Stripe from "stripe";
import { UserFacingError } from "../core/errors.js";

export const STRIPE_KEY_REJECTED =
  "Stripe rejected the key in STRIPE_SECRET_KEY: copy a current secret key (sk_live_… or sk_test_…) from the Stripe dashboard (Developers → API keys) into STRIPE_SECRET_KEY and restart Guildhall.";
export const STRIPE_KEY_NOT_ALLOWED =
  "Stripe refused this request for the key in STRIPE_SECRET_KEY: it is a restricted key without the permission it needs; use a full secret key or grant that permission in the Stripe dashboard.";
export const STRIPE_UNREACHABLE =
  "Stripe could not be reached; try again in a minute (if it keeps happening, check this server's internet connection, and STRIPE_API_URL if it is set).";

/** The one-sentence explanation of a failure caused by Stripe's key or reachability, if it is one. */
export function explainStripeFailure(error: unknown): UserFacingError | undefined {
  if (error instanceof Stripe.errors.StripeAuthenticationError) return new UserFacingError(STRIPE_KEY_REJECTED, "stripe_key_rejected");
  if (error instanceof Stripe.errors.StripePermissionError) return new UserFacingError(STRIPE_KEY_NOT_ALLOWED, "stripe_key_not_allowed");
  if (error instanceof Stripe.errors.StripeConnectionError) return new UserFacingError(STRIPE_UNREACHABLE, "stripe_unreachable");
  return undefined;
}

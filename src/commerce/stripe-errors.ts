import Stripe from "stripe";
import { UserFacingError } from "../core/errors.js";

/** Stripe is optional until a community sells something; commands that need it say how to connect it. */
export function requireStripe(stripe: Stripe | undefined): Stripe {
  if (!stripe) throw new UserFacingError("Stripe is not connected yet: an admin sets STRIPE_SECRET_KEY (see the README).", "stripe_not_configured");
  return stripe;
}

/** True when Stripe answered that the object does not exist. */
export function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
}

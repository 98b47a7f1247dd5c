import Stripe from "stripe";

/**
 * The Stripe client, built once from the configuration and passed to whatever needs it.
 * `STRIPE_API_URL` sends every request to another base URL (a proxy or a local fake).
 */
export function createStripeClient(config: { readonly secretKey: string; readonly apiUrl?: string }): Stripe {
  if (!config.apiUrl) return new Stripe(config.secretKey, { maxNetworkRetries: 2 });
  const url = new URL(config.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(config.secretKey, {
    host: url.hostname,
    port: Number(url.port || (protocol === "http" ? 80 : 443)),
    protocol,
    maxNetworkRetries: 2,
  });
}

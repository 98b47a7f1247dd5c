import { type Agent, request } from "node:http";
import Stripe from "stripe";

/**
 * The raw body and `Stripe-Signature` header Stripe would send for `event`, for
 * `stripe.webhooks.constructEvent(payload, header, secret)`. Objects are serialised with
 * two-space indentation like Stripe's payloads, so a handler that re-serialises parsed JSON
 * fails verification here as it would in production. A string `event` is sent as is.
 */
export function signedWebhook(event: unknown, secret: string, opts: { timestamp?: number } = {}): { payload: string; header: string } {
  const payload = typeof event === "string" ? event : JSON.stringify(event, null, 2);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

/**
 * POSTs a signed event to a webhook URL on this machine, as Stripe's delivery does.
 * `signatureHeader` replaces the computed header (to test rejection).
 */
export function deliverWebhook(
  url: string,
  event: unknown,
  secret: string,
  opts: { timestamp?: number; signatureHeader?: string } = {},
): Promise<{ status: number; body: string }> {
  const { payload, header } = signedWebhook(event, secret, opts.timestamp === undefined ? {} : { timestamp: opts.timestamp });
  return postWebhook(url, payload, opts.signatureHeader ?? header);
}

/** POSTs an already signed payload, as Stripe's delivery does; `agent` reuses connections (benchmarks). */
export function postWebhook(url: string, payload: string, signature: string, agent: Agent | false = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(payload),
        "stripe-signature": signature,
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

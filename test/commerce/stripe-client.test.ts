import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../../src/commerce/stripe-client.js";
import { loadConfig } from "../../src/config/config.js";
import { type FakeStripe, signedWebhook, startFakeStripe } from "../fakes/stripe/index.js";
import { settingsSections } from "../../src/capabilities.js";

describe("Stripe client", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake?.close());

  it("sends every request to STRIPE_API_URL when it is set", async () => {
    const product = fake.createProduct({ name: "Async Rust" });
    const price = fake.createPrice({ product: product.id, unit_amount: 4900, currency: "eur" });
    const config = loadConfig({ STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_API_URL: fake.url }, settingsSections);
    const stripe = createStripeClient(config.stripe!);
    const fetched = await stripe.prices.retrieve(price.id);
    expect(fetched.unit_amount).toBe(4900);
    expect(fake.calls.at(-1)).toMatchObject({ method: "GET", path: `/v1/prices/${price.id}` });
  });

  it("verifies signed webhook payloads from the fake and rejects tampered ones", () => {
    const secret = "whsec_test_secret";
    const { payload, header } = signedWebhook({ id: "evt_1", type: "checkout.session.completed", data: { object: {} } }, secret);
    expect(Stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_1");
    expect(() => Stripe.webhooks.constructEvent(payload.replace("evt_1", "evt_2"), header, secret)).toThrow();
  });
});

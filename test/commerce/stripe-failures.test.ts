/**
 * A creator's command that needs Stripe, when Stripe rejects the key or cannot be reached,
 * says so in one sentence with the fix, never "something went wrong".
 */
import { createServer } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { startCommunity } from "../support/community.js";
import { backends } from "../support/databases.js";

const creator = { level: "creator" as const };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(backends())("creator commands when Stripe fails on %s", (kind) => {
  let fake: FakeStripe;
  let price: string;
  let rejected: Awaited<ReturnType<typeof startCommunity>>;
  let unreachable: Awaited<ReturnType<typeof startCommunity>>;

  beforeAll(async () => {
    fake = await startFakeStripe();
    price = fake.createPrice({ product: fake.createProduct({ name: "Async Rust" })["id"], unit_amount: 4900, currency: "eur" })["id"];
    fake.rejectKey("sk_test_rolled");
    rejected = await startCommunity(kind, { stripe: new Stripe("sk_test_rolled", { ...fake.clientOptions }) });
    unreachable = await startCommunity(kind, { stripe: new Stripe("sk_test_fine", { ...fake.clientOptions, port: await closedPort() }) });
  });
  afterAll(async () => {
    await rejected.dispose();
    await unreachable.dispose();
    await fake.close();
  });

  it("a key Stripe rejects (401) is named, with where to get a good one", async () => {
    const reply = await rejected.run("Ada", "catalog", { name: "async-rust", title: "Async Rust", price }, { ...creator, subcommand: "add" });
    expect(reply.tone).toBe("error");
    expect(reply.text).toMatch(/^Stripe rejected the key in STRIPE_SECRET_KEY: [^\n]*dashboard[^\n]*\.$/);
    expect(reply.text).not.toContain("something went wrong");
    expect(fake.calls.filter((call) => call.path === `/v1/prices/${price}`).map((call) => call.status)).toContain(401);
  });

  it("an unreachable Stripe says to try again", async () => {
    const reply = await unreachable.run("Ada", "catalog", { name: "async-rust", title: "Async Rust", price }, { ...creator, subcommand: "add" });
    expect(reply.tone).toBe("error");
    expect(reply.text).toMatch(/^Stripe could not be reached; try again[^\n]*\.$/);
  });
});

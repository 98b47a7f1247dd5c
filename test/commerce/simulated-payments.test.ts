import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startPlaygroundApp, testConfig } from "../support/app.js";

/**
 * Issue 10: without STRIPE_SECRET_KEY the playground sells through a simulated payment
 * provider. A newcomer sees purchase → access → refund → access ends; access arrives through
 * the signed webhook path real Stripe uses; every commerce reply says it is simulated.
 */
const LABEL = "(simulated payment — no real money)";

describe("simulated payments in the playground", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    // The HTTP server listens from the start here (on a free port), so the forged event below can reach it.
    pg = await startPlaygroundApp({ config: { ...testConfig(), http: { port: 0, explicit: true } }, httpHost: "127.0.0.1" });
    await pg.type("/as grace --creator");
    await pg.type('/catalog add name:async-rust title:"Async Rust" price:9.99eur');
    await pg.type('/catalog add name:gold title:"Gold tier" price:19eur/month');
    await pg.type("/as ada");
  });
  afterAll(() => pg?.end());

  it("/catalog add takes a made-up price and says it is simulated", async () => {
    await pg.type("/as grace --creator");
    const out = await pg.type("/catalog add supporters Supporters 5usd/year");
    expect(out).toContain("Added Supporters (supporters, membership): $5.00 / year.");
    expect(out).toContain(LABEL);
    expect(await pg.type("/catalog add name:broken title:Broken price:9.99xyz")).toContain("“xyz” is not a currency code");
    await pg.type("/as ada");
  });

  it("a course: /buy prints a local link, /pay pays it, access arrives, a refund ends it", async () => {
    const buy = await pg.type("/buy async-rust");
    expect(buy).toMatch(/\[Pay €9\.99\] http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+/);
    expect(buy).toContain("/pay async-rust");
    expect(buy).toContain(LABEL);

    const paid = await pg.type("/pay async-rust");
    expect(paid).toContain("Paid €9.99 for Async Rust.");
    expect(paid).toContain("you now have Async Rust");
    expect(paid).toContain("checkout.session.completed");
    expect(paid).toContain(LABEL);
    expect(await pg.type("/access show")).toContain("Async Rust: purchase");

    await pg.type("/as grace --creator");
    const refund = await pg.type("/refund @ada async-rust");
    expect(refund).toContain("Refunded €9.99 to ada for Async Rust.");
    expect(refund).toContain("charge.refunded");
    expect(refund).toContain("ada's access to Async Rust has ended");
    expect(refund).toContain(LABEL);
    expect(await pg.type("/refund @ada async-rust")).toContain("There is no payment for Async Rust to refund");
    await pg.type("/as ada");
    const access = await pg.type("/access show");
    expect(access).toContain("You have no active access.");
    expect(access).toContain("Async Rust: purchase — ended: refunded");
  });

  it("a membership: paid through its link, then refunded, ends", async () => {
    const buy = await pg.type("/buy gold");
    const link = /http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+/.exec(buy)![0];
    const paid = await pg.type(`/pay ${link}`);
    expect(paid).toContain("Paid €19.00 for Gold tier.");
    expect(paid).toContain("customer.subscription.created");
    expect(await pg.type("/access show")).toContain("Gold tier: membership (active)");
    expect(await pg.type(`/pay ${link}`)).toContain("That checkout for Gold tier is already paid.");

    await pg.type("/as grace --creator");
    expect(await pg.type("/refund @ada gold")).toContain("ada's access to Gold tier has ended");
    await pg.type("/as ada");
    expect(await pg.type("/access show")).toContain("Gold tier: membership (refunded) — ended: refunded");
  });

  it("opening the link in a browser shows the simulated checkout; its Pay button pays", async () => {
    await pg.type("/as bob");
    const link = /http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+/.exec(await pg.type("/buy async-rust"))![0];
    const page = await (await fetch(link)).text();
    expect(page).toContain("Simulated checkout");
    expect(page).toContain("€9.99");
    expect(page).toContain(LABEL);
    const paid = await fetch(link, { method: "POST" });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain("Async Rust");
    expect(await pg.type("/access show")).toContain("Async Rust: purchase");
    await pg.type("/as ada");
  });

  it("access comes only from signed events Guildhall verified and stored", async () => {
    const stored = await pg.app.database.prisma.stripeEvent.findMany({ select: { type: true } });
    const types = stored.map((e) => e.type);
    expect(types).toContain("checkout.session.completed");
    expect(types).toContain("charge.refunded");
    // A forged event (not signed with the simulator's generated secret) is refused.
    const forged = { id: "evt_forged", object: "event", type: "checkout.session.completed", data: { object: { id: "cs_test_forged", object: "checkout.session" } } };
    const answer = await deliverWebhook(`http://127.0.0.1:${pg.app.http!.port}/webhooks/stripe`, forged, "whsec_guessed");
    expect(answer.status).toBe(400);
  });

  it("/pay without an open checkout, or with a stranger's link, says what to do", async () => {
    expect(await pg.type("/pay")).toContain("You have no open checkout: /buy <item> gives one");
    expect(await pg.type("/pay https://example.com/pay/cs_test_nothing")).toContain("That is not a checkout link from this playground");
  });
});

describe("simulated payments in a playground whose HTTP server is not running", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
  });
  afterAll(() => pg?.end());

  it("starts the server with the first payment, whose events it then receives", async () => {
    expect(pg.app.http).toBeUndefined();
    await pg.type("/as grace --creator");
    await pg.type("/catalog add name:gold title:Gold price:19eur/month");
    await pg.type("/buy gold");
    expect(await pg.type("/pay gold")).toContain("you now have Gold");
  });
});

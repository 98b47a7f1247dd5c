import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSections } from "../../src/capabilities.js";
import { loadConfig } from "../../src/config/config.js";
import type { RawOptions } from "../../src/core/options.js";
import type { DatabaseTarget } from "../../src/db/target.js";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startPlaygroundApp, testConfig, waitFor } from "../support/app.js";
import { postgresTemplate } from "../support/database-snapshots.js";
import { backends, createPostgresDatabase, dropPostgresDatabase, migratedDataDir } from "../support/databases.js";

/**
 * Issue 10: without STRIPE_SECRET_KEY the playground sells through a simulated payment
 * provider. A newcomer sees purchase → access → refund → access ends; access arrives through
 * the signed webhook path real Stripe uses; every commerce reply says it is simulated.
 */
const LABEL = "(simulated payment — no real money)";

describe.each(backends())("simulated payments in the playground, on %s", (backend) => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  let database: DatabaseTarget | undefined;
  beforeAll(async () => {
    database = backend === "postgres" ? await createPostgresDatabase({ template: postgresTemplate() }) : undefined;
    // The HTTP server listens from the start here (on a free port), so the forged event below can reach it.
    const config = { ...testConfig(), http: { port: 0, explicit: true }, ...(database ? { database } : {}) };
    pg = await startPlaygroundApp({ config, httpHost: "127.0.0.1" });
    await pg.type("/as grace --creator");
    await pg.type('/catalog add name:async-rust title:"Async Rust" price:9.99eur');
    await pg.type('/catalog add name:gold title:"Gold tier" price:19eur/month');
    await pg.type("/as ada");
  });
  afterAll(async () => {
    await pg?.end();
    if (database?.kind === "postgres") await dropPostgresDatabase(database.url);
  });

  it("/catalog add takes a made-up price and says it is simulated", async () => {
    await pg.type("/as grace --creator");
    const out = await pg.type("/catalog add supporters Supporters 5usd/year");
    expect(out).toContain("Added Supporters (supporters, membership): $5.00 / year.");
    expect(out).toContain(LABEL);
    expect(await pg.type("/catalog add name:broken title:Broken price:9.99xyz")).toContain("“xyz” is not a currency code");
    expect(await pg.type("/catalog add name:real title:Real price:price_123")).toContain("In the playground, prices are made up");
    await pg.type("/as ada");
  });

  it("a course: /buy prints a local link, /pay pays it, access arrives, a refund ends it", async () => {
    const buy = await pg.type("/buy async-rust");
    expect(buy).toMatch(/\[Pay €9\.99\] http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+/);
    expect(buy).toContain("/pay async-rust");
    expect(buy).toContain(LABEL);
    // Nothing here waits for Stripe: the simulated provider confirms the payment.
    expect(buy).toContain("as soon as the simulated payment provider confirms the payment");
    expect(buy).not.toContain("Stripe");

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
    // The chat hears of it: the buyer gets a private message.
    await waitFor(() => pg.printed().includes("Your payment of €9.99 for Async Rust went through on the checkout page: you now have Async Rust."), 10_000);
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

  it("a promotion code (as /redeem gives) is typed with /pay, as on Stripe's page", async () => {
    const stripe = pg.app.services.stripe!;
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: "once" });
    await stripe.promotionCodes.create({ promotion: { type: "coupon", coupon: coupon.id }, code: "HALF" });
    await pg.type("/as grace --creator");
    await pg.type("/catalog add name:tenner title:Tenner price:10eur");
    await pg.type("/as cleo");
    await pg.type("/buy tenner");
    expect(await pg.type("/pay tenner code:NOPE")).toContain("The code “NOPE” cannot be used for this checkout");
    expect(await pg.type("/pay tenner code:HALF")).toContain("Paid €5.00 for Tenner.");
    await pg.type("/as ada");
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

describe("simulated payments' commands with generated option values", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
    await pg.type("/as grace --creator");
    await pg.type("/catalog add name:gold title:Gold price:19eur/month");
    await pg.type("/as ada");
    await pg.type("/buy gold");
  });
  afterAll(() => pg?.end());

  const odd = fc.oneof(
    fc.constantFrom("", " ", "x".repeat(400), "9.99eur", "0eur", "9.999eur", "9999999.99eur/month", "1e309eur", "5.5jpy", "9.99 EUR / month",
      "price_123", "cs_test_nothing", "http://127.0.0.1:1/pay/cs_test_x", "gold", "GOLD", "\u202Egnp.exe", "'; DROP TABLE \"Member\"; --", "@everyone", "[[@pg-ada]]"),
    fc.string({ maxLength: 40 }),
  );
  const targets: { command: string; subcommand: string | undefined; options: fc.Arbitrary<RawOptions> }[] = [
    { command: "pay", subcommand: undefined, options: fc.record({ link: odd }, { requiredKeys: [] }) as fc.Arbitrary<RawOptions> },
    { command: "refund", subcommand: undefined, options: fc.record({ member: fc.oneof(fc.constantFrom("ada", "nobody").map((n) => ({ platform: "playground", id: `pg-${n}`, displayName: n })), odd), item: odd }, { requiredKeys: [] }) as fc.Arbitrary<RawOptions> },
    { command: "catalog", subcommand: "add", options: fc.record({ name: odd, title: odd, price: odd }, { requiredKeys: [] }) as fc.Arbitrary<RawOptions> },
    { command: "catalog", subcommand: "edit", options: fc.record({ name: fc.oneof(fc.constant("gold"), odd), price: odd }, { requiredKeys: [] }) as fc.Arbitrary<RawOptions> },
    { command: "buy", subcommand: undefined, options: fc.record({ item: odd }, { requiredKeys: [] }) as fc.Arbitrary<RawOptions> },
  ];

  it("answers every invocation with a user-facing reply", { timeout: 120_000 }, async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    let invocations = 0;
    console.info(`simulated payments property: FC_SEED=${seed}`);
    const invocation = fc.record({ target: fc.constantFrom(...targets), creator: fc.boolean() }).chain(({ target, creator }) =>
      target.options.map((options) => ({ target, creator, options })));
    await fc.assert(
      fc.asyncProperty(invocation, async ({ target, creator, options }) => {
        invocations++;
        const { reply } = await pg.app.dispatcher.run({
          platform: "playground",
          space: { id: "playground", name: "Playground" },
          user: { id: creator ? "pg-grace" : "pg-ada", displayName: creator ? "grace" : "ada" },
          channel: { id: "general" },
          command: target.command,
          subcommand: target.subcommand,
          options,
          actor: { platform: "playground", level: creator ? "creator" : "member" },
          receivedAt: new Date(),
        });
        expect(reply.text ?? "", `/${target.command} ${target.subcommand ?? ""} ${JSON.stringify(options).slice(0, 200)}`).not.toContain("something went wrong");
      }),
      { seed, numRuns: 120, endOnFailure: true },
    );
    console.info(`simulated payments property: ${invocations} invocations`);
  });
});

describe("a simulated membership cancelled in the billing portal", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
    await pg.type("/as grace --creator");
    await pg.type("/catalog add name:gold title:Gold price:19eur/month");
    await pg.type("/as ada");
    await pg.type("/buy gold");
    await pg.type("/pay gold");
  });
  afterAll(() => pg?.end());

  // That it then ends when the clock passes the period end is test/commerce/simulated-renewals.test.ts's.
  it("lasts until the end of the paid period, as the signed event says", { timeout: 60_000 }, async () => {
    const portal = /http:\/\/127\.0\.0\.1:\d+\/portal\/\w+/.exec(await pg.type("/billing"))![0];
    const page = await (await fetch(portal)).text();
    expect(page).toContain("Simulated billing portal");
    expect(page).toContain("Gold");
    expect(page).toContain(LABEL);
    const action = /action="([^"]+)"/.exec(page)![1]!;
    const cancelled = await fetch(new URL(action, portal), { method: "POST" });
    expect(cancelled.status).toBe(200);
    await waitFor(() => pg.printed().includes("Your membership Gold is cancelled"), 10_000);
    expect(await pg.type("/access show")).toMatch(/Gold: membership \(active\) until \d{4}-\d\d-\d\d/);
    expect((await fetch(new URL(action, portal), { method: "POST" })).status).toBe(409);
  });
});

describe("simulated payments across a playground restart", () => {
  it("keep the catalog's prices, the links given and the payments to refund", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-paysim-");
    const config = () => loadConfig({ GUILDHALL_DATA_DIR: dataDir }, settingsSections);
    const first = await startPlaygroundApp({ config: config() });
    await first.type("/as grace --creator");
    await first.type("/catalog add name:gold title:Gold price:19eur/month");
    await first.type("/catalog add name:course title:Course price:9eur");
    await first.type("/as ada");
    await first.type("/buy gold");
    await first.type("/pay gold");
    const link = /http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_\w+/.exec(await first.type("/buy course"))![0];
    await first.end();

    const second = await startPlaygroundApp({ config: config() });
    try {
      await second.type("/as ada");
      expect(await second.type("/buy course")).toContain(link);
      expect((await fetch(link)).status).toBe(200);
      expect(await second.type("/pay course")).toContain("you now have Course");
      await second.type("/as grace --creator");
      expect(await second.type("/refund @ada gold")).toContain("ada's access to Gold has ended");
    } finally {
      await second.end();
    }
  });
});

describe("simulated payments that take seconds", () => {
  // Each reading of this clock is a second after the last, so the events of /pay are applied
  // well after the command began: the reply must still see the access they gave.
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    let readings = 0;
    const start = Date.now();
    pg = await startPlaygroundApp({ clock: { now: () => new Date(start + 1000 * readings++) } });
  });
  afterAll(() => pg?.end());

  it("report the access the payment gave", async () => {
    await pg.type("/as grace --creator");
    await pg.type("/catalog add name:gold title:Gold price:19eur/month");
    await pg.type("/buy gold");
    expect(await pg.type("/pay gold")).toContain("you now have Gold");
  });
});

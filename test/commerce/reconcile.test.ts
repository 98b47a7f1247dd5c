import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("reconciliation on %s", (backend) => {
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let reconciler: ReturnType<Awaited<ReturnType<typeof startCommerce>>["reconciler"]>;
  let offsetMs = 0; // the bot's clock, moved forward to let time pass between runs
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  let lostSession = "";
  const adminReports: string[] = [];

  const buy = (item: string, id: string) => c.buy(item, { id, name: id });
  const entitlementsOf = async (externalId: string) => {
    const account = await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId } });
    return db.prisma.entitlement.findMany({ where: { memberId: account.memberId } });
  };

  beforeAll(async () => {
    db = await freshDatabase(backend);
    c = await startCommerce(db.prisma, { adminLog: { report: async (platform, spaceId, message) => void adminReports.push(`${platform}:${spaceId}:${message}`) } });
    reconciler = c.reconciler(clock);
    const course = c.stripeFake.createProduct({ name: "Async Rust" });
    const tier = c.stripeFake.createProduct({ name: "Pro" });
    const coursePrice = c.stripeFake.createPrice({ product: course.id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = c.stripeFake.createPrice({ product: tier.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price: coursePrice }, { creator: true, subcommand: "add" });
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("a first run is a full sweep and records itself", async () => {
    const report = await reconciler.run();
    expect(report).toMatchObject({ fullSweep: true, repairs: [] });
    const run = await db.prisma.reconciliationRun.findFirstOrThrow();
    expect(run).toMatchObject({ dryRun: false, fullSweep: true, repairs: 0 });
    expect(run.finishedAt).not.toBeNull();
  });

  it("a dry run lists the purchase a lost webhook missed and changes nothing", async () => {
    const session = await buy("async-rust", "d-lost");
    lostSession = session;
    c.stripeFake.completeCheckout(session); // events never delivered
    const dry = await reconciler.run({ dryRun: true });
    expect(dry.repairs.some((r) => r.includes("checkout.session.completed"))).toBe(true);
    expect(await entitlementsOf("d-lost")).toHaveLength(0);
  });

  it("a real run applies the missed events through the webhook's code, once", async () => {
    const report = await reconciler.run();
    expect(report.repairs.length).toBeGreaterThan(0);
    const [purchase] = await entitlementsOf("d-lost");
    expect(purchase).toMatchObject({ source: "purchase", revokedAt: null });
    expect(adminReports.at(-1)).toMatch(/^discord:100000000000000001:Reconciliation repaired \d+ thing\(s\)/);
    const again = await reconciler.run();
    expect(again.repairs).toEqual([]);
    expect(await entitlementsOf("d-lost")).toHaveLength(1);
  });

  it("finds drift by sweeping objects when the events are gone", async () => {
    const session = await buy("pro", "d-swept");
    c.stripeFake.completeCheckout(session);
    // Pretend every event was already read, so only the sweep can notice the membership.
    await db.prisma.reconciliationCursor.update({ where: { id: "stripe" }, data: { eventsCreated: c.stripeFake.now() + 86_400 } });
    const report = await reconciler.run();
    expect(report.repairs.some((r) => r.startsWith("granted paid checkout") || r.startsWith("updated checkout") || r.startsWith("updated subscription"))).toBe(true);
    const [membership] = await entitlementsOf("d-swept");
    expect(membership).toMatchObject({ source: "subscription", endsAt: null });
  });

  // 120 checkouts, whose ~1,000 events the first run reads and applies: slow on a busy machine.
  it("with nothing changed, a run makes at most 5 Stripe calls however many subscriptions exist", { timeout: 120_000 }, async () => {
    for (let i = 0; i < 120; i++) c.stripeFake.completeCheckout((await c.stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: (await db.prisma.catalogItem.findFirstOrThrow({ where: { name: "pro" } })).stripePriceId, quantity: 1 }], success_url: "https://x" })).id);
    offsetMs += 3_600_000;
    await reconciler.run(); // picks up the new (foreign) subscriptions once
    offsetMs += 900_000; // the next scheduled run, 15 minutes later
    const quiet = await reconciler.run();
    expect(quiet.repairs).toEqual([]);
    expect(quiet.stripeCalls).toBeLessThanOrEqual(5);
  });

  it("backs off and retries when Stripe answers 429", async () => {
    c.stripeFake.failNext((call) => call.path === "/v1/events", { status: 429, body: { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" } } }, 2);
    offsetMs += 900_000;
    const report = await reconciler.run();
    expect(report.stripeCalls).toBe(7); // 5 lists (events, sessions, subscriptions, refunds, disputes) + 2 retried 429s
    expect(report.skipped).toBeUndefined();
  });

  it("only one run at a time, even when several start together", async () => {
    const reports = await Promise.all([reconciler.run(), reconciler.run(), reconciler.run()]);
    expect(reports.filter((r) => r.skipped).length).toBeGreaterThanOrEqual(1);
    expect(reports.filter((r) => !r.skipped).length).toBeGreaterThanOrEqual(1);
  });

  it("a webhook delivered after the repair is recognised and does nothing", async () => {
    const completed = c.stripeFake.events.find((e) => e.type === "checkout.session.completed" && e.data.object.id === lostSession)!;
    const response = await deliverWebhook(c.webhookUrl, completed, WEBHOOK_SECRET);
    expect(JSON.parse(response.body).outcome).toBe("duplicate");
  });
});

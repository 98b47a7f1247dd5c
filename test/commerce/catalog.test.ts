import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";

describe.each(backends())("catalog and checkout on %s", (backend) => {
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let rustPrice: string;
  let proPrice: string;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    c = await startCommerce(db.prisma);
    const product = c.stripeFake.createProduct({ name: "Async Rust" });
    rustPrice = c.stripeFake.createPrice({ product: product.id, unit_amount: 4900, currency: "eur" }).id;
    const tier = c.stripeFake.createProduct({ name: "Pro" });
    proPrice = c.stripeFake.createPrice({ product: tier.id, unit_amount: 1900, currency: "usd", recurring: { interval: "month" } }).id;
  });
  afterAll(async () => {
    await c?.close();
    await db?.dispose();
  });

  it("adds items with the price read from Stripe, never typed by hand", async () => {
    const added = await c.run("catalog", { name: "async-rust", title: "Async Rust", price: rustPrice, discord_roles: "<@&500000000000000001>", slack_channels: "<#C0RUST|rust>" }, { creator: true, subcommand: "add" });
    expect(added.text).toContain("Added **Async Rust** (`async-rust`, course): €49.00");
    const tier = await c.run("catalog", { name: "pro", title: "Pro membership", price: proPrice }, { creator: true, subcommand: "add" });
    expect(tier.text).toContain("(`pro`, membership): $19.00 / month");
    const item = await db.prisma.catalogItem.findFirstOrThrow({ where: { name: "async-rust" } });
    expect(item).toMatchObject({ unitAmount: 4900, currency: "eur", mode: "payment", discordRoleIds: ["500000000000000001"], slackChannelIds: ["C0RUST"] });
  });

  it("refuses bad catalog input with a clear message", async () => {
    expect((await c.run("catalog", { name: "x1", title: "X", price: "price_nope" }, { creator: true, subcommand: "add" })).text).toContain("Stripe has no price “price_nope”");
    expect((await c.run("catalog", { name: "async-rust", title: "Again", price: rustPrice }, { creator: true, subcommand: "add" })).text).toContain("already an item called “async-rust”");
    expect((await c.run("catalog", { name: "x2", title: "X", price: rustPrice, discord_roles: "@everyone" }, { creator: true, subcommand: "add" })).text).toContain("“@everyone” in Discord roles is not a role mention");
    expect((await c.run("catalog", { name: "x3", title: "X", price: rustPrice }, { subcommand: "add" })).text).toBe("Only creators can use /catalog add.");
  });

  it("lists what is for sale and shows one item", async () => {
    const list = await c.run("courses");
    expect(list.text).toContain("**Async Rust**");
    expect(list.text).toContain("**Pro membership**");
    const one = await c.run("course", { name: "async-rust" });
    expect(one.fields).toContainEqual({ name: "Price", value: "€49.00", inline: true });
    expect(one.fields?.find((f) => f.name === "Grants")?.value).toBe("Discord role [[@&500000000000000001]], Slack channel [[#C0RUST]]");
    expect((await c.run("course", { name: "haskell" })).text).toBe("There is nothing called “haskell” for sale here. Try one of: async-rust, pro.");
  });

  it("/buy answers privately with a Checkout link that identifies member, community and item", async () => {
    const bought = await c.run("buy", { item: "async-rust" });
    expect(bought.visibility).toBe("ephemeral");
    const url = bought.links?.[0]?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_/);
    const create = c.stripeFake.calls.filter((call) => call.method === "POST" && call.path === "/v1/checkout/sessions");
    expect(create).toHaveLength(1);
    const member = await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: "400000000000000001" } });
    expect(create[0]!.body).toMatchObject({ mode: "payment", client_reference_id: member.memberId, customer_creation: "always", metadata: { guildhall_member: member.memberId } });
    expect(create[0]!.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a repeated /buy reuses the open session instead of creating another", async () => {
    const again = await c.run("buy", { item: "async-rust" });
    expect(again.text).toContain("still open");
    expect(c.stripeFake.calls.filter((call) => call.method === "POST" && call.path === "/v1/checkout/sessions")).toHaveLength(1);
  });

  it("after the open session expires, /buy makes a new one", async () => {
    const session = (await db.prisma.checkoutSession.findFirstOrThrow({ where: { status: "open" }, orderBy: { createdAt: "asc" } })).id;
    for (const event of c.stripeFake.expireCheckout(session)) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    const fresh = await c.run("buy", { item: "async-rust" });
    expect(fresh.text).toContain("Here is your checkout link");
    expect(fresh.text).toContain("Access arrives here as soon as Stripe confirms the payment.");
    expect(fresh.links?.[0]?.url).not.toContain(session);
    expect(c.stripeFake.calls.filter((call) => call.method === "POST" && call.path === "/v1/checkout/sessions")).toHaveLength(2);
  });

  it("two simultaneous /buy for a new item create one Stripe session", async () => {
    await Promise.all([c.run("buy", { item: "pro" }, { id: "400000000000000009", name: "Bo" }), c.run("buy", { item: "pro" }, { id: "400000000000000009", name: "Bo" })]);
    const created = c.stripeFake.calls.filter((call) => call.method === "POST" && call.path === "/v1/checkout/sessions" && call.body.mode === "subscription");
    const ids = new Set(created.map((call) => call.idempotencyKey));
    expect(ids.size).toBe(1);
    expect(await db.prisma.checkoutSession.count({ where: { itemId: (await db.prisma.catalogItem.findFirstOrThrow({ where: { name: "pro" } })).id } })).toBe(1);
  });

  it("an archived item is no longer for sale", async () => {
    await c.run("catalog", { name: "pro" }, { creator: true, subcommand: "archive" });
    expect((await c.run("buy", { item: "pro" })).text).toBe("“Pro membership” is no longer for sale. For sale now: async-rust.");
  });

  it("/billing without any purchase explains how a billing account comes to be", async () => {
    expect((await c.run("billing", {}, { id: "400000000000000077", name: "New" })).text).toContain("You have no billing account here yet");
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST } from "discord.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { resolveDatabaseTarget } from "../../src/db/target.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { deliverWebhook, type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const ROLE = "500000000000000021";
const BUYER = "400000000000000055";
const community = { slug: "acme", name: "Acme", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS, discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] } };

/** A TCP server that accepts connections and never answers: a request to it hangs forever. */
async function blackHole(): Promise<{ url: string; touched: Promise<void>; close: () => void }> {
  let touch!: () => void;
  const touched = new Promise<void>((resolve) => (touch = resolve));
  const server: Server = createServer(() => touch());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, touched, close: () => server.close() };
}

/** Starts the webhook receiver as its own process on the data directory. */
async function startChild(dataDir: string, stripeUrl: string, discordUrl: string): Promise<{ child: ChildProcess; url: string }> {
  // Node itself, not the tsx wrapper: SIGKILL must reach the process that holds the database.
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/webhook-child.ts"], {
    env: { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", STRIPE_API_URL: stripeUrl, DISCORD_API_URL: discordUrl, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, CHILD_COMMUNITY: JSON.stringify(community) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += String(chunk);
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/webhooks/stripe` };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("a process killed between receiving a webhook and finishing it", () => {
  let discord: FakeDiscord;
  let stripeFake: FakeStripe;
  let dataDir: string;
  let courseEvents: Stripe.Event[];
  const buyAs = (c: Awaited<ReturnType<typeof startCommerce>>, item: string) => c.buy(item, { id: BUYER, name: "Buyer" });

  /** Opens the on-disk database in this process, with the commerce stack over the fakes. */
  async function withCommerce<T>(work: (db: Database, c: Awaited<ReturnType<typeof startCommerce>>) => Promise<T>): Promise<T> {
    const db = await openDatabase(resolveDatabaseTarget(undefined, dataDir), quietLogger());
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.token");
    const c = await startCommerce(db.prisma, { community, gateways: { discord: new DiscordAccessGateway(rest, quietLogger()) }, stripeFake });
    try {
      return await work(db, c);
    } finally {
      await c.close();
      await db.close();
    }
  }

  beforeAll(async () => {
    discord = await startFakeDiscord({ guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [{ id: ROLE, name: "Paid" }], members: [{ user: { id: BUYER, username: "buyer" }, roles: [] }] }] });
    stripeFake = await startFakeStripe();
    dataDir = mkdtempSync(join(tmpdir(), "gh-killed-"));
    courseEvents = await withCommerce(async (_db, c) => {
      const course = stripeFake.createPrice({ product: stripeFake.createProduct({ name: "Course" }).id, unit_amount: 4900, currency: "eur" }).id;
      const tier = stripeFake.createPrice({ product: stripeFake.createProduct({ name: "Pro" }).id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
      await c.run("catalog", { name: "course", title: "Course", price: course, discord_roles: ROLE }, { creator: true, subcommand: "add" });
      await c.run("catalog", { name: "pro", title: "Pro", price: tier, discord_roles: ROLE }, { creator: true, subcommand: "add" });
      return stripeFake.completeCheckout(await buyAs(c, "course")) as Stripe.Event[];
    });
  }, 60_000);
  afterAll(async () => {
    await discord?.close();
    await stripeFake?.close();
  });

  it("after the event was stored but before access was applied: restart and reconciliation apply it once", { timeout: 90_000 }, async () => {
    const hole = await blackHole(); // Discord never answers, so the child stalls while syncing
    const { child, url } = await startChild(dataDir, stripeFake.url, `${hole.url}/api`);
    const completed = courseEvents.find((e) => e.type === "checkout.session.completed")!;
    expect((await deliverWebhook(url, completed, WEBHOOK_SECRET)).status).toBe(200);
    await hole.touched;
    await kill(child);
    hole.close();

    await withCommerce(async (db, c) => {
      const reconciler = c.reconciler();
      await reconciler.run();
      expect(await db.prisma.entitlement.count({ where: { source: "purchase" } })).toBe(1);
      expect(await db.prisma.stripeEvent.count({ where: { id: completed.id } })).toBe(1);
      expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${BUYER}/roles/${ROLE}`)).toHaveLength(1);
    });
  });

  it("before the event was stored: nothing half-written, and reconciliation applies it from Stripe", { timeout: 90_000 }, async () => {
    const membership = await withCommerce(async (_db, c) => stripeFake.completeCheckout(await buyAs(c, "pro")) as Stripe.Event[]);
    const hole = await blackHole(); // Stripe never answers the subscription re-read, so the child stalls before its transaction
    const { child, url } = await startChild(dataDir, hole.url, discord.apiUrl);
    const paid = membership.find((e) => e.type === "invoice.paid")!;
    void deliverWebhook(url, paid, WEBHOOK_SECRET).catch(() => undefined);
    await hole.touched;
    await kill(child);
    hole.close();

    await withCommerce(async (db, c) => {
      expect(await db.prisma.stripeEvent.count({ where: { id: paid.id } })).toBe(0);
      expect(await db.prisma.subscription.count()).toBe(0);
      const reconciler = c.reconciler();
      await reconciler.run();
      expect(await db.prisma.stripeEvent.count({ where: { id: paid.id } })).toBe(1);
      expect(await db.prisma.entitlement.count({ where: { source: "subscription", revokedAt: null } })).toBe(1);
      // The role was already there from the course: no second grant.
      expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${BUYER}/roles/${ROLE}`)).toHaveLength(1);
    });
  });
});

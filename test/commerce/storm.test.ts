import { webApi } from "@slack/bolt";
import { REST } from "discord.js";
import type Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isActive } from "../../src/commerce/entitlement-service.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { describeLoad, loadRuns } from "../support/load.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const COURSE_ROLE = "500000000000000011";
const TIER_ROLE = "500000000000000012";
const COURSE_CHANNEL = "C0COURSE";
const TIER_CHANNEL = "C0TIER";

/** A small seeded generator, so a failing storm can be replayed exactly. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const discordId = (i: number) => `6000000000000${String(i).padStart(5, "0")}`;
const slackId = (i: number) => `U0STORM${i}`;

// 300 buyers (2,000+ events) in the load project on PostgreSQL; 30 buyers prove the logic elsewhere.
describeLoad.each(loadRuns({ small: 30, full: 300 }))("a webhook storm from $size buyers on $kind", ({ kind: backend, size: MEMBERS }) => {
  let db: TestDatabase;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  const rand = random(20261123);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    discord = await startFakeDiscord({
      guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [{ id: COURSE_ROLE, name: "Course" }, { id: TIER_ROLE, name: "Pro" }], members: Array.from({ length: MEMBERS }, (_, i) => ({ user: { id: discordId(i), username: `m${i}` }, roles: [] })) }],
    });
    slack = await startFakeSlack({
      teamId: "TACME01",
      users: Array.from({ length: MEMBERS }, (_, i) => ({ id: slackId(i), name: `m${i}` })),
      channels: [COURSE_CHANNEL, TIER_CHANNEL].map((id) => ({ id, private: true })),
    });
    const log = quietLogger();
    c = await startCommerce(db.prisma, {
      community: {
        slug: "acme",
        name: "Acme",
        timezone: "UTC",
        commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS,
        discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
        slack: { teamId: "TACME01", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
      },
      gateways: {
        discord: new DiscordAccessGateway(new REST({ api: discord.apiUrl, retries: 0, globalRequestsPerSecond: 10_000 }).setToken("fake.token"), log),
        slack: new SlackAccessGateway(new webApi.WebClient("xoxb-fake", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }), log, { minIntervalMs: 0 }),
      },
    });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
    await discord?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("every buyer's events (2,000+ for 300 buyers), 30% duplicated, shuffled, 10% lost: after one reconciliation everything equals Stripe, with no double grant", { timeout: 600_000 }, async () => {
    const fake = c.stripeFake;
    const coursePrice = fake.createPrice({ product: fake.createProduct({ name: "Course" }).id, unit_amount: 4900, currency: "eur" }).id;
    const tierPrice = fake.createPrice({ product: fake.createProduct({ name: "Pro" }).id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    const admin = { creator: true, subcommand: "add", id: "400000000000000999", name: "Admin" } as const;
    await c.run("catalog", { name: "course", title: "Course", price: coursePrice, discord_roles: COURSE_ROLE, slack_channels: COURSE_CHANNEL }, admin);
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice, discord_roles: TIER_ROLE, slack_channels: TIER_CHANNEL }, admin);

    // Every member buys something; every third also has a linked Slack account.
    const events: Stripe.Event[] = [];
    const identity = c.runtime.services.identity;
    for (let i = 0; i < MEMBERS; i++) {
      const item = rand() < 0.5 ? "course" : "pro";
      const session = await c.buy(item, { id: discordId(i), name: `m${i}` });
      const completed = fake.completeCheckout(session) as Stripe.Event[];
      events.push(...completed);
      if (i % 3 === 0) {
        const community = await identity.communityFor("discord", { id: GUILD, name: "Acme" });
        const member = await identity.memberFor(community.id, "discord", { id: discordId(i), displayName: `m${i}` });
        const onSlack = await identity.memberFor((await identity.communityFor("slack", { id: "TACME01", name: "acme" })).id, "slack", { id: slackId(i), displayName: `m${i}` });
        const { code } = await identity.createLinkCode(community.id, member.member.id, "discord", new Date());
        await identity.redeemLinkCode({ code, communityId: community.id, platform: "slack", accountId: onSlack.account.id, now: new Date() });
      }
      const fate = rand();
      if (item === "course" && fate < 0.2) {
        const charge = completed.find((e) => e.type === "charge.succeeded")!.data.object as Stripe.Charge;
        events.push(...(fake.refundCharge(charge.id) as Stripe.Event[]));
      } else if (item === "pro" && fate < 0.2) {
        const sub = completed.find((e) => e.type === "customer.subscription.created")!.data.object as Stripe.Subscription;
        events.push(...(fake.cancelSubscriptionAtPeriodEnd(sub.id) as Stripe.Event[]));
      } else if (item === "pro" && fate < 0.3) {
        const sub = completed.find((e) => e.type === "customer.subscription.created")!.data.object as Stripe.Subscription;
        events.push(...(fake.failSubscriptionPayment(sub.id) as Stripe.Event[]));
      }
    }
    expect(events.length).toBeGreaterThanOrEqual((MEMBERS * 2000) / 300);

    // 10% never arrive; 30% arrive twice; order shuffled; 50 deliveries in flight.
    const delivered = events.filter(() => rand() >= 0.1);
    const storm = [...delivered, ...delivered.filter(() => rand() < 0.3)];
    for (let i = storm.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [storm[i], storm[j]] = [storm[j]!, storm[i]!];
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < storm.length) {
          const event = storm[next++]!;
          const response = await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
          expect(response.status).toBe(200);
        }
      }),
    );
    await c.settled();
    const reconciler = c.reconciler();
    const report = await reconciler.run();
    expect(report.repairs.length).toBeGreaterThan(0);

    // What Stripe says each member should have.
    const now = new Date();
    const expected = new Map<string, Set<string>>(); // member id -> item names
    const sessions = await db.prisma.checkoutSession.findMany();
    const items = new Map((await db.prisma.catalogItem.findMany()).map((i) => [i.id, i.name]));
    for (const s of sessions) {
      const remote = await c.stripe.checkout.sessions.retrieve(s.id);
      if (remote.payment_status !== "paid") continue;
      let active = true;
      if (remote.mode === "payment") {
        const pi = await c.stripe.paymentIntents.retrieve(remote.payment_intent as string);
        const charge = await c.stripe.charges.retrieve(pi.latest_charge as string);
        active = charge.amount_refunded < charge.amount;
      } else {
        const sub = await c.stripe.subscriptions.retrieve(remote.subscription as string);
        active = ["active", "trialing", "past_due"].includes(sub.status);
      }
      if (!active) continue;
      const set = expected.get(s.memberId) ?? new Set<string>();
      set.add(items.get(s.itemId)!);
      expected.set(s.memberId, set);
    }

    // The database agrees, with exactly one entitlement per purchase or subscription.
    const entitlements = await db.prisma.entitlement.findMany();
    const bySource = new Map<string, number>();
    for (const e of entitlements) bySource.set(`${e.source}:${e.sourceRef}`, (bySource.get(`${e.source}:${e.sourceRef}`) ?? 0) + 1);
    expect([...bySource.values()].every((n) => n === 1)).toBe(true);
    const accounts = await db.prisma.platformAccount.findMany();
    for (const account of accounts.filter((a) => a.platform === "discord" && a.externalId.startsWith("6000"))) {
      const want = expected.get(account.memberId) ?? new Set<string>();
      const have = new Set(entitlements.filter((e) => e.memberId === account.memberId && isActive(e, now)).map((e) => items.get(e.itemId)!));
      expect([...have].sort(), `entitlements of ${account.externalId}`).toEqual([...want].sort());

      // Discord roles recorded by the fake agree too.
      const roles = new Set(discord.state.member(GUILD, account.externalId)?.roles ?? []);
      expect(roles.has(COURSE_ROLE), `course role of ${account.externalId}`).toBe(want.has("course"));
      expect(roles.has(TIER_ROLE), `tier role of ${account.externalId}`).toBe(want.has("pro"));
    }

    // Slack channel membership, as the fake holds it, agrees for linked members.
    for (const account of accounts.filter((a) => a.platform === "slack" && a.externalId.startsWith("U0STORM"))) {
      const want = expected.get(account.memberId) ?? new Set<string>();
      const inChannel = (channel: string) => slack.channels.get(channel)?.members.has(account.externalId) ?? false;
      expect(inChannel(COURSE_CHANNEL), `course channel of ${account.externalId}`).toBe(want.has("course"));
      expect(inChannel(TIER_CHANNEL), `tier channel of ${account.externalId}`).toBe(want.has("pro"));
    }

    // No double grants: Discord never got a role added that the member already had.
    const held = new Map<string, boolean>();
    for (const call of discord.calls) {
      const m = /^\/guilds\/\d+\/members\/(\d+)\/roles\/(\d+)$/.exec(call.path);
      if (!m) continue;
      const key = `${m[1]}:${m[2]}`;
      if (call.method === "PUT") {
        expect(held.get(key), `double grant of ${key}`).not.toBe(true);
        held.set(key, true);
      } else if (call.method === "DELETE") held.set(key, false);
    }
  });
});

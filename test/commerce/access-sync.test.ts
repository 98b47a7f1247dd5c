import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { REST } from "discord.js";
import { accessExpiryJob } from "../../src/commerce/jobs.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { DiscordDirectMessenger } from "../../src/platform/discord/direct-messenger.js";
import { SlackDirectMessenger } from "../../src/platform/slack/direct-messenger.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { deliverWebhook, type FakeStripe } from "../fakes/stripe/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD, startDiscordAdapter } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const RUST_ROLE = "500000000000000001";
const UNMANAGED_ROLE = "500000000000000099";
const PRO_ROLE = "500000000000000002";
const ADA = { id: "400000000000000001", username: "ada" };

describe("access follows purchases on both platforms", () => {
  let offsetMs = 0; // moves the bot's clock forward for the expiry test
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  let db: TestDatabase;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let stripeFake: FakeStripe;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
    discord = await startFakeDiscord({
      guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [{ id: RUST_ROLE, name: "Rustaceans" }, { id: PRO_ROLE, name: "Pro" }, { id: UNMANAGED_ROLE, name: "Moderators" }], members: [{ user: ADA, roles: [UNMANAGED_ROLE] }] }],
    });
    slack = await startFakeSlack({ teamId: "TACME01", users: [{ id: "U0ADA", name: "ada" }], channels: [{ id: "C0RUST", private: true }] });
    const log = quietLogger();
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token");
    const web = new webApi.WebClient("xoxb-fake", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    c = await startCommerce(db.prisma, {
      community: {
        slug: "acme",
        name: "Acme Academy",
        timezone: "UTC",
        commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS,
        discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
        slack: { teamId: "TACME01", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
      },
      gateways: { discord: new DiscordAccessGateway(rest, log), slack: new SlackAccessGateway(web, log, { minIntervalMs: 0 }) },
      messengers: { discord: new DiscordDirectMessenger(rest, log), slack: new SlackDirectMessenger(web, log) },
      clock,
    });
    stripeFake = c.stripeFake;
    const product = stripeFake.createProduct({ name: "Async Rust" });
    const price = stripeFake.createPrice({ product: product.id, unit_amount: 4900, currency: "eur" }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price, discord_roles: RUST_ROLE, slack_channels: "C0RUST" }, { creator: true, subcommand: "add", id: "400000000000000002", name: "Grace" });
    const tier = stripeFake.createProduct({ name: "Pro" });
    const tierPrice = stripeFake.createPrice({ product: tier.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "pro", title: "Pro", price: tierPrice, discord_roles: PRO_ROLE }, { creator: true, subcommand: "add", id: "400000000000000002", name: "Grace" });
  });
  afterAll(async () => {
    await c?.close();
    await discord?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("a purchase on Discord gives the Discord role and, once accounts are linked, the Slack channel", async () => {
    await c.run("whoami", {}, { platform: "slack", id: "U0ADA", name: "ada" });
    const code = /\*\*([A-Z2-9]{8})\*\*/.exec((await c.run("link", {}, { id: ADA.id, name: "Ada" })).text ?? "")![1]!;
    expect((await c.run("link", { code }, { platform: "slack", id: "U0ADA", name: "ada" })).text).toContain("Linked");

    const session = await c.buy("async-rust", { id: ADA.id, name: "Ada" });
    for (const event of stripeFake.completeCheckout(session)) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    await c.settled();

    expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(1);
    const invite = slack.callsTo("conversations.invite");
    expect(invite).toHaveLength(1);
    expect(invite[0]!.args).toMatchObject({ channel: "C0RUST", users: "U0ADA" });
    expect(slack.channels.get("C0RUST")?.members.has("U0ADA")).toBe(true);
  });

  it("a refund removes exactly what Guildhall manages, and never a role it does not", async () => {
    const charge = stripeFake.events.find((e) => e.type === "charge.succeeded")!.data.object.id as string;
    for (const event of stripeFake.refundCharge(charge)) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    await c.settled();
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(1);
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${UNMANAGED_ROLE}`)).toHaveLength(0);
    expect(slack.callsTo("conversations.kick")[0]?.args).toMatchObject({ channel: "C0RUST", user: "U0ADA" });
    expect(slack.channels.get("C0RUST")?.members.has("U0ADA")).toBe(false);
  });

  it("a manual grant by a creator is its own source and syncs at once", async () => {
    const granted = await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" }, item: "async-rust", days: 30 }, { creator: true, subcommand: "grant", id: "400000000000000002", name: "Grace" });
    expect(granted.text).toBe("Ada now has **Async Rust** for 30 days.");
    expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(2);
    const shown = await c.run("access", {}, { id: ADA.id, name: "Ada", subcommand: "show" });
    expect(shown.text).toMatch(/^\*\*Async Rust\*\*: manual until \d{4}-\d{2}-\d{2}$/);
    const revoked = await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" }, item: "async-rust" }, { creator: true, subcommand: "revoke", id: "400000000000000002", name: "Grace" });
    expect(revoked.text).toBe("Ended 1 manual grant(s) of **Async Rust**.");
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(2);
  });

  it("access granted for some days is taken away by the expiry job once they have passed", async () => {
    await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" }, item: "async-rust", days: 1 }, { creator: true, subcommand: "grant", id: "400000000000000002", name: "Grace" });
    const puts = discord.callsTo("PUT", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`).length;
    const deletes = discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`).length;
    expect(puts).toBe(3);
    const job = accessExpiryJob(db.prisma, c.runtime.services.accessSync, clock);
    await job.run(clock.now());
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(deletes);
    offsetMs = 2 * 86_400_000;
    await job.run(clock.now());
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${RUST_ROLE}`)).toHaveLength(deletes + 1);
  });

  it("someone granted access before joining the server gets it when they join", async () => {
    const zed = { id: "400000000000000042", username: "zed" };
    const adapter = await startDiscordAdapter({
      fake: discord,
      db: db.prisma,
      commands: [],
      log: quietLogger(),
      onMemberJoined: (guildId, userId) => c.runtime.services.accessSync.syncAccount("discord", guildId, userId),
    });
    try {
      const granted = await c.run("access", { member: { platform: "discord", id: zed.id, displayName: "Zed" }, item: "async-rust" }, { creator: true, subcommand: "grant", id: "400000000000000002", name: "Grace" });
      expect(granted.text).toBe("Zed now has **Async Rust**.");
      expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${zed.id}/roles/${RUST_ROLE}`)).toHaveLength(0); // not in the server yet
      discord.state.upsertMember(GUILD, zed, []);
      discord.dispatch("GUILD_MEMBER_ADD", { guild_id: GUILD, user: { ...zed, discriminator: "0", global_name: null, avatar: null }, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 });
      await discord.waitForCall((call) => call.method === "PUT" && call.path === `/guilds/${GUILD}/members/${zed.id}/roles/${RUST_ROLE}`);
    } finally {
      await adapter.stop();
    }
  });

  it("a failed renewal keeps access for the grace period and tells the member once, with the portal link", async () => {
    const session = await c.buy("pro", { id: ADA.id, name: "Ada" });
    const created = stripeFake.completeCheckout(session);
    for (const event of created) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    await c.settled();
    expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${ADA.id}/roles/${PRO_ROLE}`)).toHaveLength(1);
    const subscription = created.find((e) => e.type === "customer.subscription.created")!.data.object.id as string;
    const failed = stripeFake.failSubscriptionPayment(subscription);
    const dueAt = stripeFake.now() * 1000; // the fake's clock moved to the renewal
    for (const event of [...failed, ...failed]) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    await c.settled();
    const [membership] = await db.prisma.entitlement.findMany({ where: { source: "subscription", sourceRef: subscription } });
    expect(membership?.reason).toBe("past_due");
    expect(membership!.endsAt!.getTime() - dueAt).toBe(7 * 86_400_000); // README: graceDays from the renewal
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${PRO_ROLE}`)).toHaveLength(0);
    // Ada's Slack account is her oldest, so the notice goes there; once, though Stripe said it twice.
    const onDiscord = discord.calls.filter((call) => call.method === "POST" && String(call.body?.content ?? "").includes("payment did not go through"));
    const onSlack = slack.callsTo("chat.postMessage").filter((call) => String(call.args.text).includes("payment did not go through"));
    expect(onDiscord.length + onSlack.length).toBe(1);
    const actions = (onSlack[0]?.args.blocks as { type: string; elements?: { text: { text: string }; url?: string }[] }[]).find((b) => b.type === "actions");
    expect(actions?.elements?.[0]).toMatchObject({ text: { text: "Update payment method" } });
    expect(actions?.elements?.[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/portal\//);
  });

  it("a member may not look at another member's access", async () => {
    const reply = await c.run("access", { member: { platform: "discord", id: "400000000000000002", displayName: "Grace" } }, { id: ADA.id, name: "Ada", subcommand: "show" });
    expect(reply.text).toBe("Only creators can look at another member's access.");
  });
});

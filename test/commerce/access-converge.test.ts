// Refused access changes converge once their cause is fixed, with one notice before and one
// after. Discord's role order and Manage Roles are enforced by the fake as Discord does; the
// bot hears of the fix through the gateway events and Socket Mode events a real admin's
// change produces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { REST } from "discord.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { AdminLog } from "../../src/core/platform-services.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { DiscordAdminLog } from "../../src/platform/discord/admin-log.js";
import type { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { SlackAdminLog } from "../../src/platform/slack/admin-log.js";
import { accessSignalOf, SlackAdapter } from "../../src/platform/slack/slack-adapter.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { FAKE_IDS, type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD, connectDiscordAdapter } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const TEAM = "TACME01";
const OWNER = "400000000000000009";
const ADA = { id: "400000000000000001", username: "ada" };
const GRACE = { id: "400000000000000002", name: "Grace" };
const LOG_CHANNEL = "200000000000000099";
const SLACK_LOG = "G0ADMINLOG";
/** Discord's Manage Roles permission bit. */
const MANAGE_ROLES = String(1n << 28n);
// Role order, bottom to top: the bot's own role sits below the paid role, as in the report.
const BOT_ROLE = { id: "500000000000000010", name: "Guildhall", position: 1, permissions: MANAGE_ROLES };
const PASS_ROLE = { id: "500000000000000011", name: "Pass Holder", position: 2 };
const MODS = { id: "500000000000000012", name: "Moderators", position: 3 };

describe.each(backends())("refused access converges once the cause is fixed, on %s", (backend) => {
  const offset = { ms: 0 };
  const clock = { now: () => new Date(Date.now() + offset.ms) };
  let db: TestDatabase;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let discordAdapter: DiscordAdapter;
  let slackAdapter: SlackAdapter;

  const discordNotices = () => discord.callsTo("POST", `/channels/${LOG_CHANNEL}/messages`).map((call) => String(call.body.content));
  const slackNotices = () => slack.callsTo("chat.postMessage").filter((call) => call.args.channel === SLACK_LOG).map((call) => String(call.args.text));
  const grant = (platform: "discord" | "slack", id: string, name: string, item: string) =>
    c.run("access", { member: { platform, id, displayName: name }, item }, { creator: true, subcommand: "grant", platform, ...(platform === "slack" ? { id: "U0GRACE", name: "grace" } : GRACE) });
  const revoke = (platform: "discord" | "slack", id: string, name: string, item: string) =>
    c.run("access", { member: { platform, id, displayName: name }, item }, { creator: true, subcommand: "revoke", platform, ...(platform === "slack" ? { id: "U0GRACE", name: "grace" } : GRACE) });

  beforeAll(async () => {
    db = await freshDatabase(backend);
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: "Acme",
          ownerId: OWNER,
          channels: [{ id: GENERAL, name: "general" }, { id: LOG_CHANNEL, name: "guildhall-admin" }],
          roles: [BOT_ROLE, PASS_ROLE, MODS],
          members: [{ user: { id: OWNER, username: "owner" } }, { user: ADA, roles: [MODS.id] }],
        },
      ],
    });
    discord.state.member(GUILD, discord.botUser.id)!.roles = [BOT_ROLE.id];
    slack = await startFakeSlack({
      teamId: TEAM,
      users: [{ id: "U0ADA", name: "ada" }, { id: "U0GRACE", name: "grace", is_admin: true }],
      channels: [{ id: "G0PASS", name: "pass-lounge", private: true, botIsMember: false }, { id: SLACK_LOG, private: true }],
    });
    const log = quietLogger();
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token");
    const web = new webApi.WebClient("xoxb-fake", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const discordLog = new DiscordAdminLog(rest, new Map([[GUILD, LOG_CHANNEL]]), log);
    const slackLog = new SlackAdminLog(web, new Map([[TEAM, SLACK_LOG]]), log);
    const adminLog: AdminLog = { report: (platform, space, message) => (platform === "discord" ? discordLog : slackLog).report(platform, space, message) };
    c = await startCommerce(db.prisma, {
      community: {
        slug: "acme",
        name: "Acme Academy",
        timezone: "UTC",
        commerce: DEFAULT_COMMERCE,
        ...DEFAULT_SETTINGS,
        discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
        slack: { teamId: TEAM, creatorUserIds: ["U0GRACE"], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
      },
      gateways: { discord: new DiscordAccessGateway(rest, log), slack: new SlackAccessGateway(web, log, { minIntervalMs: 0 }) },
      adminLog,
      clock,
    });
    const product = c.stripeFake.createProduct({ name: "Guild Pass" });
    const price = c.stripeFake.createPrice({ product: product.id, unit_amount: 2900, currency: "eur" }).id;
    await c.run("catalog", { name: "guild-pass", title: "Guild Pass", price, discord_roles: PASS_ROLE.id, slack_channels: "G0PASS" }, { creator: true, subcommand: "add", ...GRACE });
    // The adapters wired as src/app.ts wires them: platform events become access signals.
    discordAdapter = await connectDiscordAdapter(discord, c.runtime, log, {
      onAccessSignal: (guildId) => c.runtime.onAccessSignal({ platform: "discord", spaceId: guildId, kind: "roles-changed" }),
    });
    slackAdapter = new SlackAdapter({
      config: { botToken: "xoxb-fake", mode: "socket", appToken: "xapp-fake", apiUrl: slack.apiUrl },
      dispatcher: c.runtime.dispatcher,
      registry: c.runtime.registry,
      log,
      http: undefined,
      onChannelEvent: (e) => c.runtime.onAccessSignal(accessSignalOf(e)),
    });
    await slackAdapter.start();
    await slack.socket.waitForConnection();
  });
  afterAll(async () => {
    await discordAdapter?.stop();
    await slackAdapter?.stop();
    await c?.close();
    await discord?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("Discord: a grant refused for role order is retried when the admin moves the bot's role, with one notice before and one after", async () => {
    const session = await c.buy("guild-pass", { id: ADA.id, name: "Ada" });
    // Every webhook of the purchase re-syncs Ada: the refusal is met several times.
    for (const event of c.stripeFake.completeCheckout(session)) await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET);
    await c.settled();
    expect(discord.state.member(GUILD, ADA.id)?.roles).toEqual([MODS.id]);
    expect(discord.callsTo("PUT", `/guilds/${GUILD}/members/${ADA.id}/roles/${PASS_ROLE.id}`).length).toBeGreaterThanOrEqual(1);
    expect(discordNotices()).toEqual([
      "Could not give Ada the Pass Holder role: Missing Permissions: Guildhall's highest role is not above Pass Holder. Fix: Move Guildhall's role (Guildhall) above Pass Holder in Server Settings → Roles. Guildhall retries by itself once it is fixed.",
    ]);

    const fixedAt = Date.now();
    discord.editRole(GUILD, BOT_ROLE.id, { position: 4 });
    await expect.poll(() => discord.state.member(GUILD, ADA.id)?.roles.includes(PASS_ROLE.id), { timeout: 5000, interval: 50 }).toBe(true);
    expect(Date.now() - fixedAt).toBeLessThan(5000);
    await expect.poll(() => discordNotices().length, { timeout: 5000, interval: 50 }).toBe(2);
    expect(discordNotices()[1]).toBe("Guild Pass granted to Ada; fixed.");
    // The unmanaged role was never touched.
    expect(discord.callsTo("DELETE", `/guilds/${GUILD}/members/${ADA.id}/roles/${MODS.id}`)).toHaveLength(0);
    expect(discord.state.member(GUILD, ADA.id)?.roles).toContain(MODS.id);
  });

  it("Discord: a grant refused for a missing permission is retried with backoff by the job when no event comes", async () => {
    const bea = { id: "400000000000000003", username: "bea" };
    discord.state.upsertMember(GUILD, bea, []);
    // The admin takes Manage Roles away from the bot's role, silently (no event reaches the bot).
    discord.state.guild(GUILD)!.roles.find((r) => r.id === BOT_ROLE.id)!.permissions = "0";
    const before = discordNotices().length;
    await grant("discord", bea.id, "Bea", "guild-pass");
    await grant("discord", bea.id, "Bea", "guild-pass");
    expect(discordNotices().slice(before)).toEqual([
      "Could not give Bea the Pass Holder role: Missing Permissions. Fix: Give Guildhall's role (Guildhall) the Manage Roles permission in Server Settings → Roles. Guildhall retries by itself once it is fixed.",
    ]);
    discord.state.guild(GUILD)!.roles.find((r) => r.id === BOT_ROLE.id)!.permissions = MANAGE_ROLES;
    // Not due yet: the second refusal set the next try two minutes out.
    await c.runtime.services.accessSync.retryDue();
    expect(discord.state.member(GUILD, bea.id)?.roles).toEqual([]);
    offset.ms = 3 * 60_000;
    try {
      await c.runtime.services.accessSync.retryDue();
    } finally {
      offset.ms = 0;
    }
    expect(discord.state.member(GUILD, bea.id)?.roles).toEqual([PASS_ROLE.id]);
    expect(discordNotices().slice(before + 1)).toEqual(["Guild Pass granted to Bea; fixed."]);
    const open = await db.prisma.accessProblem.findMany({ where: { resolvedAt: null } });
    expect(open).toEqual([]);
  });

  it("Slack: an invite refused because the bot is outside the private channel goes through once the admin invites the bot", async () => {
    await grant("slack", "U0ADA", "ada", "guild-pass");
    expect(slack.channels.get("G0PASS")?.members.has("U0ADA")).toBe(false);
    expect(slackNotices()).toEqual([expect.stringMatching(/^Could not give ada <#G0PASS>: Guildhall cannot see the channel \(channel_not_found\)\. Fix: .*invite @Guildhall to it/)]);
    await grant("slack", "U0ADA", "ada", "guild-pass");
    expect(slackNotices()).toHaveLength(1);

    await slack.joinChannel("G0PASS", FAKE_IDS.botUserId, "U0GRACE");
    await expect.poll(() => slack.channels.get("G0PASS")?.members.has("U0ADA"), { timeout: 5000, interval: 50 }).toBe(true);
    await expect.poll(() => slackNotices().length, { timeout: 5000, interval: 50 }).toBe(2);
    expect(slackNotices()[1]).toBe("Guild Pass granted to ada; fixed.");
  });

  it("Slack: access ended while the bot is out of the channel is reported, not taken for done, and repaired once the bot is back", async () => {
    await slack.leaveChannel("G0PASS", FAKE_IDS.botUserId);
    const kicks = slack.callsTo("conversations.kick").length;
    await revoke("slack", "U0ADA", "ada", "guild-pass");
    await revoke("slack", "U0ADA", "ada", "guild-pass").catch(() => undefined); // nothing left to revoke: a friendly error, no second notice
    expect(slack.channels.get("G0PASS")?.members.has("U0ADA")).toBe(true);
    expect(slackNotices().slice(2)).toEqual([expect.stringMatching(/^Could not remove <#G0PASS> from ada: Guildhall cannot see the channel/)]);

    await slack.joinChannel("G0PASS", FAKE_IDS.botUserId, "U0GRACE");
    await expect.poll(() => slack.channels.get("G0PASS")?.members.has("U0ADA"), { timeout: 5000, interval: 50 }).toBe(false);
    await expect.poll(() => slackNotices().length, { timeout: 5000, interval: 50 }).toBe(4);
    expect(slackNotices()[3]).toBe("<#G0PASS> removed from ada; fixed.");
    expect(slack.callsTo("conversations.kick").length - kicks).toBe(2); // the refused one, and the one after the fix
  });
});

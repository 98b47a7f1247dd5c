// The drift check against the fakes: what members hold compared with what they are owed, for
// managed roles and channels only. Expected differences are written out from the rule
// (owed = what an active grant gives; managed = what some catalog item grants).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { REST } from "discord.js";
import { AccessDrift, describeDrift } from "../../src/commerce/access-drift.js";
import { type CommunityConfig } from "../../src/config/communities.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { AccessGateways, AdminLog } from "../../src/core/platform-services.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { FAKE_IDS, type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { startCommerce } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const TEAM = "TACME01";
const PASS = { id: "500000000000000011", name: "Pass Holder" };
const MODS = { id: "500000000000000012", name: "Moderators" };
const ADA = { id: "400000000000000001", username: "ada" };
const ZED = { id: "400000000000000002", username: "zed" }; // holds the paid role, never paid
const BO = { id: "400000000000000003", username: "bo" }; // holds only an unmanaged role
const GRACE = { id: "400000000000000004", name: "Grace" };
/** More members than one page of Discord's member list holds. */
const FILLERS = 1003;

describe.each(backends())("drift check, on %s", (backend) => {
  let db: TestDatabase;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let community: CommunityConfig;
  let gateways: AccessGateways;
  const notices: string[] = [];
  const adminLog: AdminLog = { report: async (_platform, _space, message) => void notices.push(message) };
  const roleChanges = () => discord.calls.filter((call) => (call.method === "PUT" || call.method === "DELETE") && call.path.includes("/roles/"));
  const communityId = async () => (await db.prisma.community.findFirstOrThrow({ where: { slug: "acme" } })).id;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    const fillers = Array.from({ length: FILLERS }, (_, i) => ({ user: { id: String(410000000000000000n + BigInt(i)), username: `f${i}` } }));
    discord = await startFakeDiscord({
      guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [PASS, MODS], members: [{ user: ADA, roles: [MODS.id] }, { user: ZED, roles: [PASS.id] }, { user: BO, roles: [MODS.id] }, ...fillers] }],
    });
    slack = await startFakeSlack({
      teamId: TEAM,
      users: [{ id: "U0SAM", name: "sam" }, { id: "U0ZOE", name: "zoe" }, { id: "U0GRACE", name: "grace" }],
      channels: [{ id: "G0PASS", name: "pass-lounge", private: true }, { id: "G0CHAT", name: "chat", private: true, members: ["U0ZOE"] }],
    });
    const log = quietLogger();
    gateways = {
      discord: new DiscordAccessGateway(new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token"), log),
      slack: new SlackAccessGateway(new webApi.WebClient("xoxb-fake", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }), log, { minIntervalMs: 0 }),
    };
    community = {
      slug: "acme",
      name: "Acme Academy",
      timezone: "UTC",
      commerce: DEFAULT_COMMERCE,
      ...DEFAULT_SETTINGS,
      discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
      slack: { teamId: TEAM, creatorUserIds: ["U0GRACE"], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
    };
    c = await startCommerce(db.prisma, { community, gateways, adminLog });
    const product = c.stripeFake.createProduct({ name: "Guild Pass" });
    const price = c.stripeFake.createPrice({ product: product.id, unit_amount: 2900, currency: "eur" }).id;
    await c.run("catalog", { name: "guild-pass", title: "Guild Pass", price, discord_roles: PASS.id, slack_channels: "G0PASS" }, { creator: true, subcommand: "add", ...GRACE });
    // Ada and Sam are owed the pass; Slack's space is known once someone used Guildhall there.
    await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" }, item: "guild-pass" }, { creator: true, subcommand: "grant", ...GRACE });
    await c.run("access", { member: { platform: "slack", id: "U0SAM", displayName: "sam" }, item: "guild-pass" }, { creator: true, subcommand: "grant", platform: "slack", id: "U0GRACE", name: "grace" });
    expect(discord.state.member(GUILD, ADA.id)?.roles.sort()).toEqual([PASS.id, MODS.id].sort());
    expect(slack.channels.get("G0PASS")?.members.has("U0SAM")).toBe(true);
  });
  afterAll(async () => {
    await c?.close();
    await discord?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("a dry run lists both directions on both platforms and changes nothing", async () => {
    discord.setMemberRoles(GUILD, ADA.id, [MODS.id]); // an admin takes the paid role away by hand
    slack.channels.get("G0PASS")!.members.delete("U0SAM");
    slack.channels.get("G0PASS")!.members.add("U0ZOE");
    const changesBefore = roleChanges().length;
    const report = await c.runtime.services.accessDrift.check(await communityId(), { dryRun: true });
    const seen = report.entries.map((e) => `${e.platform} ${e.userId} ${e.kind} ${e.targetName} ${e.outcome}`).sort();
    expect(seen).toEqual(
      [
        `discord ${ADA.id} missing Pass Holder left`,
        `discord ${ZED.id} extra Pass Holder left`,
        "slack U0SAM missing #pass-lounge left",
        "slack U0ZOE extra #pass-lounge left",
      ].sort(),
    );
    // Discord: two pages of members (1000 + the rest) and the role names; Slack: one page and the channel's name.
    expect(discord.callsTo("GET", `/guilds/${GUILD}/members`).filter((call) => call.path === `/guilds/${GUILD}/members`).map((call) => call.query.limit)).toEqual(["1000", "1000"]);
    // Discord: /users/@me once, two member pages, the roles; Slack: auth.test, one member page, the channel's info.
    expect(report.calls).toBe(4 + 3);
    expect(roleChanges()).toHaveLength(changesBefore);
    expect(slack.callsTo("conversations.invite").length + slack.callsTo("conversations.kick").length).toBe(1); // Sam's grant in beforeAll only
    expect(notices).toEqual([]);
  });

  it("a creator sees one member's drift in /access show and repairs it with /access sync", async () => {
    const shown = await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" } }, { creator: true, subcommand: "show", ...GRACE });
    const drift = shown.fields?.find((f) => f.name === "Drift")?.value ?? "";
    expect(drift).toContain("Ada is owed Pass Holder role but did not hold it");
    expect(drift).not.toContain("zed");
    const synced = await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" } }, { creator: true, subcommand: "sync", ...GRACE });
    expect(synced.text).toContain("Ada is owed Pass Holder role but did not hold it (removed by hand?): given back.");
    expect(discord.state.member(GUILD, ADA.id)?.roles.sort()).toEqual([PASS.id, MODS.id].sort());
    expect(discord.state.member(GUILD, ZED.id)?.roles).toEqual([PASS.id]); // one member's sync touches no one else
    expect(notices).toHaveLength(1);
    notices.length = 0;
  });

  it("with removal turned off, someone holding a managed role they are not owed is only reported", async () => {
    const reportOnly = new AccessDrift(db.prisma, c.runtime.services.entitlements, gateways, adminLog, [{ ...community, commerce: { ...DEFAULT_COMMERCE, driftCheck: { everyHours: 6, removeUnowed: false } } }], { now: () => new Date() }, quietLogger());
    // A dry run says what a real run would do: leave it, not remove it.
    const dry = describeDrift(await reportOnly.check(await communityId(), { dryRun: true }));
    expect(dry).toContain("holds Pass Holder role but is owed nothing for it: left in place (removal is off for this community)");
    expect(dry).not.toContain("would be removed");
    const report = await reportOnly.check(await communityId(), { report: true });
    // Paid access removed by hand is always given back; only removal is off.
    expect(report.entries.map((e) => `${e.userId} ${e.kind} ${e.outcome}`).sort()).toEqual([`${ZED.id} extra left`, "U0SAM missing repaired", "U0ZOE extra left"].sort());
    expect(slack.channels.get("G0PASS")!.members.has("U0SAM")).toBe(true);
    expect(discord.state.member(GUILD, ZED.id)?.roles).toEqual([PASS.id]);
    expect(notices.join("\n")).toContain("holds Pass Holder role but is owed nothing for it: left in place (removal is off for this community)");
    notices.length = 0;
  });

  it("the scheduled check gives paid access back, removes unpaid managed access, reports it, and never touches what Guildhall does not manage", async () => {
    const report = await c.runtime.services.accessDrift.check(await communityId(), { report: true });
    const seen = report.entries.map((e) => `${e.platform} ${e.userId} ${e.kind} ${e.outcome}`).sort();
    expect(seen).toEqual([`discord ${ZED.id} extra repaired`, "slack U0ZOE extra repaired"].sort());
    expect(discord.state.member(GUILD, ZED.id)?.roles).toEqual([]);
    expect(discord.state.member(GUILD, BO.id)?.roles).toEqual([MODS.id]);
    expect(discord.state.member(GUILD, ADA.id)?.roles).toContain(MODS.id);
    expect([...slack.channels.get("G0PASS")!.members].sort()).toEqual([FAKE_IDS.botUserId, "U0SAM"].sort());
    expect(slack.channels.get("G0CHAT")!.members.has("U0ZOE")).toBe(true);
    expect(roleChanges().filter((call) => call.path.endsWith(MODS.id))).toEqual([]);
    expect(slack.calls.filter((call) => call.args.channel === "G0CHAT")).toEqual([]);
    expect(notices).toHaveLength(2); // one summary per platform
    expect(notices.join("\n")).toMatch(/Drift check: 1 difference\(s\), \d+ platform calls\.\n• <@400000000000000002> holds Pass Holder role but is owed nothing for it: removed\./);
    // Converged: a second run finds nothing.
    const again = await c.runtime.services.accessDrift.check(await communityId(), { report: true });
    expect(again.entries).toEqual([]);
    expect(notices).toHaveLength(2);
  });
});

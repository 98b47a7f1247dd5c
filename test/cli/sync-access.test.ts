// `npx guildhall sync-access [--dry-run]` end to end, in process (run() from src/cli.ts), on
// a database a running bot left behind and against the fake Discord: the dry run prints
// the differences and changes nothing; the real run repairs them, reports them to the admin
// log, and leaves roles Guildhall does not manage alone.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli.js";
import { loadCommunities } from "../../src/config/communities.js";
import { settingsSections } from "../../src/capabilities.js";
import { openDatabase } from "../../src/db/database.js";
import { resolveDatabaseTarget } from "../../src/db/target.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { tokenKey } from "../../src/platform/shared-pacing.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { startCommerce } from "../commerce/support.js";
import { postgresTemplate } from "../support/database-snapshots.js";
import { backends, createPostgresDatabase, dropPostgresDatabase, migratedDataDir } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const OWNER = "400000000000000009";
const ADA = { id: "400000000000000001", username: "ada" };
const BO = { id: "400000000000000002", username: "bo" };
const LOG_CHANNEL = "200000000000000099";
const PASS = { id: "500000000000000011", name: "Pass Holder", position: 1 };
const MODS = { id: "500000000000000012", name: "Moderators", position: 2 };

describe.each(backends())("npx guildhall sync-access, on %s", (backend) => {
  let discord: FakeDiscord;
  let env: Record<string, string>;
  let postgresUrl: string | undefined;

  const roles = (id: string) => [...(discord.state.member(GUILD, id)?.roles ?? [])].sort();
  const roleChanges = () => discord.calls.filter((call) => (call.method === "PUT" || call.method === "DELETE") && call.path.includes("/roles/"));
  const adminPosts = () => discord.callsTo("POST", `/channels/${LOG_CHANNEL}/messages`).map((call) => String(call.body.content));

  async function cli(argv: string[]) {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    let stdout = "";
    let stderr = "";
    try {
      const status = await run(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
      return { status, stdout, stderr };
    } finally {
      vi.unstubAllEnvs();
    }
  }

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: "Acme",
          channels: [{ id: GENERAL, name: "general" }, { id: LOG_CHANNEL, name: "guildhall-admin" }],
          roles: [PASS, MODS],
          members: [{ user: { id: OWNER, username: "owner" } }, { user: ADA, roles: [MODS.id] }, { user: BO }],
        },
      ],
    });
    // The communities file the bot ran with, and the CLI reads.
    const dataDir = backend === "pglite" ? await migratedDataDir("gh-sync-access-") : mkdtempSync(join(tmpdir(), "gh-sync-access-"));
    const communitiesFile = join(dataDir, "communities.json");
    const acme = { slug: "acme", name: "Acme Academy", timezone: "UTC", commerce: { adminLogChannels: { discord: LOG_CHANNEL } }, discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE] } };
    writeFileSync(communitiesFile, JSON.stringify({ communities: [acme] }));
    const loaded = loadCommunities(communitiesFile, settingsSections);
    if (!("communities" in loaded)) throw new Error(loaded.problems.join("\n"));
    if (backend === "postgres") postgresUrl = (await createPostgresDatabase({ template: postgresTemplate() })).url;
    env = {
      GUILDHALL_DATA_DIR: dataDir,
      GUILDHALL_COMMUNITIES: communitiesFile,
      DATABASE_URL: postgresUrl ?? "",
      DISCORD_TOKEN: "fake.discord.token",
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "",
      STRIPE_SECRET_KEY: "",
      LOG_LEVEL: "warn",
    };

    // What the bot did while it ran: a Guild Pass on sale, Ada given one, Bo given one and
    // then refunded. Then admins edit roles by hand while the bot is down.
    const database = await openDatabase(postgresUrl ? { kind: "postgres", url: postgresUrl } : resolveDatabaseTarget(undefined, dataDir), quietLogger());
    try {
      const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token");
      const c = await startCommerce(database.prisma, { community: loaded.communities[0]!, gateways: { discord: new DiscordAccessGateway(rest, quietLogger()) } });
      try {
        const product = c.stripeFake.createProduct({ name: "Guild Pass" });
        const price = c.stripeFake.createPrice({ product: product.id, unit_amount: 2900, currency: "eur" }).id;
        const owner = { creator: true, id: OWNER, name: "Owner" };
        await c.run("catalog", { name: "guild-pass", title: "Guild Pass", price, discord_roles: PASS.id }, { ...owner, subcommand: "add" });
        await c.run("access", { member: { platform: "discord", id: ADA.id, displayName: "Ada" }, item: "guild-pass" }, { ...owner, subcommand: "grant" });
        await c.run("access", { member: { platform: "discord", id: BO.id, displayName: "Bo" }, item: "guild-pass" }, { ...owner, subcommand: "grant" });
        await c.run("access", { member: { platform: "discord", id: BO.id, displayName: "Bo" }, item: "guild-pass" }, { ...owner, subcommand: "revoke" });
      } finally {
        await c.close();
      }
    } finally {
      await database.close();
    }
    expect(roles(ADA.id)).toEqual([PASS.id, MODS.id].sort());
    expect(roles(BO.id)).toEqual([]);
    discord.state.member(GUILD, ADA.id)!.roles = [MODS.id]; // Ada's paid role removed by hand
    discord.state.member(GUILD, BO.id)!.roles = [PASS.id]; // Bo given the paid role by hand
  });
  afterAll(async () => {
    await discord?.close();
    if (postgresUrl) await dropPostgresDatabase(postgresUrl);
  });

  it("--dry-run prints both differences and changes nothing: no role change, no admin notice", async () => {
    const changes = roleChanges().length;
    const posts = adminPosts().length;
    const result = await cli(["sync-access", "--dry-run"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // Three reads: who the bot is, the member list (one page), the roles' names.
    expect(result.stdout).toBe(
      [
        "Acme Academy: Drift check (dry run: nothing changed): 2 difference(s), 3 platform calls.",
        "• Bo holds Pass Holder role but is owed nothing for it: would be removed.",
        "• Ada is owed Pass Holder role but did not hold it (removed by hand?): would be given back.",
        "",
      ].join("\n"),
    );
    expect(roleChanges()).toHaveLength(changes);
    expect(adminPosts()).toHaveLength(posts);
    expect(roles(ADA.id)).toEqual([MODS.id]);
    expect(roles(BO.id)).toEqual([PASS.id]);
  });

  it("a real run repairs both, reports them to the admin log, and never touches the unmanaged role; a second run finds nothing", async () => {
    const result = await cli(["sync-access"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // The three reads, then for each of Bo and Ada a read of the member and one role change.
    expect(result.stdout).toBe(
      [
        "Acme Academy: Drift check: 2 difference(s), 7 platform calls.",
        "• Bo holds Pass Holder role but is owed nothing for it: removed.",
        "• Ada is owed Pass Holder role but did not hold it (removed by hand?): given back.",
        "",
      ].join("\n"),
    );
    expect(roles(ADA.id)).toEqual([PASS.id, MODS.id].sort());
    expect(roles(BO.id)).toEqual([]);
    expect(roleChanges().filter((call) => call.path.endsWith(MODS.id))).toEqual([]);
    expect(adminPosts().at(-1)).toContain("• Bo holds Pass Holder role but is owed nothing for it: removed.");

    const again = await cli(["sync-access"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe("Acme Academy: No drift: everyone holds exactly what they are owed (3 platform calls).\n");

    // On PostgreSQL its requests took their turns in the token's budget shared with the running bots.
    if (postgresUrl) {
      const database = await openDatabase({ kind: "postgres", url: postgresUrl }, quietLogger());
      try {
        expect(await database.prisma.paceTimeline.count({ where: { key: tokenKey("discord", "fake.discord.token") } })).toBe(1);
      } finally {
        await database.close();
      }
    }
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.js";
import { settingsSections } from "../../src/capabilities.js";

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env, settingsSections);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("starts the playground on the embedded database when nothing is set", () => {
    const config = loadConfig({}, settingsSections);
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./data", pgliteDir: join("./data", "pglite") });
    expect(config.http).toEqual({ port: 3000, explicit: false });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names every bad variable in one message, with what it should look like, never the value", () => {
    const message = problemsOf({
      SLACK_BOT_TOKEN: "xoxp-user-token-secret-1",
      PORT: "eighty",
      DATABASE_URL: "mysql://root:hunter22@db/x",
      STRIPE_SECRET_KEY: "pk_test_publishable999",
      DISCORD_API_URL: "not a url",
    });
    expect(message).toContain("SLACK_BOT_TOKEN: should start with xoxb-");
    expect(message).toContain("PORT: should be a whole number from 1 to 65535");
    expect(message).toContain("DATABASE_URL: should be a PostgreSQL URL");
    expect(message).toContain("STRIPE_SECRET_KEY: should start with sk_test_");
    expect(message).toContain("DISCORD_API_URL: should be an http:// or https:// URL");
    for (const secret of ["xoxp-user-token-secret-1", "hunter22", "pk_test_publishable999", "eighty"]) expect(message).not.toContain(secret);
  });

  it("requires an app token or a signing secret with a Slack bot token", () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxb-1-2-abc" })).toContain("SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: one is required");
    expect(problemsOf({ SLACK_APP_TOKEN: "xapp-1-abc" })).toContain("SLACK_BOT_TOKEN: is required");
  });

  it("chooses Socket Mode when an app token is given, HTTP mode with only a signing secret", () => {
    const socket = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_SIGNING_SECRET: "abcdef0123456789" }, settingsSections);
    expect(socket.slack?.mode).toBe("socket");
    const http = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "abcdef0123456789", SLACK_API_URL: "http://127.0.0.1:9/api/" }, settingsSections);
    expect(http.slack).toEqual({ botToken: "xoxb-1", mode: "http", signingSecret: "abcdef0123456789", apiUrl: "http://127.0.0.1:9/api/" });
  });

  it("takes DISCORD_SHARD_COUNT as a whole number of shards, at least 1", () => {
    expect(loadConfig({ DISCORD_TOKEN: "a.b.c", DISCORD_SHARD_COUNT: "4" }, settingsSections).discord).toEqual({ token: "a.b.c", shardCount: 4 });
    expect(loadConfig({ DISCORD_TOKEN: "a.b.c" }, settingsSections).discord).toEqual({ token: "a.b.c" });
    for (const bad of ["0", "two", "1.5"]) expect(problemsOf({ DISCORD_TOKEN: "a.b.c", DISCORD_SHARD_COUNT: bad })).toContain("DISCORD_SHARD_COUNT: should be a whole number of gateway shards, at least 1");
  });

  it("takes DISCORD_REQUESTS_PER_SECOND as a whole number of requests a second, at least 1, for a bot whose limit Discord raised", () => {
    expect(loadConfig({ DISCORD_TOKEN: "a.b.c", DISCORD_REQUESTS_PER_SECOND: "480" }, settingsSections).discord).toEqual({ token: "a.b.c", requestsPerSecond: 480 });
    for (const bad of ["0", "fifty", "47.5", "-48"]) {
      expect(problemsOf({ DISCORD_TOKEN: "a.b.c", DISCORD_REQUESTS_PER_SECOND: bad })).toContain("DISCORD_REQUESTS_PER_SECOND: should be a whole number of requests a second, at least 1");
    }
  });

  it("treats empty variables as unset, as .env files often leave them", () => {
    expect(loadConfig({ DISCORD_TOKEN: "", DATABASE_URL: " " }, settingsSections).discord).toBeUndefined();
  });

  it("uses PostgreSQL for a postgresql:// URL and keeps the password among the secrets", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://bot:s3cret-pw@127.0.0.1:5432/guildhall", PORT: "8080" }, settingsSections);
    expect(config.database).toEqual({ kind: "postgres", url: "postgresql://bot:s3cret-pw@127.0.0.1:5432/guildhall" });
    expect(config.secrets).toContain("s3cret-pw");
    expect(config.http).toEqual({ port: 8080, explicit: true });
  });

  it("reads the communities file and reports each bad field with its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "gh-config-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ communities: [{ slug: "acme", name: "Acme", discord: { guildId: "123456789012", creatorRoleIds: ["223456789012"] } }] }));
    expect(loadConfig({ GUILDHALL_COMMUNITIES: good }, settingsSections).communities[0]?.discord?.creatorRoleIds).toEqual(["223456789012"]);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ communities: [{ slug: "Acme!", name: "Acme", slack: { teamId: "T1X", creatorUserIds: ["nobody"] } }] }));
    const message = problemsOf({ GUILDHALL_COMMUNITIES: bad });
    expect(message).toContain("communities.0.slug: should be lowercase letters");
    expect(message).toContain("communities.0.slack.creatorUserIds.0: should be a Slack user id");
    expect(problemsOf({ GUILDHALL_COMMUNITIES: join(dir, "missing.json") })).toContain("does not exist");
  });

  it("reads each capability's section from the communities file, naming the path of a bad setting", () => {
    const dir = mkdtempSync(join(tmpdir(), "gh-config-"));
    const file = join(dir, "sections.json");
    const schedule = { announcementChannels: { discord: "323456789012" }, digest: { cadence: "daily", hour: 7 } };
    writeFileSync(file, JSON.stringify({ communities: [{ slug: "acme", name: "Acme", review: { freeMonthlyQuota: 3 }, schedule }] }));
    const [acme] = loadConfig({ GUILDHALL_COMMUNITIES: file }, settingsSections).communities;
    expect(acme?.review.freeMonthlyQuota).toBe(3);
    // announce and digest share `schedule`: both parts are read, and what is left out takes its default.
    expect(acme?.schedule.announcementChannels).toEqual({ discord: "323456789012" });
    expect(acme?.schedule.digest).toMatchObject({ cadence: "daily", hour: 7, weekday: 1, creatorSummary: false });
    // A section left out entirely is all defaults: seven days of grace, one free review a month.
    expect(acme?.commerce.graceDays).toBe(7);
    expect(acme?.qa.bountyDays).toBe(7);

    const bad = join(dir, "bad-sections.json");
    writeFileSync(bad, JSON.stringify({ communities: [{ slug: "acme", name: "Acme", review: { freeMonthlyQuota: -1 }, schedule: { digest: { cadence: "hourly" } }, commerce: { graceDays: 90 } }] }));
    const message = problemsOf({ GUILDHALL_COMMUNITIES: bad });
    expect(message).toContain("communities.0.review.freeMonthlyQuota:");
    expect(message).toContain("communities.0.schedule.digest.cadence: should be daily, weekly or off");
    expect(message).toContain("communities.0.commerce.graceDays:");
  });

  it("accepts the example communities file shipped in the repository", () => {
    expect(loadConfig({ GUILDHALL_COMMUNITIES: "guildhall.communities.example.json" }, settingsSections).communities[0]?.slug).toBe("acme");
  });

  it("refuses a guild claimed by two communities", () => {
    const dir = mkdtempSync(join(tmpdir(), "gh-config-"));
    const file = join(dir, "dupe.json");
    const discord = { guildId: "123456789012" };
    writeFileSync(file, JSON.stringify({ communities: [{ slug: "a", name: "A", discord }, { slug: "b", name: "B", discord }] }));
    expect(problemsOf({ GUILDHALL_COMMUNITIES: file })).toContain("Discord guild 123456789012 is claimed by both a and b");
  });
});

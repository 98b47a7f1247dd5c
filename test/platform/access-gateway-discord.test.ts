// The Discord access gateway and admin log against the fake Discord, through a real
// discord.js REST from createAccessRest (retries: 0, so the gateway's own backoff is what is tested).
import type { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordAdminLog } from "../../src/platform/discord/admin-log.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { memoryLogger, quietLogger } from "../support/logger.js";

const GUILD = "200000000000000001";
const LOG_CHANNEL = "300000000000000001";
const MEMBER = "400000000000000001";
const PRO = "400000000000000002";
const ALUMNI = "400000000000000003";
const BOT_ROLE = "400000000000000004";
/** Discord's Manage Roles permission bit. */
const MANAGE_ROLES = String(1n << 28n);

let fake: FakeDiscord;
let rest: REST;
let nextUser = 500000000000000100n;

/** A fresh member of the guild holding `roles`, so tests never share call histories. */
function memberWith(roles: string[]): string {
  nextUser += 1n;
  const id = String(nextUser);
  fake.state.upsertMember(GUILD, { id, username: `member${id.slice(-3)}` }, roles);
  return id;
}

/** A gateway whose waits resolve at once and are recorded. */
function gateway(): { gateway: DiscordAccessGateway; delays: number[] } {
  const delays: number[] = [];
  const sleep = async (ms: number) => void delays.push(ms);
  return { gateway: new DiscordAccessGateway(rest, quietLogger(), { sleep }), delays };
}

const roleCalls = (method: string, userId: string) => fake.callsTo(method, `/guilds/${GUILD}/members/${userId}/roles/`).map((c) => c.path.split("/").pop());

beforeAll(async () => {
  fake = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        name: "Guildhall Test",
        channels: [{ id: LOG_CHANNEL, name: "guildhall-admin" }],
        roles: [
          { id: MEMBER, name: "Member", position: 1 },
          { id: PRO, name: "Rustaceans", position: 2 },
          { id: BOT_ROLE, name: "Guildhall", position: 3, permissions: MANAGE_ROLES },
          { id: ALUMNI, name: "Alumni", position: 4 },
        ],
      },
    ],
  });
  rest = createAccessRest({ token: "fake-token", apiUrl: fake.apiUrl });
});

afterAll(async () => {
  await fake?.close();
});

describe("DiscordAccessGateway", () => {
  it("fetches the member once and adds only the roles they lack", async () => {
    const user = memberWith([MEMBER]);
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [MEMBER, PRO], revoke: [] });
    expect(result).toEqual({ granted: [PRO], revoked: [], notInSpace: false, failures: [] });
    expect(fake.callsTo("GET", `/guilds/${GUILD}/members/${user}`)).toHaveLength(1);
    expect(roleCalls("PUT", user)).toEqual([PRO]);
    expect(fake.state.member(GUILD, user)?.roles.sort()).toEqual([MEMBER, PRO].sort());
    const put = fake.callsTo("PUT", `/guilds/${GUILD}/members/${user}/roles/`)[0];
    expect(decodeURIComponent(put?.headers["x-audit-log-reason"] ?? "")).toBe("Guildhall: paid access");
  });

  it("removes only the roles the member holds", async () => {
    const user = memberWith([MEMBER, PRO]);
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [], revoke: [PRO, ALUMNI] });
    expect(result).toEqual({ granted: [], revoked: [PRO], notInSpace: false, failures: [] });
    expect(roleCalls("DELETE", user)).toEqual([PRO]);
    expect(fake.state.member(GUILD, user)?.roles).toEqual([MEMBER]);
  });

  it("a change with nothing to do makes no request at all", async () => {
    const before = fake.calls.length;
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: memberWith([]), grant: [], revoke: [] });
    expect(result).toEqual({ granted: [], revoked: [], notInSpace: false, failures: [] });
    expect(fake.calls.length).toBe(before);
  });

  it("a role in both lists is kept, not taken away", async () => {
    const user = memberWith([PRO]);
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [PRO], revoke: [PRO] });
    expect(result).toEqual({ granted: [], revoked: [], notInSpace: false, failures: [] });
    expect(roleCalls("DELETE", user)).toEqual([]);
  });

  it("a user who is not in the guild is notInSpace: nothing applied, nothing failed", async () => {
    const stranger = "599999999999999999";
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: stranger, grant: [PRO], revoke: [ALUMNI] });
    expect(result).toEqual({ granted: [], revoked: [], notInSpace: true, failures: [] });
    expect(fake.callsTo("GET", `/guilds/${GUILD}/members/${stranger}`)).toHaveLength(1);
    expect(roleCalls("PUT", stranger)).toEqual([]);
  });

  it("Missing Permissions (50013) is a failure whose fix names the role, and is not retried", async () => {
    const user = memberWith([]);
    fake.failNext((c) => c.method === "PUT" && c.path.endsWith(`/members/${user}/roles/${PRO}`), { status: 403 });
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: GUILD, userId: user, grant: [MEMBER, PRO], revoke: [] });
    expect(result.granted).toEqual([MEMBER]);
    expect(result.failures).toEqual([
      {
        target: PRO,
        targetName: "Rustaceans",
        action: "grant",
        kind: "permission",
        reason: "Missing Permissions",
        fix: "Give Guildhall the Manage Roles permission and move its role above Rustaceans in Server Settings → Roles.",
      },
    ]);
    expect(roleCalls("PUT", user)).toEqual([MEMBER, PRO]);
    expect(delays).toEqual([]);
  });

  it("roles change one at a time, never by PATCHing the whole list: a role above the bot's fails alone, as hierarchy, the rest go through", async () => {
    // Discord refuses a PATCH of a member's roles as a whole (403 / 50013) when any role in
    // it is above the bot's highest, so one misplaced role would block every other grant.
    const guild = fake.state.guild(GUILD)!;
    const bot = fake.state.member(GUILD, fake.botUser.id)!;
    guild.ownerId = "400000000000000099";
    bot.roles = [BOT_ROLE];
    try {
      const user = memberWith([ALUMNI]);
      const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [MEMBER, PRO], revoke: [ALUMNI] });
      expect(result.granted).toEqual([MEMBER, PRO]);
      expect(result.revoked).toEqual([]);
      expect(result.failures).toEqual([
        {
          target: ALUMNI,
          targetName: "Alumni",
          action: "revoke",
          kind: "hierarchy",
          reason: "Missing Permissions: Guildhall's highest role is not above Alumni",
          fix: "Move Guildhall's role (Guildhall) above Alumni in Server Settings → Roles.",
        },
      ]);
      expect(fake.state.member(GUILD, user)?.roles).toEqual([ALUMNI, MEMBER, PRO]);
      expect(fake.callsTo("PATCH", `/guilds/${GUILD}/members/${user}`)).toEqual([]);
    } finally {
      guild.ownerId = fake.botUser.id;
      bot.roles = [];
    }
  });

  it("Missing Access (50001) on a removal gets the same fix", async () => {
    const user = memberWith([ALUMNI]);
    fake.failNext((c) => c.method === "DELETE" && c.path.endsWith(`/members/${user}/roles/${ALUMNI}`), { status: 403, body: { message: "Missing Access", code: 50001 } });
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [], revoke: [ALUMNI] });
    expect(result.failures).toEqual([{ target: ALUMNI, targetName: "Alumni", action: "revoke", kind: "permission", reason: "Missing Access", fix: expect.stringContaining("move its role above Alumni") }]);
  });

  it("a role already gone (Unknown Role on DELETE) counts as removed and is not listed", async () => {
    const user = memberWith([PRO]);
    fake.failNext((c) => c.method === "DELETE" && c.path.endsWith(`/members/${user}/roles/${PRO}`), { status: 404, body: { message: "Unknown Role", code: 10011 } });
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [], revoke: [PRO] });
    expect(result).toEqual({ granted: [], revoked: [], notInSpace: false, failures: [] });
  });

  it("a member who leaves mid-change (Unknown Member on PUT) is notInSpace", async () => {
    const user = memberWith([]);
    fake.failNext((c) => c.method === "PUT" && c.path.includes(`/members/${user}/roles/`), { status: 404, body: { message: "Unknown Member", code: 10007 } });
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [MEMBER, PRO], revoke: [] });
    expect(result).toMatchObject({ notInSpace: true, failures: [] });
    expect(roleCalls("PUT", user)).toEqual([MEMBER]);
  });

  it("a server error is retried after a backoff, then succeeds", async () => {
    const user = memberWith([]);
    fake.failNext((c) => c.method === "PUT" && c.path.endsWith(`/members/${user}/roles/${PRO}`), { status: 500 });
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: GUILD, userId: user, grant: [PRO], revoke: [] });
    expect(result).toEqual({ granted: [PRO], revoked: [], notInSpace: false, failures: [] });
    expect(roleCalls("PUT", user)).toEqual([PRO, PRO]);
    expect(delays).toEqual([200]);
  });

  it("retries are bounded: three tries with growing waits, then a failure", async () => {
    const user = memberWith([]);
    fake.failNext((c) => c.method === "GET" && c.path === `/guilds/${GUILD}/members/${user}`, { status: 503 }, 5);
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: GUILD, userId: user, grant: [PRO], revoke: [] });
    expect(fake.callsTo("GET", `/guilds/${GUILD}/members/${user}`)).toHaveLength(3);
    expect(delays).toEqual([200, 400]);
    expect(result.failures).toEqual([{ target: PRO, action: "grant", kind: "outage", reason: "Discord answered HTTP 503", fix: expect.stringContaining("retries by itself") }]);
    expect(roleCalls("PUT", user)).toEqual([]);
  });

  it("an unexpected error reports its code and message and points at the logs", async () => {
    const user = memberWith([]);
    fake.failNext((c) => c.method === "PUT" && c.path.endsWith(`/members/${user}/roles/${PRO}`), { status: 400, body: { message: "Something odd", code: 12345 } });
    const result = await gateway().gateway.apply({ spaceId: GUILD, userId: user, grant: [PRO], revoke: [] });
    expect(result.failures).toEqual([{ target: PRO, targetName: "Rustaceans", action: "grant", kind: "other", reason: "12345: Something odd", fix: "Check Guildhall's logs." }]);
  });
});

describe("DiscordAdminLog", () => {
  it("posts the report to the guild's admin channel without pinging anyone", async () => {
    const { log } = memoryLogger();
    await new DiscordAdminLog(rest, new Map([[GUILD, LOG_CHANNEL]]), log).report("discord", GUILD, "Could not grant <@&400000000000000002> to <@500000000000000001>");
    const post = fake.callsTo("POST", `/channels/${LOG_CHANNEL}/messages`).at(-1);
    expect(post?.body).toMatchObject({ content: "Could not grant <@&400000000000000002> to <@500000000000000001>", allowed_mentions: { parse: [] } });
  });

  it("a guild without a configured channel gets a warning in the log and no request", async () => {
    const { log, text } = memoryLogger();
    const before = fake.calls.length;
    await new DiscordAdminLog(rest, new Map(), log).report("discord", "299999999999999999", "Move the Guildhall role up");
    expect(fake.calls.length).toBe(before);
    expect(text()).toContain("no admin log channel configured");
    expect(text()).toContain("Move the Guildhall role up");
  });

  it("a failed post is logged, not thrown", async () => {
    const { log, text } = memoryLogger();
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${LOG_CHANNEL}/messages`, { status: 403 });
    await expect(new DiscordAdminLog(rest, new Map([[GUILD, LOG_CHANNEL]]), log).report("discord", GUILD, "report")).resolves.toBeUndefined();
    expect(text()).toContain("could not post to the admin log channel");
  });
});

// The interaction's claim as the first part of the member statement (claimAndFindMember):
// a lost claim writes nothing, and when a new member's first two commands race, the one whose
// statement is undone by the other's account takes its claim again, so there is one member
// and each command is answered once (issue 15's exactly once, issue 13's one statement).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { defineCommand } from "../../src/core/command.js";
import type { Invocation } from "../../src/core/invocation.js";
import { reply } from "../../src/core/reply.js";
import { systemClock } from "../../src/core/services.js";
import { Claims } from "../../src/db/claims.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { IdentityService } from "../../src/identity/identity-service.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { acmeCommunity, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";
import { withExtra } from "../support/test-commands.js";

/** How many times each interaction's handler ran, by interaction id. */
const ran = new Map<string, number>();
const countedCommand = defineCommand({
  name: "counted",
  description: "Counts the interaction it ran for",
  handler: (ctx) => {
    ran.set(ctx.interactionId, (ran.get(ctx.interactionId) ?? 0) + 1);
    return reply.ephemeral(`hello ${ctx.member.displayName}`);
  },
});

const delivery = (id: string, user: { id: string; displayName: string }): Invocation => ({
  platform: "discord",
  space: { id: GUILD, name: "Acme" },
  user,
  channel: { id: GENERAL },
  command: "counted",
  subcommand: undefined,
  options: {},
  actor: { platform: "discord", roleIds: [], isAdministrator: false },
  receivedAt: new Date(),
  id,
});

describe.each(backends())("the claim in the member statement on %s", (kind) => {
  let database: TestDatabase;
  let identity: IdentityService;
  let claims: Claims;
  let communityId: string;
  const at = new Date("2026-12-07T12:00:00Z");
  const membersNamed = (displayName: string) => database.prisma.member.count({ where: { communityId, displayName } });
  const accountsOf = (externalId: string) => database.prisma.platformAccount.count({ where: { communityId, platform: "discord", externalId } });
  const claimed = (key: string) => database.prisma.interactionClaim.count({ where: { key } });
  /** On `other`, a transaction that has written member `m-<id>` with its Discord account `u-<id>` and not committed yet. */
  const beginWithAccount = async (other: pg.Client, id: string, name: string) => {
    await other.query("BEGIN");
    await other.query(`INSERT INTO "Member" ("id", "communityId", "displayName") VALUES ($2, $1, $3)`, [communityId, `m-${id}`, name]);
    await other.query(
      `INSERT INTO "PlatformAccount" ("id", "communityId", "memberId", "platform", "externalId", "displayName") VALUES ($2, $1, $3, 'discord', $4, $5)`,
      [communityId, `a-${id}`, `m-${id}`, `u-${id}`, name],
    );
  };

  beforeAll(async () => {
    database = await freshDatabase(kind);
    identity = new IdentityService(database.prisma, [acmeCommunity()], systemClock);
    claims = new Claims(database.prisma);
    communityId = (await identity.communityFor("discord", { id: GUILD, name: "Acme" })).id;
  });
  afterAll(() => database?.dispose());

  it("writes no member and no account when the claim was lost", async () => {
    expect(await claims.claim("interaction:lost-1", at)).toBe(true); // another process got there first
    const found = await identity.claimAndFindMember(communityId, "discord", { id: "u-lost", displayName: "Lost Newcomer" }, { key: "interaction:lost-1", at });
    expect(found).toBeUndefined();
    expect(await membersNamed("Lost Newcomer")).toBe(0);
    expect(await accountsOf("u-lost")).toBe(0);
    expect(await claimed("interaction:lost-1")).toBe(1);
  });

  it("does not rename a known member's account when the claim was lost", async () => {
    await identity.memberFor(communityId, "discord", { id: "u-known", displayName: "Known" });
    await claims.claim("interaction:lost-2", at);
    expect(await identity.claimAndFindMember(communityId, "discord", { id: "u-known", displayName: "Renamed" }, { key: "interaction:lost-2", at })).toBeUndefined();
    const account = await database.prisma.platformAccount.findFirstOrThrow({ where: { communityId, externalId: "u-known" } });
    expect(account.displayName).toBe("Known");
  });

  it("gives a new member's racing first commands one member, each claimed once", async () => {
    for (let n = 0; n < 8; n++) {
      const who = { id: `u-race-${n}`, displayName: `Racer ${n}` };
      const keys = [`interaction:race-${n}-a`, `interaction:race-${n}-b`];
      const found = await Promise.all(keys.map((key) => identity.claimAndFindMember(communityId, "discord", who, { key, at })));
      expect(found.every((f) => f !== undefined), `pair ${n}: both commands go ahead`).toBe(true);
      expect(found[0]!.member.id).toBe(found[1]!.member.id);
      expect(found[0]!.account.id).toBe(found[1]!.account.id);
      expect(await membersNamed(who.displayName)).toBe(1);
      expect(await accountsOf(who.id)).toBe(1);
      for (const key of keys) {
        expect(await claimed(key)).toBe(1);
        expect(await claims.claim(key, at), `${key} is taken`).toBe(false);
      }
    }
  });

  // Forces the race: the other command's account is inserted but not committed when this
  // statement runs, so this one inserts a member and an account too, waits on the unique
  // index, and fails once the other commits. Its claim was undone with it and is taken again.
  it.runIf(kind === "postgres")("takes its claim again when the other first command's account commits while its statement waits", async () => {
    const other = new pg.Client({ connectionString: (database.target as { url: string }).url });
    await other.connect();
    try {
      await beginWithAccount(other, "early", "Early Bird");
      const pending = identity.claimAndFindMember(communityId, "discord", { id: "u-early", displayName: "Early Bird" }, { key: "interaction:early", at });
      await waitUntil(async () => (await other.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount! >= 1);
      await other.query("COMMIT");
      const found = await pending;
      expect(found).toEqual({ member: { id: "m-early", displayName: "Early Bird" }, account: { id: "a-early", externalId: "u-early" } });
      expect(await membersNamed("Early Bird")).toBe(1);
      expect(await claimed("interaction:early")).toBe(1);
    } finally {
      await other.end();
    }
  });

  it.runIf(kind === "postgres")("writes nothing when the same interaction, delivered elsewhere, commits its claim and the member while its statement waits", async () => {
    const other = new pg.Client({ connectionString: (database.target as { url: string }).url });
    await other.connect();
    try {
      await beginWithAccount(other, "late", "Late Bird");
      // The same interaction, delivered to the other process too: its claim commits with the account.
      await other.query(`INSERT INTO "InteractionClaim" ("key", "claimedAt") VALUES ('interaction:late', $1)`, [at]);
      const pending = identity.claimAndFindMember(communityId, "discord", { id: "u-late", displayName: "Late Bird" }, { key: "interaction:late", at });
      await waitUntil(async () => (await other.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount! >= 1);
      await other.query("COMMIT");
      expect(await pending).toBeUndefined();
      expect(await membersNamed("Late Bird")).toBe(1);
      expect(await claimed("interaction:late")).toBe(1);
    } finally {
      await other.end();
    }
  });

  describe("through the dispatcher of two instances", () => {
    const extra: Database[] = [];
    let instances: Runtime[];
    beforeAll(async () => {
      // On PostgreSQL each instance has its own pool, as two processes would.
      if (database.target.kind === "postgres") extra.push(await openDatabase(database.target, quietLogger()));
      const dbs = [database.prisma, ...extra.map((d) => d.prisma)];
      instances = [0, 1].map((i) => assemble({ capabilities: withExtra({ commands: [countedCommand] }), db: dbs[i % dbs.length]!, communities: [acmeCommunity()], log: quietLogger() }));
    });
    afterAll(async () => {
      for (const d of extra) await d.close();
    });

    it("answers each of a new member's first two commands once, each delivered to both instances at once", async () => {
      for (let n = 0; n < 5; n++) {
        const who = { id: `u-both-${n}`, displayName: `Both ${n}` };
        const ids = [`discord:${kind}-both-${n}-a`, `discord:${kind}-both-${n}-b`];
        const outcomes = await Promise.all(ids.flatMap((id) => instances.map((runtime) => runtime.dispatcher.run(delivery(id, who)))));
        for (const id of ids) expect(ran.get(id), id).toBe(1);
        expect(outcomes.filter((o) => !o.duplicate).map((o) => o.reply.text)).toEqual([`hello ${who.displayName}`, `hello ${who.displayName}`]);
        expect(outcomes.filter((o) => o.duplicate)).toHaveLength(2);
        expect(await membersNamed(who.displayName)).toBe(1);
        expect(await accountsOf(who.id)).toBe(1);
      }
    });
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting for the statement to wait on the other's lock");
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Property: whatever happens (payments and refunds, the bot's role moved below the paid roles
// and back, roles edited by hand, restarts), once the cause is fixed and the retries and the
// drift check have run, every member holds exactly the managed roles they are owed, and the
// unmanaged roles as the admins left them. The expectation comes from the test's own model.
// Replay a failure with FC_SEED=<seed printed on failure>.
import fc from "fast-check";
import { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { CatalogItem } from "../../src/generated/prisma/client.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { type CommunityConfig } from "../../src/config/communities.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { startCommerce } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const OWNER = "400000000000000009";
const MANAGE_ROLES = String(1n << 28n);
const BOT_ROLE = "500000000000000010";
const ROLE_A = "500000000000000011";
const ROLE_B = "500000000000000012";
const UNMANAGED = "500000000000000013";
const MEMBERS = ["400000000000000001", "400000000000000002", "400000000000000003"];
const ITEMS = { alpha: ROLE_A, beta: ROLE_B } as const;
/** Each simulated payment is its own interaction (the manual grant's key). */
let payments = 0;
type ItemName = keyof typeof ITEMS;

type Step =
  | { op: "pay" | "refund"; member: number; item: ItemName }
  | { op: "refuse" | "fix" | "restart" }
  | { op: "edit"; member: number; role: string; add: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom("pay" as const, "refund" as const), member: fc.nat(MEMBERS.length - 1), item: fc.constantFrom<ItemName>("alpha", "beta") }),
  fc.record({ op: fc.constantFrom("refuse" as const, "fix" as const, "restart" as const) }),
  fc.record({ op: fc.constant("edit" as const), member: fc.nat(MEMBERS.length - 1), role: fc.constantFrom(ROLE_A, ROLE_B, UNMANAGED), add: fc.boolean() }),
);

describe.each(backends())("access converges (property), on %s", (backend) => {
  let db: TestDatabase;
  let discord: FakeDiscord;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let community: CommunityConfig;
  let communityId: string;
  const offset = { ms: 0 };
  const clock = { now: () => new Date(Date.now() + offset.ms) };
  const items = new Map<ItemName, CatalogItem>();
  const memberIds: string[] = [];

  const freshRuntime = (): Runtime =>
    assemble({
      capabilities,
      db: db.prisma,
      communities: [community],
      log: quietLogger(),
      clock,
      gateways: { discord: new DiscordAccessGateway(new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token"), quietLogger()) },
    });

  beforeAll(async () => {
    db = await freshDatabase(backend);
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: "Acme",
          ownerId: OWNER,
          channels: [{ id: GENERAL, name: "general" }],
          roles: [
            { id: BOT_ROLE, name: "Guildhall", position: 4, permissions: MANAGE_ROLES },
            { id: ROLE_A, name: "A", position: 2 },
            { id: ROLE_B, name: "B", position: 3 },
            { id: UNMANAGED, name: "Mods", position: 1 },
          ],
          members: [{ user: { id: OWNER, username: "owner" } }, ...MEMBERS.map((id, i) => ({ user: { id, username: `m${i}` } }))],
        },
      ],
    });
    discord.state.member(GUILD, discord.botUser.id)!.roles = [BOT_ROLE];
    community = {
      slug: "acme",
      name: "Acme",
      timezone: "UTC",
      commerce: DEFAULT_COMMERCE,
      ...DEFAULT_SETTINGS,
      discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
    };
    c = await startCommerce(db.prisma, { community, gateways: { discord: new DiscordAccessGateway(new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token"), quietLogger()) } });
    for (const [name, role] of Object.entries(ITEMS)) {
      const product = c.stripeFake.createProduct({ name });
      const price = c.stripeFake.createPrice({ product: product.id, unit_amount: 1000, currency: "eur" }).id;
      await c.run("catalog", { name, title: `Item ${name}`, price, discord_roles: role }, { creator: true, subcommand: "add", id: OWNER, name: "Owner" });
    }
    for (const item of await db.prisma.catalogItem.findMany()) items.set(item.name as ItemName, item);
    // Each member becomes known (an account) through a grant that is then ended.
    for (const [i, id] of MEMBERS.entries()) {
      await c.run("access", { member: { platform: "discord", id, displayName: `m${i}` }, item: "alpha" }, { creator: true, subcommand: "grant", id: OWNER, name: "Owner" });
      await c.run("access", { member: { platform: "discord", id, displayName: `m${i}` }, item: "alpha" }, { creator: true, subcommand: "revoke", id: OWNER, name: "Owner" });
      memberIds.push((await db.prisma.platformAccount.findFirstOrThrow({ where: { externalId: id } })).memberId);
    }
    communityId = (await db.prisma.community.findFirstOrThrow()).id;
  });
  afterAll(async () => {
    await c?.close();
    await discord?.close();
    await db?.dispose();
  });

  it("after any sequence, fixing the cause and letting retries and the drift check run leaves each member holding exactly what they are owed", { timeout: 240_000 }, async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const bot = () => discord.state.guild(GUILD)!.roles.find((r) => r.id === BOT_ROLE)!;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        // A clean start: nobody owed or holding anything, the bot able to manage roles.
        await db.prisma.entitlement.deleteMany();
        await db.prisma.accessProblem.deleteMany();
        for (const id of MEMBERS) discord.state.member(GUILD, id)!.roles = [];
        bot().position = 4;
        const owed = MEMBERS.map(() => new Set<ItemName>());
        const unmanaged = MEMBERS.map(() => false);
        let runtime = freshRuntime();
        for (const s of steps) {
          const services = runtime.services;
          switch (s.op) {
            case "pay":
              await services.entitlements.grantManual({ communityId, memberId: memberIds[s.member]!, item: items.get(s.item)!, days: undefined, now: clock.now(), grantedBy: "test", interactionId: `pay:${++payments}` });
              owed[s.member]!.add(s.item);
              await services.accessSync.syncMember(memberIds[s.member]!);
              break;
            case "refund":
              if (!owed[s.member]!.has(s.item)) break;
              await services.entitlements.revokeManual({ memberId: memberIds[s.member]!, item: items.get(s.item)!, now: clock.now(), revokedBy: "test" });
              owed[s.member]!.delete(s.item);
              await services.accessSync.syncMember(memberIds[s.member]!);
              break;
            case "refuse":
              bot().position = 1; // below both paid roles: Discord refuses their changes
              break;
            case "fix":
              bot().position = 4;
              break;
            case "restart":
              runtime = freshRuntime();
              break;
            case "edit": {
              const member = discord.state.member(GUILD, MEMBERS[s.member]!)!;
              member.roles = s.add ? [...new Set([...member.roles, s.role])] : member.roles.filter((r) => r !== s.role);
              if (s.role === UNMANAGED) unmanaged[s.member] = s.add;
              break;
            }
          }
        }
        // The admin fixes the cause; time passes; retries and the scheduled drift check run.
        bot().position = 4;
        offset.ms = 25 * 3600_000;
        try {
          await runtime.services.accessSync.retryDue();
          await runtime.services.accessDrift.check(communityId, {});
        } finally {
          offset.ms = 0;
        }
        for (const [i, id] of MEMBERS.entries()) {
          const held = discord.state.member(GUILD, id)!.roles;
          const expected = [...owed[i]!].map((item) => ITEMS[item]);
          expect(held.filter((r) => r === ROLE_A || r === ROLE_B).sort()).toEqual(expected.sort());
          expect(held.includes(UNMANAGED)).toBe(unmanaged[i]);
        }
        expect(await db.prisma.accessProblem.count({ where: { resolvedAt: null } })).toBe(0);
      }),
      { seed, numRuns: 12, endOnFailure: true },
    );
  });
});

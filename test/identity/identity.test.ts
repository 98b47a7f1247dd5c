import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityService, LINK_CODE_TTL_MS } from "../../src/identity/identity-service.js";
import { systemClock } from "../../src/core/services.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const configured = [
  {
    slug: "acme",
    name: "Acme Academy",
    timezone: "UTC",
    commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS,
    discord: { guildId: "100000000000000001", creatorRoleIds: [], adminRoleIds: [] },
    slack: { teamId: "TACME", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
  },
];

describe.each(backends())("identity on %s", (backend) => {
  let db: TestDatabase;
  let identity: IdentityService;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    identity = new IdentityService(db.prisma, configured, systemClock);
  });
  afterAll(() => db?.dispose());

  it("puts a configured guild and workspace into one community, and others into their own", async () => {
    const fromDiscord = await identity.communityFor("discord", { id: "100000000000000001", name: "Acme Discord" });
    const fromSlack = await identity.communityFor("slack", { id: "TACME", name: "acme" });
    const stranger = await identity.communityFor("discord", { id: "999", name: "Elsewhere" });
    expect(fromDiscord).toMatchObject({ slug: "acme", name: "Acme Academy" });
    expect(fromSlack.id).toBe(fromDiscord.id);
    expect(stranger).toMatchObject({ slug: "discord-999", name: "Elsewhere", config: undefined });
  });

  it("creates one member per account even when first commands arrive at once", async () => {
    const community = await identity.communityFor("discord", { id: "100000000000000001", name: "Acme" });
    const results = await Promise.all(Array.from({ length: 10 }, () => identity.memberFor(community.id, "discord", { id: "u-race", displayName: "Racer" })));
    expect(new Set(results.map((r) => r.member.id)).size).toBe(1);
    expect(await db.prisma.platformAccount.count({ where: { externalId: "u-race" } })).toBe(1);
  });

  it("creates a community once when several processes see a new guild at the same moment", async () => {
    const others = Array.from({ length: 5 }, () => new IdentityService(db.prisma, configured, systemClock));
    const results = await Promise.all(others.map((s) => s.communityFor("slack", { id: "TNEW", name: "new" })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
  });

  describe("linking accounts across platforms", () => {
    const t0 = new Date("2026-11-23T10:00:00Z");
    let communityId: string;
    beforeAll(async () => {
      communityId = (await identity.communityFor("discord", { id: "100000000000000001", name: "Acme" })).id;
    });

    it("joins a Slack account to the Discord member that asked for the code", async () => {
      const ada = await identity.memberFor(communityId, "discord", { id: "d-ada", displayName: "Ada" });
      const adaSlack = await identity.memberFor(communityId, "slack", { id: "U0ADA", displayName: "ada" });
      expect(adaSlack.member.id).not.toBe(ada.member.id);
      const { code, expiresAt } = await identity.createLinkCode(communityId, ada.member.id, "discord", t0);
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      expect(expiresAt.getTime() - t0.getTime()).toBe(LINK_CODE_TTL_MS);

      const linked = await identity.redeemLinkCode({ code: code.toLowerCase(), communityId, platform: "slack", accountId: adaSlack.account.id, now: t0 });
      expect(linked).toMatchObject({ memberId: ada.member.id, displayName: "Ada", otherPlatform: "Discord" });
      const again = await identity.memberFor(communityId, "slack", { id: "U0ADA", displayName: "ada" });
      expect(again.member.id).toBe(ada.member.id);
      expect((await identity.accountsOf(ada.member.id)).map((a) => a.platform).sort()).toEqual(["discord", "slack"]);
      expect((await db.prisma.member.findUniqueOrThrow({ where: { id: adaSlack.member.id } })).mergedIntoId).toBe(ada.member.id);
    });

    it("refuses a used code, an expired code, a code from the same platform, and one from another community", async () => {
      const bob = await identity.memberFor(communityId, "discord", { id: "d-bob", displayName: "Bob" });
      const bobSlack = await identity.memberFor(communityId, "slack", { id: "U0BOB", displayName: "bob" });
      const bobDiscordAlt = await identity.memberFor(communityId, "discord", { id: "d-bob2", displayName: "Bob2" });
      const { code } = await identity.createLinkCode(communityId, bob.member.id, "discord", t0);
      const redeem = (accountId: string, platform: "discord" | "slack", now = t0, community = communityId) =>
        identity.redeemLinkCode({ code, communityId: community, platform, accountId, now });

      await expect(redeem(bobDiscordAlt.account.id, "discord")).rejects.toThrow("Enter this code on your other platform");
      await expect(redeem(bobSlack.account.id, "slack", new Date(t0.getTime() + LINK_CODE_TTL_MS))).rejects.toThrow("That code is not valid");
      const other = await identity.communityFor("discord", { id: "999", name: "Elsewhere" });
      await expect(redeem(bobSlack.account.id, "slack", t0, other.id)).rejects.toThrow("belongs to another community");
      await redeem(bobSlack.account.id, "slack");
      await expect(redeem(bobSlack.account.id, "slack")).rejects.toThrow("That code is not valid");
    });

    it("lets only one of two simultaneous redemptions of the same code succeed", async () => {
      const cy = await identity.memberFor(communityId, "discord", { id: "d-cy", displayName: "Cy" });
      const s1 = await identity.memberFor(communityId, "slack", { id: "U0CY1", displayName: "cy1" });
      const s2 = await identity.memberFor(communityId, "slack", { id: "U0CY2", displayName: "cy2" });
      const { code } = await identity.createLinkCode(communityId, cy.member.id, "discord", t0);
      const results = await Promise.allSettled(
        [s1, s2].map((s) => identity.redeemLinkCode({ code, communityId, platform: "slack", accountId: s.account.id, now: t0 })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect((await identity.accountsOf(cy.member.id)).filter((a) => a.platform === "slack")).toHaveLength(1);
    });

    it("invalidates an earlier unused code when a new one is made", async () => {
      const dee = await identity.memberFor(communityId, "discord", { id: "d-dee", displayName: "Dee" });
      const deeSlack = await identity.memberFor(communityId, "slack", { id: "U0DEE", displayName: "dee" });
      const first = await identity.createLinkCode(communityId, dee.member.id, "discord", t0);
      await identity.createLinkCode(communityId, dee.member.id, "discord", t0);
      await expect(identity.redeemLinkCode({ code: first.code, communityId, platform: "slack", accountId: deeSlack.account.id, now: t0 })).rejects.toThrow(
        "That code is not valid",
      );
    });
  });
});

// Levels after a /link merge (README, Levels): the member that remains keeps the higher level
// the two accounts reached, with the date it was reached, and it is not announced again; the
// merged member's level record is removed and its level items end, the remaining member gets
// its own. A level above both, which the points of both reach together, is a level-up once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { digestSections } from "../../src/digest/sections.js";
import { levelUpLines } from "../../src/points/level-news.js";
import { backends } from "../support/databases.js";
import { HOUR } from "../support/community.js";
import { DIGEST_SOURCES } from "../digest/support.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const HELPER_ROLE = "300000000000000001";
const MENTOR_ROLE = "300000000000000002";
const COURSE_ROLE = "300000000000000009";
const LEVELS = [
  { name: "Helper", minPoints: 10, discordRoles: [HELPER_ROLE], slackChannels: [], items: [] },
  { name: "Mentor", minPoints: 50, discordRoles: [MENTOR_ROLE], slackChannels: [], items: ["async-rust"] },
];

describe.each(backends())("levels after a /link merge on %s", (kind) => {
  let c: PointsCommunity;
  let started: Date;
  beforeAll(async () => {
    c = await startPoints(kind, ["Grace"], { community: { points: { ...DEFAULT_SETTINGS.points, levels: LEVELS } } });
    started = c.clock.now();
    await c.db.catalogItem.create({
      data: { communityId: c.communityId, name: "async-rust", title: "Async Rust", description: "", stripePriceId: "price_ar", stripeProductId: "prod_ar", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [COURSE_ROLE], slackChannelIds: [] },
    });
  });
  afterAll(() => c.dispose());

  /** A Discord and a Slack member of the same person (the Slack one is folded into the Discord one). */
  async function person(name: string, n: number): Promise<{ discord: string; slack: string }> {
    const { identity } = c.services;
    const discord = (await identity.memberFor(c.communityId, "discord", { id: `1000000000000000${n}`, displayName: name })).member.id;
    const slack = (await identity.memberFor(c.communityId, "slack", { id: `U0${name.toUpperCase()}`, displayName: `${name} (Slack)` })).member.id;
    return { discord, slack };
  }
  /** A creator's award, then the level refresh /award makes; returns the level-up lines it announced. */
  async function award(memberId: string, amount: number): Promise<string | undefined> {
    await c.services.points.award({ communityId: c.communityId, actor: { memberId: c.id("Grace"), displayName: "Grace" }, member: { memberId, displayName: "x" }, amount, reason: "helped", now: c.clock.now() });
    return levelUpLines(await c.services.levels.refresh(c.communityId, [memberId]));
  }
  async function link(p: { discord: string; slack: string }): Promise<void> {
    const { code } = await c.services.identity.createLinkCode(c.communityId, p.discord, "discord", c.clock.now());
    const account = await c.db.platformAccount.findFirstOrThrow({ where: { memberId: p.slack } });
    await c.services.identity.redeemLinkCode({ code, communityId: c.communityId, platform: "slack", accountId: account.id, now: c.clock.now() });
  }
  const level = (memberId: string) => c.db.memberLevel.findUnique({ where: { communityId_memberId: { communityId: c.communityId, memberId } } });
  const promotions = (memberId: string) => c.db.entitlement.findMany({ where: { memberId, source: "promotion" } }).then((rows) => rows.map((r) => (r.revokedAt ? "ended" : "active")));

  it("keeps the higher level of the two, announced once, and moves its items to the member that remains", async () => {
    const ada = await person("Ada", 77);
    expect(await award(ada.discord, 20)).toContain("reached the **Helper** level");
    c.clock.advance(HOUR);
    expect(await award(ada.slack, 60)).toContain("reached the **Mentor** level");
    const mentorReached = c.clock.now();
    expect(await promotions(ada.slack)).toEqual(["active"]);
    c.clock.advance(HOUR);

    await link(ada);
    // The Slack account's Mentor (reached an hour after Helper on Discord) is the higher level: kept, with its date.
    expect(await level(ada.discord)).toMatchObject({ rank: 2, name: "Mentor", reachedAt: mentorReached });
    expect(await level(ada.slack)).toBeNull();
    // 80 points together: Mentor, already announced, so the minute job has nothing to say.
    expect(await c.services.levels.refreshCommunity(c.communityId)).toEqual([]);

    // After the merge commits, stored work moves what the level grants.
    expect(await c.services.work.runDue()).toBe(1);
    expect(await promotions(ada.slack)).toEqual(["ended"]);
    expect(await promotions(ada.discord)).toEqual(["active"]);
    const access = await c.services.entitlements.desiredAccess(ada.discord, c.clock.now());
    expect([...access.discordRoleIds].sort()).toEqual([COURSE_ROLE, HELPER_ROLE, MENTOR_ROLE].sort());
    expect(await c.services.levels.refreshCommunity(c.communityId)).toEqual([]);
    // The digest lists the level-up once, for the person.
    const [section] = await digestSections(c.db, { communityId: c.communityId, from: started, to: c.clock.now(), now: c.clock.now() }, ["levels"], DIGEST_SOURCES);
    expect(section?.lines).toEqual(["• **Ada** reached **Mentor**"]);
  });

  it("announces a level neither account reached alone, once, when the points together reach it", async () => {
    const bo = await person("Bo", 88);
    expect(await award(bo.discord, 30)).toContain("reached the **Helper** level");
    expect(await award(bo.slack, 25)).toContain("reached the **Helper** level");
    const helperReached = (await level(bo.discord))!.reachedAt;
    c.clock.advance(HOUR);

    await link(bo);
    expect(await level(bo.discord)).toMatchObject({ rank: 1, name: "Helper", reachedAt: helperReached });
    expect(await level(bo.slack)).toBeNull();
    // 55 points together: Mentor, new for the person, announced by whichever comes first (here the job) and only once.
    expect(levelUpLines(await c.services.levels.refreshCommunity(c.communityId))).toBe("🎖️ **Bo** reached the **Mentor** level (55 points earned)!");
    expect(await c.services.work.runDue()).toBe(1);
    expect(await level(bo.discord)).toMatchObject({ rank: 2, name: "Mentor" });
    expect(await c.services.levels.refreshCommunity(c.communityId)).toEqual([]);
    expect(await promotions(bo.discord)).toEqual(["active"]);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });

  it("follows a second merge made before the first one's work ran: the level ends on the member that remains last", async () => {
    const cy = await person("Cy", 99);
    expect(await award(cy.slack, 60)).toContain("reached the **Mentor** level");
    const mentorReached = c.clock.now();
    c.clock.advance(HOUR);
    await link(cy);
    // The Discord member (now holding both accounts) is linked into Cy's playground member.
    const playground = await c.join("Cy");
    const { code } = await c.services.identity.createLinkCode(c.communityId, playground, "playground", c.clock.now());
    const discordAccount = await c.db.platformAccount.findFirstOrThrow({ where: { memberId: cy.discord, platform: "discord" } });
    await c.services.identity.redeemLinkCode({ code, communityId: c.communityId, platform: "discord", accountId: discordAccount.id, now: c.clock.now() });

    expect(await c.services.work.runDue()).toBe(2);
    expect(await level(cy.slack)).toBeNull();
    expect(await level(cy.discord)).toBeNull();
    expect(await level(playground)).toMatchObject({ rank: 2, name: "Mentor", reachedAt: mentorReached });
    expect(await promotions(cy.slack)).toEqual(["ended"]);
    expect(await promotions(playground)).toEqual(["active"]);
    expect(await c.services.levels.refreshCommunity(c.communityId)).toEqual([]);
  });
});

describe.each(backends())("a level at 0 points after a /link merge on %s", (kind) => {
  it("is not given to the merged member again", async () => {
    const levels = [{ name: "Newcomer", minPoints: 0, discordRoles: [], slackChannels: [], items: [] }, ...LEVELS];
    const c = await startPoints(kind, ["Grace"], { community: { points: { ...DEFAULT_SETTINGS.points, levels } } });
    try {
      const { identity, points, levels: service } = c.services;
      const discord = (await identity.memberFor(c.communityId, "discord", { id: "100000000000000055", displayName: "Di" })).member.id;
      const slack = (await identity.memberFor(c.communityId, "slack", { id: "U0DI", displayName: "Di (Slack)" })).member.id;
      await points.award({ communityId: c.communityId, actor: { memberId: c.id("Grace"), displayName: "Grace" }, member: { memberId: slack, displayName: "Di" }, amount: 20, reason: "helped", now: c.clock.now() });
      expect(levelUpLines(await service.refreshCommunity(c.communityId))).toContain("reached the **Helper** level");
      const { code } = await identity.createLinkCode(c.communityId, discord, "discord", c.clock.now());
      const account = await c.db.platformAccount.findFirstOrThrow({ where: { memberId: slack } });
      await identity.redeemLinkCode({ code, communityId: c.communityId, platform: "slack", accountId: account.id, now: c.clock.now() });
      await c.services.work.runDue();
      // The merged member has no points left, which a 0-point level would count as reaching it.
      expect(await service.refreshCommunity(c.communityId)).toEqual([]);
      expect(await c.db.memberLevel.findMany({ where: { memberId: slack } })).toEqual([]);
      expect(await c.db.memberLevel.findUnique({ where: { communityId_memberId: { communityId: c.communityId, memberId: discord } } })).toMatchObject({ name: "Helper" });
    } finally {
      await c.dispose();
    }
  });
});

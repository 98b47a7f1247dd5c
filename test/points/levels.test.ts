// Levels (points.levels): reached by lifetime points earned, granting roles, channels and
// catalog items through the promotion source and access sync; redeeming never demotes, a
// creator's correction does; /points shows the level and the points to the next; the
// digest lists level-ups. Expected values come from the levels configured below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommunityConfig } from "../../src/config/communities.js";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { levelsJob } from "../../src/points/jobs.js";
import { quietLogger } from "../support/logger.js";
import type { Reply } from "../../src/core/reply.js";
import { inTransaction } from "../../src/db/transaction.js";
import { digestSections } from "../../src/digest/sections.js";
import { playgroundCommunity, who } from "../support/community.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";
import { DIGEST_SOURCES } from "../digest/support.js";

const HELPER_ROLE = "300000000000000001";
const MENTOR_ROLE = "300000000000000002";
const COURSE_ROLE = "300000000000000009";
export const LEVELS = [
  { name: "Helper", minPoints: 10, discordRoles: [HELPER_ROLE], slackChannels: ["C0HELPERS"], items: [] },
  { name: "Mentor", minPoints: 50, discordRoles: [MENTOR_ROLE], slackChannels: [], items: ["async-rust"] },
];

const text = (r: Reply) => {
  if (r.tone === "error") throw new Error(`command failed: ${r.text}`);
  return r.text ?? "";
};

describe.each(backends())("levels on %s", (kind) => {
  let c: PointsCommunity;
  let ada: string;
  let config: CommunityConfig;
  const award = (points: number, reason = "helped a lot") => c.run("Cleo", "award", { member: who("Ada"), points, reason }, { level: "creator" });
  const levelOf = async () => (await c.db.memberLevel.findUnique({ where: { communityId_memberId: { communityId: c.communityId, memberId: ada } } }))?.name ?? "";
  const promotions = () => c.db.entitlement.findMany({ where: { memberId: ada, source: "promotion" } });

  beforeAll(async () => {
    c = await startPoints(kind, ["Ada", "Cleo"], { community: { points: { ...DEFAULT_SETTINGS.points, levels: LEVELS } } });
    config = playgroundCommunity({ points: { ...DEFAULT_SETTINGS.points, levels: LEVELS } });
    ada = c.id("Ada");
    await c.db.catalogItem.create({
      data: { communityId: c.communityId, name: "async-rust", title: "Async Rust", description: "", stripePriceId: "price_ar", stripeProductId: "prod_ar", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [COURSE_ROLE], slackChannelIds: [] },
    });
    text(await c.run("Cleo", "reward", { name: "pairing", title: "Pairing session", cost: 30, kind: "custom" }, { subcommand: "add", level: "creator" }));
  });
  afterAll(() => c.dispose());

  it("/points shows no level and the points to the first", async () => {
    expect(text(await c.run("Ada", "points"))).toContain("No level yet · 0 points earned · 10 points more to **Helper**");
  });

  it("reaching a level announces it and grants its roles and channels; /points shows the points to the next", async () => {
    expect(text(await award(12))).toContain("🎖️ **Ada** reached the **Helper** level (12 points earned)!");
    expect(await levelOf()).toBe("Helper");
    expect(text(await c.run("Ada", "points"))).toContain("Level **Helper** · 12 points earned · 38 points more to **Mentor**");
    const access = await c.services.entitlements.desiredAccess(ada, c.clock.now());
    expect(access).toEqual({ discordRoleIds: [HELPER_ROLE], slackChannelIds: ["C0HELPERS"] });
    // The level's roles are managed, so they are taken back when the level is.
    expect((await c.services.entitlements.managedAccess(c.communityId)).discordRoleIds).toEqual(expect.arrayContaining([HELPER_ROLE, MENTOR_ROLE, COURSE_ROLE]));
    expect(await promotions()).toEqual([]);
  });

  it("a higher level adds its items through the promotion source, keeping the lower level's roles", async () => {
    expect(text(await award(40))).toContain("reached the **Mentor** level (52 points earned)");
    const [promotion] = await promotions();
    expect(promotion).toMatchObject({ source: "promotion", revokedAt: null });
    expect(text(await c.run("Ada", "points"))).toContain("Level **Mentor** · 52 points earned · the highest level");
    const access = await c.services.entitlements.desiredAccess(ada, c.clock.now());
    expect([...access.discordRoleIds].sort()).toEqual([HELPER_ROLE, MENTOR_ROLE, COURSE_ROLE].sort());
  });

  it("redeeming a reward spends the balance but never demotes", async () => {
    text(await c.run("Ada", "redeem", { reward: "pairing" }));
    expect(await c.balance("Ada")).toBe(22);
    expect(await c.services.levels.refresh(c.communityId, [ada])).toEqual([]);
    expect(await levelOf()).toBe("Mentor");
    expect(text(await c.run("Ada", "points"))).toContain("Level **Mentor** · 52 points earned");
  });

  it("a creator's correction below the threshold takes the level and its item back; a purchase of the same item stays", async () => {
    text(await c.run("Cleo", "access", { member: who("Ada"), item: "async-rust" }, { subcommand: "grant", level: "creator" }));
    // 52 - 10 = 42 earned: below Mentor (50), still Helper (10).
    const corrected = text(await award(-10, "counted twice"));
    expect(corrected).not.toContain("reached");
    expect(await levelOf()).toBe("Helper");
    expect((await promotions()).map((e) => e.revokedAt !== null)).toEqual([true]);
    const access = await c.services.entitlements.desiredAccess(ada, c.clock.now());
    // Mentor's role is gone; the purchased (here: granted) course keeps its role.
    expect([...access.discordRoleIds].sort()).toEqual([HELPER_ROLE, COURSE_ROLE].sort());
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });

  it("points from elsewhere (an accepted answer) reach a level through the minute job, and the digest lists the level-up", async () => {
    const before = c.clock.now();
    c.clock.advance(60_000);
    await inTransaction(c.db, (tx) =>
      c.services.ledger.append(tx, [{ communityId: c.communityId, memberId: ada, amount: 15, category: "answers", reason: "Accepted answer to #1", source: "question:q1", idempotencyKey: "qa:q1:answerer", at: c.clock.now() }]),
    );
    expect(await levelOf()).toBe("Helper");
    await levelsJob(c.services, [config], quietLogger()).run(c.clock.now());
    expect(await levelOf()).toBe("Mentor");
    expect((await promotions()).map((e) => e.revokedAt)).toEqual([null]);
    expect(await c.services.levels.refreshCommunity(c.communityId)).toEqual([]);
    const [section] = await digestSections(c.db, { communityId: c.communityId, from: before, to: c.clock.now(), now: c.clock.now() }, ["levels"], DIGEST_SOURCES);
    expect(section).toEqual({ name: "levels", heading: "🎖️ Level-ups", lines: ["• **Ada** reached **Mentor**"] });
  });
});

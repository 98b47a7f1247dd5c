import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { badgeAnnouncement } from "../../src/points/badges.js";
import { escrowAccount, type PointCategory } from "../../src/points/ledger.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

describe.each(backends())("badges on %s", (kind) => {
  let c: PointsCommunity;
  let n = 0;
  /** What Q&A and review do: append their points, then ask for the badges that became due, in one transaction. */
  const earn = (name: string, category: PointCategory, amount = 5, source = `test:${++n}`) =>
    inTransaction(c.db, async (tx) => {
      const memberId = c.id(name);
      await c.services.ledger.append(tx, [{ communityId: c.communityId, memberId, amount, category, reason: "test", source, idempotencyKey: `test:${++n}` }]);
      return c.services.points.badgesAfter(tx, c.communityId, [memberId]);
    });

  beforeAll(async () => {
    c = await startPoints(kind, ["Ada", "Ben", "Cat"]);
  });
  afterAll(() => c.dispose());

  it("awards the first accepted answer when the first answers row lands, once", async () => {
    const first = await earn("Ada", "answers", 10);
    expect(first.map((b) => b.badge.id)).toEqual(["first-accepted-answer"]);
    expect(badgeAnnouncement(first)).toBe("💡 **Ada** earned the **First accepted answer** badge for a first answer accepted by the asker!");
    expect(await earn("Ada", "answers", 10)).toEqual([]);
  });

  it("awards ten reviews at the tenth review, not before, and keeps it when one is reversed", async () => {
    const earned: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const badges = await earn("Ben", "reviews", 5, `review:${i}`);
      earned.push(...badges.map((b) => `${i}:${b.badge.id}`));
    }
    expect(earned).toEqual(["1:first-review", "10:ten-reviews"]);
    await inTransaction(c.db, (tx) => c.services.ledger.reverseSource(tx, c.communityId, "review:3", "withdrawn"));
    const tally = await c.db.pointCategoryTotal.findUniqueOrThrow({ where: { communityId_memberId_category: { communityId: c.communityId, memberId: c.id("Ben"), category: "reviews" } } });
    expect(tally).toMatchObject({ total: 45, earned: 9 });
    expect(await c.db.badgeAward.count({ where: { memberId: c.id("Ben") } })).toBe(2);
  });

  it("awards the hundred-points badge on the balance, several badges at once in catalogue order", async () => {
    const badges = await earn("Cat", "kudos", 100);
    expect(badges.map((b) => b.badge.id)).toEqual(["first-kudos", "hundred-points"]);
  });

  it("returns a badge once however many transactions race for it", async () => {
    await c.join("Dan");
    await inTransaction(c.db, (tx) =>
      c.services.ledger.append(tx, [{ communityId: c.communityId, memberId: c.id("Dan"), amount: 150, category: "awards", reason: "t", source: "t", idempotencyKey: "dan" }]),
    );
    const results = await Promise.all(Array.from({ length: 8 }, () => c.services.points.badgesAfter(c.db, c.communityId, [c.id("Dan")])));
    expect(results.flat().map((b) => b.badge.id)).toEqual(["hundred-points"]);
  });

  it("never gives badges to escrow accounts", async () => {
    const escrow = escrowAccount("q1");
    await inTransaction(c.db, (tx) => c.services.ledger.append(tx, [{ communityId: c.communityId, memberId: escrow, amount: 500, category: "bounties", reason: "t", source: "t", idempotencyKey: "escrow" }]));
    expect(await c.services.points.badgesAfter(c.db, c.communityId, [escrow])).toEqual([]);
  });

  it("shows badges in /points", async () => {
    const r = await c.run("Ben", "points");
    expect(r.fields).toEqual([{ name: "Badges", value: "🔍 First review · 🛠️ Ten reviews" }]);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});

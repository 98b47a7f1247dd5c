import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { escrowAccount, type PointCategory } from "../../src/points/ledger.js";
import { DAY, who } from "../support/community.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const creator = { level: "creator" as const };

describe.each(backends())("/award and /points on %s", (kind) => {
  let c: PointsCommunity;
  beforeAll(async () => {
    c = await startPoints(kind, ["Ada", "Ben", "Cat"]);
  });
  afterAll(() => c.dispose());

  it("is for creators only", async () => {
    const r = await c.run("Ben", "award", { member: who("Cat"), points: 10, reason: "nice" });
    expect(r).toMatchObject({ tone: "error", text: "Only creators can use /award." });
  });

  it("gives points publicly with the reason, and announces badges reached", async () => {
    const r = await c.run("Ada", "award", { member: who("Ben"), points: 120, reason: "ran the meetup" }, creator);
    expect(r).toMatchObject({ visibility: "public", tone: "success" });
    expect(r.text).toBe("🎉 **Ben** received **120 points** from **Ada**: “ran the meetup”\n💯 **Ben** earned the **Hundred points** badge for reaching 100 points!");
    expect(await c.balance("Ben")).toBe(120);
  });

  it("takes points back privately, never below zero", async () => {
    const tooMuch = await c.run("Ada", "award", { member: who("Ben"), points: -500, reason: "typo" }, creator);
    expect(tooMuch).toMatchObject({ tone: "error", text: "**Ben** has only 120 points: you can take back at most that many." });
    const r = await c.run("Ada", "award", { member: who("Ben"), points: -20, reason: "typo in the award" }, creator);
    expect(r).toMatchObject({ visibility: "ephemeral", text: "Took 20 points from **Ben** (“typo in the award”). Their balance is now 100 points." });
  });

  it("refuses zero points, self-awards and reasons past the limit", async () => {
    expect((await c.run("Ada", "award", { member: who("Ben"), points: 0, reason: "nothing" }, creator)).text).toBe("Give a whole number of points other than 0.");
    expect((await c.run("Ada", "award", { member: who("Ada"), points: 5, reason: "for me" }, creator)).text).toBe("You can't award points to yourself.");
    expect((await c.run("Ada", "award", { member: who("Ben"), points: 5, reason: "x".repeat(201) }, creator)).text).toBe("`reason` is too long: 201 characters, the limit is 200.");
  });

  it("/points shows the balance, rank, badges and the last 10 rows, newest first", async () => {
    for (let i = 1; i <= 12; i++) {
      c.clock.advance(60_000);
      await c.run("Ada", "award", { member: who("Cat"), points: i, reason: `step ${i}` }, creator);
    }
    const r = await c.run("Cat", "points");
    expect(r.title).toBe("Your points");
    const lines = (r.text ?? "").split("\n");
    expect(lines[0]).toBe("**78 points** · #2 on the leaderboard");
    expect(lines.slice(2)).toHaveLength(11); // "**Recent**" and ten rows
    expect(lines[3]).toBe("`+12` awards · Award from Ada: step 12 · just now");
    expect(lines[12]).toBe("`+3` awards · Award from Ada: step 3 · 9 min ago");
    const ben = await c.run("Cat", "points", { member: who("Ben") });
    expect(ben.title).toBe("Ben's points");
    expect(ben.fields).toEqual([{ name: "Badges", value: "💯 Hundred points" }]);
    expect((await c.run("Dora", "points")).text).toBe("**0 points**\n\nNo points yet: answer questions, review code and help others to earn some.");
  });

  it("keeps every balance equal to the sum of its ledger rows", async () => {
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});

describe.each(backends())("/leaderboard on %s", (kind) => {
  let c: PointsCommunity;
  const NAMES = Array.from({ length: 14 }, (_, i) => `M${String(i + 1).padStart(2, "0")}`);
  const give = (name: string, amount: number, category: PointCategory, daysAgo: number) =>
    inTransaction(c.db, (tx) =>
      c.services.ledger.append(tx, [
        { communityId: c.communityId, memberId: c.id(name), amount, category, reason: "seed", source: "seed", idempotencyKey: `seed:${name}:${category}:${daysAgo}:${amount}`, at: new Date(c.clock.now().getTime() - daysAgo * DAY) },
      ]),
    );

  beforeAll(async () => {
    c = await startPoints(kind, [...NAMES, "Merged", "Quiet"]);
    c.clock.set("2026-12-20T12:00:00Z"); // a Sunday: this week began Monday 14 December
    // M01 has the most of all time, all of it long ago; M14 the least. M05 and M06 tie.
    for (const [i, name] of NAMES.entries()) await give(name, 200 - i * 10, "answers", 60);
    await give("M06", 10, "answers", 61);
    await give("M13", 100, "reviews", 10); // this month, not this week
    await give("M14", 150, "kudos", 2); // this week
    await give("M12", 30, "reviews", 3);
    await give("Merged", 10_000, "awards", 1);
    await c.db.member.update({ where: { id: c.id("Merged") }, data: { mergedIntoId: c.id("M01") } });
    await inTransaction(c.db, (tx) =>
      c.services.ledger.append(tx, [{ communityId: c.communityId, memberId: escrowAccount("q1"), amount: 5000, category: "bounties", reason: "escrow", source: "question:q1", idempotencyKey: "escrow:q1" }]),
    );
  });
  afterAll(() => c.dispose());

  const board = (as: string, options: Record<string, string> = {}) => c.run(as, "leaderboard", options);

  it("ranks all time by balance, top 10, with ties sharing a place and the viewer's own rank below", async () => {
    const r = await board("M12");
    expect(r.title).toBe("Leaderboard · all time");
    expect(r.text?.split("\n")).toEqual([
      "🥇 **M14** · 220 points",
      "🥈 **M01** · 200 points",
      "🥉 **M02** · 190 points",
      "4. **M03** · 180 points",
      "4. **M13** · 180 points",
      "6. **M04** · 170 points",
      "7. **M05** · 160 points",
      "7. **M06** · 160 points",
      "9. **M07** · 140 points",
      "10. **M08** · 130 points",
      "",
      "You are #11 with 120 points.",
    ]);
    expect(r.footer).toBeUndefined();
  });

  it("marks the viewer when they are in the top 10, and says when they are not on the board", async () => {
    const top = await board("M03");
    expect(top.text).toContain("4. **M03** · 180 points ← you");
    expect(top.text).not.toContain("You are");
    expect((await board("Quiet")).text).toMatch(/\n\nYou are not on this board yet\.$/);
  });

  it("ranks this calendar week and month from the kept period totals", async () => {
    const week = await board("M12", { period: "week" });
    expect(week).toMatchObject({ title: "Leaderboard · this week", text: "🥇 **M14** · 150 points\n🥈 **M12** · 30 points ← you", footer: "Since Mon 14 Dec, 00:00 UTC." });
    const month = await board("M01", { period: "month" });
    expect(month.text?.split("\n")).toEqual(["🥇 **M14** · 150 points", "🥈 **M13** · 100 points", "🥉 **M12** · 30 points", "", "You are not on this board yet."]);
    expect(month.footer).toBe("Since 1 Dec, 00:00 UTC.");
  });

  it("filters by category, all time from the category totals and in periods from the period totals", async () => {
    const reviews = await board("M12", { category: "reviews" });
    expect(reviews.title).toBe("Leaderboard · all time · reviews");
    expect(reviews.text).toBe("🥇 **M13** · 100 points\n🥈 **M12** · 30 points ← you");
    expect((await board("M12", { period: "week", category: "reviews" })).text).toBe("🥇 **M12** · 30 points ← you");
    expect((await board("M12", { period: "week", category: "bounties" })).text).toBe("Nobody has bounties points this week.");
  });

  it("starts a new week on Monday at 00:00 UTC", async () => {
    c.clock.set("2026-12-21T00:00:00Z");
    expect((await board("M12", { period: "week" })).text).toBe("Nobody has points this week.");
    expect((await board("M12", { period: "month" })).text).toContain("🥉 **M12** · 30 points ← you");
    c.clock.set("2026-12-20T12:00:00Z");
  });

  it("ranks a viewer outside the top 10 by counting who is above them", async () => {
    const r = await board("M11", { category: "answers" });
    expect(r.text).toMatch(/\n\nYou are #11 with 100 points\.$/);
  });

  it("keeps the period totals equal to the rows of each week and month", async () => {
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });

  it("never shows escrow accounts or members merged into another", async () => {
    for (const options of [{}, { period: "week" }, { category: "awards" }, { category: "bounties" }]) {
      const r = await board("M01", options);
      expect(r.text ?? "").not.toMatch(/Merged|escrow|10000|5000/);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escrowAccount } from "../../src/points/ledger.js";
import { DAY, HOUR } from "../support/community.js";
import { backends } from "../support/databases.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("bounties on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
  });
  afterAll(() => c.dispose());

  const escrow = (questionId: string) => c.services.ledger.balance(c.communityId, escrowAccount(questionId));
  /** Every member's and escrow account's balance together. */
  async function total(): Promise<number> {
    return (await c.db.pointBalance.aggregate({ where: { communityId: c.communityId }, _sum: { balance: true } }))._sum.balance ?? 0;
  }
  /** Points ever created by awards, accepted answers and questions: everything a bounty may not do. */
  async function created(): Promise<number> {
    const sum = await c.db.pointEntry.aggregate({ where: { communityId: c.communityId, category: { in: ["awards", "answers", "questions"] } }, _sum: { amount: true } });
    return sum._sum.amount ?? 0;
  }
  /** Bounties move points and never create or destroy them, and every balance equals its rows. */
  async function expectConserved(): Promise<void> {
    const bounties = await c.db.pointEntry.aggregate({ where: { communityId: c.communityId, category: "bounties" }, _sum: { amount: true } });
    expect(bounties._sum.amount ?? 0).toBe(0);
    expect(await total()).toBe(await created());
    const drift = await c.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "PointBalance" b
      WHERE b."communityId" = ${c.communityId}
        AND b."balance" <> (SELECT coalesce(sum(e."amount"), 0) FROM "PointEntry" e WHERE e."communityId" = b."communityId" AND e."memberId" = b."memberId")`;
    expect(drift[0]!.n).toBe(0);
  }
  /** Moves the clock past the question's bounty window. */
  const pastTheWindow = () => c.clock.advance(7 * DAY + HOUR);

  it("pays the bounty to the accepted answer, on top of its 15 points", async () => {
    await c.give("Ada", 100);
    const { question } = await c.ask("Ada", { bounty: "40" });
    const answer = await c.replyIn(question!, "Grace");
    const reply = await c.accept("Ada", answer);
    expect(reply.text).toContain("They earn 15 points and the 40-point bounty");
    expect(await escrow(question!.id)).toBe(0);
    const rows = await c.db.pointEntry.findMany({ where: { source: `answer:${question!.id}`, category: "bounties" } });
    expect(rows.map((r) => [r.memberId, r.amount]).sort()).toEqual([[escrowAccount(question!.id), -40], [await c.memberId("Grace"), 40]].sort());
    expect(c.chat.posts.find((p) => p.kind === "solved" && p.thread.threadId === question!.threadId)!.message.text).toContain("the 40-point bounty");
    await expectConserved();
  });

  it("moves the bounty with the acceptance when another answer is accepted instead", async () => {
    await c.give("Linus", 50);
    const { question } = await c.ask("Linus", { bounty: "50" });
    const first = await c.replyIn(question!, "Ken");
    const second = await c.replyIn(question!, "Dennis");
    await c.accept("Linus", first);
    c.clock.advance(1000);
    await c.accept("Linus", second);
    const bounty = await c.db.pointEntry.groupBy({ by: ["memberId"], where: { source: `answer:${question!.id}`, category: "bounties" }, _sum: { amount: true } });
    expect(Object.fromEntries(bounty.map((b) => [b.memberId, b._sum.amount]))).toEqual({ [await c.memberId("Ken")]: 0, [await c.memberId("Dennis")]: 50, [escrowAccount(question!.id)]: -50 });
    await expectConserved();
  });

  it("goes back to the asker when they mark it solved without crediting anyone", async () => {
    await c.give("Barbara", 30);
    const { question } = await c.ask("Barbara", { bounty: "30" });
    expect(await c.balance("Barbara")).toBe(0);
    const reply = await c.run("Barbara", "solved", { question: String(question!.number) });
    expect(reply.text).toContain("The 30-point bounty went back to you.");
    expect(await c.balance("Barbara")).toBe(30);
    expect(await c.question(question!.number)).toMatchObject({ status: "solved", bountySettledAt: c.clock.now() });
    await expectConserved();
  });

  it("after the window: half to the most thanked reply, the rest back to the asker, once", async () => {
    await c.give("Margaret", 25);
    const { question } = await c.ask("Margaret", { bounty: "25" });
    await c.replyIn(question!, "Grace");
    await c.replyIn(question!, "Ken");
    await c.replyIn(question!, "Dennis");
    await c.db.questionReply.updateMany({ where: { questionId: question!.id, authorId: await c.memberId("Ken") }, data: { thanks: 3 } });
    await c.db.questionReply.updateMany({ where: { questionId: question!.id, authorId: await c.memberId("Dennis") }, data: { thanks: 1 } });
    const [ken, margaret] = [await c.balance("Ken"), await c.balance("Margaret")];

    c.clock.advance(7 * DAY - HOUR);
    expect(await c.services.qa.settleBounties(c.clock.now())).toBe(0);
    c.clock.advance(2 * HOUR);
    expect(await c.services.qa.settleBounties(c.clock.now())).toBe(1);
    expect(await c.services.qa.settleBounties(c.clock.now())).toBe(0);

    expect(await c.balance("Ken")).toBe(ken + 13);
    expect(await c.balance("Margaret")).toBe(margaret + 12);
    expect(await escrow(question!.id)).toBe(0);
    expect(await c.question(question!.number)).toMatchObject({ status: "open", bountySettledAt: c.clock.now() });
    const note = c.chat.posts.at(-1)!;
    expect(note).toMatchObject({ kind: "in-thread", thread: { threadId: question!.threadId } });
    expect(note.message.text).toContain("13 points go to **Ken**, whose reply got the most thanks. 12 points went back to the asker.");
    await expectConserved();

    // Accepting later still pays the answer's points, but there is no bounty left to pay.
    await c.run("Margaret", "solved", { question: String(question!.number), answerer: { platform: "playground", id: "pg-grace", displayName: "Grace" } });
    expect(await c.db.pointEntry.count({ where: { source: `answer:${question!.id}`, category: "bounties" } })).toBe(0);
    await expectConserved();
  });

  it("after the window with no thanked reply, it all goes back to the asker", async () => {
    await c.give("Alan", 10);
    const { question } = await c.ask("Alan", { bounty: "10" });
    await c.replyIn(question!, "Grace"); // a reply without thanks earns no share
    pastTheWindow();
    expect(await c.services.qa.settleBounties(c.clock.now())).toBe(1);
    expect(await c.balance("Alan")).toBe(10);
    expect(c.chat.posts.at(-1)!.message.text).toContain("10 points went back to the asker.");
    await expectConserved();
  });

  it("conserves points when an accept and the expiry race for the same bounty", async () => {
    for (let round = 0; round < 4; round++) {
      const asker = `Racer${round}`;
      await c.give(asker, 100);
      const { question } = await c.ask(asker, { bounty: "100" });
      const answer = await c.replyIn(question!, "Grace");
      await c.db.questionReply.updateMany({ where: { questionId: question!.id }, data: { thanks: 2 } });
      pastTheWindow();
      const [accepted] = await Promise.all([c.accept(asker, answer), c.services.qa.settleBounties(c.clock.now())]);
      expect(accepted.tone).toBe("success");
      expect(await escrow(question!.id)).toBe(0);
      // Grace got either the whole bounty (accept first) or half of it (expiry first), never both.
      const toGrace = await c.db.pointEntry.aggregate({ where: { memberId: await c.memberId("Grace"), category: "bounties", source: { in: [`answer:${question!.id}`, `bounty:${question!.id}`] } }, _sum: { amount: true } });
      expect([50, 100]).toContain(toGrace._sum.amount);
      await expectConserved();
    }
  });
});

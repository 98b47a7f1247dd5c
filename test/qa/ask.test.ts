import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escrowAccount } from "../../src/points/ledger.js";
import { backends } from "../support/databases.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("/ask on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
  });
  afterAll(() => c.dispose());

  /** Posts made by what runs inside `work`. */
  async function postsDuring(work: () => Promise<unknown>) {
    const before = c.chat.posts.length;
    await work();
    return c.chat.posts.slice(before);
  }

  it("opens a thread with the question and records it with the community's next number", async () => {
    let asked!: Awaited<ReturnType<QaCommunity["ask"]>>;
    const posts = await postsDuring(async () => (asked = await c.ask("Ada", { title: "How do I pin a future?", details: "Box::pin gives me a lifetime error.", tags: "Rust, #async rust" })));
    const { reply, question } = asked;
    expect(question).toMatchObject({ number: 1, title: "How do I pin a future?", tags: ["rust", "async"], status: "open", bounty: 0, channelId: "general" });
    expect(reply).toMatchObject({ visibility: "public", links: [{ label: "Open the thread", url: question!.url }] });
    expect(reply.text).toContain("#1");
    expect(posts).toMatchObject([{ kind: "thread", title: "How do I pin a future?", tags: ["rust", "async"], thread: { threadId: question!.threadId }, message: { text: "Box::pin gives me a lifetime error." } }]);
  });

  it("numbers questions asked at the same moment without gaps or collisions", async () => {
    const before = await c.db.question.count();
    const replies = await Promise.all(["Grace", "Linus", "Barbara", "Ken", "Margaret"].map((name) => c.ask(name)));
    expect(replies.every((r) => r.reply.visibility === "public")).toBe(true);
    const numbers = (await c.db.question.findMany({ orderBy: { number: "asc" } })).map((q) => q.number);
    expect(numbers).toEqual(Array.from({ length: before + 5 }, (_, i) => i + 1));
  });

  it("holds a bounty in escrow: the asker's points move to the question's escrow account", async () => {
    await c.give("Alan", 60);
    const posts = await postsDuring(async () => {
      const { question } = await c.ask("Alan", { bounty: "50" });
      expect(question).toMatchObject({ bounty: 50 });
      expect(await c.balance("Alan")).toBe(10);
      expect(await c.services.ledger.balance(c.communityId, escrowAccount(question!.id))).toBe(50);
      const rows = await c.db.pointEntry.findMany({ where: { category: "bounties", source: `bounty:${question!.id}` }, orderBy: { amount: "asc" } });
      expect(rows.map((r) => [r.memberId, r.amount])).toEqual([[await c.memberId("Alan"), -50], [escrowAccount(question!.id), 50]]);
    });
    expect(posts[0]).toMatchObject({ message: { fields: expect.arrayContaining([{ name: "Bounty", value: "50 points for the accepted answer", inline: true }]) } });
  });

  it("refuses a bounty out of range, a bounty beyond the asker's points, oversized text and bad tags, before opening anything", async () => {
    await c.give("Edsger", 30);
    const questions = await c.db.question.count();
    const replies: string[] = [];
    const posts = await postsDuring(async () => {
      for (const options of [
        { bounty: "9" },
        { bounty: "501" },
        { bounty: "40" },
        { title: "x".repeat(101) },
        { details: "y".repeat(2001) },
        { tags: "rust, but-this-one-is-far-too-long-for-a-tag" },
        { tags: "a b c d e f" },
      ]) {
        const { reply } = await c.ask("Edsger", options);
        expect(reply).toMatchObject({ visibility: "ephemeral", tone: "error" });
        replies.push(reply.text!);
      }
    });
    expect(replies[0]).toContain("from 10 to 500");
    expect(replies[1]).toContain("from 10 to 500");
    expect(replies[2]).toBe("A 40-point bounty needs 40 of your points; you have 30. Offer at most 30, or ask without a bounty.");
    expect(replies[3]).toContain("the limit is 100");
    expect(replies[4]).toContain("the limit is 2000");
    expect(replies[5]).toContain("“but-this-one-is-far-too-long-for-a-tag”");
    expect(replies[6]).toContain("Up to 5 tags");
    expect(posts).toHaveLength(0);
    expect(await c.db.question.count()).toBe(questions);
    expect(await c.balance("Edsger")).toBe(30);
  });

  /** Asks with a bounty the asker can pay when checked but no longer when recording (issue 10, defect 1). */
  async function askWhilePointsAreSpent(name: string) {
    await c.give(name, 20);
    // The points are spent elsewhere between the check and the transaction.
    const open = c.chat.openThread.bind(c.chat);
    c.chat.openThread = async (...args) => {
      await c.give(name, -15);
      return open(...args);
    };
    try {
      let reply!: Awaited<ReturnType<QaCommunity["ask"]>>["reply"];
      const posts = await postsDuring(async () => ({ reply } = await c.ask(name, { bounty: "20" })));
      return { reply, posts };
    } finally {
      c.chat.openThread = open;
    }
  }

  it("removes the thread when the question could not be recorded, tells the asker it was not posted, and writes nothing", async () => {
    const questions = await c.db.question.count();
    const removedBefore = c.chat.removed.length;
    const { reply, posts } = await askWhilePointsAreSpent("Donald");
    expect(reply).toMatchObject({ visibility: "ephemeral", tone: "error" });
    expect(reply.text).toBe("Your question was not posted: it could not be recorded, so I removed its thread. No points were taken. You have 5 points; this needs 20. Please try `/ask` again.");
    expect(posts).toEqual([]);
    expect(c.chat.removed.slice(removedBefore).map((r) => r.posts.map((p) => p.kind))).toEqual([["thread"]]);
    expect(await c.db.question.count()).toBe(questions);
    expect(await c.db.pointEntry.count({ where: { category: "bounties", memberId: await c.memberId("Donald") } })).toBe(0);
    expect(await c.balance("Donald")).toBe(5);
  });

  it("says in the thread that the question was not recorded when the thread cannot be removed", async () => {
    const remove = c.chat.removeThread.bind(c.chat);
    c.chat.removeThread = async () => {
      throw new Error("Missing Permissions");
    };
    try {
      const { reply, posts } = await askWhilePointsAreSpent("Barbara");
      expect(reply).toMatchObject({ visibility: "ephemeral", tone: "error" });
      expect(reply.text).toContain("Your question could not be recorded, so it was not posted: answers in the thread I opened cannot be accepted, and the thread says so.");
      expect(reply.text).toContain("Please try `/ask` again.");
      expect(posts.map((p) => p.kind)).toEqual(["thread", "in-thread"]);
      expect(posts[1]!.message.text).toBe("⚠️ This question could not be recorded, so answers here cannot be accepted and no points were taken. Please ask again with `/ask`.");
    } finally {
      c.chat.removeThread = remove;
    }
    expect(await c.balance("Barbara")).toBe(5);
  });

  it("never turns the asker's words into mentions", async () => {
    const tokens = /\[\[(#|@&|@\^|@)[A-Za-z0-9]+\]\]/;
    const posts = await postsDuring(async () => {
      const { reply } = await c.ask("Ada", { title: "Why does [[@&123456]] ping?", details: "See [[@U0123ABC]] and [[@^S0123]] and [[#C0123ABC]]." });
      expect(reply.text).not.toMatch(tokens);
    });
    expect(posts[0]!.message.text).not.toMatch(tokens);
    expect((posts[0] as { title: string }).title).not.toMatch(tokens);
    expect(posts[0]!.message.pings).toBeUndefined();
  });
});

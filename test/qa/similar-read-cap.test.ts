import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { similarQuestions } from "../../src/qa/similar.js";
import { searchQuestions } from "../../src/qa/search.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

/**
 * The lookup reads at most 300 rows (src/qa/similar.ts, READ), those holding the title's three
 * rarest words first. Here three words go together in pairs in 600 questions (each pair in 200)
 * and all three only in the last question stored: the pairs alone would fill the 300 rows read
 * before reaching it.
 */
describe.each(backends())("similar questions read a bounded number of rows (%s)", (kind) => {
  let db: TestDatabase;
  let communityId: string;
  const pairs = [["tokio", "serde"], ["serde", "axum"], ["tokio", "axum"]] as const;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    communityId = (await db.prisma.community.create({ data: { slug: "read-cap", name: "Read cap" } })).id;
    const row = (number: number, title: string) => ({ communityId, number, askerId: "asker", title, details: "", tags: [], platform: "playground", spaceId: "s", channelId: "c", threadId: `t${number}` });
    // One statement per pair, in order: the table holds them in this order.
    for (const [p, [a, b]] of pairs.entries()) {
      await db.prisma.question.createMany({ data: Array.from({ length: 200 }, (_, i) => row(p * 200 + i + 1, `${a} ${b} ${p * 200 + i + 1}`)) });
    }
    await db.prisma.question.create({ data: row(601, "tokio serde axum") });
    await db.prisma.$executeRawUnsafe(`ANALYZE "Question"`);
  });
  afterAll(() => db.dispose());

  it("finds the question holding all three words although 600 hold two of them", async () => {
    const found = await similarQuestions(db.prisma, communityId, { title: "tokio serde axum" });
    expect(found[0]?.number).toBe(601);
  });

  it("/questions still answers for words hundreds of questions hold", async () => {
    const found = await searchQuestions(db.prisma, communityId, "tokio serde");
    expect(found).toHaveLength(10);
    expect(found.every((q) => /tokio/.test(q.title) && /serde/.test(q.title))).toBe(true);
  });
});

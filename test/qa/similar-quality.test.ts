import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { similarForAsk } from "../../src/qa/similar.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import labelled from "./labelled/similar-questions.json" with { type: "json" };

/**
 * Precision at 3 of the similar-questions lookup on hand-labelled programmer questions. Every
 * question of the set is in the community; each question on the left of a pair asks for its
 * similar questions. A result counts as right only when it is labelled similar to the query
 * (a result the set does not label, or labels not similar, counts as wrong).
 * precision = right results / results shown; recall = similar pairs found in the top 3 / similar pairs.
 */
const TARGET_PRECISION = 0.8;

describe.each(backends())("similar questions on labelled pairs (%s)", (kind) => {
  let db: TestDatabase;
  let communityId: string;
  const numberOf = new Map<string, number>();
  beforeAll(async () => {
    db = await freshDatabase(kind);
    communityId = (await db.prisma.community.create({ data: { slug: "similar", name: "Similar" } })).id;
    let number = 0;
    for (const q of labelled.questions) {
      number += 1;
      numberOf.set(q.id, number);
      await db.prisma.question.create({
        data: { communityId, number, askerId: "asker", title: q.title, details: q.details, tags: [], platform: "playground", spaceId: "s", channelId: "c", threadId: `t${number}` },
      });
    }
    // As autovacuum would on a live database: the lookup reads word frequencies from the statistics.
    await db.prisma.$executeRawUnsafe(`ANALYZE "Question"`);
  });
  afterAll(() => db.dispose());

  it(`has a precision at 3 of at least ${TARGET_PRECISION}`, async () => {
    expect(labelled.pairs.length).toBeGreaterThanOrEqual(60);
    const similar = new Set(labelled.pairs.filter((p) => p.similar).map((p) => `${p.a}|${p.b}`));
    const idOf = new Map([...numberOf].map(([id, n]) => [n, id]));
    const queries = [...new Set(labelled.pairs.map((p) => p.a))];
    let shown = 0;
    let right = 0;
    let found = 0;
    const wrong: string[] = [];
    for (const a of queries) {
      const q = labelled.questions.find((x) => x.id === a)!;
      const self = await db.prisma.question.findFirstOrThrow({ where: { communityId, number: numberOf.get(a)! } });
      const results = await similarForAsk(db.prisma, communityId, { title: q.title, details: q.details, excludeId: self.id });
      for (const r of results) {
        const b = idOf.get(r.number)!;
        shown += 1;
        if (similar.has(`${a}|${b}`) || similar.has(`${b}|${a}`)) {
          right += 1;
          found += 1;
        } else wrong.push(`${a} → ${b} (${r.score.toFixed(3)})`);
      }
    }
    const precision = right / shown;
    const recall = found / similar.size;
    console.log(
      `similar questions (${kind}): ${queries.length} queries over ${labelled.questions.length} questions, ${labelled.pairs.length} labelled pairs; ` +
        `precision at 3 = ${precision.toFixed(3)} (${right}/${shown}), recall at 3 = ${recall.toFixed(3)} (${found}/${similar.size})` +
        (wrong.length > 0 ? `\n  shown but not labelled similar: ${wrong.join("; ")}` : ""),
    );
    expect(precision).toBeGreaterThanOrEqual(TARGET_PRECISION);
  });
});

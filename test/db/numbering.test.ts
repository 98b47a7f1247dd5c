// nextNumber hands out 1, 2, 3, … per community and table, never the same number twice, even
// when inserts race (on PostgreSQL they run on separate pooled connections at once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextNumber } from "../../src/db/numbering.js";
import { inTransaction } from "../../src/db/transaction.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("nextNumber (%s)", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const community = async (slug: string) => (await database.prisma.community.create({ data: { slug, name: slug } })).id;
  /** Inserts one live event numbered by nextNumber, in its own transaction. */
  const schedule = (communityId: string, title: string) =>
    inTransaction(database.prisma, async (tx) => {
      const number = await nextNumber(tx, "LiveEvent", communityId);
      return tx.liveEvent.create({ data: { communityId, number, title, startsAt: new Date("2026-12-24T18:00:00Z"), durationMin: 60, createdById: "creator" } });
    });

  it("20 concurrent inserts in one community get 1 to 20, each once", async () => {
    const id = await community("numbers-race");
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => schedule(id, `Event ${i}`)));
    expect(created.map((e) => e.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("each community counts on its own, and a rolled-back insert leaves no gap", async () => {
    const [a, b] = [await community("numbers-a"), await community("numbers-b")];
    expect((await schedule(a, "first in a")).number).toBe(1);
    expect((await schedule(b, "first in b")).number).toBe(1);
    await expect(
      inTransaction(database.prisma, async (tx) => {
        await tx.liveEvent.create({ data: { communityId: a, number: await nextNumber(tx, "LiveEvent", a), title: "undone", startsAt: new Date(), durationMin: 60, createdById: "creator" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect((await schedule(a, "second in a")).number).toBe(2);
  });
});

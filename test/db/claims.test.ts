// Claims (src/db/claims.ts): of any number of claimers of one key, exactly one wins, whether
// they come one after another or all at once; claims older than two days are forgotten.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Claims } from "../../src/db/claims.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("interaction claims on %s", (kind) => {
  let database: TestDatabase;
  let claims: Claims;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    claims = new Claims(database.prisma);
  });
  afterAll(() => database?.dispose());

  it("lets the first claim of a key win and every later one lose", async () => {
    expect(await claims.claim("interaction:discord:1")).toBe(true);
    expect(await claims.claim("interaction:discord:1")).toBe(false);
    expect(await claims.claim("interaction:discord:2")).toBe(true);
  });

  it("lets exactly one of twenty concurrent claimers win", async () => {
    const won = await Promise.all(Array.from({ length: 20 }, () => claims.claim("interaction:slack:T1")));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it("forgets claims older than two days, and a forgotten key can be claimed again", async () => {
    const now = new Date("2026-12-07T12:00:00Z");
    await claims.claim("old", new Date("2026-12-05T11:59:59Z"));
    await claims.claim("recent", new Date("2026-12-05T12:00:01Z"));
    expect(await claims.prune(now)).toBeGreaterThanOrEqual(1);
    expect(await claims.claim("old", now)).toBe(true);
    expect(await claims.claim("recent", now)).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { InsufficientPoints, PointsLedger } from "../../src/points/ledger.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("points ledger on %s", (kind) => {
  let database: TestDatabase;
  let ledger: PointsLedger;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    ledger = new PointsLedger(database.prisma);
  });
  afterAll(() => database.dispose());

  const entry = (memberId: string, amount: number, key: string) => ({ communityId: "c1", memberId, amount, category: "awards" as const, reason: "test", source: "award", idempotencyKey: key });

  it("appends once per idempotency key and keeps the balance equal to the sum", async () => {
    const db = database.prisma;
    const first = await inTransaction(db, (tx) => ledger.append(tx, [entry("m1", 5, "k1"), entry("m2", 3, "k2")]));
    const again = await inTransaction(db, (tx) => ledger.append(tx, [entry("m1", 5, "k1")]));
    expect(first.written).toHaveLength(2);
    expect(again).toMatchObject({ written: [], duplicates: [{ idempotencyKey: "k1" }] });
    expect(await ledger.balance("c1", "m1")).toBe(5);
  });

  it("refuses a debit without funds and writes nothing", async () => {
    const db = database.prisma;
    await expect(inTransaction(db, (tx) => ledger.append(tx, [{ ...entry("m2", -4, "k3"), requireFunds: true }]))).rejects.toBeInstanceOf(InsufficientPoints);
    expect(await ledger.balance("c1", "m2")).toBe(3);
    expect(await db.pointEntry.count({ where: { idempotencyKey: "k3" } })).toBe(0);
  });

  it("reverses a source once with compensating rows", async () => {
    const db = database.prisma;
    await inTransaction(db, (tx) => ledger.append(tx, [{ ...entry("m3", 15, "k4"), source: "question:q1" }]));
    await inTransaction(db, (tx) => ledger.reverseSource(tx, "c1", "question:q1", "un-accepted"));
    const twice = await inTransaction(db, (tx) => ledger.reverseSource(tx, "c1", "question:q1", "un-accepted"));
    expect(twice).toHaveLength(0);
    expect(await ledger.balance("c1", "m3")).toBe(0);
    expect(await db.pointEntry.count({ where: { memberId: "m3" } })).toBe(2);
  });
});

import { afterAll, beforeAll, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { escrowAccount, rebuildTotals } from "../../src/points/ledger.js";
import { describeLoad, loadRuns } from "../support/load.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const MEMBERS = Array.from({ length: 12 }, (_, i) => `P${i + 1}`);
const creator = { level: "creator" as const };

// 240 operations in the load project on PostgreSQL; 48 (every kind of operation, 8 times) elsewhere.
describeLoad.each(loadRuns({ small: 48, full: 240 }))("the ledger invariant under $size concurrent mixed operations on $kind", ({ kind, size }) => {
  let c: PointsCommunity;
  beforeAll(async () => {
    c = await startPoints(kind, ["Owner", ...MEMBERS]);
    await c.run("Owner", "reward", { name: "mug", title: "Mug", cost: 15, kind: "custom" }, { ...creator, subcommand: "add" });
  });
  afterAll(() => c.dispose());

  it("keeps every balance and category total equal to the ledger, and no debit overdraws", async () => {
    const pick = (i: number) => MEMBERS[i % MEMBERS.length]!;
    const ref = (name: string) => ({ platform: "playground", id: `pg-${name.toLowerCase()}`, displayName: name });
    for (const name of MEMBERS) await c.run("Owner", "award", { member: ref(name), points: 20, reason: "starting points" }, creator);
    const bounty = (name: string, q: string) =>
      inTransaction(c.db, (tx) =>
        c.services.ledger.append(tx, [
          { communityId: c.communityId, memberId: c.id(name), amount: -3, category: "bounties", reason: "bounty", source: `question:${q}`, idempotencyKey: `bounty:${q}:out`, requireFunds: true },
          { communityId: c.communityId, memberId: escrowAccount(q), amount: 3, category: "bounties", reason: "bounty", source: `question:${q}`, idempotencyKey: `bounty:${q}:in` },
        ]),
      );
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < size; i++) {
      const j = Math.floor(i / 6);
      const who = pick(j);
      const other = pick(j + 5);
      switch (i % 6) {
        case 0:
          work.push(c.thank(who, other));
          break;
        case 1:
          work.push(c.run("Owner", "award", { member: ref(other), points: (i % 11) + 5, reason: "mixed work" }, creator));
          break;
        case 2:
          work.push(c.run("Owner", "award", { member: ref(who), points: -((i % 5) + 1), reason: "correction" }, creator));
          break;
        case 3:
          work.push(c.run(who, "redeem", { reward: "mug" }));
          break;
        case 4: // a bounty: the asker's points go to escrow, then pay the answerer (what Q&A does)
          work.push(
            bounty(who, `q${i}`)
              .then(() =>
                inTransaction(c.db, (tx) =>
                  c.services.ledger.append(tx, [
                    { communityId: c.communityId, memberId: escrowAccount(`q${i}`), amount: -3, category: "bounties", reason: "paid", source: `question:q${i}`, idempotencyKey: `bounty:q${i}:paid` },
                    { communityId: c.communityId, memberId: c.id(other), amount: 3, category: "bounties", reason: "paid", source: `question:q${i}`, idempotencyKey: `bounty:q${i}:won` },
                  ]),
                ),
              )
              .catch(() => undefined),
          );
          break;
        case 5: // a bounty on a question closed unanswered: the whole source is undone
          work.push(
            bounty(who, `q${i}`)
              .then(() => inTransaction(c.db, (tx) => c.services.ledger.reverseSource(tx, c.communityId, `question:q${i}`, "closed unanswered")))
              .catch(() => undefined),
          );
          break;
      }
    }
    await Promise.all(work);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
    const negative = await c.db.pointBalance.count({ where: { communityId: c.communityId, balance: { lt: 0 } } });
    expect(negative).toBe(0);
    // Most of the work was written (150 rows for 240 operations), not refused wholesale.
    expect(await c.db.pointEntry.count({ where: { communityId: c.communityId } })).toBeGreaterThan((size * 150) / 240);
  }, 120_000);

  it("rebuilds balances and category totals from the rows alone", async () => {
    const before = await c.db.pointCategoryTotal.findMany({ where: { communityId: c.communityId }, orderBy: [{ memberId: "asc" }, { category: "asc" }] });
    await c.db.pointCategoryTotal.updateMany({ where: { communityId: c.communityId }, data: { total: 0, earned: 0 } });
    await inTransaction(c.db, (tx) => rebuildTotals(tx, c.communityId));
    expect(await c.db.pointCategoryTotal.findMany({ where: { communityId: c.communityId }, orderBy: [{ memberId: "asc" }, { category: "asc" }] })).toEqual(before);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});

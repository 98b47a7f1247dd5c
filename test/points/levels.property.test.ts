// Property: after any sequence of awards, corrections, thanks, redemptions, accepted answers
// and their reversals, every member holds the level their lifetime earned points reach, as
// computed here from the operations alone (spending never counts; corrections and reversals
// do), and holds the level's item exactly while the level is Mentor or higher.
// Replay: FC_SEED=<seed printed below> npx vitest run test/points/levels.property.test.ts
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { inTransaction } from "../../src/db/transaction.js";
import { backends } from "../support/databases.js";
import { type PointsCommunity, startPoints } from "./support.js";

const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);
const RUNS = Number(process.env.FC_RUNS ?? 6);
const LEVELS = [
  { name: "Helper", minPoints: 10, discordRoles: [], slackChannels: [], items: [] },
  { name: "Mentor", minPoints: 50, discordRoles: [], slackChannels: [], items: ["async-rust"] },
  { name: "Sage", minPoints: 120, discordRoles: [], slackChannels: [], items: [] },
];
const REWARD_COST = 20;
const ANSWER_POINTS = 15;
const MEMBERS = 3;

/** The rule, restated: the highest level whose threshold the lifetime earned points reach. */
function expectedLevel(earned: number): string {
  if (earned >= 120) return "Sage";
  if (earned >= 50) return "Mentor";
  if (earned >= 10) return "Helper";
  return "";
}

type Op =
  | { kind: "award"; member: number; points: number }
  | { kind: "correct"; member: number; points: number }
  | { kind: "thank"; from: number; to: number }
  | { kind: "redeem"; member: number }
  | { kind: "answer"; member: number; question: number }
  | { kind: "unaccept"; question: number };

const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("award" as const), member, points: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant("correct" as const), member, points: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("thank" as const), from: member, to: member }).filter((o) => o.from !== o.to),
  fc.record({ kind: fc.constant("redeem" as const), member }),
  fc.record({ kind: fc.constant("answer" as const), member, question: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant("unaccept" as const), question: fc.integer({ min: 0, max: 4 }) }),
);

describe.each(backends())("levels follow lifetime earned points on %s", (kind) => {
  let c: PointsCommunity;
  let itemId: string;
  beforeAll(async () => {
    const thanks = { points: 1, perGiverPerDay: 1000, perReceiverPerDay: 1000, perPairPerWeek: 1000, minMemberAgeHours: 0 };
    c = await startPoints(kind, ["Cleo"], { community: { points: { ...DEFAULT_SETTINGS.points, thanks, levels: LEVELS } } });
    itemId = (await c.db.catalogItem.create({ data: { communityId: c.communityId, name: "async-rust", title: "Async Rust", description: "", stripePriceId: "price_ar", stripeProductId: "prod_ar", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] } })).id;
    await c.run("Cleo", "reward", { name: "pairing", title: "Pairing", cost: REWARD_COST, kind: "custom" }, { subcommand: "add", level: "creator" });
  });
  afterAll(() => c.dispose());

  it(`holds for ${RUNS} generated sequences (seed ${SEED})`, { timeout: 600_000 }, async () => {
    console.info(`levels property on ${kind}: FC_SEED=${SEED}, ${RUNS} runs`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        run += 1;
        const ids: string[] = [];
        for (let i = 0; i < MEMBERS; i++) ids.push(await c.join(`r${run}m${i}`));
        const earned = ids.map(() => 0);
        const balance = ids.map(() => 0);
        const accepted = new Map<number, number>();
        const now = () => c.clock.now();
        for (const o of ops) {
          c.clock.advance(1000);
          const actor = { memberId: c.id("Cleo"), displayName: "Cleo" };
          if (o.kind === "award" || o.kind === "correct") {
            const amount = o.kind === "award" ? o.points : -o.points;
            if (o.kind === "correct" && balance[o.member]! < o.points) {
              await expect(c.services.points.award({ communityId: c.communityId, actor, member: { memberId: ids[o.member]!, displayName: "m" }, amount, reason: "property", now: now() })).rejects.toThrow();
              continue;
            }
            await c.services.points.award({ communityId: c.communityId, actor, member: { memberId: ids[o.member]!, displayName: "m" }, amount, reason: "property", now: now() });
            earned[o.member]! += amount;
            balance[o.member]! += amount;
          } else if (o.kind === "thank") {
            const settings = { rules: { points: 1, perGiverPerDay: 1000, perReceiverPerDay: 1000, perPairPerWeek: 1000, minMemberAgeHours: 0 }, timeZone: "UTC" };
            await c.services.points.thank({ communityId: c.communityId, giver: { memberId: ids[o.from]!, displayName: "g" }, receiver: { memberId: ids[o.to]!, displayName: "r" }, ...settings, now: now() });
            earned[o.to]! += 1;
            balance[o.to]! += 1;
          } else if (o.kind === "redeem") {
            const redeem = c.services.points.rewards.redeem({ communityId: c.communityId, memberId: ids[o.member]!, rewardName: "pairing", now: now() });
            if (balance[o.member]! < REWARD_COST) {
              await expect(redeem).rejects.toThrow();
              continue;
            }
            await redeem;
            balance[o.member]! -= REWARD_COST;
          } else if (o.kind === "answer") {
            if (accepted.has(o.question)) continue;
            const source = `question:r${run}q${o.question}`;
            await inTransaction(c.db, (tx) =>
              c.services.ledger.append(tx, [{ communityId: c.communityId, memberId: ids[o.member]!, amount: ANSWER_POINTS, category: "answers", reason: "answer", source, idempotencyKey: `${source}:answerer`, at: now() }]),
            );
            accepted.set(o.question, o.member);
            earned[o.member]! += ANSWER_POINTS;
            balance[o.member]! += ANSWER_POINTS;
          } else {
            const who = accepted.get(o.question);
            if (who === undefined) continue;
            await inTransaction(c.db, (tx) => c.services.ledger.reverseSource(tx, c.communityId, `question:r${run}q${o.question}`, "un-accepted"));
            accepted.delete(o.question);
            earned[who]! -= ANSWER_POINTS;
            balance[who]! -= ANSWER_POINTS;
          }
          // Levels are refreshed as the minute job does, at random moments of the story too.
          if (o.kind === "redeem" || o.kind === "unaccept") await c.services.levels.refreshCommunity(c.communityId);
        }
        await c.services.levels.refreshCommunity(c.communityId);
        for (let i = 0; i < MEMBERS; i++) {
          const held = await c.db.memberLevel.findUnique({ where: { communityId_memberId: { communityId: c.communityId, memberId: ids[i]! } } });
          expect(held?.name ?? "", `member ${i}: earned ${earned[i]}, ops ${JSON.stringify(ops)}`).toBe(expectedLevel(earned[i]!));
          expect(await c.balance(`r${run}m${i}`)).toBe(balance[i]);
          const item = await c.db.entitlement.findFirst({ where: { memberId: ids[i]!, source: "promotion", itemId, revokedAt: null } });
          expect(item !== null, `member ${i}: earned ${earned[i]}`).toBe(earned[i]! >= 50);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FC_SHRINK !== "1" },
    );
  });
});

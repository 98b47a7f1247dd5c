// /link folds one member into another; their points, ledger rows and kept totals move to the
// member that remains, and the ledger stays append-only and consistent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { backends } from "../support/databases.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

describe.each(backends())("points follow a /link merge on %s", (kind) => {
  let c: PointsCommunity;
  let discordAda: string;
  let slackAda: string;
  beforeAll(async () => {
    c = await startPoints(kind, ["Grace", "Linus"]);
    const { identity } = c.services;
    discordAda = (await identity.memberFor(c.communityId, "discord", { id: "100000000000000077", displayName: "Ada" })).member.id;
    slackAda = (await identity.memberFor(c.communityId, "slack", { id: "U0ADA", displayName: "Ada (Slack)" })).member.id;
  });
  afterAll(() => c.dispose());

  const award = (memberId: string, amount: number, reason: string) =>
    c.services.points.award({ communityId: c.communityId, actor: { memberId: c.id("Grace"), displayName: "Grace" }, member: { memberId, displayName: "Ada" }, amount, reason, now: c.clock.now() });

  it("moves balance, rows, category and period totals and badges to the surviving member; the ledger invariant holds", async () => {
    const { ledger } = c.services;
    // On Discord: an award of 120, 20 taken back, and an accepted answer (15) that is later un-accepted.
    await award(discordAda, 120, "ran the workshop");
    await award(discordAda, -20, "double counted");
    await inTransaction(c.db, (tx) =>
      ledger.append(tx, [{ communityId: c.communityId, memberId: discordAda, amount: 15, category: "answers", reason: "Accepted answer to #3", source: "question:q3", idempotencyKey: "qa:q3:answerer", at: c.clock.now() }]),
    );
    // On Slack, before linking: an award of 30.
    await award(slackAda, 30, "good question");
    const rowsBefore = await c.db.pointEntry.count();

    // Ada links: the Slack account enters the code the Discord member asked for.
    const { code } = await c.services.identity.createLinkCode(c.communityId, discordAda, "discord", c.clock.now());
    const slackAccount = await c.db.platformAccount.findFirstOrThrow({ where: { memberId: slackAda } });
    await c.services.identity.redeemLinkCode({ code, communityId: c.communityId, platform: "slack", accountId: slackAccount.id, now: c.clock.now() });

    // 120 - 20 + 15 + 30 = 145 on the member that remains (the Discord one asked for the code); 0 left behind.
    expect(await c.services.ledger.balance(c.communityId, discordAda)).toBe(145);
    expect(await c.services.ledger.balance(c.communityId, slackAda)).toBe(0);
    // Append-only: the one Slack row got a compensating row and a copy; nothing was changed or deleted.
    expect(await c.db.pointEntry.count()).toBe(rowsBefore + 2);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
    const board = await c.services.points.leaderboard(c.communityId, { period: "week", viewerId: discordAda });
    expect(board.top.map((r) => [r.displayName, r.points])).toEqual([["Ada", 145]]);
    const profile = await c.services.points.profile(c.communityId, discordAda);
    expect(profile).toMatchObject({ balance: 145, rank: 1, earned: 145 });
    // Hundred points: earned on Discord before the merge and held by the member that remains.
    expect(profile.badges.map((b) => b.title)).toContain("Hundred points");
  });

  it("a merge the other way round moves the surviving rows, and a later reversal of their cause finds the copies", async () => {
    const { identity, ledger } = c.services;
    const bo = (await identity.memberFor(c.communityId, "discord", { id: "100000000000000088", displayName: "Bo" })).member.id;
    const boSlack = (await identity.memberFor(c.communityId, "slack", { id: "U0BO", displayName: "Bo" })).member.id;
    await inTransaction(c.db, (tx) =>
      ledger.append(tx, [{ communityId: c.communityId, memberId: bo, amount: 15, category: "answers", reason: "Accepted answer to #9", source: "question:q9", idempotencyKey: "qa:q9:answerer", at: c.clock.now() }]),
    );
    // This time the Slack member asks for the code, so the Discord member (with the points) is folded into it.
    const { code } = await identity.createLinkCode(c.communityId, boSlack, "slack", c.clock.now());
    const account = await c.db.platformAccount.findFirstOrThrow({ where: { memberId: bo } });
    await identity.redeemLinkCode({ code, communityId: c.communityId, platform: "discord", accountId: account.id, now: c.clock.now() });
    expect(await ledger.balance(c.communityId, boSlack)).toBe(15);
    expect(await ledger.balance(c.communityId, bo)).toBe(0);
    // The answer is un-accepted: its points leave the member that remains, once.
    const reversed = await inTransaction(c.db, (tx) => ledger.reverseSource(tx, c.communityId, "question:q9", "Answer to #9 no longer accepted"));
    expect(reversed.map((r) => [r.memberId, r.amount])).toEqual([[boSlack, -15]]);
    expect(await ledger.balance(c.communityId, boSlack)).toBe(0);
    // Moving again finds nothing left to move.
    expect(await inTransaction(c.db, (tx) => ledger.moveMember(tx, c.communityId, bo, boSlack))).toEqual({ moved: 0, points: 0 });
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  });
});

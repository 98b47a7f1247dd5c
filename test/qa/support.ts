import { randomUUID } from "node:crypto";
import type { MessageRef } from "../../src/core/chat.js";
import type { PermissionLevel } from "../../src/core/permissions.js";
import type { RawOptions } from "../../src/core/options.js";
import { inTransaction } from "../../src/db/transaction.js";
import type { Question } from "../../src/qa/questions.js";
import { startCommunity, who } from "../support/community.js";

/**
 * A community for Q&A tests: the playground runner plus shortcuts to ask, reply in a
 * question's thread (as the platform adapters report replies), accept and read balances.
 */
export async function qaCommunity(kind: "pglite" | "postgres", opts: Parameters<typeof startCommunity>[1] = {}) {
  const c = await startCommunity(kind, opts);
  const communityId = (await c.services.identity.communityFor("playground", { id: "playground", name: "Playground" })).id;
  const memberId = async (name: string) => (await c.services.identity.memberFor(communityId, "playground", { id: who(name).id, displayName: name })).member.id;
  let messages = 0;
  return {
    ...c,
    communityId,
    memberId,
    /** Gives the member points (as a creator's award would). */
    async give(name: string, amount: number): Promise<void> {
      const id = await memberId(name);
      await inTransaction(c.db, (tx) =>
        c.services.ledger.append(tx, [{ communityId, memberId: id, amount, category: "awards", reason: "test award", source: "award", idempotencyKey: randomUUID() }]),
      );
    },
    async balance(name: string): Promise<number> {
      return c.services.ledger.balance(communityId, await memberId(name));
    },
    /** `/ask` as the member; returns the reply and the question it recorded (if any). */
    async ask(as: string, options: RawOptions = {}, extra: { level?: PermissionLevel; channelId?: string } = {}) {
      const reply = await c.run(as, "ask", { title: "How do I pin a future?", details: "Box::pin gives me a lifetime error I do not understand.", ...options }, extra);
      const question = await c.db.question.findFirst({ where: { communityId }, orderBy: { number: "desc" } });
      return { reply, question };
    },
    /** A message in the question's thread from the member, reported like an adapter would; returns it for accepting. */
    async replyIn(q: Question, as: string, text = `An answer from ${as}`, opts: { bot?: boolean } = {}): Promise<MessageRef> {
      const id = `m${++messages}`;
      await c.services.qa.recordReply({ platform: "playground", spaceId: "playground", threadId: q.threadId, messageId: id, author: { id: who(as).id, displayName: as, bot: opts.bot ?? false }, at: c.clock.now() });
      return { id, channelId: q.threadId, author: { id: who(as).id, displayName: as, ...(opts.bot ? { bot: true } : {}) }, text };
    },
    /** "Accept answer" on a message, as the member. */
    accept(as: string, message: MessageRef, level: PermissionLevel = "member") {
      return c.onMessage(as, "accept_answer", message, level);
    },
    question(number: number) {
      return c.db.question.findUniqueOrThrow({ where: { communityId_number: { communityId, number } } });
    },
  };
}

export type QaCommunity = Awaited<ReturnType<typeof qaCommunity>>;

/** How many of the community's point balances differ from the sum of their ledger rows (0 when the ledger holds). */
export async function balancesOffLedger(c: { db: QaCommunity["db"]; communityId: string }): Promise<number> {
  const [row] = await c.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "PointBalance" b
    WHERE b."communityId" = ${c.communityId} AND b."balance" <> (SELECT coalesce(sum(e."amount"), 0) FROM "PointEntry" e WHERE e."communityId" = b."communityId" AND e."memberId" = b."memberId")`;
  return row!.n;
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { HOUR } from "../support/community.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("counting replies on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
  });
  afterAll(() => c.dispose());

  it("counts members' replies in a question's thread, but not the asker's or bots'", async () => {
    const { question } = await c.ask("Ada");
    const asked = c.clock.now();
    c.clock.advance(HOUR);
    await c.replyIn(question!, "Grace", "first");
    await c.replyIn(question!, "Ada", "thanks, trying it");
    await c.replyIn(question!, "Guildhall", "beep", { bot: true });
    c.clock.advance(HOUR);
    await c.replyIn(question!, "Grace", "second");
    await c.replyIn(question!, "Ken", "another idea");
    const q = await c.question(question!.number);
    expect(q).toMatchObject({ replyCount: 3, firstReplyAt: new Date(asked.getTime() + HOUR), lastReplyAt: c.clock.now() });
    const replies = await c.db.questionReply.findMany({ where: { questionId: q.id }, orderBy: { createdAt: "asc" } });
    expect(replies.map((r) => [r.authorId, r.messages, r.messageId])).toEqual([
      [await c.memberId("Grace"), 2, "m1"],
      [await c.memberId("Ken"), 1, "m5"],
    ]);
  });

  it("ignores messages in threads that are not questions", async () => {
    const before = await c.db.questionReply.count();
    await c.services.qa.recordReply({ platform: "playground", spaceId: "playground", threadId: "some-other-thread", messageId: "x", author: { id: "pg-grace", displayName: "Grace", bot: false }, at: c.clock.now() });
    expect(await c.db.questionReply.count()).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { who } from "../support/community.js";
import { backends } from "../support/databases.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("accepting answers on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
  });
  afterAll(() => c.dispose());

  /** The points each member got from this question's answer, net of reversals. */
  async function answerPoints(questionId: string) {
    const rows = await c.db.pointEntry.groupBy({ by: ["memberId"], where: { source: `answer:${questionId}` }, _sum: { amount: true } });
    return Object.fromEntries(rows.map((r) => [r.memberId, r._sum.amount]));
  }

  it("pays the answerer 15 and the asker 2, and marks the thread solved with a note that pings only the answerer", async () => {
    const { question } = await c.ask("Ada");
    const answer = await c.replyIn(question!, "Grace", "Use Box::pin(fut).as_mut()");
    const reply = await c.accept("Ada", answer);
    expect(reply).toMatchObject({ visibility: "ephemeral", tone: "success" });
    expect(reply.text).toContain("They earn 15 points; you earn 2 for asking.");
    expect(await answerPoints(question!.id)).toEqual({ [await c.memberId("Grace")]: 15, [await c.memberId("Ada")]: 2 });
    const rows = await c.db.pointEntry.findMany({ where: { source: `answer:${question!.id}` } });
    expect(rows.map((r) => r.category).sort()).toEqual(["answers", "questions"]);
    const solved = await c.question(question!.number);
    expect(solved).toMatchObject({ status: "solved", acceptedText: "Use Box::pin(fut).as_mut()" });
    expect(solved.solvedAt).toEqual(c.clock.now());
    expect(await c.db.questionReply.findUnique({ where: { id: solved.acceptedReplyId! } })).toMatchObject({ authorId: await c.memberId("Grace"), acceptedAt: c.clock.now() });
    expect(reply.text).toContain("**Grace** earned the **First accepted answer** badge");
    const note = c.chat.posts.at(-1)!;
    expect(note).toMatchObject({ kind: "solved", thread: { threadId: question!.threadId }, message: { pings: { userIds: [who("Grace").id] } } });
    expect(note.message.text).toContain("**Grace** earned the **First accepted answer** badge");
    expect(note.message.text).toContain(`[[@${who("Grace").id}]]'s answer was accepted`);
  });

  it("lets only the asker or a creator accept", async () => {
    const { question } = await c.ask("Ada");
    const answer = await c.replyIn(question!, "Grace");
    const refused = await c.accept("Linus", answer);
    expect(refused).toMatchObject({ tone: "error", text: `Only the asker, Ada, or a creator can accept an answer to #${question!.number}.` });
    expect((await c.question(question!.number)).status).toBe("open");
    const byCreator = await c.accept("Barbara", answer, "creator");
    expect(byCreator.text).toContain("the asker, **Ada**, earns 2 for asking");
    expect(await answerPoints(question!.id)).toEqual({ [await c.memberId("Grace")]: 15, [await c.memberId("Ada")]: 2 });
  });

  it("awards nothing for accepting your own answer", async () => {
    const { question } = await c.ask("Ada");
    const own = await c.replyIn(question!, "Ada", "Never mind, I had a typo");
    const reply = await c.accept("Ada", own);
    expect(reply.text).toContain("with your own answer; your own answers earn no points");
    expect(await answerPoints(question!.id)).toEqual({});
    expect(await c.question(question!.number)).toMatchObject({ status: "solved", acceptedReplyId: null, acceptedText: "Never mind, I had a typo" });

    // A creator accepting their own reply to someone else's question earns nothing either.
    const other = (await c.ask("Linus")).question!;
    const creators = await c.replyIn(other, "Barbara");
    expect((await c.accept("Barbara", creators, "creator")).text).toContain("Accepted your own answer");
    expect(await answerPoints(other.id)).toEqual({});
  });

  it("reverses the first answer's points when another answer is accepted instead, and back again", async () => {
    const { question } = await c.ask("Ada");
    const first = await c.replyIn(question!, "Grace", "first try");
    const second = await c.replyIn(question!, "Ken", "the real fix");
    await c.accept("Ada", first);
    c.clock.advance(60_000);
    const reply = await c.accept("Ada", second);
    expect(reply.text).toContain("**Grace**'s answer is no longer the accepted one; its points were taken back.");
    const [grace, ken, ada] = [await c.memberId("Grace"), await c.memberId("Ken"), await c.memberId("Ada")];
    expect(await answerPoints(question!.id)).toEqual({ [grace]: 0, [ken]: 15, [ada]: 2 });
    const reversals = await c.db.pointEntry.findMany({ where: { source: `answer:${question!.id}`, reversesId: { not: null } } });
    expect(reversals.map((r) => [r.memberId, r.amount]).sort()).toEqual([[ada, -2], [grace, -15]].sort());
    expect(await c.question(question!.number)).toMatchObject({ acceptedText: "the real fix" });
    expect(await c.db.questionReply.findFirst({ where: { questionId: question!.id, authorId: grace } })).toMatchObject({ acceptedAt: null });

    c.clock.advance(60_000);
    await c.accept("Ada", first);
    expect(await answerPoints(question!.id)).toEqual({ [grace]: 15, [ken]: 0, [ada]: 2 });
    expect((await c.accept("Ada", first)).text).toContain("already the accepted one");
    expect(await answerPoints(question!.id)).toEqual({ [grace]: 15, [ken]: 0, [ada]: 2 });
  });

  it("refuses messages outside question threads, the question itself and bots' messages", async () => {
    const { question } = await c.ask("Ada");
    const elsewhere = await c.accept("Ada", { id: "x1", channelId: "random-thread", author: { id: who("Grace").id, displayName: "Grace" }, text: "hi" });
    expect(elsewhere).toMatchObject({ tone: "error" });
    expect(elsewhere.text).toContain("not in a question's thread");
    const itself = await c.accept("Ada", { id: question!.threadId, channelId: question!.threadId, author: { id: "bot", displayName: "Guildhall", bot: true }, text: "" });
    expect(itself.text).toContain("the question itself");
    const bot = await c.replyIn(question!, "Guildhall", "beep", { bot: true });
    expect((await c.accept("Ada", bot)).text).toContain("from a bot");
    expect((await c.question(question!.number)).status).toBe("open");
  });

  it("/solved in the thread defaults to its question and credits the answerer", async () => {
    const { question } = await c.ask("Ada");
    await c.replyIn(question!, "Grace");
    const reply = await c.run("Ada", "solved", { answerer: who("Grace") }, { channelId: question!.threadId });
    expect(reply.text).toContain("They earn 15 points");
    expect(await answerPoints(question!.id)).toEqual({ [await c.memberId("Grace")]: 15, [await c.memberId("Ada")]: 2 });
    expect(c.chat.posts.at(-1)).toMatchObject({ kind: "solved", thread: { threadId: question!.threadId } });
  });

  it("/solved with a number works anywhere; without an answerer it closes with no points", async () => {
    const { question } = await c.ask("Ada");
    await c.replyIn(question!, "Grace");
    const reply = await c.run("Ada", "solved", { question: String(question!.number) });
    expect(reply).toMatchObject({ tone: "success", text: `✅ **#${question!.number}** [How do I pin a future?](${question!.url}) is marked solved.` });
    expect(await answerPoints(question!.id)).toEqual({});
    expect(await c.question(question!.number)).toMatchObject({ status: "solved", acceptedReplyId: null });
    expect(c.chat.posts.at(-1)).toMatchObject({ kind: "solved", message: { text: "✅ **Solved** by **Ada**." } });
    expect((await c.run("Ada", "solved", { question: String(question!.number) })).text).toContain("already marked solved");
  });

  it("a creator's /solved with an answerer says the creator accepted it, not the asker (issue 10, defect 8)", async () => {
    const { question } = await c.ask("Ada");
    await c.replyIn(question!, "Grace");
    const reply = await c.run("Cleo", "solved", { question: String(question!.number), answerer: who("Grace") }, { level: "creator" });
    expect(reply.text).toContain("✅ As a creator, you accepted **Grace**'s answer to");
    expect(reply.text).toContain("the asker, **Ada**, earns 2 for asking");
    const note = c.chat.posts.at(-1)!;
    expect(note.message.text).toContain(`[[@${who("Grace").id}]]'s answer was accepted by **Cleo**, a creator.`);
  });

  it("a creator's /solved without an answerer does not say the asker solved it", async () => {
    const { question } = await c.ask("Ada");
    await c.run("Cleo", "solved", { question: String(question!.number) }, { level: "creator" });
    expect(c.chat.posts.at(-1)).toMatchObject({ kind: "solved", message: { text: `✅ **Solved:** marked by **Cleo**, a creator.` } });
  });

  it("/solved explains what it needs: a number outside a thread, a reply from the answerer, the asker", async () => {
    const { question } = await c.ask("Margaret");
    const which = await c.run("Margaret", "solved", {});
    expect(which.text).toContain("Give its number, like `/solved 12`");
    expect(which.text).toContain(`#${question!.number}`);
    expect((await c.run("Margaret", "solved", { question: "999" })).text).toContain("There is no question #999");
    const noReply = await c.run("Margaret", "solved", { question: String(question!.number), answerer: who("Dennis") });
    expect(noReply).toMatchObject({ tone: "error", text: `Dennis has not replied in the thread of #${question!.number}, so there is no answer of theirs to accept.` });
    expect((await c.run("Dennis", "solved", { question: String(question!.number) })).text).toContain("Only the asker, Margaret, or a creator");
    // A creator may credit an answer given elsewhere.
    const byCreator = await c.run("Barbara", "solved", { question: String(question!.number), answerer: who("Dennis") }, { level: "creator" });
    expect(byCreator.text).toContain("They earn 15 points");
  });
});

// The playground's chat poster prints posts to its terminal, and the app gives it to services
// when the playground runs.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PlaygroundChatPoster } from "../../src/platform/playground/chat-poster.js";
import { randomUUID } from "node:crypto";
import { inTransaction } from "../../src/db/transaction.js";
import { idFor, PLAYGROUND_SPACE } from "../../src/platform/playground/session.js";
import { startPlaygroundApp } from "../support/app.js";

function printed() {
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk) => (text += String(chunk)));
  return { output, text: () => text };
}

describe("PlaygroundChatPoster", () => {
  it("prints threads, replies, posts and solved notes with where they went", async () => {
    const { output, text } = printed();
    const poster = new PlaygroundChatPoster(output);
    const thread = await poster.openThread("playground", "help", "Why does this borrow fail?", { text: "Here is **my code**" }, { tags: ["rust"] });
    await poster.postInThread(thread, { text: "Still open" });
    await poster.post("playground", "announcements", { title: "Badge", text: "Ada earned Helper" });
    await poster.markSolved(thread, { text: "Grace's answer was accepted." });
    expect(thread).toMatchObject({ platform: "playground", spaceId: "playground", channelId: "help" });
    expect(thread.threadId).toMatch(/^pg-thread-[0-9a-f]{6}-1$/);
    expect(text()).toBe(
      [
        "[#help new thread “Why does this borrow fail?” [rust] · /open t1 to go there]",
        "  Here is my code",
        "[#help thread “Why does this borrow fail?”]",
        "  Still open",
        "[#announcements]",
        "  == Badge ==",
        "  Ada earned Helper",
        "[#help thread “Why does this borrow fail?” ✅ solved]",
        "  Grace's answer was accepted.",
        "",
      ].join("\n"),
    );
  });

  it("never repeats a thread id in a later process (ids are stored with questions; issue 10, defect 1)", async () => {
    const ids = new Set<string>();
    for (let process = 0; process < 50; process++) {
      const poster = new PlaygroundChatPoster(printed().output);
      for (let i = 0; i < 3; i++) ids.add((await poster.openThread("playground", "help", "A question", { text: "?" })).threadId);
    }
    expect(ids.size).toBe(150);
  });

  it("removes a thread: it is no longer in the chat state, and a line says so", async () => {
    const { output, text } = printed();
    const poster = new PlaygroundChatPoster(output);
    const thread = await poster.openThread("playground", "help", "Why does this borrow fail?", { text: "Here is my code" });
    await poster.removeThread(thread);
    expect(poster.state.thread(thread.threadId)).toBeUndefined();
    expect(poster.state.threads()).toEqual([]);
    expect(text()).toContain("[#help thread “Why does this borrow fail?” removed: the question could not be recorded]\n");
  });

  it("in the playground, a question that could not be recorded leaves no thread, and the asker is told (issue 10, defect 1)", async () => {
    const pg = await startPlaygroundApp();
    try {
      const { services, database } = pg.app;
      const community = await services.identity.communityFor("playground", PLAYGROUND_SPACE);
      const { member } = await services.identity.memberFor(community.id, "playground", { id: idFor("Ada"), displayName: "Ada" });
      const give = (amount: number) =>
        inTransaction(database.prisma, (tx) => services.ledger.append(tx, [{ communityId: community.id, memberId: member.id, amount, category: "awards", reason: "test", source: "award", idempotencyKey: randomUUID() }]));
      await give(20);
      // The points are spent elsewhere while the thread opens, so recording the question fails.
      const poster = services.chat.playground!;
      const open = poster.openThread.bind(poster);
      poster.openThread = async (...args) => {
        const thread = await open(...args);
        await give(-15);
        return thread;
      };
      const out = await pg.type("/ask Why is my future not Send? It holds an Rc across an await bounty:20", 60_000);
      poster.openThread = open;
      expect(out).toContain("removed: the question could not be recorded]");
      expect(out).toContain("Your question was not posted: it could not be recorded, so I removed its thread.");
      expect(out).toContain("Please try /ask again.");
      expect(await pg.type("/open t1")).toContain("There is no thread “t1” in this playground run.");
      expect(await database.prisma.question.count()).toBe(0);
    } finally {
      await pg.end();
    }
  }, 120_000);

  it("is the playground app's chat poster, printing to its terminal", async () => {
    const pg = await startPlaygroundApp();
    try {
      await pg.app.services.chat.playground?.post("playground", "general", { text: "Hello from a capability" });
      expect(pg.printed()).toContain("[#general]\n  Hello from a capability\n");
    } finally {
      await pg.end();
    }
  });
});

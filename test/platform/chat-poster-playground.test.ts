// The playground's chat poster prints posts to its terminal, and the app gives it to services
// when the playground runs.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PlaygroundChatPoster } from "../../src/platform/playground/chat-poster.js";
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

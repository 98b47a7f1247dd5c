// The both-platforms harness (test/support/platforms.ts) itself: one test body, run on the
// real Discord and Slack adapters against the fakes (and on Discord once more with interactions
// over HTTP, POST /discord/interactions), sees the same behaviour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, GRACE, PLATFORMS_AND_DISCORD_HTTP, type PlatformCommunity } from "../support/platforms.js";
import { testOnlyActions, threadCommand } from "../support/test-commands.js";

describe.each(backends())("the platform harness on %s", (kind) => {
  describe.each(PLATFORMS_AND_DISCORD_HTTP)("%s", (_name, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      h = await start({ kind, extra: { commands: [threadCommand], actions: testOnlyActions } });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it("runs a command with options and returns what the member saw", async () => {
      const seen = await h.run(ADA, "help", { options: { command: "link" } });
      expect(seen.ephemeral).toBe(true);
      expect(seen.text).toContain("/link");
    });

    it("knows the creator: creator-only commands refuse members and run for the creator", async () => {
      expect((await h.run(ADA, "community")).text).toContain("Only creators can use /community.");
      expect((await h.run(CREATOR, "community")).text).toContain("Acme Academy");
    });

    it("clicks a button as a member", async () => {
      const seen = await h.click(GRACE, "vote", "yes");
      expect(seen.text).toContain("Grace voted yes.");
    });

    it("sees public replies, threads the adapter opens and direct messages", async () => {
      const seen = await h.run(ADA, "discuss", { options: { topic: "async traits" }, channelId: h.channels.help });
      expect(seen.ephemeral).toBe(false);
      expect(seen.text).toContain("Thread for async traits");
      await expect.poll(() => h.dms(ADA).map((d) => d.text).join("\n")).toContain("We opened your thread.");
    });

    it("reads the chat poster's posts back per channel and per thread", async () => {
      const chat = h.services.chat[h.platform]!;
      const thread = await chat.openThread(h.spaceId, h.channels.help, "A question", { text: "The body" });
      await chat.postInThread(thread, { text: "A reminder" });
      await chat.post(h.spaceId, h.channels.announcements, { text: "Ada earned a badge" });
      expect(h.thread(thread).map((p) => p.text)).toEqual([expect.stringContaining("The body"), "A reminder"]);
      expect(h.posts(h.channels.announcements).map((p) => p.text)).toEqual(["Ada earned a badge"]);
    });
  });
});

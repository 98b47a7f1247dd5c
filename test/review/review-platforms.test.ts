import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { ThreadRef } from "../../src/core/chat.js";
import { backends } from "../support/databases.js";
import { ADA, type DiscordCommunity, DISCORD_CHANNELS, GRACE, LINUS, PLATFORMS, type PlatformCommunity, SLACK_CHANNELS } from "../support/platforms.js";

const PR = "https://github.com/ada/parser/pull/3";

describe.each(backends())("code review on Discord and Slack (%s)", (kind) => {
  describe.each(PLATFORMS)("%s", (platform, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      const channels = { discord: DISCORD_CHANNELS.reviews, slack: SLACK_CHANNELS.reviews };
      h = await start({ kind, community: { review: { ...DEFAULT_SETTINGS.review, channels } } });
    });
    afterAll(() => h.stop());

    it("joins, requests (thread opened, reviewer pinged, echoed text inert), claims with the button, finishes for points", async () => {
      const joined = await h.run(GRACE, "reviewer", { subcommand: "join", options: { languages: "typescript, rust" } });
      expect(joined.ephemeral).toBe(true);
      expect(joined.text).toContain("Welcome, reviewer! You review `typescript`, `rust`");

      const sneaky = `@everyone <@${h.idOf(LINUS)}> [[@${h.idOf(LINUS)}]] is the parser ok?`;
      const asked = await h.run(ADA, "review", { subcommand: "request", options: { link: PR, language: "ts", notes: sneaky } });
      expect(asked.ephemeral).toBe(true);
      expect(asked.text).toContain("Review #1 is open in its thread");
      expect(asked.text).toMatch(/grace\*{1,2} will review it/i);
      expect(asked.text).toContain("0 of 1 review left this month");

      const request = await h.db.reviewRequest.findFirstOrThrow({ where: { number: 1 } });
      expect(request).toMatchObject({ platform, channelId: h.channels.reviews, status: "assigned", language: "typescript" });
      const thread: ThreadRef = { platform, spaceId: h.spaceId, channelId: request.channelId, threadId: request.threadId! };
      const opener = h.thread(thread)[0]!;
      expect(opener.text).toContain(`<@${h.idOf(GRACE)}>, this review is yours`);
      expect(opener.text).toContain("Code review #1");
      expect(opener.text).not.toContain(`[[@${h.idOf(LINUS)}]]`);
      if (h.platform === "discord") {
        const fake = (h as DiscordCommunity).fake;
        const starter = fake.callsTo("POST", new RegExp(`/channels/${h.channels.reviews}/messages$`)).at(-1);
        // Only Grace may be pinged; the member's text is shown but pings nobody.
        expect((starter?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], users: [h.idOf(GRACE)] });
      } else {
        // Slack has no allowed-mentions list: the text is escaped, so it cannot form a mention.
        expect(opener.text).toContain(`&lt;@${h.idOf(LINUS)}&gt;`);
        expect(opener.text).not.toContain(`<@${h.idOf(LINUS)}>`);
      }

      // Discord: the button is in the thread; Slack: on the message in the review channel.
      const where = h.platform === "discord" ? request.threadId! : h.channels.reviews;
      const claimed = await h.click(GRACE, "review-claim", request.id, where);
      expect(claimed.text).toContain("You started review #1");
      expect(h.thread(thread).at(-1)?.text).toContain("started reviewing #1");

      // On Discord /review done runs in the thread; Slack commands cannot, so they name the request.
      const rubric = { practicality: 4, coverage: 5, clarity: 4, summary: "Clear structure; add tests for the error paths." };
      const done =
        h.platform === "discord"
          ? await h.run(GRACE, "review", { subcommand: "done", options: rubric, channelId: request.threadId! })
          : await h.run(GRACE, "review", { subcommand: "done", options: { ...rubric, request: 1 } });
      expect(done.text).toContain("You earned 10 points; you now have 10");
      const summary = h.thread(thread).find((p) => p.text.includes("is done"))!;
      expect(summary.text).toContain("Practicality 4/5 · Coverage 5/5 · Clarity 4/5");
      expect(summary.text).toContain("add tests for the error paths");
      expect(summary.text).toContain(`<@${h.idOf(ADA)}>`);

      const thanked = await h.click(ADA, "review-thank", request.id, where);
      expect(thanked.text).toContain("You thanked your reviewer for #1");
      const grace = await h.db.platformAccount.findFirstOrThrow({ where: { platform, externalId: h.idOf(GRACE) } });
      expect(await h.services.ledger.balance(request.communityId, grace.memberId)).toBe(11);
    });

    it("refuses a link that is not on a code host, saying which hosts are", async () => {
      const refused = await h.run(ADA, "review", { subcommand: "request", options: { link: "http://example.com/x" } });
      expect(refused.ephemeral).toBe(true);
      expect(refused.text).toContain("https://");
      expect(refused.text).toContain("gitlab.com");
    });
  });
});

// Ratings and levels through the real Discord and Slack adapters against the fakes: /rate
// course and /course, the star buttons on a finished review and /reviewer list, and a
// level-up announced in the reply and in the community's announcements channel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, GRACE, PLATFORMS, type PlatformCommunity } from "../support/platforms.js";

describe.each(backends())("ratings and levels on the platforms, %s", (kind) => {
  describe.each(PLATFORMS)("%s", (platform, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      const announceChannels = { discord: "200000000000000005", slack: "C0ANNOUNCE" }; // the harness's announcements channels
      h = await start({ kind, community: { points: { ...DEFAULT_SETTINGS.points, announceChannels, levels: [{ name: "Helper", minPoints: 10, discordRoles: [], slackChannels: [], items: [] }] } } });
      await h.run(ADA, "points");
      const community = await h.db.community.findFirstOrThrow();
      await h.db.catalogItem.create({
        data: { communityId: community.id, name: "async-rust", title: "Async Rust", description: "", stripePriceId: "price_ar", stripeProductId: "prod_ar", mode: "payment", currency: "eur", unitAmount: 4900, discordRoleIds: [], slackChannelIds: [] },
      });
    });
    afterAll(() => h?.stop());

    it("/rate course records a member's rating privately; /course shows it with the comment, unable to ping", async () => {
      const refused = await h.run(ADA, "rate", { subcommand: "course", options: { course: "async-rust", stars: 4, comment: "clear" } });
      expect(refused).toMatchObject({ ephemeral: true, text: expect.stringContaining("Only members who have or had Async Rust can rate it.") });
      await h.run(CREATOR, "access", { subcommand: "grant", options: { member: ADA, item: "async-rust" } });
      const rated = await h.run(ADA, "rate", { subcommand: "course", options: { course: "async-rust", stars: 4, comment: `clear, thanks <@${h.idOf(GRACE)}>` } });
      expect(rated.ephemeral).toBe(true);
      expect(rated.text).toContain("You rated");
      expect(rated.text).toContain("4.0 (1 rating)");
      const course = await h.run(GRACE, "course", { options: { name: "async-rust" } });
      expect(course.text).toContain("4.0 (1 rating)");
      expect(course.text).toContain("clear, thanks");
      if (platform === "slack") expect(course.text).not.toContain(`<@${h.idOf(GRACE)}>`);
    });

    it("the requester rates a finished review with a star button; /reviewer list shows the average", async () => {
      await h.run(GRACE, "reviewer", { subcommand: "join", options: { languages: "ts" } });
      await h.run(ADA, "review", { subcommand: "request", options: { link: "https://github.com/ada/parser/pull/3", language: "ts" } });
      const r = await h.db.reviewRequest.findFirstOrThrow({ where: { number: 1 } });
      const done = await h.run(GRACE, "review", { subcommand: "done", options: { request: 1, practicality: 4, coverage: 4, clarity: 4, summary: "Tidy; add error tests." } });
      expect(done.text).toContain("is done");
      const rated = await h.click(ADA, "review-rate", `${r.id}:4`);
      expect(rated).toMatchObject({ ephemeral: true, text: expect.stringContaining("You rated review #1") });
      const list = await h.run(ADA, "reviewer", { subcommand: "list" });
      expect(list.text).toContain("4.0 (1 rating)");
    });

    it("a level-up is in the /award reply and posted in the announcements channel; /points shows the level", async () => {
      const awarded = await h.run(CREATOR, "award", { options: { member: ADA, points: 12, reason: "workshop" } });
      expect(awarded.text).toContain("reached the *");
      expect(awarded.text).toContain("Helper");
      const posts = h.posts(h.channels.announcements).map((p) => p.text);
      expect(posts.some((t) => t.includes("Helper") && t.includes("12 points earned"))).toBe(true);
      const points = await h.run(ADA, "points");
      expect(points.text).toContain("Helper");
      expect(points.text).toContain("the highest level");
    });
  });
});

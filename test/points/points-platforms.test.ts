// /thanks, /points, /leaderboard, /award and /redeem through the real Discord and Slack
// adapters against the fakes (and the fake Stripe for a promotion-code reward).
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announcePointsNews } from "../../src/points/announce.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { DAY } from "../support/community.js";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, GRACE, LINUS, type Person, PLATFORMS, type PlatformCommunity } from "../support/platforms.js";

describe.each(backends())("points on the platforms, %s", (kind) => {
  describe.each(PLATFORMS)("%s", (platform, start) => {
    let h: PlatformCommunity;
    let fake: FakeStripe;
    const mentionOf = (who: Person) => `<@${h.idOf(who)}>`;

    beforeAll(async () => {
      fake = await startFakeStripe();
      const announce = { discord: "200000000000000005", slack: "C0ANNOUNCE" }; // the harness's announcements channels
      h = await start({ kind, stripe: new Stripe("sk_test_guildhall", { ...fake.clientOptions }), community: { points: { ...DEFAULT_SETTINGS.points, announceChannels: announce } } });
      const price = fake.createPrice({ product: fake.createProduct({ name: "Async Rust" }).id, unit_amount: 4900, currency: "eur" }).id;
      await h.run(CREATOR, "catalog", { subcommand: "add", options: { name: "async-rust", title: "Async Rust", price } });
      await h.run(CREATOR, "reward", { subcommand: "add", options: { name: "rust-discount", title: "Rust discount", cost: 100, kind: "stripe_promotion", item: "async-rust", percent_off: 25 } });
      await h.run(CREATOR, "reward", { subcommand: "add", options: { name: "pairing", title: "Pairing session", cost: 20, kind: "custom" } });
      // Everyone has been around for a while (new members cannot give thanks for a day).
      for (const who of [ADA, GRACE, LINUS]) await h.run(who, "points");
      await h.db.member.updateMany({ data: { createdAt: new Date(h.clock.now().getTime() - 2 * DAY) } });
    });
    afterAll(async () => {
      await h?.stop();
      await fake?.close();
    });

    it("/thanks thanks publicly, mentioning the receiver, and the echoed reason cannot ping", async () => {
      const seen = await h.run(ADA, "thanks", { options: { member: GRACE, reason: `fixed my build @everyone <@${h.idOf(LINUS)}>` } });
      expect(seen.ephemeral).toBe(false);
      expect(seen.text).toContain(`thanked ${mentionOf(GRACE)}`);
      expect(seen.text).toContain("(+1 point)");
      expect(seen.text).toContain("earned the *");
      // Discord shows a mention typed into the reason but notifies nobody; Slack shows it as text.
      if (platform === "discord") expect(JSON.stringify(seen.raw)).toMatch(/"allowed_mentions":\{"parse":\[\]\}/);
      else expect(seen.text).not.toContain(mentionOf(LINUS));
    });

    it("/thanks refuses thanking yourself, privately", async () => {
      const seen = await h.run(ADA, "thanks", { options: { member: ADA } });
      expect(seen).toMatchObject({ ephemeral: true, text: expect.stringContaining("can't thank yourself") });
    });

    it("/award is for creators, and announces the points and badge in the channel", async () => {
      expect((await h.run(ADA, "award", { options: { member: GRACE, points: 5, reason: "sneaky" } })).text).toContain("Only creators can use /award.");
      const seen = await h.run(CREATOR, "award", { options: { member: GRACE, points: 150, reason: "ran the workshop" } });
      expect(seen.ephemeral).toBe(false);
      expect(seen.text).toContain(`${mentionOf(GRACE)} received *`);
      expect(seen.text).toContain("150 points");
      expect(seen.text).toContain("Hundred points");
    });

    it("/points shows a member's balance, rank and history privately", async () => {
      const seen = await h.run(ADA, "points", { options: { member: GRACE } });
      expect(seen.ephemeral).toBe(true);
      expect(seen.text).toContain("151 points");
      expect(seen.text).toContain("#1 on the leaderboard");
      expect(seen.text).toContain("Award from Cleo: ran the workshop");
    });

    it("/leaderboard shows the top and the viewer's own place", async () => {
      const seen = await h.run(LINUS, "leaderboard", { options: { period: "week" } });
      expect(seen.ephemeral).toBe(true);
      expect(seen.text).toContain("Leaderboard · this week");
      expect(seen.text).toContain("Grace");
      expect(seen.text).toContain("You are not on this board yet.");
    });

    it("/redeem of a Stripe reward shows the code privately and sends it as a direct message", async () => {
      const seen = await h.run(GRACE, "redeem", { options: { reward: "rust-discount" } });
      expect(seen.ephemeral).toBe(true);
      const code = /`([A-Z0-9-]{6,})`/.exec(seen.text)?.[1];
      expect(code).toBeDefined();
      expect(seen.text).toContain("It is in your direct messages too.");
      await expect.poll(() => h.dms(GRACE).map((d) => d.text).join("\n")).toContain(code!);
      expect(seen.text).toContain("You have 51 points left.");
    });

    it("/redeem of a custom reward tells the channel, for a creator to fulfil", async () => {
      const seen = await h.run(GRACE, "redeem", { options: { reward: "pairing" } });
      expect(seen.ephemeral).toBe(false);
      expect(seen.text).toMatch(/redeemed \*{1,2}Pairing session\*{1,2} \(R-[0-9A-F]{8}\)/);
      const pending = await h.run(CREATOR, "reward", { subcommand: "pending" });
      expect(pending.text).toContain("Pairing session");
    });

    it("posts badge news that has no channel of its own to the announcement channel", async () => {
      const community = await h.db.community.findFirstOrThrow({ where: { slug: "acme" } });
      const posted = await announcePointsNews(h.services, { id: community.id, config: h.community }, "🏆 **Grace** earned the **Thousand points** badge!");
      expect(posted).toBe(1);
      expect(h.posts(h.channels.announcements).map((p) => p.text)).toEqual([expect.stringContaining("earned the")]);
    });
  });
});

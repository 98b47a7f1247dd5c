// /recommend through the real Discord and Slack adapters against the fakes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { ADA, PLATFORMS, type PlatformCommunity } from "../support/platforms.js";

describe.each(backends())("/recommend on Discord and Slack (%s)", (kind) => {
  describe.each(PLATFORMS)("%s", (_platform, start) => {
    let h: PlatformCommunity;
    beforeAll(async () => {
      h = await start({ kind });
      const community = await h.services.identity.communityFor(h.platform, { id: h.spaceId, name: "Acme" });
      const item = await h.db.catalogItem.create({
        data: { communityId: community.id, name: "async-rust", title: "Async Rust", description: "Futures and tokio", stripePriceId: "price_ar", stripeProductId: "prod_ar", mode: "payment", currency: "eur", unitAmount: 4900 },
      });
      await h.db.itemRating.create({ data: { communityId: community.id, number: 1, itemId: item.id, memberId: "someone", stars: 5 } });
    });
    afterAll(() => h.stop());

    it("answers privately with the item, how to buy it and why", async () => {
      const r = await h.run(ADA, "recommend", {});
      expect(r.ephemeral).toBe(true);
      // Bold is **…** on Discord and *…* on Slack.
      expect(r.text).toMatch(/1\. \*{1,2}Async Rust\*{1,2} \(`\/buy async-rust`\): rated 5\.0 by 1 member/);
    });
  });
});

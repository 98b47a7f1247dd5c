import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { PointsService } from "../../src/points/points-service.js";
import { describeLoad, loadRuns } from "../support/load.js";
import { ledgerMismatches, type PointsCommunity, startPoints } from "./support.js";

const RECEIVERS = Array.from({ length: 10 }, (_, i) => `R${i + 1}`);
const refusal = "You have given 5 thanks in the last 24 hours: the limit is 5 thanks a day. You can thank someone";

const CAP = 5; // DEFAULT_SETTINGS.points.thanks: five thanks a day

// Full size (1,000 at once) in the load project on PostgreSQL; 40 prove the cap elsewhere.
describeLoad.each(loadRuns({ small: 40, full: 1000 }))("$size simultaneous /thanks from one giver on $kind", ({ kind, size }) => {
  let c: PointsCommunity;
  beforeAll(async () => {
    c = await startPoints(kind, ["Ada", "Bea", ...RECEIVERS]);
  });
  afterAll(() => c.dispose());

  it("persist exactly the daily cap, and every other one is refused by that rule", async () => {
    const replies = await Promise.all(Array.from({ length: size }, (_, i) => c.thank("Ada", RECEIVERS[i % RECEIVERS.length]!)));
    const byText = new Map<string, number>();
    for (const r of replies) {
      const key = r.tone === "success" ? "thanked" : (r.text ?? "").replace(/ again in .*/, "");
      byText.set(key, (byText.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(byText)).toEqual({
      thanked: CAP,
      [refusal]: size - CAP,
    });
    expect(await c.db.pointEntry.count({ where: { communityId: c.communityId, actorId: c.id("Ada"), category: "kudos" } })).toBe(CAP);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  }, 120_000);

  it("hold across processes: the command plus ten more services over one database, all at once, still write only the cap", async () => {
    // Each process queues its own member's thanks; across processes only the database's row locks are shared.
    const others = Array.from({ length: 10 }, () => new PointsService(c.db, c.services.ledger, c.clock, { stripe: undefined, catalog: c.services.catalog, checkout: c.services.checkout }));
    const receivers = await Promise.all(RECEIVERS.map(async (name) => ({ memberId: c.id(name), displayName: name })));
    const viaOther = Array.from({ length: size / 2 }, (_, i) =>
      others[i % others.length]!
        .thank({ communityId: c.communityId, giver: { memberId: c.id("Bea"), displayName: "Bea" }, receiver: receivers[i % receivers.length]!, rules: DEFAULT_SETTINGS.points.thanks, timeZone: "UTC", now: c.clock.now() })
        .then(() => "thanked", (error: Error) => error.message.replace(/ again in .*/, "")),
    );
    const viaCommand = Array.from({ length: size / 2 }, (_, i) => c.thank("Bea", RECEIVERS[(i + 3) % RECEIVERS.length]!).then((r) => (r.tone === "success" ? "thanked" : (r.text ?? "").replace(/ again in .*/, ""))));
    const outcomes = await Promise.all([...viaOther, ...viaCommand]);
    expect(outcomes.filter((o) => o === "thanked")).toHaveLength(CAP);
    expect(outcomes.filter((o) => o === refusal)).toHaveLength(size - CAP);
    expect(await c.db.pointEntry.count({ where: { communityId: c.communityId, actorId: c.id("Bea"), category: "kudos" } })).toBe(CAP);
    expect(await ledgerMismatches(c)).toEqual({ balances: 0, categories: 0, earned: 0, periods: 0 });
  }, 120_000);
});

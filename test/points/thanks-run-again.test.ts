// A /thanks or /award run a second time for the same interaction (its process died after
// writing and before answering, and another ran it again: src/platform/discord/recovery) writes
// nothing more and answers as the first run would have: the ledger row is keyed by the
// interaction id (README: `thanks:discord:<interaction id>`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointsSettingsSection } from "../../src/points/settings-schema.js";
import { backends } from "../support/databases.js";
import { type PointsCommunity, startPoints } from "./support.js";

describe.each(backends())("running /thanks and /award again for one interaction (%s)", (kind) => {
  let c: PointsCommunity;
  beforeAll(async () => {
    c = await startPoints(kind, ["Ada", "Ben", "Cat"]);
  });
  afterAll(() => c.dispose());

  it("/thanks: one kudos row of one point, and the same entry both times", async () => {
    const input = {
      communityId: c.communityId,
      giver: { memberId: c.id("Ada"), displayName: "Ada" },
      receiver: { memberId: c.id("Ben"), displayName: "Ben" },
      rules: pointsSettingsSection.defaults.thanks,
      timeZone: "UTC",
      now: c.clock.now(),
      interactionId: "discord:1579000000000000001",
    };
    const first = await c.services.points.thank(input);
    const again = await c.services.points.thank(input);
    expect(again.entry).toEqual(first.entry);
    expect(await c.db.pointEntry.findMany({ where: { idempotencyKey: "thanks:discord:1579000000000000001" }, select: { amount: true } })).toEqual([{ amount: 1 }]);
    expect(await c.balance("Ben")).toBe(1);
  });

  it("/award: one row of the amount, and the same entry both times", async () => {
    const input = {
      communityId: c.communityId,
      actor: { memberId: c.id("Ada"), displayName: "Ada" },
      member: { memberId: c.id("Cat"), displayName: "Cat" },
      amount: 7,
      reason: "organised the meetup",
      now: c.clock.now(),
      interactionId: "discord:1579000000000000002",
    };
    const first = await c.services.points.award(input);
    const again = await c.services.points.award(input);
    expect(again.entry).toEqual(first.entry);
    expect(again.balance).toBe(7);
    expect(await c.balance("Cat")).toBe(7);
  });
});

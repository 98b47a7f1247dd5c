// The new-member wait of /thanks (`points.thanks.minMemberAgeHours`): members who joined more
// recently than the wait cannot give thanks; with a wait of 0 nobody waits, even a member whose
// row another process wrote a moment after this interaction arrived.
import { describe, expect, it } from "vitest";
import { checkGiver, HOUR_MS, type KudosRules, ThanksRefused } from "../../src/points/kudos-rules.js";

const rules = (minMemberAgeHours: number): KudosRules => ({ points: 1, perGiverPerDay: 5, perReceiverPerDay: 20, perPairPerWeek: 3, minMemberAgeHours });
const now = new Date("2026-12-07T18:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);

describe("the new-member wait of /thanks", () => {
  it("with no wait, accepts a giver whose member row is a few milliseconds newer than the interaction", () => {
    expect(() => checkGiver(rules(0), at(5), now, "UTC")).not.toThrow();
    expect(() => checkGiver(rules(0), now, now, "UTC")).not.toThrow();
  });

  it("with a wait of 24 hours, refuses until 24 hours after joining and accepts from then on", () => {
    expect(() => checkGiver(rules(24), at(-24 * HOUR_MS + 1), now, "UTC")).toThrow(ThanksRefused);
    expect(() => checkGiver(rules(24), at(5), now, "UTC")).toThrow(ThanksRefused);
    expect(() => checkGiver(rules(24), at(-24 * HOUR_MS), now, "UTC")).not.toThrow();
  });
});

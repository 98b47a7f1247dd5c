// Which claims a process picks up from a dead one (issue 15: "no interaction claimed by a dead
// process is left unanswered when the platform would still accept an answer"). Discord accepts
// a first response within 3 s of the interaction, and edits of a deferred response for 15
// minutes. So, for a claim whose holder's gateway lease has lapsed, after the 12 s a draining
// process may still be answering (SIGTERM's 10 s and two more): a deferred claim is run again
// and answered while at least a minute of its 15 minutes is left, given up as expired after
// that; a claim never deferred is lost (its 3 s are gone). Claims of live holders, and this
// process's own, are left alone. Expected results are written from that rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HeldClaim, pickUp } from "../../src/platform/discord/recovery/pick-up-rule.js";

const NOW = new Date("2026-12-07T19:00:00Z");
const SELF = "host:1:self";
const DEAD = "host:2:dead";
const ALIVE = "host:3:alive";
const live = new Set([SELF, ALIVE]);
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const S = 1000;
const MIN = 60 * S;
const decide = (claim: HeldClaim) => pickUp(claim, { now: NOW, self: SELF, live });

describe("picking up a dead process's claims", () => {
  it("runs again a deferred claim whose holder is dead, from 12 s after its deferral until 14 minutes after the interaction", () => {
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(20 * S), deferredAt: ago(18 * S) })).toBe("resume");
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(13 * S + 500), deferredAt: ago(12 * S) })).toBe("resume");
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(14 * MIN - 1), deferredAt: ago(14 * MIN - 2 * S) })).toBe("resume");
  });

  it("gives a deferred claim up as expired once less than a minute of its 15 minutes is left", () => {
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(14 * MIN), deferredAt: ago(14 * MIN - 2 * S) })).toBe("expired");
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(40 * MIN), deferredAt: ago(40 * MIN - 2 * S) })).toBe("expired");
  });

  it("gives a claim never deferred up as lost, 12 s after it was claimed", () => {
    expect(decide({ state: "claimed", holder: DEAD, claimedAt: ago(12 * S), deferredAt: null })).toBe("lost");
    expect(decide({ state: "claimed", holder: DEAD, claimedAt: ago(20 * MIN), deferredAt: null })).toBe("lost");
  });

  it("leaves a claim alone within 12 s of its claim or deferral: its process may be draining", () => {
    expect(decide({ state: "claimed", holder: DEAD, claimedAt: ago(11 * S), deferredAt: null })).toBe("leave");
    expect(decide({ state: "deferred", holder: DEAD, claimedAt: ago(30 * S), deferredAt: ago(11 * S) })).toBe("leave");
  });

  it("leaves the claims of live holders and its own alone, whatever their age", () => {
    for (const holder of [SELF, ALIVE]) {
      expect(decide({ state: "deferred", holder, claimedAt: ago(5 * MIN), deferredAt: ago(5 * MIN) })).toBe("leave");
      expect(decide({ state: "claimed", holder, claimedAt: ago(5 * MIN), deferredAt: null })).toBe("leave");
    }
  });

  it("for any claim: resumes only what Discord would still take an edit for, and never touches a live holder's", () => {
    const claims = fc.record({
      state: fc.constantFrom("claimed" as const, "deferred" as const),
      holder: fc.constantFrom(SELF, DEAD, ALIVE, "host:4:other-dead"),
      claimedAgoMs: fc.integer({ min: 0, max: 40 * MIN }),
      deferredAfterMs: fc.integer({ min: 0, max: 5 * S }),
    });
    fc.assert(
      fc.property(claims, ({ state, holder, claimedAgoMs, deferredAfterMs }) => {
        const claimedAt = ago(claimedAgoMs);
        const deferredAt = state === "deferred" ? ago(Math.max(0, claimedAgoMs - deferredAfterMs)) : null;
        const decision = decide({ state, holder, claimedAt, deferredAt });
        const dead = !live.has(holder);
        const quietFor = NOW.getTime() - (deferredAt ?? claimedAt).getTime();
        // Written from the rule, case by case.
        let expected: string;
        if (!dead || quietFor < 12 * S) expected = "leave";
        else if (state === "claimed") expected = "lost";
        else expected = claimedAgoMs < 14 * MIN ? "resume" : "expired";
        expect(decision).toBe(expected);
        // And what the issue asks of it: an edit is only attempted inside Discord's 15 minutes.
        if (decision === "resume") expect(claimedAgoMs).toBeLessThan(15 * MIN);
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { accessWindow, type SubscriptionFacts } from "../../src/commerce/subscription-policy.js";
import { DEFAULT_COMMERCE } from "../../src/config/communities.js";
import { loadConfig } from "../../src/config/config.js";

const start = new Date("2026-11-01T00:00:00Z");
const periodEnd = new Date("2026-12-01T00:00:00Z");
const facts = (status: SubscriptionFacts["status"], cancelAtPeriodEnd = false): SubscriptionFacts => ({ id: "sub_1", status, startedAt: start, currentPeriodEnd: periodEnd, cancelAtPeriodEnd });

describe("subscription access policy", () => {
  it("by default: active and trialing open-ended, scheduled cancellation until the period end", () => {
    expect(accessWindow(facts("active"), null, DEFAULT_COMMERCE)).toEqual({ startsAt: start, endsAt: null });
    expect(accessWindow(facts("trialing"), null, DEFAULT_COMMERCE)).toEqual({ startsAt: start, endsAt: null });
    expect(accessWindow(facts("active", true), null, DEFAULT_COMMERCE)).toEqual({ startsAt: start, endsAt: periodEnd });
  });

  it("by default: a failed payment keeps access 7 days from the first failure; cancelled keeps the paid period", () => {
    const failedAt = new Date("2026-11-20T00:00:00Z");
    expect(accessWindow(facts("past_due"), failedAt, DEFAULT_COMMERCE)?.endsAt).toEqual(new Date("2026-11-27T00:00:00Z"));
    expect(accessWindow(facts("canceled"), null, DEFAULT_COMMERCE)?.endsAt).toEqual(periodEnd);
  });

  it("never-paid subscriptions grant nothing", () => {
    for (const status of ["incomplete", "incomplete_expired", "paused"] as const) expect(accessWindow(facts(status), null, DEFAULT_COMMERCE)).toBeNull();
  });

  it("a community can change each policy", () => {
    const strict = { ...DEFAULT_COMMERCE, graceDays: 0, cancelledAccess: "immediately" as const, trialsGrantAccess: false };
    expect(accessWindow(facts("trialing"), null, strict)).toBeNull();
    expect(accessWindow(facts("canceled"), null, strict)?.endsAt).toEqual(start);
    const failedAt = new Date("2026-11-20T00:00:00Z");
    expect(accessWindow(facts("past_due"), failedAt, strict)?.endsAt).toEqual(failedAt);
  });

  it("the communities file fills in the defaults", () => {
    const config = loadConfig({ GUILDHALL_COMMUNITIES: "guildhall.communities.example.json" });
    expect(config.communities[0]?.commerce).toMatchObject({ graceDays: 7, cancelledAccess: "until_period_end", trialsGrantAccess: true, refundsEndAccess: true });
  });
});

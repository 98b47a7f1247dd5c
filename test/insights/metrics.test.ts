import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildRollups } from "../../src/insights/rollups.js";
import { headline, loadRollups, monthlySubscriptions, type Rollups } from "../../src/insights/report.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { ROLLUP_SOURCES } from "./support.js";

// A hand-built history whose answers are worked out below from the README's definitions,
// never from the code: a churn, a refund, a dispute, a yearly plan, two currencies, a trial
// that converted and one that did not, and a reactivation, all in March 2026.
const NOW = new Date("2026-04-15T12:00:00Z");
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe.each(backends())("insights metric definitions on %s", (backend) => {
  let db: TestDatabase;
  let r: Rollups;
  const ids = { community: "c-metrics", other: "c-other", a: "m-a", b: "m-b", c: "m-c", d: "m-d" };

  beforeAll(async () => {
    db = await freshDatabase(backend);
    const p = db.prisma;
    await p.community.create({ data: { id: ids.community, slug: "metrics", name: "Metrics" } });
    await p.community.create({ data: { id: ids.other, slug: "other", name: "Other" } });
    const joined = { a: "2026-01-05", b: "2026-01-20", c: "2026-02-15", d: "2026-03-01" } as const;
    for (const [k, day] of Object.entries(joined)) {
      await p.member.create({ data: { id: ids[k as keyof typeof joined], communityId: ids.community, displayName: k.toUpperCase(), createdAt: at(day) } });
    }
    const sub = (id: string, memberId: string, amount: number, currency: string, interval: string, startedAt: string, extra: { trialEndsAt?: string; endedAt?: string } = {}) =>
      p.insightSubscription.create({
        data: {
          id, communityId: ids.community, memberId, itemId: "item-pro", amount, currency, interval, startedAt: at(startedAt),
          trialEndsAt: extra.trialEndsAt ? at(extra.trialEndsAt) : null, endedAt: extra.endedAt ? at(extra.endedAt) : null,
        },
      });
    await sub("sub_1", ids.a, 1000, "usd", "month", "2026-01-10", { endedAt: "2026-03-05" }); // churns in March
    await sub("sub_2", ids.b, 12000, "usd", "year", "2026-02-01"); // yearly: 1,000 a month
    await sub("sub_3", ids.c, 2000, "eur", "month", "2026-02-20", { trialEndsAt: "2026-03-01" }); // trial converts
    await sub("sub_4", ids.a, 1000, "usd", "month", "2026-03-20"); // A comes back: reactivation
    await sub("sub_5", ids.d, 500, "usd", "month", "2026-03-10", { trialEndsAt: "2026-03-17", endedAt: "2026-03-17" }); // trial never paid
    const money = (id: string, kind: string, amount: number, currency: string, day: string, extra: { memberId?: string; itemId?: string; subscriptionId?: string; chargeId?: string } = {}) =>
      p.insightMoney.create({ data: { id, communityId: ids.community, kind, amount, currency, occurredAt: at(day), memberId: extra.memberId ?? null, itemId: extra.itemId ?? "item-pro", subscriptionId: extra.subscriptionId ?? null, chargeId: extra.chargeId ?? null } });
    await money("in_1", "payment", 1000, "usd", "2026-01-10", { subscriptionId: "sub_1" });
    await money("in_2", "payment", 1000, "usd", "2026-02-10", { subscriptionId: "sub_1" });
    await money("in_3", "payment", 12000, "usd", "2026-02-01", { subscriptionId: "sub_2" });
    await money("in_4", "payment", 0, "eur", "2026-02-20", { subscriptionId: "sub_3" });
    await money("in_5", "payment", 2000, "eur", "2026-03-01", { subscriptionId: "sub_3" });
    await money("in_6", "payment", 2000, "eur", "2026-04-01", { subscriptionId: "sub_3" });
    await money("in_7", "payment", 1000, "usd", "2026-03-20", { subscriptionId: "sub_4" });
    await money("cs_1", "payment", 4900, "usd", "2026-03-12", { itemId: "item-course" });
    await money("ch_1:refunded:500", "refund", 500, "usd", "2026-03-13", { itemId: "item-course", chargeId: "ch_1" });
    await money("ch_1:refunded:900", "refund", 900, "usd", "2026-03-14", { itemId: "item-course", chargeId: "ch_1" });
    await money("dp_1", "dispute", 1000, "usd", "2026-03-03", { chargeId: "ch_2", subscriptionId: "sub_1" });
    // Another community's money never shows here.
    await p.insightMoney.create({ data: { id: "in_x", communityId: ids.other, kind: "payment", amount: 99_999, currency: "usd", occurredAt: at("2026-03-15") } });
    for (const [memberId, day] of [[ids.a, "2026-04-10"], [ids.a, "2026-04-12"], [ids.b, "2026-04-14"], [ids.c, "2026-03-20"]] as const) {
      await p.insightActivity.create({ data: { communityId: ids.community, memberId, day: new Date(`${day}T00:00:00Z`) } });
    }
    await rebuildRollups(p, ids.community, NOW, ROLLUP_SOURCES);
    r = await loadRollups(p, ids.community);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("revenue per month keeps currencies apart and nets refunds (increase of the refunded total) and disputes", () => {
    expect(r.get("revenue.gross", "month:2026-03", "usd")).toBe(1000 + 4900);
    expect(r.get("revenue.refunds", "month:2026-03", "usd")).toBe(900);
    expect(r.get("revenue.disputes", "month:2026-03", "usd")).toBe(1000);
    expect(r.get("revenue.net", "month:2026-03", "usd")).toBe(5900 - 900 - 1000);
    expect(r.get("revenue.net", "month:2026-03", "eur")).toBe(2000);
    expect(r.get("revenue.net", "month:2026-02", "usd")).toBe(1000 + 12000);
    expect(r.keys("revenue.net")).toEqual(["eur", "usd"]);
  });

  it("revenue per catalog item and month", () => {
    expect(r.get("item.net", "month:2026-03", "item-course:usd")).toBe(4900 - 900);
    expect(r.get("item.net", "month:2026-03", "item-pro:usd")).toBe(1000 - 1000);
    expect(r.get("item.gross", "month:2026-03", "item-pro:eur")).toBe(2000);
  });

  it("MRR normalises the yearly plan, excludes trials and ended subscriptions; churn, new, reactivated and trial conversion for March", () => {
    const [feb, march] = monthlySubscriptions(r, ["2026-02", "2026-03"], NOW);
    // End of February: sub_1 (1,000) and sub_2 (12,000 / 12); sub_3 is still in its trial.
    expect(feb!.mrr).toEqual({ usd: 2000, eur: 0 });
    // End of March: sub_2 (1,000), sub_4 (1,000) in USD; sub_3 (2,000) in EUR.
    expect(march!.mrr).toEqual({ usd: 2000, eur: 2000 });
    expect(march!.payingMembers).toBe(3); // A (sub_4), B, C
    expect(march!.activeAtStart).toBe(2); // sub_1, sub_2 paying on 1 March's start
    expect(march!.churned).toBe(1); // sub_1; sub_5 ended in its trial, never paying
    expect(march!.churnRate).toBe(0.5);
    expect(march!.new).toBe(1); // sub_3 starts paying on 1 March; C never paid before
    expect(march!.reactivated).toBe(1); // sub_4: A's earlier subscription had ended
    expect(march!.trialsEnded).toBe(2); // sub_3, sub_5
    expect(march!.trialConversion).toBe(0.5);
    expect(feb!.new).toBe(1); // sub_2
  });

  it("active members: distinct members in the last 1, 7 and 30 days", () => {
    expect(r.get("active.1", "day:2026-04-14")).toBe(1);
    expect(r.get("active.1", "day:2026-04-15")).toBe(0);
    expect(r.get("active.7", "day:2026-04-15")).toBe(2); // A (10th, 12th), B (14th)
    expect(r.get("active.30", "day:2026-04-15")).toBe(3); // and C (20 March)
    expect(r.get("active.7", "day:2026-04-09")).toBe(0);
    expect(r.get("active.30", "day:2026-04-09")).toBe(1); // only C (20 March)
  });

  it("join cohorts: retained when active between 30 and 59 days after joining", () => {
    expect(r.get("cohort.joined", "month:2026-01")).toBe(2);
    expect(r.get("cohort.retained30", "month:2026-01")).toBe(0);
    expect(r.get("cohort.joined", "month:2026-02")).toBe(1);
    expect(r.get("cohort.retained30", "month:2026-02")).toBe(1); // C joined 15 Feb, active 20 March (day 33)
    expect(r.get("cohort.complete", "month:2026-03")).toBe(0);
  });

  it("headline for the last 30 days against the 30 before", () => {
    const figures = Object.fromEntries(headline(r, NOW, "month").map((f) => [f.label, f]));
    // 17 March to 15 April: sub_4 1,000 USD (20 March); sub_3 2,000 EUR (1 April).
    expect(figures["Net revenue (USD)"]).toMatchObject({ now: 1000 });
    // 15 February to 16 March: 4,900 − 900 − 1,000 (dispute) = 3,000, and 2,000 EUR on 1 March.
    expect(figures["Net revenue (USD)"]).toMatchObject({ before: 3000 });
    expect(figures["Net revenue (EUR)"]).toMatchObject({ now: 2000, before: 2000 });
    expect(figures["MRR (USD)"]).toMatchObject({ now: 2000 });
    expect(figures["Active members"]).toMatchObject({ now: 3 });
  });
});

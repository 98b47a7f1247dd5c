import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaygroundClock } from "../../src/platform/playground/clock.js";
import { startPlaygroundApp, waitFor } from "../support/app.js";

/** A line's answer may take long on a loaded machine (the first command starts the app's work). */
const LINE_MS = 60_000;

/**
 * Issue 10: the playground's simulated payment provider does what Stripe's billing does as time
 * passes. A monthly membership bought with /buy and /pay renews when the playground clock passes
 * its period end, through the signed-event path real Stripe uses (an invoice for the new period,
 * paid: invoice.paid and customer.subscription.updated), and access continues; one cancelled in
 * the billing portal ends at the period end instead (customer.subscription.deleted), and access
 * with it. Every message about it says the payment is simulated. One move of the clock tells
 * both stories (a month of playground time is walked hour by hour, which takes a while).
 */
const LABEL = "(simulated payment — no real money)";
// Monday 7 December 2026, 10:00 UTC; a month later is Thursday 7 January 2027.
const start = new Date("2026-12-07T10:00:00Z");

describe("simulated monthly memberships as the playground clock passes their period end", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  let moved: string;
  let before: number;
  const storedEvents = async () => (await pg.app.database.prisma.stripeEvent.findMany({ select: { type: true }, orderBy: [{ created: "asc" }, { appliedAt: "asc" }] })).map((r) => r.type);

  beforeAll(async () => {
    // Real time stands still: only /clock moves this playground's time.
    pg = await startPlaygroundApp({ clock: new PlaygroundClock({ start, realNow: () => 0 }) });
    await pg.type("/as Grace --creator", LINE_MS);
    await pg.type('/catalog add gold "Gold tier" 19eur/month', LINE_MS);
    for (const member of ["Ada", "Bob"]) {
      await pg.type(`/as ${member}`, LINE_MS);
      await pg.type("/buy gold", LINE_MS);
      expect(await pg.type("/pay gold", LINE_MS)).toContain("you now have Gold tier");
    }
    // Bob cancels in the billing portal: at the end of the paid period.
    const portal = /http:\/\/127\.0\.0\.1:\d+\/portal\/\w+/.exec(await pg.type("/billing", LINE_MS))![0];
    const action = /action="([^"]+)"/.exec(await (await fetch(portal)).text())![1]!;
    expect((await fetch(new URL(action, portal), { method: "POST" })).status).toBe(200);
    await waitFor(() => pg.printed().includes("Your membership Gold tier is cancelled: it ends on 2027-01-07"), 10_000);
    expect(await pg.type("/access show", LINE_MS)).toContain("Gold tier: membership (active) until 2027-01-07");
    before = (await storedEvents()).length;
    moved = await pg.type("/clock +1 month", 400_000);
  }, 480_000);
  afterAll(() => pg?.end());

  it("moves a calendar month", () => {
    expect(moved).toContain("Moving the clock forward 31 days, to Thu 7 Jan 2027, 10:00 (UTC)");
  });

  it("renews a membership through signed events, and access continues", async () => {
    expect(moved).toContain(`🔒 to Ada (private):\n  Your membership Gold tier renewed: €19.00 paid for the period until 2027-02-07.\n  -- ${LABEL}`);
    expect((await storedEvents()).slice(before)).toEqual(expect.arrayContaining(["invoice.paid", "customer.subscription.updated"]));
    // The invoice behind it is the new period's, paid, in the simulated Stripe as in Stripe.
    const invoices = await pg.app.services.stripe!.invoices.list({ limit: 10 });
    const cycle = invoices.data.filter((i) => i.billing_reason === "subscription_cycle");
    expect(cycle).toHaveLength(1);
    expect(cycle[0]).toMatchObject({ status: "paid", amount_paid: 1900 });
    // Issued once the paid period had ended (Stripe's invoice dates its new period on its lines).
    expect(cycle[0]!.created).toBeGreaterThanOrEqual(Date.parse("2027-01-07T10:00:00Z") / 1000);
    expect(cycle[0]!.lines.data[0]?.period).toEqual({ start: Date.parse("2027-01-07T10:00:00Z") / 1000, end: Date.parse("2027-02-07T10:00:00Z") / 1000 });
    await pg.type("/as Ada", LINE_MS);
    const access = await pg.type("/access show", LINE_MS);
    expect(access).toContain("Gold tier: membership (active)");
    expect(access).not.toContain("ended");
  });

  it("ends a membership cancelled in the portal at the period end, and its access with it", async () => {
    expect(moved).toContain(`🔒 to Bob (private):\n  Your membership Gold tier has ended, as you cancelled it; your access ended with the paid period, on 2027-01-07.\n  -- ${LABEL}`);
    expect((await storedEvents()).slice(before)).toContain("customer.subscription.deleted");
    await pg.type("/as Bob", LINE_MS);
    const access = await pg.type("/access show", LINE_MS);
    expect(access).toContain("You have no active access.");
    expect(access).toMatch(/Past: Gold tier: membership \([^)]*\) until 2027-01-07 — ended/);
  });
});

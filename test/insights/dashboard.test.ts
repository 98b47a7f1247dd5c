import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageData, pageSelection } from "../../src/insights/dashboard/pages.js";
import { statsSelection, twelveMonths } from "../../src/insights/insights-service.js";
import { headline, loadRollups, PERIODS, type PeriodName } from "../../src/insights/report.js";
import { dashboardLookups } from "../../src/insights/dashboard/services-lookups.js";
import { backends } from "../support/databases.js";
import { SEEDED, startDashboard } from "./support.js";

// The dashboard over HTTP (no browser): sign-in links, cookies, headers, community checks, CSV.
describe.each(backends())("insights dashboard over HTTP on %s", (backend) => {
  let d: Awaited<ReturnType<typeof startDashboard>>;
  const get = (url: string, cookie?: string) => fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const signIn = async (space: "playground" | "elsewhere" = "playground") => {
    const res = await get(await d.link(space));
    const cookie = res.headers.get("set-cookie") ?? "";
    return { res, cookie, value: cookie.split(";")[0]! };
  };

  beforeAll(async () => {
    d = await startDashboard(backend);
  });
  afterAll(async () => {
    await d?.close();
  });

  it("/dashboard is for creators and admins only", async () => {
    const reply = await d.invoke("playground", "member");
    expect(reply.tone).toBe("error");
    expect(reply.links).toBeUndefined();
  });

  it("a link signs in once: HttpOnly, SameSite=Strict, 12-hour cookie on /dashboard, and a redirect without the token", async () => {
    const link = await d.link();
    expect(link).toMatch(new RegExp(`^${d.baseUrl}/dashboard/login\\?token=[\\w-]{43}$`));
    const { res, cookie } = await signIn();
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/c/playground/");
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
    // Only the token's hash is stored.
    const token = new URL(link).searchParams.get("token")!;
    const rows = await d.database.prisma.dashboardLoginToken.findMany();
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
  });

  it("a used, an expired and a forged link get a clear page and no session", async () => {
    const link = await d.link();
    expect((await get(link)).status).toBe(303);
    const used = await get(link);
    expect(used.status).toBe(410);
    expect(used.headers.get("set-cookie")).toBeNull();
    expect(await used.text()).toContain("already used");

    const late = await d.link();
    d.clock.advance(10 * 60_000 + 1000);
    const expired = await get(late);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("expired");
    d.clock.advance(-(10 * 60_000 + 1000));

    const forged = await get(`${d.baseUrl}/dashboard/login?token=${"A".repeat(43)}`);
    expect(forged.status).toBe(400);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect(await forged.text()).toContain("not valid");
  });

  it("pages need a session and show only the session's own community", async () => {
    expect((await get(`${d.baseUrl}/dashboard/c/playground/`)).status).toBe(401);
    const { value } = await signIn("elsewhere");
    const other = await get(`${d.baseUrl}/dashboard/c/playground/`, value);
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain("MRR");
    expect((await get(`${d.baseUrl}/dashboard/c/playground/revenue/csv/revenue-usd`, value)).status).toBe(403);
  });

  it("the overview shows the seeded figures with strict security headers and no token", async () => {
    const { value } = await signIn();
    const res = await get(`${d.baseUrl}/dashboard/c/playground/`, value);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline scripts
    expect(html).not.toContain("token=");
    expect(html).toContain(`MRR (USD)</span><span class="value">${SEEDED.mrrUsd}`);
    expect(html).toContain(`Paying members</span><span class="value">${SEEDED.payingMembers} `);
    expect(html).toContain(`Net revenue (USD)</span><span class="value">${SEEDED.netRevenueUsd30} `);
    for (const page of ["revenue", "members", "qa", "reviews", "events", "points"]) {
      expect((await get(`${d.baseUrl}/dashboard/c/playground/${page}`, value)).status).toBe(200);
    }
  });

  it("each table downloads as CSV with the same numbers", async () => {
    const { value } = await signIn();
    const res = await get(`${d.baseUrl}/dashboard/c/playground/csv/net-revenue`, value);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("Month,Net (EUR),Net (USD)");
    expect(lines).toContain(`2026-03,${SEEDED.marchNetEur},${SEEDED.marchNetUsd}`);
  });

  it("every table of every page has a CSV link that downloads that table", async () => {
    const { value } = await signIn();
    let tables = 0;
    for (const page of ["", "revenue", "members", "qa", "reviews", "events", "points"]) {
      const html = await (await get(`${d.baseUrl}/dashboard/c/playground/${page}`, value)).text();
      const ids = [...html.matchAll(/<table id="t-([\w-]+)">/g)].map((m) => m[1]!);
      const links = [...html.matchAll(/<a class="csv" href="([^"]+)"/g)].map((m) => m[1]!);
      expect(ids.length, page).toBeGreaterThan(0);
      expect(links, page).toHaveLength(ids.length);
      for (const [i, href] of links.entries()) {
        expect(href).toMatch(new RegExp(`/csv/${ids[i]}$`));
        const res = await get(`${d.baseUrl}${href}`, value);
        expect(res.status, href).toBe(200);
        expect(res.headers.get("content-disposition")).toBe(`attachment; filename="playground-${ids[i]}.csv"`);
        // The header row is the table's own header row.
        const header = [...html.split(`<table id="t-${ids[i]}">`)[1]!.split("</tr>")[0]!.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]!.replace(/&#38;/g, "&"));
        expect((await res.text()).split("\r\n")[0], href).toBe(header.map((h) => (h.includes(",") ? `"${h}"` : h)).join(","));
        tables++;
      }
    }
    expect(tables).toBeGreaterThanOrEqual(10);
  });

  it("serves uPlot and its own scripts from Guildhall, not a CDN", async () => {
    const res = await get(`${d.baseUrl}/dashboard/assets/uPlot.iife.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });

  it("/dashboard signout-all ends every session of the community", async () => {
    const { value } = await signIn();
    expect((await get(`${d.baseUrl}/dashboard/c/playground/`, value)).status).toBe(200);
    const reply = await d.invoke("playground", "creator", { action: "signout-all" });
    expect(reply.tone).toBe("success");
    expect((await get(`${d.baseUrl}/dashboard/c/playground/`, value)).status).toBe(401);
  });

  it("/stats gives headline figures with the change and a PNG chart", async () => {
    const reply = await d.invoke("playground", "creator", { period: "month" }, "stats");
    const fields = Object.fromEntries((reply.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields["MRR (USD)"]).toMatch(/^\$20\.00 /);
    expect(fields["Paying members"]).toMatch(/^3 /);
    expect(reply.image?.name).toBe("stats.png");
    expect(Buffer.from(reply.image!.png).subarray(1, 4).toString()).toBe("PNG");
  });

  it("the overview and /stats read only the rollup rows they show, and show what every row would", async () => {
    const db = d.database.prisma;
    const all = await loadRollups(db, d.community.id);
    for (const now of [new Date("2026-04-15T12:00:00Z"), new Date("2026-06-30T08:00:00Z"), new Date("2027-01-10T08:00:00Z")]) {
      for (const period of Object.keys(PERIODS) as PeriodName[]) {
        const select = pageSelection("", now, period)!;
        const some = await loadRollups(db, d.community.id, select);
        const ctx = { lookups: dashboardLookups(d.runtime.services), communityId: d.community.id, now, period };
        expect(await pageData("", { ...ctx, rollups: some }), `${now.toISOString()} ${period}`).toEqual(await pageData("", { ...ctx, rollups: all }));
      }
    }
    // /stats likewise: the same figures and chart from the rows it reads as from every row.
    for (const now of [new Date("2026-04-15T12:00:00Z"), new Date("2027-01-10T08:00:00Z")]) {
      for (const period of Object.keys(PERIODS) as PeriodName[]) {
        const some = await loadRollups(db, d.community.id, statsSelection(now, period));
        expect(headline(some, now, period)).toEqual(headline(all, now, period));
        expect(twelveMonths(some, now, "t")).toEqual(twelveMonths(all, now, "t"));
      }
    }
    // Day rows before the 90 days shown (two months of history before 15 April) are left unread.
    const select = pageSelection("", new Date("2026-04-15T12:00:00Z"), "week")!;
    const older = await db.insightRollup.count({ where: { communityId: d.community.id, metric: { in: [...select.metrics] }, period: { lt: `day:${select.days!.from}`, startsWith: "day:" } } });
    expect(older).toBeGreaterThan(0);
    const read = await db.insightRollup.count({ where: { communityId: d.community.id, metric: { in: [...select.metrics] }, OR: [{ period: { gte: `day:${select.days!.from}`, lte: `day:${select.days!.to}` } }, { period: { in: [...select.periods!] } }] } });
    expect(read).toBeLessThan(await db.insightRollup.count({ where: { communityId: d.community.id } }));
  });
});

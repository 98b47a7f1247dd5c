import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { RequestListener } from "node:http";
import type { Clock } from "../../core/services.js";
import type { Db } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import type { InsightsService } from "../insights-service.js";
import { PERIODS, type PeriodName } from "../report.js";
import { figuresHtml, layout, messagePage, PAGES, type PageSlug, tableHtml } from "./html.js";
import type { DashboardLookups } from "./lookups.js";
import { pageData, pageSelection } from "./pages.js";
import { redeemLoginToken, SESSION_TTL_MS, sessionCommunity } from "./sign-in.js";
import { toCsv } from "./table.js";

export const DASHBOARD_PREFIX = "/dashboard";
const COOKIE = "gh_dashboard";

/**
 * Only Guildhall's own scripts and styles; nothing inline, nothing framed, forms post only
 * here. uPlot sets styles through the DOM (allowed), never through inline style attributes.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

export interface DashboardDeps {
  readonly db: Db;
  /** Names and titles, from the capabilities that own them. */
  readonly lookups: DashboardLookups;
  readonly insights: InsightsService;
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly log: Logger;
}

/** The assets pages load, read once: uPlot from its npm package, ours from this folder. */
function assets(): Map<string, { body: string; type: string }> {
  const require = createRequire(import.meta.url);
  const uplotDir = dirname(require.resolve("uplot/package.json"));
  const own = join(dirname(fileURLToPath(import.meta.url)), "assets");
  return new Map([
    ["uPlot.iife.min.js", { body: readFileSync(join(uplotDir, "dist", "uPlot.iife.min.js"), "utf8"), type: "text/javascript; charset=utf-8" }],
    ["uPlot.min.css", { body: readFileSync(join(uplotDir, "dist", "uPlot.min.css"), "utf8"), type: "text/css; charset=utf-8" }],
    ["charts.js", { body: readFileSync(join(own, "charts.js"), "utf8"), type: "text/javascript; charset=utf-8" }],
    ["dashboard.css", { body: readFileSync(join(own, "dashboard.css"), "utf8"), type: "text/css; charset=utf-8" }],
  ]);
}

/** The dashboard's routes, under /dashboard, on Hono (routing, cookies and headers). */
export function dashboardApp(deps: DashboardDeps): Hono {
  const app = new Hono();
  const files = assets();
  const secure = deps.publicUrl.startsWith("https://");

  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  app.onError((error, c) => {
    deps.log.error({ err: error, path: c.req.path }, "dashboard page failed");
    return c.html(messagePage("Something went wrong", "Sorry, this page could not be shown. Try again in a moment."), 500);
  });

  app.get(`${DASHBOARD_PREFIX}/assets/:file`, (c) => {
    const file = files.get(c.req.param("file"));
    if (!file) return c.text("Not found", 404);
    return c.body(file.body, 200, { "content-type": file.type });
  });

  app.get(`${DASHBOARD_PREFIX}/login`, async (c) => {
    const token = c.req.query("token") ?? "";
    const now = deps.clock.now();
    const redeemed = /^[\w-]{20,100}$/.test(token) ? await redeemLoginToken(deps.db, token, now) : ({ ok: false, why: "unknown" } as const);
    if (!redeemed.ok) {
      const why = {
        used: "This sign-in link was already used. Each link works once: run /dashboard in chat for a new one.",
        expired: "This sign-in link has expired (links last 10 minutes). Run /dashboard in chat for a new one.",
        unknown: "This sign-in link is not valid. Run /dashboard in chat for a new one.",
      }[redeemed.why];
      return c.html(messagePage("Sign-in link refused", why), redeemed.why === "unknown" ? 400 : 410);
    }
    setCookie(c, COOKIE, redeemed.session, { httpOnly: true, sameSite: "Strict", secure, path: DASHBOARD_PREFIX, maxAge: SESSION_TTL_MS / 1000 });
    const community = await deps.db.community.findUniqueOrThrow({ where: { id: redeemed.communityId }, select: { slug: true } });
    // A redirect drops the token from the address bar and history.
    return c.redirect(`${DASHBOARD_PREFIX}/c/${encodeURIComponent(community.slug)}/`, 303);
  });

  app.get(DASHBOARD_PREFIX, async (c) => {
    const session = await sessionCommunity(deps.db, getCookie(c, COOKIE), deps.clock.now());
    if (!session) return signInPage(c);
    const community = await deps.db.community.findUniqueOrThrow({ where: { id: session.communityId }, select: { slug: true } });
    return c.redirect(`${DASHBOARD_PREFIX}/c/${encodeURIComponent(community.slug)}/`, 303);
  });

  const page = async (c: Context, slug: PageSlug, csvTable?: string) => {
    const now = deps.clock.now();
    // Both looked up at once: one round trip fewer before the page's own data.
    const [session, community] = await Promise.all([
      sessionCommunity(deps.db, getCookie(c, COOKIE), now),
      deps.db.community.findUnique({ where: { slug: c.req.param("community") ?? "" }, select: { id: true, slug: true, name: true } }),
    ]);
    if (!session) return signInPage(c);
    // The same answer whether the community exists or not: another community's pages are never shown.
    if (!community || community.id !== session.communityId) {
      return c.html(messagePage("Not your community", "You are signed in to another community's dashboard. Run /dashboard in this community's chat to see its figures."), 403);
    }
    const periodParam = c.req.query("period");
    const period: PeriodName = periodParam && periodParam in PERIODS ? (periodParam as PeriodName) : "month";
    const rollups = await deps.insights.rollups(community.id, community.slug, pageSelection(slug, now, period));
    const data = await pageData(slug, { lookups: deps.lookups, communityId: community.id, rollups, now, period });
    if (csvTable !== undefined) {
      const table = data.tables.find((t) => t.id === csvTable);
      if (!table) return c.text("No such table.", 404);
      return c.body(toCsv(table), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${community.slug}-${table.id}.csv"` });
    }
    const base = `${DASHBOARD_PREFIX}/c/${encodeURIComponent(community.slug)}/${slug}`;
    const periods = slug === "" || slug === "members"
      ? `<p class="periods">Period: ${Object.keys(PERIODS).map((p) => (p === period ? `<strong>${p}</strong>` : `<a href="?period=${p}">${p}</a>`)).join(" · ")} (the last ${PERIODS[period]} days against the ${PERIODS[period]} before)</p>`
      : "";
    const built = rollups.builtAt ? `<p class="note">Figures as of ${rollups.builtAt.toISOString().slice(0, 16).replace("T", " ")} UTC; money in each currency's own units, never summed across currencies.</p>` : "";
    const body = `${periods}${data.figures.length ? figuresHtml(data.figures) : ""}${built}${data.tables.map((t) => tableHtml(t, `${base}${slug ? "/" : ""}csv/${t.id}`.replace(/\/\/csv/, "/csv"))).join("")}`;
    const title = PAGES.find((p) => p.slug === slug)!.title;
    return c.html(layout({ title, community, active: slug, body, charts: data.tables.some((t) => t.chart) }));
  };

  for (const p of PAGES) {
    const path = `${DASHBOARD_PREFIX}/c/:community/${p.slug}`;
    app.get(path, (c) => page(c, p.slug));
    app.get(`${path}${p.slug ? "/" : ""}csv/:table`, (c) => page(c, p.slug, c.req.param("table")));
  }
  app.get(`${DASHBOARD_PREFIX}/c/:community`, (c) => c.redirect(`${c.req.path}/`, 301));
  app.notFound((c) => c.html(messagePage("Not found", "There is no such dashboard page."), 404));
  return app;
}

function signInPage(c: Context) {
  return c.html(messagePage("Sign in", "Sign in with the link /dashboard gives you in chat (creators and admins)."), 401);
}

/** A Node request listener for the one HTTP server (`HttpServer.mount`). */
export function dashboardListener(deps: DashboardDeps): RequestListener {
  return getRequestListener(dashboardApp(deps).fetch) as unknown as RequestListener;
}

// The dashboard in a real browser (Debian's chromium through playwright-core): sign in with a
// link /dashboard made, see the overview's charts, compare figures and a CSV download with the
// seeded history, and be refused with a used link, an expired link and another community's
// page. A failing test leaves a screenshot under test-results/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { backends } from "../support/databases.js";
import { SEEDED, startDashboard } from "../insights/support.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = "test-results";
/** Set to a folder (docs) to write the README's screenshots of each page. */
const SHOTS = process.env.DASHBOARD_SCREENSHOTS;

/**
 * Writes a README screenshot, made smaller (256 colours, then lossless recompression) by
 * Debian's pngquant and optipng where they are installed; they are tools, not dependencies.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SHOTS!, name);
  mkdirSync(SHOTS!, { recursive: true });
  await page.screenshot({ path });
  const run = (tool: string, args: string[]) => {
    try {
      execFileSync(tool, [...args, path], { stdio: "ignore" });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      console.warn(`${path}: ${missing ? `${tool} is not installed (apt-get install -y ${tool})` : `${tool} failed`}, so it is left as it was`);
    }
  };
  run("pngquant", ["--quality=70-90", "--speed", "1", "--strip", "--force", "--ext", ".png"]);
  run("optipng", ["-quiet", "-o3", "-strip", "all"]);
}

describe.skipIf(!existsSync(CHROMIUM)).each(backends())("the dashboard in Chromium on %s", (backend) => {
  let d: Awaited<ReturnType<typeof startDashboard>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A fresh browser profile (no cookies) with a screenshot on failure. */
  async function freshPage(name: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport });
    contexts.push(context);
    const page = await context.newPage();
    onTestFailed(async () => {
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, `dashboard-${backend}-${name}.png`), fullPage: true }).catch(() => undefined);
    });
    return page;
  }

  beforeAll(async () => {
    d = await startDashboard(backend);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      // Playwright starts every launch with a fresh, temporary --user-data-dir of its own.
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await d?.close();
  });

  it("signs in through a /dashboard link and shows the overview with drawn charts and the seeded figures", async () => {
    const page = await freshPage("overview");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(await d.link());
    expect(new URL(page.url()).pathname).toBe("/dashboard/c/playground/");
    expect(page.url()).not.toContain("token");
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "gh_dashboard", httpOnly: true, sameSite: "Strict", path: "/dashboard" })]);

    // Every chart was drawn by uPlot from its table: a canvas, and as many points as rows.
    await page.waitForSelector(".chart[data-drawn] canvas");
    const charts = await page.$$eval(".chart", (els) => els.map((e) => ({ drawn: Number(e.getAttribute("data-drawn") ?? 0), canvases: e.querySelectorAll("canvas").length })));
    expect(charts.length).toBe(3);
    for (const c of charts) {
      expect(c.canvases).toBeGreaterThan(0);
      expect(c.drawn).toBeGreaterThan(0);
    }
    const figure = (label: string) => page.locator(`[data-figure="${label}"] .value`).innerText();
    expect(await figure("MRR (USD)")).toMatch(new RegExp(`^\\${SEEDED.mrrUsd} `));
    expect(await figure("Paying members")).toMatch(new RegExp(`^${SEEDED.payingMembers} `));
    expect(await figure("Net revenue (USD)")).toMatch(new RegExp(`^\\${SEEDED.netRevenueUsd30} `));
    expect(errors).toEqual([]); // nothing blocked by the Content-Security-Policy, no script errors
    if (SHOTS) {
      await screenshot(page, "dashboard-overview.png");
      await page.goto(page.url().replace(/\/$/, "/members"));
      await page.waitForSelector(".chart[data-drawn] canvas");
      await screenshot(page, "dashboard-members.png");
    }
  });

  it("downloads a table as CSV with the numbers the page shows", async () => {
    const page = await freshPage("csv");
    await page.goto(await d.link());
    const shown = await page.$$eval("#t-net-revenue tr", (rows) => rows.map((r) => Array.from(r.children, (c) => (c as unknown as { innerText: string }).innerText.trim()).join(",")));
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#net-revenue a.csv")]);
    const csv = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
    expect(csv).toEqual(shown);
    expect(csv).toContain(`2026-03,${SEEDED.marchNetEur},${SEEDED.marchNetUsd}`);
  });

  it("is readable on a phone: nothing wider than the screen", async () => {
    const page = await freshPage("phone", { width: 390, height: 844 });
    await page.goto(await d.link());
    await page.waitForSelector(".chart[data-drawn] canvas");
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    if (SHOTS) await screenshot(page, "dashboard-phone.png");
  });

  it("refuses a used link, an expired link and another community's page, with no session", async () => {
    const link = await d.link();
    const first = await freshPage("used-first");
    await first.goto(link);
    const used = await freshPage("used");
    await used.goto(link);
    expect(await used.locator("main").innerText()).toContain("already used");
    expect(await used.context().cookies()).toEqual([]);

    const late = await d.link();
    d.clock.advance(11 * 60_000);
    const expired = await freshPage("expired");
    await expired.goto(late);
    d.clock.advance(-11 * 60_000);
    expect(await expired.locator("main").innerText()).toContain("expired");
    expect(await expired.context().cookies()).toEqual([]);

    const other = await freshPage("other-community");
    await other.goto(await d.link("elsewhere"));
    const response = await other.goto(`${d.baseUrl}/dashboard/c/playground/`);
    expect(response?.status()).toBe(403);
    expect(await other.locator("main").innerText()).toContain("another community");
    expect(await other.content()).not.toContain("MRR");
  });
});

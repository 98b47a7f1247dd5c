import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { settingsSections } from "../../src/capabilities.js";
import { loadConfig } from "../../src/config/config.js";
import { playgroundBanner } from "../../src/platform/playground/banner.js";

/**
 * Issue 10: without STRIPE_SECRET_KEY the playground's commerce is simulated, and what
 * `npm start` prints first says so, and that a sk_test_ key switches to Stripe's test mode.
 */
function bannerWith(env: Record<string, string>): string {
  return playgroundBanner(loadConfig({ GUILDHALL_DATA_DIR: mkdtempSync(join(tmpdir(), "gh-banner-")), ...env }, settingsSections));
}

describe("the playground's banner", () => {
  it("without STRIPE_SECRET_KEY says payments are simulated and how to use Stripe's test mode", () => {
    const banner = bannerWith({});
    expect(banner).toContain("Payments are simulated: no STRIPE_SECRET_KEY is set");
    expect(banner).toContain("no money moves");
    expect(banner).toContain("Set STRIPE_SECRET_KEY to a sk_test_ key to use Stripe's test mode instead.");
  });

  it("with a sk_test_ key says Stripe's test mode is used, not the simulation", () => {
    const banner = bannerWith({ STRIPE_SECRET_KEY: "sk_test_abc123" });
    expect(banner).toContain("Payments go to Stripe in test mode");
    expect(banner).not.toContain("simulated");
  });

  it("with a live key warns that payments are real", () => {
    const banner = bannerWith({ STRIPE_SECRET_KEY: "sk_live_abc123" });
    expect(banner).toContain("Payments are REAL");
    expect(banner).not.toContain("simulated");
  });
});

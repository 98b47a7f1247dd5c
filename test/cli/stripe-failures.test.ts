/**
 * When Stripe rejects the key or cannot be reached, `npx guildhall reconcile|backfill` print
 * one line saying what to fix and exit non-zero; the stack trace only with LOG_LEVEL=debug.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { migratedDataDir } from "../support/databases.js";

// One data directory for every run, migrated before the first (beforeAll).
let dataDir = "";

/** `npx guildhall <args>` in process: run() is what bin/guildhall.mjs calls; it returns the exit code. */
async function cli(args: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  for (const [name, value] of Object.entries({ DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "warn", GUILDHALL_DATA_DIR: dataDir, ...env })) vi.stubEnv(name, value);
  let stdout = "";
  let stderr = "";
  try {
    const status = await run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
    return { status, stdout, stderr };
  } finally {
    vi.unstubAllEnvs();
  }
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("npx guildhall reconcile|backfill when Stripe fails", () => {
  let fake: FakeStripe;
  let closed: number;
  beforeAll(async () => {
    dataDir = await migratedDataDir("gh-stripe-fail-");
    fake = await startFakeStripe();
    fake.rejectKey("sk_test_rolled");
    closed = await closedPort();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("reconcile: a rejected key is one line naming STRIPE_SECRET_KEY, and exit 1", { timeout: 90_000 }, async () => {
    const run = await cli(["reconcile"], { STRIPE_SECRET_KEY: "sk_test_rolled", STRIPE_API_URL: fake.url });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^Stripe rejected the key in STRIPE_SECRET_KEY: .*dashboard.*restart Guildhall\.\n$/);
    expect(fake.calls.some((call) => call.status === 401)).toBe(true);
  });

  it("backfill: a rejected key is one line too", { timeout: 90_000 }, async () => {
    const run = await cli(["backfill"], { STRIPE_SECRET_KEY: "sk_test_rolled", STRIPE_API_URL: fake.url });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Stripe rejected the key in STRIPE_SECRET_KEY: [^\n]*\n$/);
  });

  for (const command of ["reconcile", "backfill"]) {
    it(`${command}: Stripe unreachable is one line saying to try again, and exit 1`, { timeout: 90_000 }, async () => {
      const run = await cli([command], { STRIPE_SECRET_KEY: "sk_test_fine", STRIPE_API_URL: `http://127.0.0.1:${closed}` });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^Stripe could not be reached; try again[^\n]*\n$/);
    });
  }

  it("LOG_LEVEL=debug adds where it failed", { timeout: 60_000 }, async () => {
    const run = await cli(["reconcile"], { STRIPE_SECRET_KEY: "sk_test_rolled", STRIPE_API_URL: fake.url, LOG_LEVEL: "debug" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Stripe rejected the key in STRIPE_SECRET_KEY");
    expect(run.stderr).toMatch(/StripeAuthenticationError|\bat .*:\d+/);
  });
});

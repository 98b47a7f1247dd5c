import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli.js";
import { migratedDataDir } from "../support/databases.js";
import { freePort } from "../support/free-port.js";

const guildhall = join(process.cwd(), "bin", "guildhall.mjs");
const baseEnv = { ...process.env, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "warn" };

describe("npx guildhall", () => {
  // The commands run in process (run() is what bin/guildhall.mjs calls); only the shutdown
  // on SIGTERM needs a real process.
  async function cli(argv: string[], env: Record<string, string> = {}) {
    for (const [name, value] of Object.entries({ DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "warn", ...env })) vi.stubEnv(name, value);
    let stdout = "";
    let stderr = "";
    try {
      const status = await run(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
      return { status, stdout, stderr };
    } finally {
      vi.unstubAllEnvs();
    }
  }

  it("migrate applies the migrations and exits", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "gh-cli-"));
    const result = await cli(["migrate"], { GUILDHALL_DATA_DIR: dataDir });
    expect(result.stdout).toMatch(/^Applied migration \d+_foundation\.$/m);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toMatch(/^The database is up to date \(\d+ migrations applied\)\.$/);
    expect(result.status).toBe(0);
    expect(existsSync(join(dataDir, "guildhall.lock"))).toBe(false);
  });

  it("generate-commands --check passes when commands/ is current", { timeout: 60_000 }, async () => {
    const result = await cli(["generate-commands", "--check"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("an unknown command prints the usage", async () => {
    const result = await cli(["frobnicate"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("deploy-commands [--guild ID]");
  });

  it("shuts down gracefully on SIGTERM: HTTP closed, database closed, lock released", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-term-");
    const port = await freePort();
    const bot = spawn(process.execPath, [guildhall, "start"], { env: { ...baseEnv, GUILDHALL_DATA_DIR: dataDir, PORT: String(port) }, stdio: ["pipe", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => bot.on("exit", resolve));
    let out = "";
    bot.stdout.on("data", (c) => (out += String(c)));
    try {
      // Until the banner, or the test's timeout on a very busy machine; a bot that exits first fails here.
      await new Promise<void>((resolve, reject) => {
        bot.stdout.on("data", () => out.includes("Guildhall playground") && resolve());
        void exited.then((code) => reject(new Error(`exited with ${code} before starting: ${out}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(existsSync(join(dataDir, "guildhall.lock"))).toBe(true);
      bot.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(existsSync(join(dataDir, "guildhall.lock"))).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      if (bot.exitCode === null && bot.signalCode === null) bot.kill("SIGKILL"); // a failed test leaves no bot behind
    }
  });
});

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { main } from "../../src/main.js";
import { startPlaygroundApp } from "../support/app.js";
import { migratedDataDir } from "../support/databases.js";
import { settingsSections } from "../../src/capabilities.js";

describe("playground (in process)", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
  });
  afterAll(() => pg?.end());

  it("announces what it is and how to connect a platform", () => {
    expect(pg.printed()).toContain("Guildhall playground");
    expect(pg.printed()).toContain("DISCORD_TOKEN");
  });

  it("/help lists every command with its options, and the playground's own commands", async () => {
    const out = await pg.type("/help");
    expect(out).toContain("/help [command]");
    expect(out).toContain("/link [code]");
    expect(out).toContain("/community");
    expect(out).toContain("(creators only)");
    expect(out).toContain("/as <name> [--creator | --admin]");
  });

  it("runs a command with options", async () => {
    const out = await pg.type("/help link");
    expect(out).toContain("code (optional): The code you got from /link");
  });

  it("explains a validation failure by option", async () => {
    expect(await pg.type("/link abc")).toContain("code is too short: 3 characters, it needs at least 8");
  });

  it("refuses a creator-only command to a member, and allows it after /as --creator", async () => {
    expect(await pg.type("/community")).toContain("Only creators can use /community.");
    expect(await pg.type("/as grace --creator")).toContain("You are now grace (creator).");
    expect(await pg.type("/community")).toContain("Members:");
    expect(await pg.type("/whoami")).toContain("Role: creator");
  });

  it("answers unknown commands and plain text helpfully", async () => {
    expect(await pg.type("/frobnicate")).toContain("There is no /frobnicate command. Type /help");
    expect(await pg.type("hello?")).toContain("Commands start with a slash");
  });
});

describe("playground (as a process)", () => {
  const cwd = process.cwd();
  const tsx = join(cwd, "node_modules", ".bin", "tsx");

  // A real process started through tsx: 60 to 85 s at load 30, like the other spawned tests' 120 s.
  it("works with piped input: prints the help and exits when input ends", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-pipe-");
    const run = spawnSync(tsx, ["src/main.ts"], { input: "/help\n", env: { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "" }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Guildhall playground");
    expect(run.stdout).toContain("/link [code]");
  });

  it("a second process on the same data directory refuses to start", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-two-");
    // The first runs in this process and holds the data directory; the second is a real process.
    const first = await startPlaygroundApp({ config: loadConfig({ GUILDHALL_DATA_DIR: dataDir }, settingsSections) });
    try {
      expect(first.printed()).toContain("Guildhall playground");
      const env = { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "" };
      const second = spawnSync(tsx, ["src/main.ts"], { input: "/help\n", env, encoding: "utf8" });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain("Another Guildhall process");
      expect(second.stderr).toContain("DATABASE_URL");
    } finally {
      await first.end();
    }
  });

  it("a bad configuration stops the start with one message naming the variables", async () => {
    // main() is what `npm start` runs; in process, it returns the exit code.
    vi.stubEnv("SLACK_BOT_TOKEN", "xoxb-secret-value");
    vi.stubEnv("PORT", "abc");
    let stderr = "";
    try {
      expect(await main({ stderr: { write: (t: string) => (stderr += t) } })).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stderr).toContain("SLACK_APP_TOKEN or SLACK_SIGNING_SECRET");
    expect(stderr).toContain("PORT");
    expect(stderr).not.toContain("xoxb-secret-value");
  });
});

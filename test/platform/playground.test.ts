import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlaygroundApp } from "../support/app.js";

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

  it("works with piped input: prints the help and exits when input ends", { timeout: 60_000 }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), "gh-pipe-"));
    const run = spawnSync(tsx, ["src/main.ts"], { input: "/help\n", env: { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "" }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Guildhall playground");
    expect(run.stdout).toContain("/link [code]");
  });

  it("a second process on the same data directory refuses to start", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "gh-two-"));
    const env = { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "" };
    const first = spawn(tsx, ["src/main.ts"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let firstOut = "";
    first.stdout.on("data", (c) => (firstOut += String(c)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`first process did not start: ${firstOut}`)), 30_000);
      first.stdout.on("data", () => firstOut.includes("Guildhall playground") && (clearTimeout(timer), resolve()));
    });
    const second = spawnSync(tsx, ["src/main.ts"], { input: "/help\n", env, encoding: "utf8" });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain("Another Guildhall process");
    expect(second.stderr).toContain("DATABASE_URL");
    first.stdin.end();
    const code = await new Promise<number | null>((resolve) => first.on("exit", resolve));
    expect(code).toBe(0);
  });

  it("a bad configuration stops the start with one message naming the variables", { timeout: 60_000 }, () => {
    const run = spawnSync(tsx, ["src/main.ts"], { input: "", env: { ...process.env, SLACK_BOT_TOKEN: "xoxb-secret-value", PORT: "abc" }, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SLACK_APP_TOKEN or SLACK_SIGNING_SECRET");
    expect(run.stderr).toContain("PORT");
    expect(run.stderr).not.toContain("xoxb-secret-value");
  });
});

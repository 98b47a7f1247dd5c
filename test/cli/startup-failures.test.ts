import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run as guildhall } from "../../src/cli.js";
import { migratedDataDir } from "../support/databases.js";

/** Issue 10, defect 5: start-up and CLI failures are one line naming the setting and the fix. */
const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB";

/**
 * `npx guildhall <args>` in process (run() is what bin/guildhall.mjs calls, and what it
 * returns is the exit code), with only `env` set among the settings.
 */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gh-fail-"));
  for (const [name, value] of Object.entries({ DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "", GUILDHALL_DATA_DIR: dataDir, ...env })) vi.stubEnv(name, value);
  let stdout = "";
  let stderr = "";
  try {
    const code = await guildhall(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
    return { code, stdout, stderr };
  } finally {
    vi.unstubAllEnvs();
  }
}

/** Exactly one line on stderr, no stack frame, exit code 1. */
function expectOneLine(result: { code: number | null; stderr: string }, ...parts: string[]) {
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('"level"');
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  for (const part of parts) expect(result.stderr).toContain(part);
}

describe("start-up and CLI failures", () => {
  // A Discord API that rejects every token, as Discord does a wrong one.
  let rejecting: Server;
  let rejectingUrl = "";
  beforeAll(async () => {
    rejecting = createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "401: Unauthorized", code: 0 }));
    });
    await new Promise<void>((resolve) => rejecting.listen(0, "127.0.0.1", resolve));
    rejectingUrl = `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => rejecting.close(() => resolve())));

  it("each names the setting and the fix in one line, exits 1, and shows a stack only with LOG_LEVEL=debug", { timeout: 120_000 }, async () => {
    // One after the other: each sets the process's environment while it runs.
    const database = await run(["start"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/guildhall" });
    const shape = await run(["start"], { DISCORD_TOKEN: "1234567890" });
    const rejected = await run(["start"], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: rejectingUrl, GUILDHALL_DATA_DIR: await migratedDataDir("gh-fail-") });
    const deploy = await run(["deploy-commands"], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: rejectingUrl, DISCORD_APPLICATION_ID: "123456789012345678" });
    const unreachable = await run(["migrate"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/guildhall" });
    const debug = await run(["start"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/guildhall", LOG_LEVEL: "debug" });
    expectOneLine(database, "DATABASE_URL", "connection refused", "Check that PostgreSQL is running");
    // Configuration problems keep their format: a heading, then one line per setting.
    expect(shape.code).toBe(1);
    expect(shape.stderr).toMatch(/^ {2}- DISCORD_TOKEN: should be the bot token .*three parts separated by dots/m);
    expect(shape.stderr).not.toMatch(/^\s+at /m);
    expect(shape.stderr).not.toContain("1234567890");
    expectOneLine(rejected, "Discord rejected DISCORD_TOKEN", "Reset Token");
    expect(rejected.stderr).not.toContain(TOKEN);
    expectOneLine(deploy, "guildhall deploy-commands failed", "DISCORD_TOKEN");
    expectOneLine(unreachable, "guildhall migrate failed", "DATABASE_URL");
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  it("-h prints the usage and exits 0", { timeout: 60_000 }, async () => {
    const help = await run(["-h"], {});
    expect(help.code).toBe(0);
    expect(help.stderr).toContain("Usage: guildhall <command>");
  });
});

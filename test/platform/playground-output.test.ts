import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaygroundTerminal } from "../../src/platform/playground/terminal.js";
import { startPlaygroundApp } from "../support/app.js";

/** Issue 10, defect 4: internal output never reaches the people in the playground. */
describe("the playground shows only chat", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
  });
  afterAll(() => pg?.end());

  it("shows a member mentioned in a post as @name, never as raw mention markup", async () => {
    await pg.type("/as bob");
    await pg.type("/reviewer join rust");
    await pg.type("/as ada");
    const out = await pg.type("/review request https://github.com/ada/borrow/pull/1 rust");
    expect(out).toContain("@bob");
    expect(pg.printed()).not.toContain("[[");
  });
});

describe("the playground process", () => {
  const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");

  it("writes logs to guildhall.log in the data directory, says so in the banner, and prints none", { timeout: 60_000 }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), "gh-logs-"));
    const env = { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "debug" };
    const run = spawnSync(tsx, ["src/main.ts"], { input: "/help\n/whoami\n", env, encoding: "utf8" });
    expect(run.status).toBe(0);
    const logFile = join(dataDir, "guildhall.log");
    expect(run.stdout).toContain(`logs go to ${logFile}`);
    expect(run.stdout).not.toContain('"level"');
    expect(run.stderr).toBe("");
    expect(existsSync(logFile)).toBe(true);
    expect(readFileSync(logFile, "utf8")).toContain('"level"');
  });
});

describe("PlaygroundTerminal", () => {
  it("a post that arrives at the prompt clears the prompt line, prints, and redraws the prompt with what was typed", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (c) => (text += String(c)));
    const rl = createInterface({ input, output, terminal: true });
    const terminal = new PlaygroundTerminal(output);
    terminal.attach(rl);
    rl.setPrompt("Ada (member) › ");
    rl.prompt();
    terminal.setAtPrompt(true);
    input.write("/thanks @bo");
    await new Promise((r) => setImmediate(r));
    const before = text.length;
    terminal.write("[#announcements]\n  Office hours start now\n");
    const printed = text.slice(before);
    expect(printed.startsWith("\r\x1b[K[#announcements]\n  Office hours start now\n")).toBe(true);
    expect(printed).toContain("Ada (member) › /thanks @bo");
    rl.close();
  });

  it("while a command is being answered, posts are printed as they are", () => {
    const output = new PassThrough();
    let text = "";
    output.on("data", (c) => (text += String(c)));
    const terminal = new PlaygroundTerminal(output);
    terminal.setAtPrompt(false);
    terminal.write("[#general]\n  hello\n");
    expect(text).toBe("[#general]\n  hello\n");
  });
});

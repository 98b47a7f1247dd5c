import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/main.js";
import { PlaygroundTerminal } from "../../src/platform/playground/terminal.js";
import { startPlaygroundApp } from "../support/app.js";
import { migratedDataDir } from "../support/databases.js";

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
  it("writes logs to guildhall.log in the data directory, says so in the banner, and prints none", async () => {
    const dataDir = await migratedDataDir("gh-logs-");
    for (const [name, value] of Object.entries({ GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "debug" })) vi.stubEnv(name, value);
    // main() is what `npm start` runs, here on in-memory streams; anything written to the
    // process's own stdout or stderr meanwhile is caught too.
    const input = new PassThrough();
    const output = new PassThrough();
    let stdout = "";
    let stderr = "";
    output.on("data", (c) => (stdout += String(c)));
    const processOut = vi.spyOn(process.stdout, "write").mockImplementation((c) => ((stdout += String(c)), true));
    const processErr = vi.spyOn(process.stderr, "write").mockImplementation((c) => ((stderr += String(c)), true));
    let code: number;
    try {
      const running = main({ input, output, stderr: { write: (t: string) => (stderr += t) } });
      input.end("/help\n/whoami\n");
      code = await running;
    } finally {
      processOut.mockRestore();
      processErr.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(0);
    const logFile = join(dataDir, "guildhall.log");
    expect(stdout).toContain(`logs go to ${logFile}`);
    expect(stdout).toContain("/link [code]");
    expect(stdout).not.toContain('"level"');
    expect(stderr).toBe("");
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

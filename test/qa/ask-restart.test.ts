import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/config.js";
import { migratedDataDir } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import { waitFor } from "../support/app.js";
import { settingsSections } from "../../src/capabilities.js";

/** Issue 10, defect 1: /ask after a restart collided with the first process's thread ids. */
describe("/ask in the playground across restarts", () => {
  it("a question asked after a restart is recorded like the first", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-restart-");
    const config = loadConfig({ GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "" }, settingsSections);
    expect(config.database.kind).toBe("pglite");
    const answers: string[] = [];
    for (const title of ["How do lifetimes work?", "Why is my iterator lazy?"]) {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = "";
      output.on("data", (c) => (printed += String(c)));
      const app = await startApp({ config, log: quietLogger(), input, output });
      const before = printed.length;
      input.write(`/ask "${title}" "I read the book chapter twice and still do not get it."\n`);
      await waitFor(() => printed.slice(before).includes("(only you can see this)") || printed.slice(before).includes("(posted in the channel)"), 20_000);
      input.end();
      await app.playgroundDone;
      await app.stop();
      answers.push(printed.slice(before));
    }
    for (const answer of answers) expect(answer).not.toContain("went wrong");
    expect(answers[1]).toContain("Why is my iterator lazy?");
    expect(answers[1]).toMatch(/#2\b/);
  });
});

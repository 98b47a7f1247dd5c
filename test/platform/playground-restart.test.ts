import { describe, expect, it } from "vitest";
import { settingsSections } from "../../src/capabilities.js";
import { loadConfig } from "../../src/config/config.js";
import { startPlaygroundApp } from "../support/app.js";
import { migratedDataDir } from "../support/databases.js";

/** A line's answer may take long on a loaded machine (the first command starts the app's work). */
const LINE_MS = 60_000;

/**
 * Issue 10: a playground restarted on the same data directory is the same community, as a
 * Discord server is after the bot restarts: a question's thread from the earlier run can be
 * entered with the handle it was given (`/open t1`), answered there (the reply counts), and its
 * messages accepted; new threads carry on from the last handle instead of reusing it.
 */
describe("threads from an earlier playground run", () => {
  it("open, count replies and accept answers after a restart; new handles carry on", { timeout: 600_000 }, async () => {
    const dataDir = await migratedDataDir("gh-threads-");
    const config = () => loadConfig({ GUILDHALL_DATA_DIR: dataDir }, settingsSections);

    const first = await startPlaygroundApp({ config: config() });
    try {
      expect(await first.type("/ask Why does the borrow checker reject my loop? It says E0502 when I push to the vector", LINE_MS)).toContain("/open t1 to go there");
      await first.type("/as Bob", LINE_MS);
      await first.type("/open t1", LINE_MS);
      expect(await first.type("Collect first, then push after the loop.", LINE_MS)).toContain("(m1)");
    } finally {
      await first.end();
    }

    const second = await startPlaygroundApp({ config: config() });
    try {
      await second.type("/as Cleo", LINE_MS);
      expect(await second.type("/open", LINE_MS)).toContain("/open t1  #general “Why does the borrow checker reject my loop?”");
      expect(await second.type("/open t1", LINE_MS)).toContain("You are in the thread “Why does the borrow checker reject my loop?” in #general.");
      expect(await second.type("Or clone the vector first.", LINE_MS)).toContain("[#general thread “Why does the borrow checker reject my loop?”] Cleo: Or clone the vector first.  (m2)");
      expect(await second.type("/questions", LINE_MS)).toContain("2 replies");
      await second.type("/as Ada", LINE_MS);
      expect(await second.type("/accept m1", LINE_MS)).toContain("✅ Accepted Bob's answer to #1 “Why does the borrow checker reject my loop?”");
      await second.type("/back", LINE_MS);
      expect(await second.type("/ask How do I read a file lazily? I tried read_to_string and it loads it all", LINE_MS)).toContain("/open t2 to go there");
    } finally {
      await second.end();
    }
  });
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { migratedDataDir } from "../support/databases.js";

// Its own file, apart from migrations.test.ts: the Prisma CLI's WebAssembly engine idles about
// 10 s before the process exits, and in a file of its own that wait overlaps other files'
// work (test/support/slow-first.ts starts it first).
describe("migrations", () => {
  it("are recorded exactly as prisma migrate deploy records them", { timeout: 120_000 }, async () => {
    // Migrated by our migrator: the run's snapshot is (test/support/database-snapshots.ts).
    const dataDir = await migratedDataDir("gh-prisma-");
    // The Prisma CLI reads the same directory through prisma.config.ts and must find nothing pending.
    const cli = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      env: { ...process.env, GUILDHALL_DATA_DIR: dataDir, DATABASE_URL: "", CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect(cli.stdout + cli.stderr).toContain("No pending migrations to apply");
    expect(cli.status).toBe(0);
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StartupError } from "../../src/db/data-dir-lock.js";
import { openDatabase } from "../../src/db/database.js";
import { resolveDatabaseTarget } from "../../src/db/target.js";
import { backends, createPostgresDatabase, dropPostgresDatabase, migratedDataDir, testDatabaseUrl } from "../support/databases.js";
import { memoryLogger, quietLogger } from "../support/logger.js";

describe("migrations", () => {
  // Migrating a new embedded database on disk takes seconds, many more on a busy machine.
  it.each(backends())("apply once on %s, and a second start finds nothing to do", { timeout: 120_000 }, async (backend) => {
    const target = backend === "pglite" ? resolveDatabaseTarget(undefined, mkdtempSync(join(tmpdir(), "gh-mig-"))) : await createPostgresDatabase();
    try {
      const first = memoryLogger();
      const db = await openDatabase(target, first.log);
      expect(first.text()).toContain("applied migration");
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(`SELECT migration_name, finished_at FROM "_prisma_migrations"`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      await db.close();

      const second = memoryLogger();
      const again = await openDatabase(target, second.log);
      expect(second.text()).not.toContain("applied migration");
      await again.close();
    } finally {
      if (target.kind === "postgres") await dropPostgresDatabase(target.url);
    }
  });

  it("several processes migrating one PostgreSQL database at once apply each migration once", async () => {
    if (!testDatabaseUrl()) return;
    const target = await createPostgresDatabase();
    try {
      const dbs = await Promise.all(Array.from({ length: 3 }, () => openDatabase(target, quietLogger())));
      const rows = await dbs[0]!.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "_prisma_migrations"`);
      const dirs = await dbs[0]!.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(DISTINCT migration_name) AS n FROM "_prisma_migrations"`);
      expect(Number(rows[0]!.n)).toBe(Number(dirs[0]!.n));
      await Promise.all(dbs.map((d) => d.close()));
    } finally {
      await dropPostgresDatabase(target.url);
    }
  });
});

describe("the embedded database directory", () => {
  // Copies the snapshot to disk and opens it there three times: over 30 s at load 30.
  it("refuses a second user while the first holds it, with a clear message", { timeout: 120_000 }, async () => {
    const dataDir = await migratedDataDir("gh-lock-");
    const target = resolveDatabaseTarget(undefined, dataDir);
    const first = await openDatabase(target, quietLogger());
    const second = openDatabase(target, quietLogger());
    await expect(second).rejects.toBeInstanceOf(StartupError);
    await expect(second).rejects.toThrow(/Another Guildhall process .* is using the embedded database/);
    await first.close();
    const third = await openDatabase(target, quietLogger());
    await third.close();
  });
});

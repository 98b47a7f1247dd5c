import { describe } from "vitest";
import { backends, testDatabaseUrl } from "./databases.js";

/**
 * Some tests exist to load the system: a thousand simultaneous commands, a webhook storm,
 * hundreds of concurrent ledger writes. At full size they run in the load project
 * (`npm run test:load`, in .ci/run) on PostgreSQL only, where concurrency is real: PGlite
 * has one connection and serialises everything, so its full-size run proved nothing more
 * than a small one and was most of the suite's time. In the fast project (`npm test`) the
 * same tests run on the usual backends at a size that still proves the logic (more requests
 * than the cap, duplicates, losses, every kind of operation).
 *
 * The load project sets this variable (vitest.config.ts); its files are listed there.
 */
export const LOAD_PROJECT_ENV = "GUILDHALL_TEST_LOAD";

export const inLoadProject = (): boolean => process.env[LOAD_PROJECT_ENV] === "1";

export interface LoadRun<T> {
  readonly kind: "pglite" | "postgres";
  readonly size: T;
}

/** Where and how big a load test runs: full size on PostgreSQL under load, small on every backend otherwise. */
export function loadRuns<T>(sizes: { small: T; full: T }): LoadRun<T>[] {
  if (inLoadProject()) return [{ kind: "postgres", size: sizes.full }];
  return backends().map((kind) => ({ kind, size: sizes.small }));
}

/**
 * `describe` for load tests: in the load project without a PostgreSQL server
 * (TEST_DATABASE_URL unset) they are reported as skipped rather than run on PGlite.
 */
export const describeLoad = inLoadProject() && !testDatabaseUrl() ? describe.skip : describe;

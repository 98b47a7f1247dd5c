import type { TestProject } from "vitest/node";
import { createPostgresTemplate, dropPostgresTemplate, ensurePgliteSnapshot, PGLITE_SNAPSHOT_ENV, POSTGRES_TEMPLATE_ENV } from "./database-snapshots.js";

/**
 * Runs once per `vitest run`, before any test process starts (they inherit this process's
 * environment): migrates the databases every test copies. See database-snapshots.ts.
 */
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  process.env[PGLITE_SNAPSHOT_ENV] = await ensurePgliteSnapshot();
  const server = process.env.TEST_DATABASE_URL;
  const template = server ? await createPostgresTemplate(server) : undefined;
  if (template) process.env[POSTGRES_TEMPLATE_ENV] = template;
  return async () => {
    if (server && template) await dropPostgresTemplate(server, template);
  };
}

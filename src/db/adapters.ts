import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.js";
import { resolveDatabaseTarget } from "./target.js";

/**
 * pglite-prisma-adapter 0.6 is typed against an older @prisma/driver-adapter-utils than
 * Prisma 6.19.3; the runtime contract is the same (tested end to end), only the
 * declarations differ, so the factory is re-typed here, in one place.
 */
export function pgliteAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
}

/** PostgreSQL's `name` type (OID 19), which the migration engine reads from the catalog. */
const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

/**
 * `@prisma/adapter-pg` 6.19.3 cannot decode columns of type `name`, which only the
 * migration engine asks for. This pool relabels them as text so `migrate deploy` works;
 * the bot's own queries never need it.
 */
class NameAsTextPool extends pg.Pool {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((res: pg.QueryResult) => {
        for (const field of res.fields ?? []) {
          if (field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
        }
        return res;
      }) as never;
    }
    return result as never;
  }
}

/** The adapter the Prisma CLI uses to run migrations. */
export async function migrationAdapterFactory(databaseUrl: string | undefined, dataDir: string): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const target = resolveDatabaseTarget(databaseUrl, dataDir);
  if (target.kind === "postgres") return new PrismaPg(new NameAsTextPool({ connectionString: target.url, allowExitOnIdle: true }));
  mkdirSync(target.pgliteDir, { recursive: true });
  return pgliteAdapter(new PGlite(target.pgliteDir, { extensions: PGLITE_EXTENSIONS }));
}

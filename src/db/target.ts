import { join } from "node:path";

/**
 * Where the data lives. `DATABASE_URL` unset means the embedded PGlite database in a
 * local directory; a `postgresql://` URL means a PostgreSQL server that several bot
 * processes may share.
 *
 * Prisma's CLI must always see a syntactically valid PostgreSQL URL, or it falls back to
 * the native engines and tries to download them. For the embedded database we therefore
 * hand it a placeholder whose host is under the reserved `.invalid` top-level domain
 * (RFC 2606), so it can never be mistaken for, or resolve to, a real server.
 */
export const EMBEDDED_DATABASE_URL = "postgresql://guildhall@embedded.invalid/guildhall";

export type DatabaseTarget =
  | {
      kind: "pglite";
      /** PGlite's own directory, inside the data directory. */
      pgliteDir: string;
      dataDir: string;
      /** In-memory only: start from this dumped data directory (tests start from a migrated snapshot). */
      initialData?: Blob;
    }
  | { kind: "postgres"; url: string };

export function isEmbeddedUrl(url: string): boolean {
  try {
    return new URL(url).hostname === "embedded.invalid";
  } catch {
    return false;
  }
}

export function resolveDatabaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl || isEmbeddedUrl(databaseUrl)) return { kind: "pglite", dataDir, pgliteDir: join(dataDir, "pglite") };
  return { kind: "postgres", url: databaseUrl };
}

import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions the migrations create (`CREATE EXTENSION`): PGlite ships them as
 * contrib bundles that must be handed to every `new PGlite(...)`, including one that opens a
 * data directory where they already exist. pg_trgm gives the trigram similarity of similar
 * questions.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

/**
 * /questions: PostgreSQL full-text search over questions and their accepted answers. The
 * expression below is exactly the one the GIN index `Question_search_idx` is built on
 * (prisma/extra-community.sql), so the planner can use the index; change both together.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";

export interface Found {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly status: string;
  readonly url: string | null;
  readonly replyCount: number;
  readonly bounty: number;
  readonly createdAt: Date;
}

export const SEARCH_RESULTS = 10;

/** The indexed document: must stay identical to the index expression. */
export const SEARCH_DOCUMENT = Prisma.sql`to_tsvector('english', "title" || ' ' || "details" || ' ' || coalesce("acceptedText", ''))`;

/** The best matches for `text`, best first; without text, the newest open questions. */
export async function searchQuestions(db: Db, communityId: string, text: string | undefined, limit = SEARCH_RESULTS): Promise<Found[]> {
  const select = { id: true, number: true, title: true, status: true, url: true, replyCount: true, bounty: true, createdAt: true } as const;
  const query = text?.trim();
  if (!query) return db.question.findMany({ where: { communityId, status: "open" }, orderBy: { createdAt: "desc" }, take: limit, select });
  return db.$queryRaw<Found[]>`
    SELECT "id", "number", "title", "status", "url", "replyCount", "bounty", "createdAt"
    FROM "Question", websearch_to_tsquery('english', ${query}) AS q
    WHERE "communityId" = ${communityId} AND ${SEARCH_DOCUMENT} @@ q
    ORDER BY ts_rank(${SEARCH_DOCUMENT}, q) DESC, "createdAt" DESC
    LIMIT ${limit}`;
}

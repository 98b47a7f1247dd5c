/**
 * /questions: PostgreSQL full-text search over questions and their accepted answers, ranked
 * by the similarity score of similar.ts (the one /ask uses). When no question holds the words,
 * titles close to the typed words are shown instead (a typo), by trigram word similarity. The
 * searched document is the generated column `Question.search` (title, details and accepted
 * answer as an English tsvector), with the GIN index `Question_search_idx`.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";
import { anyWord, similarityScore } from "./similar.js";

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
/** Matches ranked by the full similarity score, out of those whose titles are most alike. */
const RANKED = 100;
/**
 * At most this many matches are read. When more questions hold all the words, the ranking is
 * of the first READ the table gives (its physical order, roughly the oldest): words that common
 * say little about which question is meant, and reading them all cost 50-100 ms at 100,000 questions.
 */
const READ = 300;

/** The indexed document, kept by PostgreSQL (its migration says how it is built). */
export const SEARCH_DOCUMENT = Prisma.sql`"search"`;

/** The best matches for `text`, best first; without text, the newest open questions. Web-search syntax: `"exact phrase"`, `-without`, `or`. */
export async function searchQuestions(db: Db, communityId: string, text: string | undefined, limit = SEARCH_RESULTS): Promise<Found[]> {
  const select = { id: true, number: true, title: true, status: true, url: true, replyCount: true, bounty: true, createdAt: true } as const;
  const query = text?.trim();
  // Questions asked in the same instant are listed by number, the later one first: the order never depends on the plan.
  if (!query) return db.question.findMany({ where: { communityId, status: "open" }, orderBy: [{ createdAt: "desc" }, { number: "desc" }], take: limit, select });
  // Matches are first narrowed by title similarity (cheap), so common words cost a bounded amount of ranking;
  // at most READ of them are read at all (each is a visit to the table), so words thousands of questions hold stay fast.
  const matched = await db.$queryRaw<Found[]>`
    WITH read AS (
      SELECT q."id", q."title", q."createdAt" FROM "Question" q, websearch_to_tsquery('english', ${query}) AS w
      WHERE q."communityId" = ${communityId} AND ${SEARCH_DOCUMENT} @@ w
      LIMIT ${READ}
    ), matched AS (
      SELECT q."id" FROM read q
      ORDER BY similarity(q."title", ${query}) DESC, q."createdAt" DESC
      LIMIT ${RANKED}
    )
    SELECT q."id", q."number", q."title", q."status", q."url", q."replyCount", q."bounty", q."createdAt"
    FROM "Question" q JOIN matched m ON m."id" = q."id"
    ORDER BY ${similarityScore(query, anyWord(query))} DESC, q."createdAt" DESC
    LIMIT ${limit}`;
  if (matched.length > 0) return matched;
  // A typo: titles holding something close to the typed words (trigrams, the GIN index on titles).
  return db.$queryRaw<Found[]>`
    SELECT q."id", q."number", q."title", q."status", q."url", q."replyCount", q."bounty", q."createdAt"
    FROM "Question" q
    WHERE q."communityId" = ${communityId} AND ${query} <% q."title"
    ORDER BY word_similarity(${query}, q."title") DESC, q."createdAt" DESC
    LIMIT ${limit}`;
}

/**
 * Similar questions, with PostgreSQL's own tools: trigram similarity of titles (pg_trgm) and
 * full-text search over the indexed document of search.ts. Used by /ask (before posting) and
 * to rank /questions.
 *
 * Candidates are the questions whose document holds two of the title's rarest words (the GIN
 * index `Question_search_idx` on the stored document `Question.search`; how rare, from the
 * statistics ANALYZE keeps for that column), so
 * words many questions share ("error", the community's language) never make the candidates
 * many. At most READ rows are read (each is a visit to the table, and its title's trigram
 * similarity is computed), those holding the three rarest words first: the statistics assume
 * words independent, so words that go together ("JSON body") can make a pair hold thousands.
 * Of those read, the CANDIDATES most like the title (trigram similarity) are scored:
 *   score = TITLE_WEIGHT × similarity(title, input title)
 *         + TEXT_WEIGHT  × ts_rank(document, any word of the input title and details) normalised to 0..1
 * and those under MIN_SCORE are dropped. The weights and the threshold were chosen on the
 * labelled pairs in test/qa/labelled/similar-questions.json (precision at 3 printed by its test).
 */
import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "../db/database.js";

export const TITLE_WEIGHT = 0.3;
export const TEXT_WEIGHT = 0.7;
/** Below this a question is not shown as similar. */
export const MIN_SCORE = 0.2;
/** The title's rarest words, paired up for the full-text candidates (5 words: up to 10 pairs). */
const RARE_WORDS = 5;
/** Pairs are added, rarest first, while they are expected in at most this many questions ... */
const MAX_EXPECTED_ROWS = 300;
/** ... but at least this many pairs are always asked for. */
const MIN_PAIRS = 2;
/** The share assumed for a word the statistics do not list (rarer than those they list). */
const UNLISTED_SHARE = 0.0005;
/** The stored document `Question_search_idx` indexes (search.ts), on the alias `q`. */
const DOC_OF_Q = Prisma.sql`q."search"`;

/** Any word counts for ranking: plainto_tsquery joins the words with AND; this ORs them. */
export const anyWord = (words: string) => Prisma.sql`nullif(replace(plainto_tsquery('english', ${words})::text, ' & ', ' | '), '')::tsquery`;

/** The similarity score of the question `q` to `title` (and the words of `anyword`), as documented above. */
export const similarityScore = (title: string, anyword: Prisma.Sql) =>
  Prisma.sql`(${TITLE_WEIGHT} * similarity(q."title", ${title}) + ${TEXT_WEIGHT} * coalesce(ts_rank_cd(${DOC_OF_Q}, ${anyword}, 32), 0))::float8`;
/** /ask shows only questions scoring at least this share of the best one's score. */
export const CLOSE_TO_BEST = 0.9;
/** The candidates most like the title that are scored. */
const CANDIDATES = 40;
/** At most this many rows are read to find them (each is a visit to the table). */
const READ = 300;
/** /ask shows at most this many. */
export const SIMILAR_SHOWN = 3;

export interface SimilarQuestion {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly status: string;
  readonly url: string | null;
  readonly replyCount: number;
  readonly bounty: number;
  readonly createdAt: Date;
  readonly score: number;
}

export interface SimilarInput {
  readonly title: string;
  readonly details?: string;
  /** Leave this question out (the one being compared). */
  readonly excludeId?: string;
  readonly limit?: number;
  readonly minScore?: number;
}

/** Questions similar to the input, best first (score, then newest), above the threshold. */
export async function similarQuestions(db: Db, communityId: string, input: SimilarInput): Promise<SimilarQuestion[]> {
  const title = input.title.trim();
  if (!title) return [];
  const words = `${title} ${input.details ?? ""}`;
  const limit = input.limit ?? SIMILAR_SHOWN;
  const stats = await wordStats(db);
  const rows = await db.$queryRaw<SimilarQuestion[]>`
    WITH rare AS (
      -- The title's rarest words, by the share of questions ANALYZE counted holding each, in
      -- the statistics it keeps for the stored document (a word it does not list is rarer).
      SELECT t.w, greatest(coalesce(common.f, 0), ${UNLISTED_SHARE}) AS f
      FROM unnest(tsvector_to_array(to_tsvector('english', ${title}))) AS t(w)
      LEFT JOIN unnest(${stats.words}::text[], ${stats.shares}::float8[]) AS common(w, f) ON common.w = t.w
      ORDER BY f, length(t.w) DESC, t.w
      LIMIT ${RARE_WORDS}
    ), pairs AS (
      -- Pairs of them, rarest first, while the questions expected to hold them stay few.
      SELECT a.w AS a, b.w AS b, row_number() OVER (ORDER BY a.f * b.f, a.w, b.w) AS n, sum(a.f * b.f) OVER (ORDER BY a.f * b.f, a.w, b.w) AS expected
      FROM rare a JOIN rare b ON a.w < b.w
    ), wanted AS (
      SELECT
        -- The three rarest all in the document (none when the title has fewer than three).
        (SELECT CASE WHEN count(*) = 3 THEN string_agg(plainto_tsquery('simple', w)::text, ' & ') END
         FROM (SELECT w FROM rare ORDER BY f, length(w) DESC, w LIMIT 3) r)::tsquery AS three,
        -- Two of them (one word alone when the title has one).
        coalesce(
          (SELECT string_agg((plainto_tsquery('simple', a) && plainto_tsquery('simple', b))::text, ' | ') FROM pairs
           WHERE n <= ${MIN_PAIRS} OR expected * ${stats.questions} <= ${MAX_EXPECTED_ROWS}),
          (SELECT string_agg(plainto_tsquery('simple', w)::text, ' | ') FROM rare)
        )::tsquery AS two
    ), found AS (
      -- At most READ rows are read, those holding the three rarest words first: the statistics
      -- assume words independent, and words that go together ("JSON body") can make a pair common.
      (SELECT q."id", q."number", q."title", q."status", q."url", q."replyCount", q."bounty", q."createdAt", q."search"
       FROM "Question" q
       WHERE q."communityId" = ${communityId} AND ${DOC_OF_Q} @@ (SELECT three FROM wanted)
       LIMIT ${READ})
      UNION ALL
      (SELECT q."id", q."number", q."title", q."status", q."url", q."replyCount", q."bounty", q."createdAt", q."search"
       FROM "Question" q
       WHERE q."communityId" = ${communityId} AND ${DOC_OF_Q} @@ (SELECT two FROM wanted)
         AND NOT coalesce(${DOC_OF_Q} @@ (SELECT three FROM wanted), FALSE)
       LIMIT ${READ})
      LIMIT ${READ}
    ), q AS (
      -- The candidates carry what is shown and scored: no second visit to their rows.
      SELECT * FROM found q
      ORDER BY similarity(q."title", ${title}) DESC, q."createdAt" DESC
      LIMIT ${CANDIDATES}
    ), scored AS (
      SELECT q."id", q."number", q."title", q."status", q."url", q."replyCount", q."bounty", q."createdAt",
             ${similarityScore(title, anyWord(words))} AS "score"
      FROM q
      WHERE ${input.excludeId ? Prisma.sql`q."id" <> ${input.excludeId}` : Prisma.sql`TRUE`}
    )
    SELECT * FROM scored WHERE "score" >= ${input.minScore ?? MIN_SCORE}
    ORDER BY "score" DESC, "createdAt" DESC, "number" DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/**
 * What /ask shows: the questions scoring within CLOSE_TO_BEST of the best one (a clear best
 * match hides the weaker ones that share only a word or two), up to three, solved ones first
 * (they hold an answer), then by score.
 */
export async function similarForAsk(db: Db, communityId: string, input: Omit<SimilarInput, "limit">): Promise<SimilarQuestion[]> {
  const found = await similarQuestions(db, communityId, { ...input, limit: 10 });
  const best = found[0]?.score ?? 0;
  return found
    .filter((q) => q.score >= best * CLOSE_TO_BEST)
    .sort((a, b) => Number(b.status === "solved") - Number(a.status === "solved") || b.score - a.score)
    .slice(0, SIMILAR_SHOWN);
}

/** How often words occur in questions, as ANALYZE last counted them (kept for STATS_TTL_MS per database). */
interface WordStats {
  readonly words: string[];
  readonly shares: number[];
  /** Questions in the table (all communities), by the same count. */
  readonly questions: number;
  readonly readAt: number;
}

const STATS_TTL_MS = 10 * 60_000;
const statsOf = new WeakMap<Db, Promise<WordStats>>();

/**
 * Read from `pg_stats` for the stored document once every ten minutes rather than at every
 * lookup: the view costs more to plan than the lookup costs to run, and ANALYZE itself only
 * refreshes the figures now and then.
 */
function wordStats(db: Db): Promise<WordStats> {
  const load = async (): Promise<WordStats> => {
    const rows = await db.$queryRaw<{ w: string; f: number }[]>`
      SELECT e.w, e.f::float8 AS f FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(w, f)
      WHERE s.schemaname = current_schema() AND s.tablename = 'Question' AND s.attname = 'search' AND e.w IS NOT NULL`;
    const count = await db.$queryRaw<{ n: number }[]>`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = '"Question"'::regclass`;
    return { words: rows.map((r) => r.w), shares: rows.map((r) => Number(r.f)), questions: Number(count[0]?.n ?? 0), readAt: Date.now() };
  };
  const cached = statsOf.get(db);
  const next = (cached ?? Promise.resolve(undefined)).then((s) => (s && Date.now() - s.readAt < STATS_TTL_MS ? s : load()));
  statsOf.set(db, next);
  next.catch(() => statsOf.delete(db));
  return next;
}

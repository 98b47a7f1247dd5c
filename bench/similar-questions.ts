// npm run bench, similar-questions section (BENCH_ONLY=similar): the lookup /ask makes before
// posting (similarForAsk) and /questions' ranked search, over 100,000 questions of one community
// on PostgreSQL. Titles and details are drawn from programmer words so that common words
// ("error", "rust", "async") are shared by thousands of questions, as in a real archive.
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log/logger.js";
import { searchQuestions } from "../src/qa/search.js";
import { similarForAsk } from "../src/qa/similar.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable } from "./worker-rpc.js";

const QUESTIONS = Number(process.env.BENCH_SIMILAR_QUESTIONS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SIMILAR_SAMPLES ?? 500);
const TARGET_P99_MS = 20;
const log = createLogger({ level: "error", secrets: [] });

const HOW = ["How do I", "Why can't I", "Best way to", "Error when I", "Is it possible to", "What is the fastest way to", "Help:", "Cannot"];
const VERB = ["pin", "borrow", "clone", "serialize", "parse", "deploy", "test", "mock", "cache", "stream", "spawn", "await", "index", "migrate", "log", "bundle", "import", "export", "compile", "link", "debug", "profile", "lock", "retry", "paginate", "validate", "encrypt", "hash", "sort", "merge", "rebase", "format", "render", "fetch", "upload", "resize", "schedule", "cancel", "compress", "iterate"];
const OBJECT = ["a future", "a struct", "a vector", "a hashmap", "a closure", "a trait object", "a generic", "a lifetime", "a mutex", "a channel", "a thread", "a promise", "a callback", "an iterator", "a JSON body", "a date", "a string", "a slice", "a file", "a socket", "a request", "a response", "a query", "a transaction", "a migration", "an index", "a container", "a pod", "an image", "a volume", "a branch", "a commit", "a component", "a hook", "a reducer", "a route", "a middleware", "a template", "a form", "a table", "a column", "an enum", "a union type", "a decorator", "a class", "a module", "a package", "a workspace", "a test", "a fixture"];
const TECH = ["in Rust", "in TypeScript", "in Python", "in Go", "with tokio", "in React", "with Prisma", "in PostgreSQL", "with Docker", "on Kubernetes", "with git", "in Node", "in Java", "with Spring", "in C++", "in C", "with webpack", "with Vite", "in Django", "with FastAPI", "with serde", "in Kotlin", "in Swift", "with Redis", "with Kafka", "with GraphQL", "in Bash", "with nginx", "on AWS", "with Terraform"];
const DETAIL = ["the compiler says the value does not live long enough", "I get a type error I do not understand", "it works locally but fails in CI", "the tests pass but production crashes", "memory grows until the process is killed", "the request times out after thirty seconds", "the borrow checker rejects my loop", "the build takes ten minutes", "it panics with an index out of bounds", "the documentation example does not compile", "the output is in the wrong order", "it deadlocks under load", "the error message mentions a missing trait bound", "the container exits with code 137", "the query does a sequential scan", "my callback runs twice", "the import cannot be resolved", "the linker reports undefined references", "utf-8 characters come out garbled", "the migration locks the table"];

export async function similarSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "similar") return [];
  const lines = ["", "## Similar questions", "", `${cpus().length} cores; load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} when this section started.`, ""];
  if (!(await postgresAvailable())) return [...lines, "PostgreSQL not reachable (set BENCH_DATABASE_URL)."];
  const target = await benchDatabase();
  const database = await openDatabase(target, log);
  try {
    const db = database.prisma;
    const communityId = (await db.community.create({ data: { slug: "bench-similar", name: "Bench" } })).id;
    const started = performance.now();
    await seed(target.url, communityId);
    await db.$executeRawUnsafe(`VACUUM (ANALYZE) "Question"`);
    const seedSeconds = (performance.now() - started) / 1000;
    const pick = <T>(a: readonly T[], i: number) => a[i % a.length]!;
    // New questions: combinations drawn with other strides than the seed's, so some titles repeat words and some do not.
    const asks = Array.from({ length: SAMPLES }, (_, i) => ({
      title: `${pick(HOW, i * 3)} ${pick(VERB, i * 7)} ${pick(OBJECT, i * 11)} ${pick(TECH, i * 13)}?`,
      details: `${pick(DETAIL, i * 5)}; ${pick(DETAIL, i * 17 + 3)}.`,
    }));
    for (const a of asks.slice(0, 20)) await similarForAsk(db, communityId, a); // warm-up
    const askTimes: number[] = [];
    let shown = 0;
    for (const a of asks) {
      const t = performance.now();
      shown += (await similarForAsk(db, communityId, a)).length;
      askTimes.push(performance.now() - t);
    }
    const searchTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      await searchQuestions(db, communityId, `${pick(VERB, i * 7)} ${pick(OBJECT, i * 11).split(" ").at(-1)}`);
      searchTimes.push(performance.now() - t);
    }
    const row = (what: string, s: number[]) => `| ${what} | ${ms(percentile(s, 50))} | ${ms(percentile(s, 99))} | ${ms(Math.max(...s))} | ${s.length} |`;
    const p99 = percentile(askTimes, 99);
    return [
      ...lines,
      `${QUESTIONS.toLocaleString("en")} questions seeded in ${seedSeconds.toFixed(0)} s; one lookup at a time through Prisma (the time /ask adds); ${(shown / SAMPLES).toFixed(1)} similar questions shown per /ask on average.`,
      "",
      "| lookup | p50 | p99 | max | samples |",
      "|---|---|---|---|---|",
      row("/ask: similar questions (similarForAsk)", askTimes),
      row("/questions <two words>", searchTimes),
      "",
      p99 <= TARGET_P99_MS ? `Target met: p99 ${ms(p99)} ≤ ${TARGET_P99_MS} ms.` : `**Target not met:** p99 ${ms(p99)} > ${TARGET_P99_MS} ms.`,
      `Load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} when it ended.`,
    ];
  } finally {
    await database.close();
    if (!process.env.BENCH_SIMILAR_KEEP) await admin(`DROP DATABASE IF EXISTS ${new URL(target.url).pathname.slice(1)} WITH (FORCE)`);
  }
}

/** QUESTIONS questions from the word lists above, 40% solved, in one statement (a fixed seed: the same archive every run). */
async function seed(url: string, communityId: string): Promise<void> {
  const array = (words: readonly string[]) => `ARRAY[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(", ")}]`;
  // One session of its own: setseed holds for the session, and the insert outlasts Prisma's transaction timeout.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SELECT setseed(0.42)`);
    await client.query(
      `WITH w AS (SELECT ${array(HOW)} AS how, ${array(VERB)} AS verb, ${array(OBJECT)} AS obj, ${array(TECH)} AS tech, ${array(DETAIL)} AS detail)
       INSERT INTO "Question" ("id", "communityId", "number", "askerId", "title", "details", "tags", "platform", "spaceId", "channelId", "threadId", "status", "createdAt")
       SELECT gen_random_uuid()::text, $1, n, 'bench-asker',
              w.how[1 + floor(random() * cardinality(w.how))::int] || ' ' || w.verb[1 + floor(random() * cardinality(w.verb))::int] || ' ' ||
              w.obj[1 + floor(random() * cardinality(w.obj))::int] || ' ' || w.tech[1 + floor(random() * cardinality(w.tech))::int] || '?',
              w.detail[1 + floor(random() * cardinality(w.detail))::int] || '; ' || w.detail[1 + floor(random() * cardinality(w.detail))::int] || '. Question ' || n || '.',
              '{}', 'playground', 'bench', 'help', 't' || n, CASE WHEN random() < 0.4 THEN 'solved' ELSE 'open' END, now() - n * interval '1 minute'
       FROM generate_series(1, ${QUESTIONS}) AS n CROSS JOIN w`,
      [communityId],
    );
  } finally {
    await client.end();
  }
}

async function benchDatabase(): Promise<{ kind: "postgres"; url: string }> {
  const name = `guildhall_bench_similar_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { kind: "postgres", url: url.toString() };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await similarSection()) console.log(line);

// npm run bench, similar-questions section (BENCH_ONLY=similar): the lookup /ask makes before
// posting (similarForAsk) and /questions' ranked search, over 100,000 questions of one community
// on PostgreSQL. Titles and details are drawn from programmer words so that common words
// ("error", "rust", "async") are shared by thousands of questions, as in a real archive.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { type Db, openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log/logger.js";
import { searchQuestions } from "../src/qa/search.js";
import { similarForAsk } from "../src/qa/similar.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable } from "./worker-rpc.js";

const QUESTIONS = Number(process.env.BENCH_SIMILAR_QUESTIONS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SIMILAR_SAMPLES ?? 500);
const TARGET_P99_MS = 20;
/** Each lookup is timed this many times and its least wall and CPU time kept: on a shared machine, the others' interruptions left out. */
const REPEAT = Number(process.env.BENCH_SIMILAR_REPEAT ?? 1);
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
  // One connection: the lookups run one at a time, and its server process's CPU time can be read.
  const database = await openDatabase(target, log, { poolSize: 1 });
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
    const cpu = await cpuMeter(db);
    const askTimes: number[] = [];
    const askCpu: number[] = [];
    let shown = 0;
    for (const a of asks) shown += (await timed(cpu, () => similarForAsk(db, communityId, a), askTimes, askCpu)).length;
    const searchTimes: number[] = [];
    const searchCpu: number[] = [];
    for (let i = 0; i < SAMPLES; i++) await timed(cpu, () => searchQuestions(db, communityId, `${pick(VERB, i * 7)} ${pick(OBJECT, i * 11).split(" ").at(-1)}`), searchTimes, searchCpu);
    const row = (what: string, s: number[], c: number[]) => `| ${what} | ${ms(percentile(s, 50))} | ${ms(percentile(s, 99))} | ${ms(Math.max(...s))} | ${ms(percentile(c, 50))} | ${ms(percentile(c, 99))} | ${s.length} |`;
    const p99 = percentile(askTimes, 99);
    return [
      ...lines,
      `${QUESTIONS.toLocaleString("en")} questions seeded in ${seedSeconds.toFixed(0)} s; one lookup at a time through Prisma (the time /ask adds); ${(shown / SAMPLES).toFixed(1)} similar questions shown per /ask on average.` +
        (REPEAT > 1 ? ` Each lookup ran ${REPEAT} times, its least time kept.` : ""),
      "",
      `| lookup | p50 | p99 | max | CPU p50 | CPU p99 | samples |`,
      "|---|---|---|---|---|---|---|",
      row("/ask: similar questions (similarForAsk)", askTimes, askCpu),
      row("/questions <two words>", searchTimes, searchCpu),
      "",
      `CPU: the time one lookup kept ${cpu.withServer ? "PostgreSQL's server process and this process" : "this process (PostgreSQL is not on this machine)"} on a core; it does not grow with the load as the wall time does.`,
      "",
      p99 <= TARGET_P99_MS ? `Target met: p99 ${ms(p99)} ≤ ${TARGET_P99_MS} ms.` : `**Target not met:** p99 ${ms(p99)} > ${TARGET_P99_MS} ms.`,
      `Load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} when it ended.`,
    ];
  } finally {
    await database.close();
    if (!process.env.BENCH_SIMILAR_KEEP) await admin(`DROP DATABASE IF EXISTS ${new URL(target.url).pathname.slice(1)} WITH (FORCE)`);
  }
}

/** Times `lookup` REPEAT times, keeping its least wall and CPU time; returns what it found. */
async function timed<T>(cpu: Awaited<ReturnType<typeof cpuMeter>>, lookup: () => Promise<T>, wall: number[], used: number[]): Promise<T> {
  let result: T | undefined;
  const [walls, cpus] = [[] as number[], [] as number[]];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    result = await cpu.time(lookup, cpus);
    walls.push(performance.now() - t);
  }
  wall.push(Math.min(...walls));
  used.push(Math.min(...cpus));
  return result as T;
}

/**
 * CPU time of one lookup: this process's and the database server process's of the one
 * connection (Linux /proc/<pid>/schedstat, in nanoseconds, when PostgreSQL runs on this
 * machine; without it, this process's alone and the table says so). Unlike the wall time it
 * does not grow with the load, so it stands for the lookup on an idle machine, less the round trips.
 */
async function cpuMeter(db: Db): Promise<{ readonly withServer: boolean; time<T>(lookup: () => Promise<T>, into: number[]): Promise<T> }> {
  const [{ pid }] = (await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`) as [{ pid: number }];
  const serverNs = (): number | undefined => {
    try {
      return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      return undefined;
    }
  };
  const withServer = serverNs() !== undefined;
  return {
    withServer,
    async time(lookup, into) {
      const server = serverNs() ?? 0;
      const node = process.cpuUsage();
      const result = await lookup();
      const used = process.cpuUsage(node);
      into.push((used.user + used.system) / 1000 + ((serverNs() ?? 0) - server) / 1e6);
      return result;
    },
  };
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

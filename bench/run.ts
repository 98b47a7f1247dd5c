// npm run bench: in-process latency from "interaction received" to "response sent", per
// adapter, command and database, with 50 interactions in flight (the playground, a single
// terminal, takes them one at a time). Fakes stand in for Discord and Slack on 127.0.0.1,
// on a worker thread of their own, so the measured event loop is the bot's alone.
import { capabilities } from "../src/capabilities.js";
import { openDatabase } from "../src/db/database.js";
import type { DatabaseTarget } from "../src/db/target.js";
import { createLogger } from "../src/log/logger.js";
import { assemble } from "../src/core/assemble.js";
import { createPostgresDatabase, dropPostgresDatabase, memoryTarget } from "../test/support/databases.js";
import { discordDriver, type Driver, FakeThread, playgroundDriver, slackDriver } from "./drivers.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable } from "./worker-rpc.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const IN_FLIGHT = 50;
const TARGET_P99_MS = 25;
const log = createLogger({ level: "error", secrets: [] });

/** Commands measured: one that only renders, one that reads and writes the database. */
const COMMANDS = [
  { name: "help", what: "/help (no database)" },
  { name: "link", what: "/link (reads the member, writes a code)" },
];

interface Row {
  backend: string;
  adapter: string;
  command: string;
  inFlight: number;
  p50: number;
  p99: number;
  /** Median wall time from sending a whole burst to its last answer, queueing included wherever it happened. */
  burst: number;
  /** Event-loop time per interaction: the floor of a burst is roughly this times the burst size. */
  busy: number;
  n: number;
}


async function measure(backend: string, target: DatabaseTarget): Promise<Row[]> {
  const db = await openDatabase(target, log, { poolSize: 20 });
  const runtime = assemble({ capabilities, db: db.prisma, communities: [], log });
  const rows: Row[] = [];
  let samples: number[] = [];
  const observe = (e: { ms: number }) => samples.push(e.ms);
  const fakes = new FakeThread();
  const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=slack to profile one adapter
  const drivers = [discordDriver, slackDriver, playgroundDriver].filter((d) => !only || d.name.startsWith(only));
  for (const start of drivers) {
    const driver: Driver = await start(runtime, log, observe, fakes);
    for (const command of COMMANDS) {
      const inFlight = Math.min(IN_FLIGHT, driver.concurrency === 1 ? IN_FLIGHT : driver.concurrency);
      await driver.burst(command.name, inFlight); // warm-up: members, community, JIT
      samples = [];
      const elu = performance.eventLoopUtilization();
      const bursts: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        await driver.burst(command.name, inFlight);
        bursts.push(performance.now() - started);
      }
      const busy = performance.eventLoopUtilization(elu).active / samples.length;
      rows.push({
        backend,
        adapter: driver.name,
        command: command.name,
        inFlight: driver.concurrency === 1 ? 1 : inFlight,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        burst: percentile(bursts, 50),
        busy,
        n: samples.length,
      });
    }
    await driver.stop();
  }
  await fakes.close();
  await db.close();
  return rows;
}

/** The adapters' latency section (skipped with BENCH_ONLY=commerce). */
async function adapterSection(): Promise<void> {
  const backends = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(","); // e.g. BENCH_DATABASES=postgres
  const rows: Row[] = backends.includes("pglite") ? await measure("PGlite", memoryTarget()) : [];
  if (!backends.includes("postgres")) {
    // PostgreSQL not asked for
  } else if (await postgresAvailable()) {
    const target = await createPostgresDatabase();
    try {
      rows.push(...(await measure("PostgreSQL", target)));
    } finally {
      await dropPostgresDatabase(target.url);
    }
  } else {
    console.log("PostgreSQL not reachable (set BENCH_DATABASE_URL): measured PGlite only.\n");
  }

  console.log(`Latency from interaction received to response sent, ${ROUNDS} rounds (${COMMANDS.map((c) => c.what).join("; ")})\n`);
  console.log("| database | adapter | command | in flight | p50 | p99 | whole burst (median) | event loop per interaction | samples |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.backend} | ${r.adapter} | /${r.command} | ${r.inFlight} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.burst)} | ${r.busy.toFixed(2)} ms | ${r.n} |`);
  }
  const target = rows.filter((r) => r.backend === "PostgreSQL" && r.command === "link" && r.inFlight === IN_FLIGHT);
  if (target.length > 0) {
    const worst = Math.max(...target.map((r) => r.p99));
    const floor = Math.max(...target.map((r) => r.busy * IN_FLIGHT));
    console.log(`\nTarget: p99 under ${TARGET_P99_MS} ms for the database command on PostgreSQL with ${IN_FLIGHT} in flight: worst adapter ${ms(worst)} (${(worst / TARGET_P99_MS).toFixed(2)}× the target) ${worst < TARGET_P99_MS ? "MET" : "MISSED"}.`);
    console.log(`One event loop serves a burst in turn, so its last answer cannot come sooner than ${IN_FLIGHT} × the event-loop time per interaction: ${ms(floor)} here.`);
  }
}

if (!["commerce", "points", "delivery", "insights", "similar", "hotpath", "interactions"].includes(process.env.BENCH_ONLY ?? "")) await adapterSection();
for (const line of await (await import("./hotpath.js")).hotpathSection()) console.log(line);
for (const line of await (await import("./interactions-http.js")).interactionsHttpSection()) console.log(line);
for (const line of await (await import("./commerce.js")).commerceSection()) console.log(line);
for (const line of await (await import("./points.js")).pointsSection()) console.log(line);
for (const line of await (await import("./live-delivery.js")).deliverySection()) console.log(line);
for (const line of await (await import("./insights.js")).insightsSection()) console.log(line);
for (const line of await (await import("./similar-questions.js")).similarSection()) console.log(line);
process.exit(0);

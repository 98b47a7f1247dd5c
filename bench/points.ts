// npm run bench, points section (BENCH_ONLY=points): /leaderboard and /points latency over a
// seeded ledger of 1,000,000 rows and 10,000 members, and /thanks throughput with 200 givers
// at once, through the real Dispatcher as playground members. PostgreSQL by default: seeding
// a million rows into PGlite takes minutes, so PGlite runs only when asked, with fewer rows.
import { cpus, loadavg } from "node:os";
import { PassThrough } from "node:stream";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../src/capabilities.js";
import { type CommunityConfig } from "../src/config/communities.js";
import { type Db, openDatabase } from "../src/db/database.js";
import type { DatabaseTarget } from "../src/db/target.js";
import { createLogger } from "../src/log/logger.js";
import { PlaygroundChatPoster } from "../src/platform/playground/chat-poster.js";
import { assemble } from "../src/core/assemble.js";
import { dropPostgresDatabase, memoryTarget } from "../test/support/databases.js";
import { seededCopy } from "./points-database.js";
import { hasCommand, PLAYGROUND, randomSource } from "./points-invoke.js";
import { QueryProfile } from "./points-profile.js";
import { measureReads, readCases, type ReadRow } from "./points-reads.js";
import { readReport, seedLine, thanksReport } from "./points-report.js";
import { type Seeded, seedLedger } from "./points-seed.js";
import { measureThanks, type ThanksResult } from "./points-thanks.js";
import { postgresAvailable } from "./worker-rpc.js";

const COMMUNITY: CommunityConfig = { slug: "playground", name: "Playground", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS };
const log = createLogger({ level: "error", secrets: [] });

/** One database's measurements. */
export interface PointsRun {
  readonly backend: string;
  readonly members: number;
  readonly seeded: Seeded;
  /** Statements run after seeding (BENCH_POINTS_SQL), e.g. an index being tried. */
  readonly trial: string[];
  readonly reads: ReadRow[];
  readonly missing: string[];
  readonly thanks: ThanksResult | undefined;
  /** With BENCH_POINTS_PROFILE=1: the statements the reads and /thanks spent their time in. */
  readonly profile: string[];
  /** On PostgreSQL: whether the kept seeded database was reused, and how long copying it took. */
  readonly kept?: { readonly reused: boolean; readonly copyMs: number };
}

export interface Settings {
  readonly members: number;
  readonly samples: number;
  readonly inFlight: number;
  readonly givers: number;
  readonly perGiver: number;
}

/**
 * Runs the points benchmarks and returns their report as markdown lines; none when
 * `BENCH_ONLY` names another section. `BENCH_DATABASES` picks the databases (default:
 * PostgreSQL when reachable, else PGlite); `BENCH_POINTS_ROWS` (default 1,000,000 on
 * PostgreSQL, 100,000 on PGlite), `BENCH_POINTS_MEMBERS`, `BENCH_POINTS_SAMPLES`,
 * `BENCH_THANKS_GIVERS` and `BENCH_THANKS_PER_GIVER` set the sizes; `BENCH_POINTS_PROFILE=1`
 * adds the statements the commands spent their time in (timing them costs a little), and
 * `BENCH_POINTS_SQL` runs statements after seeding, to try an index before it goes into the schema.
 * On PostgreSQL the seeded database is kept and each run measures a copy of it (see
 * points-database.ts; `BENCH_POINTS_RESEED=1` seeds it again); `BENCH_THANKS_GIVERS=0` measures
 * the reads alone.
 */
export async function pointsSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "points") return [];
  const settings: Settings = {
    members: Number(process.env.BENCH_POINTS_MEMBERS ?? 10_000),
    samples: Number(process.env.BENCH_POINTS_SAMPLES ?? 200),
    inFlight: 8,
    givers: Number(process.env.BENCH_THANKS_GIVERS ?? 200),
    perGiver: Number(process.env.BENCH_THANKS_PER_GIVER ?? 10),
  };
  const rowsFor = (backend: "pglite" | "postgres") => Number(process.env.BENCH_POINTS_ROWS ?? (backend === "postgres" ? 1_000_000 : 100_000));
  // Other work on the machine shows up in every figure below; say how busy it was.
  const lines = ["", "## Points", "", `${cpus().length} cores; load average ${loadavg()[0]!.toFixed(1)} when this section started.`, ""];
  const reachable = await postgresAvailable();
  const wanted = (process.env.BENCH_DATABASES ?? (reachable ? "postgres" : "pglite")).split(",");
  if (wanted.includes("postgres") && !reachable) lines.push("PostgreSQL not reachable (set BENCH_DATABASE_URL).", "");
  const runs: PointsRun[] = [];
  if (wanted.includes("pglite")) {
    const size = { members: settings.members, rows: rowsFor("pglite") };
    runs.push(await measure("PGlite", memoryTarget(), settings, (db, communityId) => seedLedger(db, communityId, size)));
  }
  if (wanted.includes("postgres") && reachable) {
    // Seeded once and kept (points-database.ts); measured on a copy.
    const size = { members: settings.members, rows: rowsFor("postgres") };
    const copy = await seededCopy(size, (url) => seedFresh(url, size), log);
    try {
      const run = await measure("PostgreSQL", { kind: "postgres", url: copy.url }, settings, async () => copy.seeded);
      runs.push({ ...run, kept: { reused: copy.reused, copyMs: copy.copyMs } });
    } finally {
      await dropPostgresDatabase(copy.url);
    }
  }
  if (runs.length === 0) return lines;
  const seeding = runs.map(seedLine);
  return [...lines, ...seeding, "", ...readReport(runs, settings), "", ...thanksReport(runs, settings), "", ...runs.flatMap((r) => r.profile)];
}

/** Seeds a new, migrated PostgreSQL database (to be kept) with `size`. */
async function seedFresh(url: string, size: { members: number; rows: number }): Promise<Seeded> {
  const database = await openDatabase({ kind: "postgres", url }, log);
  try {
    const runtime = assemble({ capabilities, db: database.prisma, communities: [COMMUNITY], log });
    const community = await runtime.services.identity.communityFor("playground", PLAYGROUND);
    return await seedLedger(database.prisma, community.id, size);
  } finally {
    await database.close();
  }
}

/** Seeds one database (`seed`: or finds it seeded), then measures the reads and /thanks on it. */
async function measure(backend: string, target: DatabaseTarget, settings: Settings, seed: (db: Db, communityId: string) => Promise<Seeded>): Promise<PointsRun> {
  // The pool size src/app.ts gets: openDatabase's default.
  const database = await openDatabase(target, log);
  try {
    const output = new PassThrough().resume(); // channel posts (badges) are rendered, then dropped
    const profile = process.env.BENCH_POINTS_PROFILE ? new QueryProfile() : undefined;
    const runtime = assemble({
      capabilities,
      db: profile ? profile.wrap(database.prisma) : database.prisma,
      communities: [COMMUNITY],
      log,
      chat: { playground: new PlaygroundChatPoster(output) },
    });
    const community = await runtime.services.identity.communityFor("playground", PLAYGROUND);
    const seeded = await seed(database.prisma, community.id);
    const trial = trySql(process.env.BENCH_POINTS_SQL);
    for (const statement of trial) await database.prisma.$executeRawUnsafe(statement);
    if (trial.length > 0) await database.prisma.$executeRawUnsafe(`VACUUM (ANALYZE)`);
    const random = randomSource(20261202);
    const { cases, missing } = readCases(runtime);
    const reads = await measureReads(runtime, cases, { members: settings.members, samples: settings.samples, inFlight: settings.inFlight, random });
    const profiled = profile ? [...profile.take(`${backend}, /leaderboard and /points (warm-ups included)`), ""] : [];
    let thanks: ThanksResult | undefined;
    if (settings.givers === 0) {
      // BENCH_THANKS_GIVERS=0: the reads alone.
    } else if (hasCommand(runtime, "thanks")) {
      const { givers, perGiver, members } = settings;
      thanks = await measureThanks(database.prisma, runtime, { communityId: community.id, members, givers, perGiver, rules: COMMUNITY.points.thanks, random });
      if (profile) profiled.push(...profile.take(`${backend}, /thanks`), "");
    } else {
      missing.push("thanks");
    }
    return { backend, members: settings.members, seeded, trial, reads, missing, thanks, profile: profiled };
  } finally {
    await database.close();
  }
}

/** `BENCH_POINTS_SQL`'s statements, separated by semicolons. */
function trySql(text: string | undefined): string[] {
  return (text ?? "").split(";").map((statement) => statement.trim()).filter((statement) => statement.length > 0);
}

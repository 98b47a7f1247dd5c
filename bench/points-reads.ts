// /leaderboard and /points latency over a seeded ledger: each case runs as random seeded
// members, first one command at a time, then with a few in flight as a busy community sends them.
import type { RawOptions } from "../src/core/options.js";
import { POINT_CATEGORIES } from "../src/points/ledger.js";
import type { Runtime } from "../src/core/assemble.js";
import { inParallel } from "./commerce-parallel.js";
import { asMember, declaredChoices, hasCommand, type Random, timedRun, type Timed, userRef } from "./points-invoke.js";
import { SKEW } from "./points-seed.js";
import { percentile } from "./stats.js";

/** One kind of read: a command with options, run by a member the case picks. */
interface ReadCase {
  readonly label: string;
  readonly command: string;
  readonly options: (random: Random, members: number) => RawOptions;
}

export interface ReadRow {
  readonly label: string;
  readonly inFlight: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly n: number;
  readonly refused: number;
  readonly failed: number;
  /** Event-loop time per command: the bot's own CPU cost, Prisma included (and on PGlite, the database's). */
  readonly busy: number;
  /** The first refusal or failure, to show why. */
  readonly example?: string;
}

export interface ReadOptions {
  readonly members: number;
  readonly samples: number;
  readonly inFlight: number;
  readonly random: Random;
}

/**
 * The cases, from what the commands declare: every period of /leaderboard, each again with
 * a random category, and /points for oneself and for another member. The member looked up
 * is drawn with the seed's skew, since members look up the active ones far more often.
 */
export function readCases(runtime: Runtime): { cases: ReadCase[]; missing: string[] } {
  const missing = ["leaderboard", "points"].filter((c) => !hasCommand(runtime, c));
  const cases: ReadCase[] = [];
  if (!missing.includes("leaderboard")) {
    const periods = declaredChoices(runtime, "leaderboard", "period") ?? ["week", "month", "all"];
    const categories = declaredChoices(runtime, "leaderboard", "category") ?? [...POINT_CATEGORIES];
    for (const period of periods) cases.push({ label: `/leaderboard ${period}`, command: "leaderboard", options: () => ({ period }) });
    for (const period of periods) {
      cases.push({ label: `/leaderboard ${period} <category>`, command: "leaderboard", options: (r) => ({ period, category: r.pick(categories) }) });
    }
  }
  if (!missing.includes("points")) {
    cases.push({ label: "/points (own)", command: "points", options: () => ({}) });
    cases.push({ label: "/points @member", command: "points", options: (r, members) => ({ member: userRef(r.activeMember(members, SKEW)) }) });
  }
  return { cases, missing };
}

/** Measures every case one at a time, then every case with `inFlight` at once. */
export async function measureReads(runtime: Runtime, cases: readonly ReadCase[], opts: ReadOptions): Promise<ReadRow[]> {
  const { random, members, samples } = opts;
  const invocations = (c: ReadCase, n: number) => Array.from({ length: n }, () => asMember(random.anyMember(members), c.command, c.options(random, members)));
  const rows: ReadRow[] = [];
  for (const inFlight of [1, opts.inFlight]) {
    // Warm-up at this concurrency: the JIT, and every pooled connection opened and its
    // server process's caches filled, which takes each new connection a few queries.
    for (const c of cases) await inParallel(invocations(c, 4 * inFlight), inFlight, (inv) => timedRun(runtime, inv));
    for (const c of cases) {
      // Invocations are built as they are sent, so `receivedAt` is the moment each one starts.
      const elu = performance.eventLoopUtilization();
      const timed = await inParallel(
        Array.from({ length: samples }, () => c),
        inFlight,
        (one) => timedRun(runtime, invocations(one, 1)[0]!),
      );
      const busy = performance.eventLoopUtilization(elu).active / timed.length;
      rows.push({ ...summarize(c.label, inFlight, timed), busy });
    }
  }
  return rows;
}

function summarize(label: string, inFlight: number, timed: readonly Timed[]): Omit<ReadRow, "busy"> {
  const ms = timed.map((t) => t.ms);
  const bad = timed.find((t) => t.result !== "ok");
  return {
    label,
    inFlight,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    n: timed.length,
    refused: timed.filter((t) => t.result === "refused").length,
    failed: timed.filter((t) => t.result === "failed").length,
    ...(bad ? { example: bad.text } : {}),
  };
}

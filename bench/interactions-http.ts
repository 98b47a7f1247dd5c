// Interactions over HTTP (issue 15): /link sent to POST /discord/interactions through a
// round-robin proxy in front of 1, 2 and 3 Guildhall processes on one PostgreSQL database,
// 50 in flight. Throughput and latency depend on the machine (2 cores, shared, running the
// processes, PostgreSQL, the proxy and the load together), so each process's event-loop time
// and CPU per interaction are reported too: those say what one more process can add.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort } from "../test/support/free-port.js";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/databases.js";
import type { LoadRequest, LoadResult } from "./interactions-load.js";
import { type GuildhallProcess, type ProcessStats, startGuildhallProcess } from "./interactions-processes.js";
import { backendCpuBetween, PostgresCpu } from "./interactions-postgres.js";
import { RoundRobinProxy } from "./interactions-proxy.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable, WorkerRpc } from "./worker-rpc.js";

const ROUNDS = Number(process.env.BENCH_INTERACTIONS_ROUNDS ?? 5);
/** Interactions per measured run; at a few hundred a second, a few seconds each. */
const PER_RUN = Number(process.env.BENCH_INTERACTIONS_PER_RUN ?? 1000);
const IN_FLIGHT = 50;
const PROCESS_COUNTS = [1, 2, 3] as const;
const USERS = Array.from({ length: IN_FLIGHT }, (_, i) => `4000000000000${String(i).padStart(5, "0")}`);

class LoadThread extends WorkerRpc<LoadRequest> {
  constructor() {
    super(new URL("./interactions-load.ts", import.meta.url), "interactions load");
  }
}

/** One measured run of one process count. */
interface Run {
  readonly processes: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly deferred: number;
  readonly failed: Record<string, number>;
  /** Per serving process: event-loop busy (wall) time per interaction it served, in ms. */
  readonly busyPerInteraction: number[];
  /** Per serving process: its main thread's CPU per interaction it served, in ms. */
  readonly loopCpuPerInteraction: number[];
  /** Per serving process: CPU (all threads) per interaction it served, in ms. */
  readonly cpuPerInteraction: number[];
  readonly loadThreadBusy: number;
  /** CPU of the PostgreSQL backends serving the database per interaction, in ms (NaN when the server is not on this machine). */
  readonly postgresCpuPerInteraction: number;
  /** CPU of this benchmark's own process (proxy, fake Discord, load) per interaction, in ms. */
  readonly benchCpuPerInteraction: number;
  /** One-minute load average when the run ended (what `uptime` prints first). */
  readonly load: number;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");
const median = (xs: readonly number[]) => percentile(xs, 50);

async function measure(n: number, proxy: RoundRobinProxy, processes: readonly GuildhallProcess[], loadThread: LoadThread, postgres: PostgresCpu): Promise<Run> {
  proxy.use(n);
  const before: ProcessStats[] = await Promise.all(processes.map((p) => p.stats()));
  const postgresBefore = await postgres.read();
  const benchCpu = process.cpuUsage();
  const result = await loadThread.call<LoadResult>({ kind: "run", command: "link", users: USERS, total: PER_RUN });
  const benchCpuUsed = process.cpuUsage(benchCpu);
  const after: ProcessStats[] = await Promise.all(processes.map((p) => p.stats()));
  const postgresAfter = await postgres.read();
  const served = proxy.counts.slice(0, n);
  return {
    processes: n,
    perSecond: (result.latencies.length / result.elapsedMs) * 1000,
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    deferred: result.deferred,
    failed: result.failed,
    busyPerInteraction: served.map((count, i) => (after[i]!.busyMs - before[i]!.busyMs) / count),
    loopCpuPerInteraction: served.map((count, i) => (after[i]!.mainThreadCpuMs - before[i]!.mainThreadCpuMs) / count),
    cpuPerInteraction: served.map((count, i) => (after[i]!.cpuMs - before[i]!.cpuMs) / count),
    loadThreadBusy: result.loadThreadBusy,
    benchCpuPerInteraction: (benchCpuUsed.user + benchCpuUsed.system) / 1000 / PER_RUN,
    postgresCpuPerInteraction: postgresAfter.size === 0 ? Number.NaN : backendCpuBetween(postgresBefore, postgresAfter) / PER_RUN,
    load: loadavg()[0]!,
  };
}

export async function interactionsHttpSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "interactions") return [];
  if (!(await postgresAvailable())) return ["Interactions over HTTP: PostgreSQL not reachable (set BENCH_DATABASE_URL); skipped.", ""];
  const lines = ["## Interactions over HTTP: 1, 2 and 3 processes behind a round-robin proxy", "", `Load average (uptime) at the start: ${load()}.`];
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicKeyHex = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url").toString("hex");
  const target = await createPostgresDatabase();
  const dataDirs: string[] = [];
  const loadThread = new LoadThread();
  const processes: GuildhallProcess[] = [];
  const ports = [await freePort(), await freePort(), await freePort()];
  const proxy = new RoundRobinProxy(ports);
  const postgres = await PostgresCpu.connect(target.url);
  try {
    const endpointUrl = `${await proxy.listen()}/discord/interactions`;
    const apiUrl = await loadThread.call<string>({ kind: "start", endpointUrl, privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString() });
    // One after the other: the first migrates the new database (and takes the gateway shard's lease).
    for (const port of ports) {
      const dataDir = mkdtempSync(join(tmpdir(), "guildhall-interactions-"));
      dataDirs.push(dataDir);
      processes.push(await startGuildhallProcess({ apiUrl, publicKeyHex, databaseUrl: target.url, dataDir, port }));
    }
    // Warm-up on every process (JIT, members, pools), then idle cost.
    proxy.use(processes.length);
    await loadThread.call<LoadResult>({ kind: "run", command: "link", users: USERS, total: 300 });
    const idleBefore = await Promise.all(processes.map((p) => p.stats()));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleAfter = await Promise.all(processes.map((p) => p.stats()));
    lines.push(`Idle CPU over 2 s per process: ${idleAfter.map((a, i) => `${(a.cpuMs - idleBefore[i]!.cpuMs).toFixed(1)} ms`).join(", ")} (a process not behind the proxy in a run still renews its leases and runs jobs).`, "");
    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Back to back, the order turning each round, so no count always follows the same one.
      const order = round % 2 === 0 ? PROCESS_COUNTS : [...PROCESS_COUNTS].reverse();
      for (const n of order) runs.push(await measure(n, proxy, processes, loadThread, postgres));
    }
    lines.push(...report(runs), "", `Load average (uptime) at the end: ${load()}.`, "");
  } finally {
    await Promise.allSettled(processes.map((p) => p.stop()));
    await proxy.close();
    await postgres.close();
    await loadThread.close();
    await dropPostgresDatabase(target.url);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** How many runs' interactions were not answered with 200, and with what. */
function failures(runs: readonly Run[]): string {
  const all = new Map<string, number>();
  for (const r of runs) for (const [key, n] of Object.entries(r.failed)) all.set(key, (all.get(key) ?? 0) + n);
  const total = [...all.values()].reduce((a, b) => a + b, 0);
  return total === 0 ? "0" : `${total}: ${[...all].map(([key, n]) => `${n}× ${key.replaceAll("|", "\\|")}`).join("; ")}`;
}

function report(runs: readonly Run[]): string[] {
  const of = (n: number) => runs.filter((r) => r.processes === n);
  const column = (pick: (rs: readonly Run[]) => string) => PROCESS_COUNTS.map((n) => pick(of(n))).join(" | ");
  const perProcess = (rs: readonly Run[], field: "busyPerInteraction" | "loopCpuPerInteraction" | "cpuPerInteraction") =>
    Array.from({ length: rs[0]!.processes }, (_, i) => `${median(rs.map((r) => r[field][i]!)).toFixed(2)}`).join(" / ") + " ms";
  return [
    `${ROUNDS} rounds; each round runs 1, 2 and 3 processes back to back (the order turning each round), ${PER_RUN} /link interactions per run with ${IN_FLIGHT} in flight; medians over the rounds.`,
    "",
    `| /link over POST /discord/interactions | ${PROCESS_COUNTS.map((n) => `${n} process${n === 1 ? "" : "es"}`).join(" | ")} |`,
    `|---|${PROCESS_COUNTS.map(() => "---").join("|")}|`,
    `| throughput (interactions a second) | ${column((rs) => median(rs.map((r) => r.perSecond)).toFixed(0))} |`,
    `| p50 | ${column((rs) => ms(median(rs.map((r) => r.p50))))} |`,
    `| p99 | ${column((rs) => ms(median(rs.map((r) => r.p99))))} |`,
    `| event-loop CPU per interaction (main thread), each process | ${column((rs) => perProcess(rs, "loopCpuPerInteraction"))} |`,
    `| event-loop busy wall time per interaction, each process | ${column((rs) => perProcess(rs, "busyPerInteraction"))} |`,
    `| process CPU per interaction (all threads), each process | ${column((rs) => perProcess(rs, "cpuPerInteraction"))} |`,
    `| deferred (of all runs) | ${column((rs) => String(rs.reduce((s, r) => s + r.deferred, 0)))} |`,
    `| failed (of all runs) | ${column((rs) => failures(rs))} |`,
    `| PostgreSQL CPU per interaction (the database's backends) | ${column((rs) => `${median(rs.map((r) => r.postgresCpuPerInteraction)).toFixed(2)} ms`)} |`,
    `| benchmark process CPU per interaction (proxy, fake Discord, load) | ${column((rs) => `${median(rs.map((r) => r.benchCpuPerInteraction)).toFixed(2)} ms`)} |`,
    `| load thread's event loop busy | ${column((rs) => `${(median(rs.map((r) => r.loadThreadBusy)) * 100).toFixed(0)} %`)} |`,
    `| 1-minute load average at each run's end | ${column((rs) => rs.map((r) => r.load.toFixed(1)).join(", "))} |`,
  ];
}

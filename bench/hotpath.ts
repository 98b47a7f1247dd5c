// Hot path (issue 13): what one interaction costs Guildhall next to the smallest discord.js + pg
// bot doing the same database work, both measured in one run through the gateway of a fake
// Discord that runs on its own thread, each bot in its own process, on PostgreSQL.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "../test/support/free-port.js";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/databases.js";
import { type BotEnv, type BotProcess, startGuildhall, startPeer } from "./hotpath-bots.js";
import type { HotpathRequest } from "./hotpath-fake.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable, WorkerRpc } from "./worker-rpc.js";

const ROUNDS = Number(process.env.BENCH_HOTPATH_ROUNDS ?? 20);
const IN_FLIGHT = 50;
/** discord.js lets 50 requests a second out; a bot's bursts start at least this far apart so neither measures its limiter. */
const ROUND_SPACING_MS = 1100;
/** After a burst's last answer, what the bot still does (the answers' HTTP responses) is counted too. */
const SETTLE_MS = 50;
const TARGET_RATIO = 1.2;

interface Case {
  readonly label: string;
  readonly command: string;
  /** The users of one burst, per bot (each bot has its own counter of new members). */
  readonly users: (bot: string) => string[];
}

const same = Array.from({ length: IN_FLIGHT }, (_, i) => `4000000000000${String(i).padStart(5, "0")}`);
const fresh = new Map<string, number>();
const newUsers = (bot: string) => {
  const from = fresh.get(bot) ?? 0;
  fresh.set(bot, from + IN_FLIGHT);
  return Array.from({ length: IN_FLIGHT }, (_, i) => `5000000000${String(from + i).padStart(8, "0")}`);
};

const ALL_CASES: Record<string, Case> = {
  same: { label: "/link, the same 50 members again and again", command: "link", users: () => same },
  new: { label: "/link, a new member every time (first contact)", command: "link", users: newUsers },
  help: { label: "/help, the same 50 members", command: "help", users: () => same },
};
/** BENCH_HOTPATH_CASES picks some (`same,new,help`), to profile one case alone. */
const CASES: readonly Case[] = (process.env.BENCH_HOTPATH_CASES ?? "same,new,help").split(",").map((name) => {
  const c = ALL_CASES[name.trim()];
  if (!c) throw new Error(`BENCH_HOTPATH_CASES: no case "${name}"; the cases are ${Object.keys(ALL_CASES).join(", ")}`);
  return c;
});

interface Measured {
  /** CPU of the bot's process per interaction, one figure per round, in ms. */
  readonly cpuPerRound: number[];
  /** Garbage collection pauses per interaction, per round, in ms (part of the CPU). */
  readonly gcPerRound: number[];
  readonly latencies: number[];
}

class FakeThread extends WorkerRpc<HotpathRequest> {
  constructor() {
    super(new URL("./hotpath-fake.ts", import.meta.url), "hot-path fake Discord");
  }
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");
const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Drives one bot: bursts at least ROUND_SPACING_MS apart, its CPU read around each. */
class Driven {
  #lastStart = 0;
  constructor(
    readonly bot: BotProcess,
    private readonly fakes: FakeThread,
  ) {}

  async burst(command: string, users: readonly string[]): Promise<{ cpuMs: number; gcMs: number; latencies: number[] }> {
    await sleep(this.#lastStart + ROUND_SPACING_MS - performance.now());
    this.#lastStart = performance.now();
    const before = await this.bot.usage();
    const latencies = await this.fakes.call<number[]>({ kind: "burst", bot: this.bot.name, command, users });
    await sleep(SETTLE_MS);
    const after = await this.bot.usage();
    return { cpuMs: after.cpuMs - before.cpuMs, gcMs: after.gcMs - before.gcMs, latencies };
  }
}

/**
 * The bots of a run, each measured against the peer that answers with the same messages:
 * Guildhall, the peer, the peer answering in plain text (BENCH_HOTPATH_TEXT_PEER=1), and an
 * earlier Guildhall (BENCH_HOTPATH_BEFORE=<another checkout>, measured in the same run).
 */
async function startBots(env: (bot: string) => Promise<BotEnv>): Promise<BotProcess[]> {
  const bots = [await startGuildhall(await env("guildhall"))];
  const before = process.env.BENCH_HOTPATH_BEFORE;
  if (before) bots.push(await startGuildhall(await env("before"), "before", before));
  bots.push(await startPeer(await env("peer"), "peer", "embed"));
  if (process.env.BENCH_HOTPATH_TEXT_PEER === "1") bots.push(await startPeer(await env("peer-text"), "peer-text", "text"));
  return bots;
}

export async function hotpathSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "hotpath") return [];
  if (!(await postgresAvailable())) return ["Hot path: PostgreSQL not reachable (set BENCH_DATABASE_URL); skipped.", ""];
  const lines = [`## Hot path: Guildhall next to a minimal discord.js + pg bot`, "", `Load average at the start: ${load()}.`];
  // A database and a data directory per bot: two Guildhalls on one database would share its gateway shard between them.
  const databases: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "guildhall-hotpath-"));
  const fakes = new FakeThread();
  const bots: Driven[] = [];
  try {
    const profileDir = process.env.BENCH_HOTPATH_PROFILE;
    const env = async (bot: string): Promise<BotEnv> => {
      const { url } = await createPostgresDatabase();
      databases.push(url);
      mkdirSync(join(dataDir, bot));
      return { apiUrl: await fakes.call<string>({ kind: "start", bot }), databaseUrl: url, dataDir: join(dataDir, bot), port: await freePort(), profileDir };
    };
    bots.push(...(await startBots(env)).map((bot) => new Driven(bot, fakes)));
    await sleep(2000); // let start-up work (JIT, the gateway's first events) finish before measuring idle
    const idle = await Promise.all(bots.map(async (d) => {
      const before = await d.bot.cpuMs();
      await sleep(2000);
      return (await d.bot.cpuMs()) - before;
    }));
    lines.push(`Idle CPU over 2 s: ${bots.map((d, i) => `${d.bot.name} ${idle[i]!.toFixed(1)} ms`).join(", ")}.`, "");
    const results = new Map<string, Map<string, Measured>>();
    for (const c of CASES) {
      const byBot = new Map<string, Measured>(bots.map((d) => [d.bot.name, { cpuPerRound: [], gcPerRound: [], latencies: [] }]));
      results.set(c.label, byBot);
      for (const d of bots) {
        await d.burst(c.command, c.users(d.bot.name)); // warm-up: members, JIT
        // Guildhall goes first: the peers then answer /help with the message it answered.
        if (d.bot.name === "guildhall" && c.command === "help") await passOnHelp(d.bot, bots, fakes);
      }
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate who goes first, so none always follows another's leftovers.
        for (const d of [...bots.slice(round % bots.length), ...bots.slice(0, round % bots.length)]) {
          const { cpuMs, gcMs, latencies } = await d.burst(c.command, c.users(d.bot.name));
          const m = byBot.get(d.bot.name)!;
          m.cpuPerRound.push(cpuMs / latencies.length);
          m.gcPerRound.push(gcMs / latencies.length);
          m.latencies.push(...latencies);
        }
      }
    }
    lines.push(...report(results), "", `Load average at the end: ${load()}.`, "");
    // BENCH_HOTPATH_DUMP=<file>: every round's CPU, GC and latencies per case and bot, as JSON, to look for trends and slow rounds.
    const dump = process.env.BENCH_HOTPATH_DUMP;
    if (dump) writeFileSync(dump, JSON.stringify(Object.fromEntries([...results].map(([label, byBot]) => [label, Object.fromEntries(byBot)])), null, 1));
  } finally {
    await Promise.allSettled(bots.map((d) => d.bot.stop()));
    await fakes.close();
    for (const url of databases) await dropPostgresDatabase(url);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines;
}

/** Gives the peers Guildhall's /help answer (Discord's JSON, as discord.js takes it). */
async function passOnHelp(guildhall: BotProcess, bots: readonly Driven[], fakes: FakeThread): Promise<void> {
  const data = await fakes.call<{ content?: string; embeds?: unknown[]; components?: unknown[] } | null>({ kind: "lastAnswer", bot: guildhall.name });
  if (!data) throw new Error("Guildhall did not answer /help");
  const help = { ...(data.content ? { content: data.content } : {}), embeds: data.embeds ?? [], components: data.components ?? [], allowedMentions: { parse: [] } };
  for (const d of bots) if (d.bot.name.startsWith("peer")) d.bot.send({ help });
  await sleep(100);
}

function report(results: Map<string, Map<string, Measured>>): string[] {
  const lines = [
    `${ROUNDS} rounds of ${IN_FLIGHT} interactions in flight per bot, each round runs every bot once, back to back, in rotating order; CPU is the bot process's user + system time (process.cpuUsage) per interaction: the mean over all rounds, and the median round; GC pauses are the main thread's garbage collection pauses within it (PerformanceObserver).`,
    "",
    "| interactions | bot | CPU per interaction (mean) | median round | of which GC pauses | p50 | p99 | samples |",
    "|---|---|---|---|---|---|---|---|",
  ];
  const ratios = ["", "| interactions | bot / peer | CPU ratio (mean) | CPU ratio (median of the rounds' ratios) | p99 ratio | target ≤ 1.2× |", "|---|---|---|---|---|---|"];
  for (const [label, byBot] of results) {
    for (const [bot, m] of byBot) {
      lines.push(`| ${label} | ${bot} | ${mean(m.cpuPerRound).toFixed(2)} ms | ${percentile(m.cpuPerRound, 50).toFixed(2)} ms | ${mean(m.gcPerRound).toFixed(2)} ms | ${ms(percentile(m.latencies, 50))} | ${ms(percentile(m.latencies, 99))} | ${m.latencies.length} |`);
    }
    const pairs: [string, string][] = [["guildhall", "peer"], ["before", "peer"], ["guildhall", "peer-text"], ["guildhall", "before"]];
    for (const [bot, against] of pairs) {
      const g = byBot.get(bot);
      const p = byBot.get(against);
      if (!g || !p) continue;
      const cpu = mean(g.cpuPerRound) / mean(p.cpuPerRound);
      // Each round's bots run back to back, under the same load: the median of the rounds' own ratios.
      const cpuMedian = percentile(g.cpuPerRound.map((x, i) => x / p.cpuPerRound[i]!), 50);
      const p99 = percentile(g.latencies, 99) / percentile(p.latencies, 99);
      const met = label.startsWith("/link") && against === "peer" ? (cpu <= TARGET_RATIO && p99 <= TARGET_RATIO ? "met" : "MISSED") : "—";
      ratios.push(`| ${label} | ${bot} / ${against} | ${cpu.toFixed(2)}× | ${cpuMedian.toFixed(2)}× | ${p99.toFixed(2)}× | ${met} |`);
    }
  }
  return [...lines, ...ratios];
}

// The two bots of the hot-path benchmark, each in its own process: Guildhall started as
// `npm start` starts it (src/main.ts configured by the environment alone, with the Node flags of
// package.json's start script) and the peer (hotpath-peer.ts, Node's defaults). Both run under
// tsx's loader with the CPU probe preloaded.
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startNodeArgs } from "./start-args.js";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** A bot process the benchmark drives: its CPU time so far, and a graceful stop. */
export interface BotProcess {
  readonly name: string;
  /** User plus system CPU of the whole process (every thread), in milliseconds. */
  cpuMs(): Promise<number>;
  /** That CPU, and the main thread's garbage collection pauses so far, in milliseconds. */
  usage(): Promise<{ cpuMs: number; gcMs: number }>;
  /** Sends the process a message over its IPC channel. */
  send(message: unknown): void;
  stop(): Promise<void>;
}

export interface BotEnv {
  readonly apiUrl: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly port: number;
  /** Where `node --cpu-prof` writes the bot's profile, when profiling. */
  readonly profileDir?: string | undefined;
  /** More environment for the process. */
  readonly extra?: Record<string, string>;
}

/**
 * Guildhall, as `npm start` runs it: this checkout's, or another's (`checkout`, a folder with its
 * own node_modules and generated client) to measure an earlier version in the same run.
 */
export function startGuildhall(env: BotEnv, name = "guildhall", checkout?: string): Promise<BotProcess> {
  const entry = checkout ? join(checkout, "src/main.ts") : here("../src/main.ts");
  return start(name, entry, startNodeArgs(checkout), env, (child, ready) => {
    // Its log goes to standard error (pino, level info): ready once it says it is connected.
    let out = "";
    const watch = (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes("connected to Discord")) return;
      child.stderr!.off("data", watch);
      ready();
    };
    child.stderr!.on("data", watch);
    child.stdout!.resume();
  });
}

/** The minimal discord.js + pg bot; `replies` says how it answers (see hotpath-peer.ts). */
export function startPeer(env: BotEnv, name: string, replies: "embed" | "text"): Promise<BotProcess> {
  // BENCH_HOTPATH_PEER_FLAGS gives the peer Node flags of its own (Guildhall's, say, to see what they do for it).
  const flags = (process.env.BENCH_HOTPATH_PEER_FLAGS ?? "").split(/\s+/).filter(Boolean);
  return start(name, here("./hotpath-peer.ts"), [...flags, "--import", "tsx"], { ...env, extra: { PEER_REPLIES: replies } }, (child, ready) => {
    child.on("message", (m) => m === "ready" && ready());
    child.stdout!.resume();
  });
}

async function start(name: string, entry: string, nodeArgs: readonly string[], env: BotEnv, onReady: (child: ChildProcess, ready: () => void) => void): Promise<BotProcess> {
  // One folder per bot: every thread (tsx runs its loader on one) writes a profile of its own.
  const profile = env.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${join(env.profileDir, name)}`] : [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: "bench.discord.token", DISCORD_API_URL: env.apiUrl, DATABASE_URL: env.databaseUrl, GUILDHALL_DATA_DIR: env.dataDir, PORT: String(env.port), ...env.extra };
  delete childEnv.LOG_LEVEL; // the default level, as a plain `npm start`
  const child = fork(entry, [], { execArgv: [...nodeArgs, "--import", here("./hotpath-probe.ts"), ...profile], env: childEnv, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Should the benchmark itself die (a database refusing connections, say), its bots go with it.
  const orphaned = () => child.kill("SIGKILL");
  process.once("exit", orphaned);
  void exited.then(() => process.off("exit", orphaned));
  await new Promise<void>((resolve, reject) => {
    onReady(child, resolve);
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${errors}`)));
  });
  const usage = () =>
    new Promise<{ cpuMs: number; gcMs: number }>((resolve) => {
      const answer = (m: unknown) => {
        const reported = m as { cpu?: NodeJS.CpuUsage; gcMs?: number } | null;
        if (!reported?.cpu) return;
        child.off("message", answer);
        resolve({ cpuMs: (reported.cpu.user + reported.cpu.system) / 1000, gcMs: reported.gcMs ?? 0 });
      };
      child.on("message", answer);
      child.send("cpu");
    });
  return {
    name,
    cpuMs: async () => (await usage()).cpuMs,
    usage,
    send: (message) => child.send(message as never),
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

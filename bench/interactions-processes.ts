// The Guildhall processes of the interactions-over-HTTP benchmark: each started as `npm start`
// starts it (src/main.ts configured by the environment alone, with the Node flags of
// package.json's start script), with DISCORD_PUBLIC_KEY set so it serves POST /discord/interactions,
// and the probe preloaded that reports its CPU time and event-loop utilisation over IPC.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startNodeArgs } from "./start-args.js";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface ProcessStats {
  /** User plus system CPU of the whole process (every thread), in milliseconds. */
  readonly cpuMs: number;
  /** CPU of the main thread alone (the event loop), in milliseconds, at 10 ms resolution. */
  readonly mainThreadCpuMs: number;
  /** Wall time the main thread's event loop has been busy (not waiting for I/O), in milliseconds: includes time the process was runnable but not running. */
  readonly busyMs: number;
}

export interface GuildhallProcess {
  readonly port: number;
  stats(): Promise<ProcessStats>;
  stop(): Promise<void>;
}

export interface ProcessEnv {
  readonly apiUrl: string;
  readonly publicKeyHex: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly port: number;
}

/** Starts one process; resolves once its /healthz answers 200 (gateway joined or not, HTTP serving). */
export async function startGuildhallProcess(env: ProcessEnv): Promise<GuildhallProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DISCORD_TOKEN: "bench.discord.token",
    DISCORD_API_URL: env.apiUrl,
    DISCORD_PUBLIC_KEY: env.publicKeyHex,
    DATABASE_URL: env.databaseUrl,
    GUILDHALL_DATA_DIR: env.dataDir,
    PORT: String(env.port),
  };
  delete childEnv.LOG_LEVEL; // the default level, as a plain `npm start`
  const child = fork(here("../src/main.ts"), [], { execArgv: [...startNodeArgs(), "--import", here("./interactions-probe.ts")], env: childEnv, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (gone) throw new Error(`Guildhall on port ${env.port} exited before it served HTTP:\n${errors}`);
    if (Date.now() > deadline) throw new Error(`Guildhall on port ${env.port} did not serve /healthz within 2 minutes:\n${errors}`);
    const ok = await fetch(`http://127.0.0.1:${env.port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    port: env.port,
    stats: () => statsOf(child),
    async stop() {
      if (!gone) child.kill("SIGTERM");
      await exited;
    },
  };
}

function statsOf(child: ChildProcess): Promise<ProcessStats> {
  return new Promise((resolve) => {
    const answer = (m: unknown) => {
      const stats = (m as { stats?: { cpu: NodeJS.CpuUsage; mainThreadCpuMs: number; elu: { active: number } } } | null)?.stats;
      if (!stats) return;
      child.off("message", answer);
      resolve({ cpuMs: (stats.cpu.user + stats.cpu.system) / 1000, mainThreadCpuMs: stats.mainThreadCpuMs, busyMs: stats.elu.active });
    };
    child.on("message", answer);
    child.send("stats");
  });
}

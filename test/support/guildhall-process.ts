/**
 * Real `guildhall start` processes for the tests that need several (shard hand-over, the
 * three-process run, the recovery kill test): each on a free port, its output kept for the
 * assertions, ready once its /healthz says "ok".
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

const guildhall = join(process.cwd(), "bin", "guildhall.mjs");

/**
 * The environment of processes sharing `databaseUrl` and talking to a fake Discord at
 * `discordApiUrl` (no Slack, no Stripe), with `communities` written to the communities file
 * of a new data directory.
 */
export function guildhallEnv(opts: { readonly databaseUrl: string; readonly discordApiUrl: string; readonly communities: readonly unknown[]; readonly logLevel?: string }): Record<string, string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "gh-processes-"));
  const communitiesFile = join(dir, "communities.json");
  writeFileSync(communitiesFile, JSON.stringify({ communities: opts.communities }));
  return {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    DISCORD_TOKEN: "fake.discord.token",
    DISCORD_API_URL: opts.discordApiUrl,
    DISCORD_SHARD_COUNT: "",
    SLACK_BOT_TOKEN: "",
    STRIPE_SECRET_KEY: "",
    LOG_LEVEL: opts.logLevel ?? "warn",
    GUILDHALL_DATA_DIR: dir,
    GUILDHALL_COMMUNITIES: communitiesFile,
  };
}

export interface GuildhallProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** What it wrote to stdout and stderr so far. */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** A set of processes started with one environment, killed together at the end. */
export class GuildhallProcesses {
  readonly all: GuildhallProcess[] = [];

  constructor(private readonly env: () => Record<string, string | undefined>) {}

  /** Starts one more and waits until it serves (or throws with its output if it exits first). */
  async start(): Promise<GuildhallProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [guildhall, "start"], { env: { ...this.env(), PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c) => (output += String(c)));
    child.stderr!.on("data", (c) => (output += String(c)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const started: GuildhallProcess = { child, port, exited, output: () => output };
    this.all.push(started);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`guildhall exited with ${child.exitCode}: ${output}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.json() as Promise<{ status?: string }>)
        .catch(() => undefined);
      if (health?.status === "ok") return started;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGKILLs every one still running and waits until all have exited. */
  async killAll(): Promise<void> {
    for (const p of this.all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await Promise.all(this.all.map((p) => p.exited));
  }
}

// The load side of the interactions-over-HTTP benchmark, on a worker thread of its own: a fake
// Discord whose interactions go, signed, to the round-robin proxy's URL (Discord's side of an
// Interactions Endpoint URL), and a closed loop that keeps a fixed number of /link interactions
// in flight. Each one is timed from being sent to its answer: the endpoint's HTTP answer, or,
// when Guildhall deferred it, the PATCH of @original reaching the fake's REST.
import { createPrivateKey } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { type FakeDiscord, startFakeDiscord } from "../test/fakes/discord/index.js";

export const BENCH_GUILD = "100000000000000001";
export const BENCH_CHANNEL = "200000000000000001";

export type LoadRequest =
  | { id: number; kind: "start"; endpointUrl: string; privateKeyPem: string }
  | { id: number; kind: "run"; command: string; users: readonly string[]; total: number }
  | { id: number; kind: "stop" };

export interface LoadResult {
  readonly latencies: number[];
  readonly elapsedMs: number;
  /** Answered by deferring, then editing @original. */
  readonly deferred: number;
  /** Not answered with 200 (refused, or the proxy found no process), counted by status and body. */
  readonly failed: Record<string, number>;
  /** This thread's event-loop utilisation during the run (0–1): near 1, the load side was the limit. */
  readonly loadThreadBusy: number;
}

let fake: FakeDiscord | undefined;

/** `total` interactions, one user per slot, each slot sending its next as soon as its last is answered. */
async function run(discord: FakeDiscord, command: string, users: readonly string[], total: number): Promise<LoadResult> {
  discord.calls.length = 0; // only this run's calls are searched for deferred answers
  const latencies: number[] = [];
  let sent = 0;
  let deferred = 0;
  const failed: Record<string, number> = {};
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const slot = async (user: string) => {
    while (sent < total) {
      sent += 1;
      const at = performance.now();
      const interaction = discord.sendSlashCommand({ guildId: BENCH_GUILD, channelId: BENCH_CHANNEL, user: { id: user, username: `member-${user}` }, name: command });
      const answer = await interaction.delivered!;
      if (answer.status !== 200) {
        const key = `${answer.status} ${JSON.stringify(answer.body).slice(0, 80)}`;
        failed[key] = (failed[key] ?? 0) + 1;
        continue;
      }
      if ((answer.body as { type?: number }).type === 5) {
        deferred += 1;
        const webhook = `/webhooks/${discord.applicationId}/${interaction.token}/messages/@original`;
        const edit = await discord.waitForCall((c) => c.method === "PATCH" && c.path === webhook, 60_000);
        // The fake stamps calls with Date.now(): how long ago the edit arrived, on this clock.
        latencies.push(performance.now() - (Date.now() - edit.at) - at);
      } else {
        latencies.push(answer.at - at);
      }
    }
  };
  await Promise.all(users.map(slot));
  return { latencies, elapsedMs: performance.now() - started, deferred, failed, loadThreadBusy: performance.eventLoopUtilization(elu).utilization };
}

async function handle(request: LoadRequest): Promise<unknown> {
  switch (request.kind) {
    case "start": {
      fake = await startFakeDiscord({ guilds: [{ id: BENCH_GUILD, name: "Bench", channels: [{ id: BENCH_CHANNEL, name: "general" }] }] });
      fake.useInteractionsEndpoint(request.endpointUrl, createPrivateKey(request.privateKeyPem));
      return fake.apiUrl;
    }
    case "run":
      return run(fake!, request.command, request.users, request.total);
    case "stop":
      await fake?.close();
      return null;
  }
}

parentPort!.on("message", (request: LoadRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) }),
  );
});

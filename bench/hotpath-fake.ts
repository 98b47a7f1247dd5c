// The fake Discord of the hot-path benchmark, on a worker thread of its own: one fake per bot
// (so each bot hears only its own interactions), bursts of slash commands sent through the
// gateway, and each one timed from its INTERACTION_CREATE to its answer arriving at the fake.
import { parentPort } from "node:worker_threads";
import { type FakeDiscord, startFakeDiscord } from "../test/fakes/discord/index.js";

export const BENCH_GUILD = "100000000000000001";
export const BENCH_CHANNEL = "200000000000000001";

export type HotpathRequest =
  | { id: number; kind: "start"; bot: string }
  | { id: number; kind: "burst"; bot: string; command: string; users: readonly string[] }
  /** The data of the last interaction answer the bot sent (what it replied, as Discord received it). */
  | { id: number; kind: "lastAnswer"; bot: string }
  | { id: number; kind: "stop" };

const fakes = new Map<string, FakeDiscord>();

/** Sends one interaction per user at once; resolves with each one's latency in milliseconds. */
async function burst(fake: FakeDiscord, command: string, users: readonly string[]): Promise<number[]> {
  // Only this burst's calls are searched for answers.
  fake.calls.length = 0;
  const answered = users.map((user) => {
    const started = performance.now();
    const sent = fake.sendSlashCommand({ guildId: BENCH_GUILD, channelId: BENCH_CHANNEL, user: { id: user, username: `member-${user}` }, name: command });
    return fake
      .waitForCall((c) => c.method === "POST" && c.path === `/interactions/${sent.id}/${sent.token}/callback`, 60_000)
      .then(() => performance.now() - started);
  });
  return Promise.all(answered);
}

async function handle(request: HotpathRequest): Promise<unknown> {
  switch (request.kind) {
    case "start": {
      const fake = await startFakeDiscord({ guilds: [{ id: BENCH_GUILD, name: "Bench", channels: [{ id: BENCH_CHANNEL, name: "general" }] }] });
      fakes.set(request.bot, fake);
      return fake.apiUrl;
    }
    case "burst":
      return burst(fakes.get(request.bot)!, request.command, request.users);
    case "lastAnswer":
      return fakes.get(request.bot)!.calls.findLast((c) => c.method === "POST" && c.path.endsWith("/callback"))?.body?.data ?? null;
    case "stop":
      for (const fake of fakes.values()) await fake.close();
      return null;
  }
}

parentPort!.on("message", (request: HotpathRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) }),
  );
});

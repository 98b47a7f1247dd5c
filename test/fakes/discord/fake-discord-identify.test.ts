// Self-test of the fake gateway's identify limit, as Discord documents it: max_concurrency
// identifies per 5 seconds in each bucket (shard_id % max_concurrency); one more is answered
// with Invalid Session (op 9, not resumable).
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type FakeDiscord, startFakeDiscord } from "./index.js";

let fake: FakeDiscord | undefined;
afterEach(async () => fake?.close());

/** Opens a raw gateway socket, identifies as `shard`, and returns the first op it gets back after HELLO. */
async function identify(url: string, shard: [number, number]): Promise<number> {
  const socket = new WebSocket(url);
  try {
    return await new Promise<number>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("message", (raw) => {
        const payload = JSON.parse(String(raw)) as { op: number };
        if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: "fake.token", intents: 1, shard, properties: {} } }));
        else resolve(payload.op);
      });
    });
  } finally {
    socket.close();
  }
}

async function gatewayOf(f: FakeDiscord): Promise<{ url: string; maxConcurrency: number }> {
  const body = (await (await fetch(`${f.apiUrl}/v10/gateway/bot`, { headers: { authorization: "Bot fake.token" } })).json()) as { url: string; session_start_limit: { max_concurrency: number } };
  return { url: body.url, maxConcurrency: body.session_start_limit.max_concurrency };
}

describe("the fake gateway's identify limit", () => {
  it("with max_concurrency 1, refuses a second identify within 5 seconds, whichever shard", async () => {
    fake = await startFakeDiscord({ guilds: [], shards: 2, identifyConcurrency: 1 });
    const { url, maxConcurrency } = await gatewayOf(fake);
    expect(maxConcurrency).toBe(1);
    expect(await identify(url, [0, 2])).toBe(0); // READY is a dispatch (op 0)
    expect(await identify(url, [1, 2])).toBe(9);
    expect(fake.identifies().map((i) => i.refused)).toEqual([false, true]);
  });

  it("with max_concurrency 16 (the default), lets shards of different buckets identify together, not two of one bucket", async () => {
    fake = await startFakeDiscord({ guilds: [], shards: 32 });
    const { url, maxConcurrency } = await gatewayOf(fake);
    expect(maxConcurrency).toBe(16);
    expect(await identify(url, [0, 32])).toBe(0);
    expect(await identify(url, [1, 32])).toBe(0);
    expect(await identify(url, [16, 32])).toBe(9); // bucket 0 again
  });
});

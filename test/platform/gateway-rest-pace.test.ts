// The gateway client's own REST requests (a reply's thread and direct message, the gateway
// lookup at login) take their turns in the token's request pace, the budget the fan-outs and
// access changes share (across processes on PostgreSQL); interaction callbacks and webhook
// follow-ups do not, since Discord does not count them against the bot's global limit and an
// answer must not wait behind a fan-out. Rule from issue 15: N processes must not send N
// times the rate.
import { afterAll, beforeAll, expect, it } from "vitest";
import { assemble } from "../../src/core/assemble.js";
import type { PaceGate } from "../../src/platform/pacing.js";
import type { DiscordAdapter } from "../../src/platform/discord/discord-adapter.js";
import type { FakeDiscord } from "../fakes/discord/index.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { acmeCommunity, connectDiscordAdapter, run, startAcmeDiscord } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";
import { threadCommand, withOnly } from "../support/test-commands.js";

let fake: FakeDiscord;
let database: TestDatabase;
let adapter: DiscordAdapter | undefined;
/** Turns taken at the pace: the client's requests wait here before going on the wire. */
let turns = 0;
const pace: PaceGate = { wait: async () => void (turns += 1) };

beforeAll(async () => {
  [fake, database] = await Promise.all([startAcmeDiscord(), freshDatabase("pglite")]);
  const runtime = assemble({ capabilities: withOnly([threadCommand]), db: database.prisma, communities: [acmeCommunity()], log: quietLogger() });
  adapter = await connectDiscordAdapter(fake, runtime, quietLogger(), { pace });
});
afterAll(async () => {
  await adapter?.stop();
  await Promise.all([fake?.close(), database?.dispose()]);
});

it("the client's own requests wait for their turn at the token's pace; interaction callbacks and follow-ups do not", async () => {
  // (The start-up lookup of the shard count, GET /gateway/bot, uses a REST of its own: one request per start.)
  const before = { calls: fake.calls.length, turns };
  await run(fake, "discuss", { options: [{ name: "topic", type: 3, value: "Lifetimes" }] });
  await fake.waitForCall((c) => c.method === "POST" && c.body?.content === "We opened your thread.");
  const calls = fake.calls.slice(before.calls);
  const exempt = (path: string) => path.startsWith("/interactions/") || path.startsWith("/webhooks/");
  const paced = calls.filter((c) => !exempt(c.path));
  expect(calls.filter((c) => exempt(c.path)).length).toBeGreaterThan(0);
  // The thread, its message, opening the DM and the DM, each after its turn.
  expect(paced.map((c) => c.method)).toHaveLength(4);
  expect(turns - before.turns, paced.map((c) => `${c.method} ${c.path}`).join(", ")).toBe(paced.length);
});

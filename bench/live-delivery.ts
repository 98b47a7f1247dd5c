// npm run bench, delivery section (BENCH_ONLY=delivery): one live event announced in a channel,
// then its 24-hour and 15-minute reminders sent privately to every RSVPed member, through the
// real DeliveryQueue, DiscordDirectMessenger (with its DM channel cache) and paced REST,
// against a fake Discord on its own thread that allows 50 requests in any sliding second.
// The run can be no faster than its requests at 50 a second (the floor); the target is to come
// within 10% of that with no 429. BENCH_DELIVERY_MEMBERS (default 5,000) sets the audience.
import { openDatabase } from "../src/db/database.js";
import type { DatabaseTarget } from "../src/db/target.js";
import { createLogger } from "../src/log/logger.js";
import { DirectChannelStore } from "../src/platform/direct-channels.js";
import { DiscordChatPoster } from "../src/platform/discord/chat-poster.js";
import { DiscordDirectMessenger } from "../src/platform/discord/direct-messenger.js";
import { createPacedRest } from "../src/platform/discord/paced-rest.js";
import { DISCORD_REQUESTS_PER_SECOND, Pacer } from "../src/platform/pacing.js";
import { DeliveryQueue, type DeliveryReport } from "../src/core/jobs/delivery.js";
import { createPostgresDatabase, dropPostgresDatabase, memoryTarget } from "../test/support/databases.js";
import type { FakeStats } from "./live-delivery-fake.js";
import { type DeliveryRun, deliveryReport } from "./live-delivery-report.js";
import { seedAudience } from "./live-delivery-seed.js";
import type { DeliveryWorkerRequest } from "./live-delivery-worker.js";
import { postgresAvailable, WorkerRpc } from "./worker-rpc.js";

/** Discord's global limit, enforced by the fake; the floor is the run's requests at this rate. */
export const DISCORD_GLOBAL_PER_SECOND = 50;
const GUILD = "100000000000000001";
const EVENTS_CHANNEL = "200000000000000001";
const log = createLogger({ level: "error", secrets: [] });

/**
 * Runs the delivery benchmark and returns its report as markdown lines; none when
 * `BENCH_ONLY` names another section. PostgreSQL when reachable (BENCH_DATABASE_URL), else
 * PGlite; `BENCH_DATABASES=pglite` forces PGlite.
 */
export async function deliverySection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "delivery") return [];
  const members = Number(process.env.BENCH_DELIVERY_MEMBERS ?? 5000);
  const postgres = process.env.BENCH_DATABASES !== "pglite" && (await postgresAvailable());
  const floorS = (members * 3 + 1) / DISCORD_GLOBAL_PER_SECOND;
  console.error(`delivery benchmark: ${members} members, at least ${floorS.toFixed(0)} s of requests at ${DISCORD_GLOBAL_PER_SECOND}/s…`);
  const target: DatabaseTarget = postgres ? await createPostgresDatabase() : memoryTarget();
  try {
    return deliveryReport(await measure(postgres ? "PostgreSQL" : "PGlite", target, members));
  } finally {
    if (target.kind === "postgres") await dropPostgresDatabase(target.url);
  }
}

async function measure(backend: string, target: DatabaseTarget, members: number): Promise<DeliveryRun> {
  const database = await openDatabase(target, log);
  const fake = new WorkerRpc<DeliveryWorkerRequest>(new URL("./live-delivery-worker.ts", import.meta.url), "fake discord thread");
  try {
    const db = database.prisma;
    const audience = await seedAudience(db, members);
    const apiUrl = await fake.call<string>({ kind: "start", limits: { globalPerSecond: DISCORD_GLOBAL_PER_SECOND }, guildChannels: [EVENTS_CHANNEL] });
    const rest = createPacedRest({ token: "bench.discord.token", apiUrl }, new Pacer({ perSecond: DISCORD_REQUESTS_PER_SECOND }));
    // Each reminder runs in a "fresh process": its messenger's memory is empty, so the DM
    // channels the first reminder opened come back from the DirectChannel table.
    const queue = () =>
      new DeliveryQueue(db, { discord: new DiscordDirectMessenger(rest, log, { channels: new DirectChannelStore(db, "discord") }) }, { discord: new DiscordChatPoster(rest, log) }, log);
    const recipients = (await db.liveRsvp.findMany({ where: { eventId: audience.eventId }, select: { memberId: true } })).map((r) => r.memberId);
    const reminder = (kind: string, text: string) =>
      recipients.map((memberId) => ({ key: `live:${audience.eventId}:${kind}:${memberId}`, memberId, message: { text, links: [{ label: "Join", url: "https://meet.example.com/async-rust" }] } }));

    const phases: DeliveryRun["phases"] = [];
    const started = performance.now();
    let mark = started;
    const phase = async (name: string, work: () => Promise<DeliveryReport | number>) => {
      const before = await fake.call<FakeStats>({ kind: "stats" });
      const outcome = await work();
      const after = await fake.call<FakeStats>({ kind: "stats" });
      const now = performance.now();
      phases.push({ name, requests: okTotal(after) - okTotal(before), ms: now - mark, outcome });
      mark = now;
    };
    await phase("announcement in #events", async () => {
      const failed = await queue().post([{ platform: "discord", spaceId: GUILD, channelId: EVENTS_CHANNEL }], [{ text: "**Async Rust office hours** on Thursday at 18:00 UTC. RSVP with `/live rsvp 1`." }]);
      return 1 - failed.length;
    });
    await phase("24-hour reminder (DMs opened)", () => queue().sendDirect(reminder("reminder-24h", "**Async Rust office hours** start in 24 hours.")));
    await phase("15-minute reminder (DM channels remembered)", () => queue().sendDirect(reminder("reminder-15m", "**Async Rust office hours** start in 15 minutes.")));
    const ms = performance.now() - started;
    return { backend, members: recipients.length, ms, phases, stats: await fake.call<FakeStats>({ kind: "stats" }), pacedAt: DISCORD_REQUESTS_PER_SECOND, limit: DISCORD_GLOBAL_PER_SECOND };
  } finally {
    await fake.close();
    await database.close();
  }
}

function okTotal(stats: FakeStats): number {
  return Object.values(stats.ok).reduce((a, b) => a + b, 0);
}

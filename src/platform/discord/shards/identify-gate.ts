/**
 * Discord lets a bot start `max_concurrency` gateway sessions per 5 seconds, counted per
 * bucket (shard id % max_concurrency); an identify over it is refused with Invalid Session and
 * must be repeated later. discord.js spaces the identifies of one client, but Guildhall runs a
 * client per shard and, with PostgreSQL, several processes on one token, so the spacing is
 * kept here: per bucket in one process, or through a lease row per bucket shared by all.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Db } from "../../../db/database.js";

/** What discord.js asks before each identify (its IIdentifyThrottler). */
export interface IdentifyGate {
  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

/**
 * Discord's window, plus room for the processes' clocks and the time from here to Discord:
 * what counts there is when the identify arrives.
 */
export const IDENTIFY_WINDOW_MS = 5_250;

export const IDENTIFY_LEASE_PREFIX = "discord-identify:";

/** One process holding every shard (the embedded database): a queue per bucket. */
export class LocalIdentifyGate implements IdentifyGate {
  readonly #nextAt = new Map<number, number>();
  readonly #queues = new Map<number, Promise<void>>();

  constructor(
    private readonly concurrency: number,
    private readonly windowMs = IDENTIFY_WINDOW_MS,
  ) {}

  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % this.concurrency;
    const turn = (this.#queues.get(bucket) ?? Promise.resolve()).then(async () => {
      const wait = (this.#nextAt.get(bucket) ?? 0) - Date.now();
      if (wait > 0) await delay(wait, undefined, { signal });
      this.#nextAt.set(bucket, Date.now() + this.windowMs);
    });
    // An aborted wait gives its turn to the next one.
    this.#queues.set(bucket, turn.catch(() => undefined));
    return turn;
  }
}

/**
 * Processes sharing PostgreSQL: an identify may go once this process holds its bucket's row
 * for the next window, which it can take only after the previous holder's window has passed.
 */
export class SharedIdentifyGate implements IdentifyGate {
  constructor(
    private readonly db: Db,
    private readonly holder: string,
    private readonly concurrency: number,
    private readonly windowMs = IDENTIFY_WINDOW_MS,
  ) {}

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const name = IDENTIFY_LEASE_PREFIX + (shardId % this.concurrency);
    for (;;) {
      signal.throwIfAborted();
      const now = new Date();
      const won = await this.db.$queryRaw<{ name: string }[]>`
        INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${name}, ${this.holder}, ${new Date(now.getTime() + this.windowMs)})
        ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
        WHERE "JobLease"."expiresAt" <= ${now}
        RETURNING "name"`;
      if (won.length === 1) return;
      const [row] = await this.db.$queryRaw<{ expiresAt: Date }[]>`SELECT "expiresAt" FROM "JobLease" WHERE "name" = ${name}`;
      // Waiters wake a little apart, so they do not all ask again in the same millisecond.
      const wait = Math.max(0, (row?.expiresAt.getTime() ?? now.getTime()) - Date.now()) + Math.floor(Math.random() * 100);
      await delay(wait, undefined, { signal });
    }
  }
}

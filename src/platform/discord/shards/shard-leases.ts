/**
 * Gateway shards held through lease rows in PostgreSQL, so each Discord shard is connected by
 * exactly one process and the shards are spread over the processes sharing the database.
 *
 * Rows live in `JobLease`: `discord-shard:<count>:<id>` for a shard, and
 * `discord-gateway:<holder>` for each process taking part, so a process holding no shard is
 * still counted when shares are computed. Every pass renews both with one expiry, so a
 * process that stops renewing (killed, frozen, cut off) loses its shards and its place at the
 * same moment, and the others take its shards on their next pass.
 *
 * Each process aims at its share of `count` among the live processes (`count / live`, the
 * remainder going to those already holding most, so a newcomer does not move shards for
 * nothing). Above it, a process offers shards: it expires their rows at once but stays
 * connected until another process has taken them, so no event falls between the two
 * connections (both hear it meanwhile; interaction claims keep that to one answer). Below
 * it, it takes free or expired shards.
 */
import type { Db } from "../../../db/database.js";
import { sqlFor } from "../../../db/sql.js";
import { forgetShardCountIfLast, SHARD_COUNT_LEASE } from "./shard-count-agreement.js";

export const SHARD_LEASE_PREFIX = "discord-shard:";
export const GATEWAY_MEMBER_PREFIX = "discord-gateway:";
/**
 * `discord-connected:<count>:<id>`: written by a shard's holder once its session is ready.
 * A process that offered the shard stays connected until then: the new holder's identify
 * may wait up to 5 seconds for Discord's identify limit (identify-gate.ts).
 */
export const CONNECTED_PREFIX = "discord-connected:";

export interface ShardLeaseOptions {
  readonly db: Db;
  /** This process (PROCESS_HOLDER); distinct per process. */
  readonly holder: string;
  /** The bot's shard count, from GET /gateway/bot or DISCORD_SHARD_COUNT. */
  readonly count: number;
  /** How long a lease lasts without renewal; another process takes the shard after it. */
  readonly ttlMs: number;
}

/** What a pass decided: the shards whose leases this process holds, and those it offers but is still connected to. */
export interface ShardHoldings {
  readonly held: readonly number[];
  readonly offered: readonly number[];
}

interface LeaseRow {
  readonly name: string;
  readonly holder: string;
  readonly expiresAt: Date;
}

export class ShardLeases {
  readonly #held = new Set<number>();
  readonly #offered = new Set<number>();
  /** When the leases last renewed run out: past it, this process no longer holds them, whatever it believes. */
  #heldUntil = 0;

  constructor(private readonly opts: ShardLeaseOptions) {}

  get count(): number {
    return this.opts.count;
  }

  /** The shards this process should be connected to at `now` (held ones only while their lease lasts). */
  holdings(now: Date): ShardHoldings {
    const valid = now.getTime() < this.#heldUntil;
    return { held: valid ? sorted(this.#held) : [], offered: valid ? sorted(this.#offered) : [] };
  }

  /**
   * One pass at `now`: renew, then give up what exceeds this process's share or take what it
   * lacks. While nothing changes hands (every pass but a few) that is one statement, straight to
   * the driver (sqlFor): passes run twice a second in every process, and four statements through
   * Prisma's query compiler each time were most of what an idle process spent.
   */
  async balance(now: Date): Promise<ShardHoldings> {
    const { holder, count, ttlMs } = this.opts;
    const until = new Date(now.getTime() + ttlMs);
    const rows = await this.#renewAndRead(now, until);
    const stillHeld = new Set(rows.filter((r) => r.renewed).map((r) => this.#shardOf(r.name)));
    for (const shard of this.#held) if (!stillHeld.has(shard)) this.#held.delete(shard);
    this.#heldUntil = until.getTime();

    const shards = new Map(rows.filter((r) => r.name.startsWith(SHARD_LEASE_PREFIX)).map((r) => [this.#shardOf(r.name), r]));
    // An offered shard stays connected until someone else holds it and has connected it (or nobody is left to).
    const connected = new Map(rows.filter((r) => r.name.startsWith(CONNECTED_PREFIX)).map((r) => [this.#shardOf(r.name), r.holder]));
    for (const shard of this.#offered) {
      const row = shards.get(shard);
      if (!row || (row.holder !== holder && connected.get(shard) === row.holder)) this.#offered.delete(shard);
    }

    const target = shareOf(holder, rows, count, now);
    for (const shard of sorted(this.#held).slice(target)) await this.#offer(shard, now);
    if (this.#held.size < target) await this.#take(shards, target, now, until);
    return this.holdings(now);
  }

  /**
   * Renews this process's place, the shards it holds (those still its own) and the agreed
   * shard count (shard-count-agreement.ts) while it is this process's count, forgets other
   * processes' rows long expired, and reads every shard lease of this count and every process's place: one
   * statement. Its SELECT sees the table as it was before the statement's own writes, so the
   * rows it renewed are reported with their new expiry here.
   */
  async #renewAndRead(now: Date, until: Date): Promise<(LeaseRow & { renewed: boolean })[]> {
    const { db, holder, count, ttlMs } = this.opts;
    const place = GATEWAY_MEMBER_PREFIX + holder;
    const rows = await sqlFor(db)<{ name: string; holder: string; expiresMs: number; renewed: boolean }>`
      WITH place AS (
        INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${place}, ${holder}, ${until}::timestamp(3))
        ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
      ), renewed AS (
        UPDATE "JobLease" SET "expiresAt" = ${until}::timestamp(3)
        WHERE "holder" = ${holder} AND "name" = ANY(${[...this.#held].map((s) => this.#name(s))}::text[])
        RETURNING "name"
      ), agreed AS (
        UPDATE "JobLease" SET "expiresAt" = GREATEST("expiresAt", ${until}::timestamp(3))
        WHERE "name" = ${SHARD_COUNT_LEASE} AND "holder" = ${String(count)}
      ), forgotten AS (
        DELETE FROM "JobLease" WHERE ("name" LIKE ${`${SHARD_LEASE_PREFIX}%`} OR "name" LIKE ${`${GATEWAY_MEMBER_PREFIX}%`} OR "name" LIKE ${`${CONNECTED_PREFIX}%`})
        AND "expiresAt" < ${new Date(now.getTime() - 10 * ttlMs)}::timestamp(3) AND "holder" <> ${holder}
      )
      SELECT "name", "holder", (extract(epoch FROM "expiresAt") * 1000)::float8 AS "expiresMs", "name" IN (SELECT "name" FROM renewed) AS "renewed"
      FROM "JobLease"
      WHERE ("name" LIKE ${`${SHARD_LEASE_PREFIX}${count}:%`} OR "name" LIKE ${`${GATEWAY_MEMBER_PREFIX}%`} OR "name" LIKE ${`${CONNECTED_PREFIX}${count}:%`})
        AND "name" <> ${place}`;
    const read = rows.map((r) => ({ name: r.name, holder: r.holder, renewed: r.renewed, expiresAt: new Date(r.renewed ? until.getTime() : Number(r.expiresMs)) }));
    return [...read, { name: place, holder, renewed: false, expiresAt: until }];
  }

  /**
   * Gives up every shard and this process's place at once (shutdown), so others take them on
   * their next pass; the last process to leave also lets the agreed shard count go.
   */
  async release(now = new Date()): Promise<void> {
    const { db, holder } = this.opts;
    this.#held.clear();
    this.#offered.clear();
    this.#heldUntil = 0;
    await db.$executeRaw`
      DELETE FROM "JobLease" WHERE "holder" = ${holder}
      AND ("name" LIKE ${`${SHARD_LEASE_PREFIX}%`} OR "name" LIKE ${`${GATEWAY_MEMBER_PREFIX}%`} OR "name" LIKE ${`${CONNECTED_PREFIX}%`})`;
    const others = await db.jobLease.count({ where: { name: { startsWith: GATEWAY_MEMBER_PREFIX }, expiresAt: { gt: now } } });
    await forgetShardCountIfLast(db, others);
  }

  async #offer(shard: number, now: Date): Promise<void> {
    this.#held.delete(shard);
    this.#offered.add(shard);
    await this.opts.db.jobLease.updateMany({ where: { name: this.#name(shard), holder: this.opts.holder }, data: { expiresAt: now } });
  }

  /** Takes free or expired shards up to `target`: ones it still offers first, then the lowest ids. */
  async #take(shards: Map<number, LeaseRow>, target: number, now: Date, until: Date): Promise<void> {
    const { db, holder } = this.opts;
    const free = range(this.opts.count).filter((s) => !this.#held.has(s) && (shards.get(s)?.expiresAt.getTime() ?? 0) <= now.getTime());
    free.sort((a, b) => Number(this.#offered.has(b)) - Number(this.#offered.has(a)) || a - b);
    for (const shard of free) {
      if (this.#held.size >= target) return;
      const name = this.#name(shard);
      // Whoever wins the row holds it; losing a race just means trying the next shard. Winning
      // clears the last holder's "connected", which this process writes again once it is.
      const won = await db.$queryRaw<{ name: string }[]>`
        WITH won AS (
          INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${name}, ${holder}, ${until})
          ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
          WHERE "JobLease"."expiresAt" <= ${now} OR "JobLease"."holder" = EXCLUDED."holder"
          RETURNING "name"
        ), cleared AS (
          DELETE FROM "JobLease" WHERE "name" = ${this.#connectedName(shard)} AND EXISTS (SELECT 1 FROM won)
        )
        SELECT "name" FROM won`;
      if (won.length === 1) {
        this.#held.add(shard);
        this.#offered.delete(shard);
      }
    }
  }

  /** Tells a process that offered `shard` that this one, its holder, has connected it. */
  async markConnected(shard: number, now: Date): Promise<void> {
    if (!this.#held.has(shard)) return;
    const { db, holder, ttlMs } = this.opts;
    await db.$executeRaw`
      INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${this.#connectedName(shard)}, ${holder}, ${new Date(now.getTime() + ttlMs)})
      ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"`;
  }

  #connectedName(shard: number): string {
    return `${CONNECTED_PREFIX}${this.opts.count}:${shard}`;
  }

  #name(shard: number): string {
    return `${SHARD_LEASE_PREFIX}${this.opts.count}:${shard}`;
  }

  #shardOf(name: string): number {
    return Number(name.slice(name.lastIndexOf(":") + 1));
  }
}

/**
 * How many shards `holder` should hold: `count` split evenly over the live processes, the
 * remainder going to those that hold most now (then by name), so every process computes
 * the same split and shards move only when the split needs it.
 */
function shareOf(holder: string, rows: readonly LeaseRow[], count: number, now: Date): number {
  const live = rows.filter((r) => r.name.startsWith(GATEWAY_MEMBER_PREFIX) && r.expiresAt > now).map((r) => r.holder);
  if (!live.includes(holder)) live.push(holder);
  const holding = new Map<string, number>();
  for (const r of rows) if (r.name.startsWith(SHARD_LEASE_PREFIX) && r.expiresAt > now) holding.set(r.holder, (holding.get(r.holder) ?? 0) + 1);
  live.sort((a, b) => (holding.get(b) ?? 0) - (holding.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const base = Math.floor(count / live.length);
  return base + (live.indexOf(holder) < count % live.length ? 1 : 0);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function sorted(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

// Which gateway session hears which event, as Discord routes them when a bot shards: a guild's
// events go to shard (guild_id >> 22) % num_shards, direct messages to shard 0. Every session
// that identified as that shard hears them, so sessions sharing one shard id (several
// processes on one token, each identifying as [0, 1]) all hear everything, as on Discord.

/** A session's [shard_id, num_shards] from IDENTIFY; [0, 1] when it did not shard. */
export type ShardId = readonly [number, number];

export const UNSHARDED: ShardId = [0, 1];

/** The shard a guild's events belong to among `count` shards. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * IDENTIFY's `shard` field: absent means [0, 1]; anything but two whole numbers with
 * 0 <= id < count is invalid (Discord closes the socket with 4010 Invalid shard).
 */
export function parseShard(value: unknown): ShardId | "invalid" {
  if (value === undefined || value === null) return UNSHARDED;
  if (!Array.isArray(value) || value.length !== 2) return "invalid";
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return "invalid";
  if ((count as number) < 1 || (id as number) < 0 || (id as number) >= (count as number)) return "invalid";
  return [id as number, count as number];
}

/** Whether a session on `shard` hears an event of `guildId` (undefined: not a guild's event). */
export function hears(shard: ShardId, guildId: string | undefined): boolean {
  const [id, count] = shard;
  return guildId === undefined ? id === 0 : shardOfGuild(guildId, count) === id;
}

/** The guild an event belongs to: its guild_id, or for the guild's own events its id. */
export function guildOfEvent(t: string, d: unknown): string | undefined {
  if (typeof d !== "object" || d === null) return undefined;
  const fields = d as { guild_id?: unknown; id?: unknown };
  if (typeof fields.guild_id === "string") return fields.guild_id;
  if ((t === "GUILD_CREATE" || t === "GUILD_UPDATE" || t === "GUILD_DELETE") && typeof fields.id === "string") return fields.id;
  return undefined;
}

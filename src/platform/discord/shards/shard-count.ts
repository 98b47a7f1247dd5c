import { REST, Routes } from "discord.js";

/**
 * The number of gateway shards Discord recommends for the bot (`shards` in GET /gateway/bot),
 * unless `configured` (DISCORD_SHARD_COUNT) says otherwise. Every process sharing the
 * database must arrive at the same count: shard leases are kept per count.
 */
export async function shardCountFor(config: { readonly token: string; readonly apiUrl?: string; readonly shardCount?: number }): Promise<number> {
  if (config.shardCount !== undefined) return config.shardCount;
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  let answer: { shards?: unknown };
  try {
    answer = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  return typeof answer.shards === "number" && Number.isInteger(answer.shards) && answer.shards >= 1 ? answer.shards : 1;
}

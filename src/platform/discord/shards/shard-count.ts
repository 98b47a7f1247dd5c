import { REST, Routes } from "discord.js";

/** What GET /gateway/bot tells about starting gateway sessions. */
export interface GatewayFacts {
  /** The shard count: DISCORD_SHARD_COUNT, or the one Discord recommends for the bot. */
  readonly shards: number;
  /** `session_start_limit.max_concurrency`: identifies allowed per 5 seconds in each bucket. */
  readonly identifyConcurrency: number;
}

/**
 * The shard count (`configured`, DISCORD_SHARD_COUNT, or `shards` of GET /gateway/bot) and
 * how many shards may identify at once. Processes sharing the database then agree on one
 * count (shard-count-agreement.ts).
 */
export async function gatewayFacts(config: { readonly token: string; readonly apiUrl?: string; readonly shardCount?: number }): Promise<GatewayFacts> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  let answer: { shards?: unknown; session_start_limit?: { max_concurrency?: unknown } };
  try {
    answer = (await rest.get(Routes.gatewayBot())) as typeof answer;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  const recommended = positiveInteger(answer.shards) ?? 1;
  return { shards: config.shardCount ?? recommended, identifyConcurrency: positiveInteger(answer.session_start_limit?.max_concurrency) ?? 1 };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;
}

import { REST } from "discord.js";

/** Where and as whom the access REST talks to Discord. */
export interface AccessRestConfig {
  readonly token: string;
  /** Base URL without the version, e.g. a local fake in tests (DISCORD_API_URL). */
  readonly apiUrl?: string;
}

/**
 * A REST for access changes and admin reports, built from the bot token alone (no gateway
 * connection). `retries: 0` leaves server and network errors to the gateway's backoff instead
 * of discord.js's immediate retries; 429s are still waited out by discord.js's buckets.
 * It keeps its own buckets: sharing the adapter's `client.rest` instead is also fine.
 */
export function createAccessRest(config: AccessRestConfig): REST {
  return new REST({ retries: 0, ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
}

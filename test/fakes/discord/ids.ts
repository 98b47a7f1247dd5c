// Id and time helpers. Ids look like real snowflakes so discord.js can read a creation time from them.
import { randomBytes } from "node:crypto";

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A fresh snowflake: timestamp in the high bits, a counter in the low ones, so ids sort by creation. */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** An interaction token: opaque, URL-safe, long like Discord's. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb24${randomBytes(48).toString("base64url")}`;
}

/** Current time as Discord formats timestamps. */
export function isoNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

import { StartupError } from "../db/data-dir-lock.js";
import { ConfigError } from "./config.js";

/**
 * One line for a failure at start-up or in a CLI command: which setting to look at and what
 * to do about it. Known causes (an unreachable database, a token Discord rejects, a Discord
 * that cannot be reached) are named; anything else is said in its own words. Stack traces
 * are for LOG_LEVEL=debug only.
 */
export function describeFailure(error: unknown, what = "Guildhall could not start"): string {
  if (error instanceof StartupError || error instanceof ConfigError) return error.message;
  const e = error as { code?: unknown; status?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  const code = typeof e?.code === "string" || typeof e?.code === "number" ? String(e.code) : "";
  const status = typeof e?.status === "number" ? e.status : undefined;
  const network = networkCode(error);

  if (code === "TokenInvalid" || (status === 401 && /discord/i.test(String((error as { url?: unknown })?.url ?? message)))) {
    return `${what}: Discord rejected DISCORD_TOKEN. Copy the bot token again from the Discord developer portal (Bot → Reset Token) into .env.`;
  }
  if (status === 401 || /401: Unauthorized/.test(message)) {
    return `${what}: Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy the bot token again from the Discord developer portal (Bot → Reset Token).`;
  }
  if (isDatabaseError(error, message)) {
    const why = network ? ` (${network})` : /password authentication failed/i.test(message) ? " (wrong user or password)" : /does not exist/i.test(message) ? ` (${message})` : "";
    return `${what}: cannot reach the PostgreSQL database in DATABASE_URL${why}. Check that PostgreSQL is running and that DATABASE_URL (host, port, user, password, database) is right, or unset it to use the embedded database.`;
  }
  if (network && /discord/i.test(stackOf(error) + message)) {
    return `${what}: cannot reach Discord (${network}). Check the network connection (and DISCORD_API_URL if you set it).`;
  }
  return `${what}: ${message.split("\n")[0]}. Set LOG_LEVEL=debug for the details.`;
}

/** The stack, only when LOG_LEVEL=debug asks for it. */
export function debugDetails(error: unknown, logLevel = process.env.LOG_LEVEL): string | undefined {
  return logLevel === "debug" || logLevel === "trace" ? stackOf(error) : undefined;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ETIMEDOUT: "timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && NETWORK[e.code]) return NETWORK[e.code];
  if (Array.isArray(e.errors)) for (const inner of e.errors) {
    const found = networkCode(inner, depth + 1);
    if (found) return found;
  }
  return networkCode(e.cause, depth + 1);
}

function isDatabaseError(error: unknown, message: string): boolean {
  const stack = stackOf(error);
  const fromPg = /node_modules[\\/](pg|pg-pool|@prisma)[\\/]/.test(stack) || /\bpg\b.*Pool|Client\.connect/.test(stack);
  return (fromPg && (networkCode(error) !== undefined || /password authentication failed|does not exist|no pg_hba|terminat/i.test(message))) || /password authentication failed for user/i.test(message);
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

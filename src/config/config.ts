import { type DatabaseTarget, resolveDatabaseTarget } from "../db/target.js";
import { type CommunityConfig, loadCommunities, type SettingsSection } from "./communities.js";
import { crossChecks, type Env, envSchema } from "./env-schema.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Guildhall's validated, frozen configuration. Nothing else reads `process.env`. */
export interface Config {
  readonly logLevel: LogLevel | undefined;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  /** The HTTP port, and whether it was asked for explicitly (which starts the server for /healthz). */
  readonly http: { readonly port: number; readonly explicit: boolean };
  /**
   * `shardCount` overrides the gateway shard count Discord recommends (GET /gateway/bot);
   * `requestsPerSecond` the pace of requests on the token (48 a second, src/platform/pacing.ts).
   */
  readonly discord:
    | { readonly token: string; readonly apiUrl?: string; readonly applicationId?: string; readonly shardCount?: number; readonly requestsPerSecond?: number }
    | undefined;
  readonly slack:
    | { readonly botToken: string; readonly mode: "socket"; readonly appToken: string; readonly apiUrl?: string }
    | { readonly botToken: string; readonly mode: "http"; readonly signingSecret: string; readonly apiUrl?: string }
    | undefined;
  readonly stripe: { readonly secretKey: string; readonly webhookSecret?: string; readonly apiUrl?: string } | undefined;
  /** Where buyers return from Checkout and the billing portal (access never depends on it). */
  readonly checkoutReturnUrl: string;
  /** Where browsers reach the HTTP server (dashboard links); http://localhost:<PORT> by default. */
  readonly publicUrl: string;
  readonly communities: readonly CommunityConfig[];
  /** With it, POST /discord/interactions serves Discord interactions over HTTP (checked with this Ed25519 key). */
  readonly discordPublicKey?: string;
  /** When set, GET /metrics answers only requests carrying `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** Every secret value, so the logger can scrub them wherever they appear. */
  readonly secrets: readonly string[];
}

/** Thrown when the environment is unusable; its message names every bad variable, never a value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Guildhall cannot start. Fix these settings (see .env.example):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type RawEnv = Record<string, string | undefined>;

/**
 * Parses the environment and the communities file, whose sections are the capabilities'
 * (`settingsSections` in src/capabilities.ts). Empty strings count as unset, as they do in
 * most .env files.
 */
export function loadConfig(rawEnv: RawEnv, sections: readonly SettingsSection[]): Config {
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  // Cross checks look only at which variables are present, so they run even when some are malformed.
  for (const p of crossChecks(parsed.success ? parsed.data : (env as Env))) problems.push(`${p.variable}: ${p.message}`);
  const communities = loadCommunities(env.GUILDHALL_COMMUNITIES, sections);
  if ("problems" in communities) problems.push(...communities.problems);
  if (!parsed.success || "problems" in communities || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  const config: Config = {
    logLevel: e.LOG_LEVEL,
    dataDir: e.GUILDHALL_DATA_DIR,
    database: resolveDatabaseTarget(e.DATABASE_URL, e.GUILDHALL_DATA_DIR),
    http: { port: e.PORT ?? 3000, explicit: e.PORT !== undefined },
    discord: e.DISCORD_TOKEN
      ? { token: e.DISCORD_TOKEN, ...opt("apiUrl", e.DISCORD_API_URL), ...opt("applicationId", e.DISCORD_APPLICATION_ID), ...opt("shardCount", e.DISCORD_SHARD_COUNT), ...opt("requestsPerSecond", e.DISCORD_REQUESTS_PER_SECOND) }
      : undefined,
    slack: slackConfig(e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN, e.SLACK_SIGNING_SECRET, e.SLACK_API_URL),
    stripe: e.STRIPE_SECRET_KEY
      ? { secretKey: e.STRIPE_SECRET_KEY, ...opt("webhookSecret", e.STRIPE_WEBHOOK_SECRET), ...opt("apiUrl", e.STRIPE_API_URL) }
      : undefined,
    checkoutReturnUrl: e.CHECKOUT_RETURN_URL ?? "https://discord.com/app",
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/+$/, ""),
    communities: communities.communities,
    ...opt("metricsToken", e.METRICS_TOKEN),
    ...opt("discordPublicKey", e.DISCORD_PUBLIC_KEY),
    secrets: [
      e.METRICS_TOKEN,
      e.DISCORD_TOKEN,
      e.SLACK_BOT_TOKEN,
      e.SLACK_APP_TOKEN,
      e.SLACK_SIGNING_SECRET,
      e.STRIPE_SECRET_KEY,
      e.STRIPE_WEBHOOK_SECRET,
      e.DATABASE_URL,
      passwordOf(e.DATABASE_URL),
    ].filter((s): s is string => typeof s === "string" && s.length >= 4),
  };
  return Object.freeze(config);
}

/** Socket Mode wins when both an app token and a signing secret are given: it needs no public URL. */
function slackConfig(botToken?: string, appToken?: string, signingSecret?: string, apiUrl?: string): Config["slack"] {
  if (!botToken) return undefined;
  if (appToken) return { botToken, mode: "socket", appToken, ...opt("apiUrl", apiUrl) };
  if (signingSecret) return { botToken, mode: "http", signingSecret, ...opt("apiUrl", apiUrl) };
  return undefined;
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** `{ key: value }` when the value is set, `{}` otherwise (keeps exactOptionalPropertyTypes happy). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

import { z } from "zod";

/**
 * Every environment variable Guildhall reads, with the shape it must have. Each message
 * says what a good value looks like; the value itself is never echoed, because it may be
 * a secret.
 */
const url = (what: string) =>
  z.url({ protocol: /^https?$/, message: `should be an http:// or https:// URL (${what})` });

const DISCORD_PACE_MESSAGE =
  "should be a whole number of requests a second, at least 1 (unset: 48, under Discord's global limit of 50; if Discord raised your bot's limit, a little under the new one)";

export const envSchema = z.object({
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "should be one of fatal, error, warn, info, debug, trace, silent",
    })
    .optional(),
  GUILDHALL_DATA_DIR: z.string().min(1, "should be a directory path").default("./data"),
  GUILDHALL_COMMUNITIES: z.string().min(1, "should be the path of a communities JSON file").optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "should be a PostgreSQL URL such as postgresql://user:password@host:5432/guildhall")
    .optional(),
  PORT: z.coerce
    .number({ message: "should be a whole number from 1 to 65535" })
    .int("should be a whole number from 1 to 65535")
    .min(1, "should be a whole number from 1 to 65535")
    .max(65535, "should be a whole number from 1 to 65535")
    .optional(),

  // A bot token is three dot-separated base64url parts; an application id, public key or
  // client secret pasted here instead is caught at start, not by a rejected login.
  DISCORD_TOKEN: z
    .string()
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, "should be the bot token from the Discord developer portal (Bot → Reset Token): three parts separated by dots, not the application id, public key or client secret")
    .optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,20}$/, "should be the numeric application id").optional(),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "should be the application's Public Key from the developer portal (General Information): 64 hex characters").optional(),
  DISCORD_SHARD_COUNT: z.coerce
    .number({ message: "should be a whole number of gateway shards, at least 1 (unset: the count Discord recommends)" })
    .int("should be a whole number of gateway shards, at least 1 (unset: the count Discord recommends)")
    .min(1, "should be a whole number of gateway shards, at least 1 (unset: the count Discord recommends)")
    .optional(),
  DISCORD_API_URL: url("base of the Discord API, e.g. http://127.0.0.1:8080/api").optional(),
  // The pace of every request on the bot token (src/platform/pacing.ts). Discord's global limit
  // is 50 a second unless Discord has raised it for the bot; the pace stays a little under it.
  DISCORD_REQUESTS_PER_SECOND: z.coerce
    .number({ message: DISCORD_PACE_MESSAGE })
    .int(DISCORD_PACE_MESSAGE)
    .min(1, DISCORD_PACE_MESSAGE)
    .optional(),

  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-\S+$/, "should start with xoxb- (Bot User OAuth Token)").optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, "should start with xapp- (app-level token with connections:write)").optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-fA-F]{16,}$/, "should be the hex Signing Secret from Basic Information").optional(),
  SLACK_API_URL: url("base of the Slack Web API, e.g. https://slack.com/api/").optional(),

  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, "should start with sk_test_, sk_live_, rk_test_ or rk_live_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\S+$/, "should start with whsec_ (the endpoint's signing secret)").optional(),
  STRIPE_API_URL: url("base of the Stripe API, e.g. http://127.0.0.1:12111").optional(),
  CHECKOUT_RETURN_URL: url("where buyers land after Checkout or the billing portal, e.g. your community's page").optional(),
  PUBLIC_URL: url("where browsers reach Guildhall's HTTP server, e.g. https://guildhall.example.com").optional(),
  METRICS_TOKEN: z.string().regex(/^\S{16,}$/, "should be at least 16 characters without spaces (the bearer token Prometheus sends to GET /metrics)").optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Rules that involve more than one variable. Each returns the variables at fault and why. */
export function crossChecks(env: Env): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push({
      variable: "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET",
      message: "one is required with SLACK_BOT_TOKEN: an xapp- token for Socket Mode, or the Signing Secret for HTTP mode",
    });
  }
  if (!env.SLACK_BOT_TOKEN && (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET)) {
    problems.push({ variable: "SLACK_BOT_TOKEN", message: "is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (starts with xoxb-)" });
  }
  if (env.STRIPE_WEBHOOK_SECRET && !env.STRIPE_SECRET_KEY) {
    problems.push({ variable: "STRIPE_SECRET_KEY", message: "is required when STRIPE_WEBHOOK_SECRET is set (starts with sk_test_ or sk_live_)" });
  }
  return problems;
}

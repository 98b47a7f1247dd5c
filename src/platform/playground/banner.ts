import { join } from "node:path";
import type { Config } from "../../config/config.js";

/** What the playground says when it starts: what it is, where data goes, how payments work, how to go live. */
export function playgroundBanner(config: Config): string {
  const logFile = playgroundLogFile(config);
  const where = config.database.kind === "pglite" ? `the embedded database in ${config.dataDir}` : "the PostgreSQL database in DATABASE_URL";
  return [
    "Guildhall playground: a local chat with the bot. No Discord or Slack token is set, so nothing leaves this machine.",
    `Data is kept in ${where}; logs go to ${logFile}.`,
    "You are Ada, a member, in #general: text without a slash is posted there, /as <name> --creator acts as a creator, /clock +1d moves time.",
    paymentsLine(config.stripe?.secretKey),
    "Type /help to begin, or follow “Try it in ten minutes” at the top of the README.",
    "To go live, set DISCORD_TOKEN (Discord) or SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET (Slack) in .env; see the README.",
  ].join("\n");
}

/**
 * Which payment provider the playground sells through, so nobody takes simulated purchases
 * for real ones, or real ones for a simulation.
 */
function paymentsLine(secretKey: string | undefined): string {
  if (!secretKey) {
    return "Payments are simulated: no STRIPE_SECRET_KEY is set, so /buy and /pay use a built-in stand-in for Stripe and no money moves. Set STRIPE_SECRET_KEY to a sk_test_ key to use Stripe's test mode instead.";
  }
  if (/^(sk|rk)_test_/.test(secretKey)) return "Payments go to Stripe in test mode (STRIPE_SECRET_KEY is a test key): pay with Stripe's test cards; no money moves.";
  return "Payments are REAL: STRIPE_SECRET_KEY is a live key, so /buy takes real money. Use a sk_test_ key to try things out.";
}

/** The playground's terminal shows only chat; its logs are written here instead. */
export function playgroundLogFile(config: Config): string {
  return join(config.dataDir, "guildhall.log");
}

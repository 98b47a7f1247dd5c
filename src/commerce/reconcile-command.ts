import type { Config } from "../config/config.js";
import type { Capability } from "../core/capability.js";
import { StartupError } from "../db/data-dir-lock.js";
import { type Database, openDatabase } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { accessGateways } from "../platform/access-gateways.js";
import { assemble } from "../core/assemble.js";
import { commerceRuntime } from "./commerce-runtime.js";
import type { Services } from "../core/services.js";
import type { BackfillReport, Progress } from "./customer-import.js";
import type { Reconciler, RunReport } from "./reconciler.js";
import { createStripeClient } from "./stripe-client.js";
import { describeDrift } from "./access-drift.js";

/**
 * What a command-line task runs with: the configuration, a logger and the app's capability
 * list (the CLI passes src/capabilities.ts; a capability never imports that list itself).
 */
export interface TaskEnv {
  readonly config: Config;
  readonly log: Logger;
  readonly capabilities: readonly Capability[];
}

/**
 * The platform clients of a command-line task. On PostgreSQL its requests take their turn in
 * the token's request budget with the running bots' (shared-pacing.ts): a repair run while
 * the bots send reminders must not push the token over Discord's limit.
 */
function taskGateways(config: Config, log: Logger, database: Database) {
  return accessGateways(config, log.child({ module: "access" }), database.prisma, undefined, { sharedPace: database.kind === "postgres" });
}

/** Opens the database and the commerce stack for one command-line task. */
async function withCommerce<T>({ config, log, capabilities }: TaskEnv, task: (services: Services, reconciler: Reconciler) => Promise<T>): Promise<T> {
  if (!config.stripe) throw new StartupError("This command needs STRIPE_SECRET_KEY.");
  const database = await openDatabase(config.database, log.child({ module: "db" }));
  try {
    const stripe = createStripeClient(config.stripe);
    const { gateways, adminLog, messengers } = taskGateways(config, log, database);
    const { services } = assemble({ capabilities, db: database.prisma, communities: config.communities, log, stripe, gateways, adminLog, messengers });
    const { reconciler } = commerceRuntime(database.prisma, stripe, services, log.child({ module: "commerce" }));
    return await task(services, reconciler);
  } finally {
    await database.close();
  }
}

/** `npx guildhall reconcile [--dry-run]`: one reconciliation run from the command line. */
export function reconcileOnce(env: TaskEnv, dryRun: boolean): Promise<RunReport> {
  return withCommerce(env, (_services, reconciler) => reconciler.run({ dryRun }));
}

/** `npx guildhall backfill`: imports existing customers, reporting progress as it goes. */
export function backfillOnce(env: TaskEnv, progress: Progress): Promise<BackfillReport> {
  return withCommerce(env, (services) => services.customers!.backfill(progress));
}

/**
 * `npx guildhall sync-access [--dry-run]`: the drift check of every community, once; with
 * --dry-run it only reads (no platform change, no admin notice). Needs no Stripe.
 */
export async function syncAccessOnce({ config, log, capabilities }: TaskEnv, dryRun: boolean): Promise<string> {
  if (!config.discord && !config.slack) throw new StartupError("sync-access needs DISCORD_TOKEN or SLACK_BOT_TOKEN: it reads who holds the managed roles and channels.");
  const database = await openDatabase(config.database, log.child({ module: "db" }));
  try {
    const { gateways, adminLog } = taskGateways(config, log, database);
    const { services } = assemble({ capabilities, db: database.prisma, communities: config.communities, log, gateways, adminLog });
    const communities = await database.prisma.community.findMany({ orderBy: { slug: "asc" } });
    const parts: string[] = [];
    for (const community of communities) {
      const report = await services.accessDrift.check(community.id, { dryRun, report: !dryRun });
      parts.push(`${community.name}: ${describeDrift(report)}`);
    }
    return parts.length > 0 ? parts.join("\n") : "No community yet: nothing to compare.";
  } finally {
    await database.close();
  }
}

/** The report as a person reads it. */
export function describeRun(report: RunReport): string {
  if (report.skipped) return `Skipped: ${report.skipped}.`;
  const head = `${report.dryRun ? "Dry run: would make" : "Made"} ${report.repairs.length} repair(s) after reading ${report.eventsSeen} event(s) and ${report.objectsSeen} object(s) in ${report.stripeCalls} Stripe call(s)${report.fullSweep ? " (full sweep)" : ""}.`;
  return [head, ...report.repairs.map((r) => `  - ${r}`)].join("\n");
}

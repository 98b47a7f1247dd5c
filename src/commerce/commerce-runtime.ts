import type Stripe from "stripe";
import type { Services } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { Job } from "../core/jobs/jobs.js";
import { Reconciler } from "./reconciler.js";
import { InternalError } from "../core/errors.js";

/** The webhook applier and the reconciler, which share one idempotent code path. */
export function commerceRuntime(db: Db, stripe: Stripe, services: Services, log: Logger) {
  const applier = services.stripeEvents;
  if (!applier) throw new InternalError("commerce_without_stripe", "commerce needs Stripe");
  const reconciler = new Reconciler(db, stripe, applier, services.accessSync, services.clock, log, undefined, services.billingNotices, services.metrics);
  return { applier, reconciler };
}

/** Every 15 minutes (the default): repair what webhooks missed. */
export function reconciliationJob(reconciler: Reconciler, log: Logger): Job {
  return {
    name: "stripe-reconciliation",
    sweep: true,
    cron: "*/15 * * * *",
    async run() {
      const report = await reconciler.run();
      if (report.skipped) log.info({ why: report.skipped }, "reconciliation skipped");
      else log.info({ repairs: report.repairs.length, stripeCalls: report.stripeCalls, fullSweep: report.fullSweep }, "reconciliation finished");
    },
  };
}

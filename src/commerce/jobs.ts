import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Job } from "../core/jobs/jobs.js";
import type { AccessDrift } from "./access-drift.js";
import type { AccessSync } from "./access-sync.js";
import { membersWithLapsedAccess } from "./access-expiry.js";

/** Looks back this far on the first run, so a restart does not miss what lapsed while down. */
const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** Every minute: take away access whose time is up. */
export function accessExpiryJob(db: Db, accessSync: AccessSync, clock: Clock): Job {
  let since: Date | undefined;
  return {
    name: "access-expiry",
    sweep: true,
    cron: "* * * * *",
    async run() {
      const now = clock.now();
      const from = since ?? new Date(now.getTime() - FIRST_LOOKBACK_MS);
      await accessSync.syncMembers(await membersWithLapsedAccess(db, from, now));
      since = now;
    },
  };
}

/** Every minute: retry refused or failed access changes whose wait is over (1 minute, doubling, at most a day). */
export function accessRetryJob(accessSync: AccessSync): Job {
  return {
    name: "access-retry",
    sweep: true,
    cron: "* * * * *",
    async run() {
      await accessSync.retryDue();
    },
  };
}

/**
 * Hourly, at a quiet minute: the drift check of every community whose schedule is due this
 * hour (every 6 hours unless a community sets commerce.driftCheck.everyHours).
 */
export function accessDriftJob(drift: AccessDrift): Job {
  return {
    name: "access-drift",
    cron: "23 * * * *",
    async run() {
      await drift.checkDue();
    },
  };
}

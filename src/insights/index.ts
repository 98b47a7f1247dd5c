/**
 * Creator insights: revenue, retention and community health from recorded data, in chat
 * (/stats) and on the web dashboard (/dashboard). It keeps its own tables (money moved,
 * subscription lifetimes, daily activity, rollups, dashboard sign-in); what other
 * capabilities record reaches it as counts through core's hook (core/counts.ts) and as
 * money through the money-moved hook.
 */
import { labelWhenSimulated } from "../commerce/index.js";
import { defineCapability } from "../core/capability.js";
import { dashboardCommand, statsCommand } from "./commands.js";
import { dashboardLookups } from "./dashboard/services-lookups.js";
import { DASHBOARD_PREFIX, dashboardListener } from "./dashboard/web.js";
import { InsightsService } from "./insights-service.js";
import { insightsRollupJob } from "./jobs.js";
import { recordActivity } from "./activity-recorder.js";
import { recordMoneyMoved } from "./money-recorder.js";

export type { InsightsService } from "./insights-service.js";
// What Q&A's thread replies record for insights.
export { recordActivity } from "./activity-recorder.js";

declare module "../core/services.js" {
  interface Services {
    /** Creator insights: rollups, /stats figures and chart, the dashboard's host. */
    readonly insights: InsightsService;
  }
}

export const insights = defineCapability({
  name: "insights",
  provide(services, deps) {
    const dashboard = { publicUrl: deps.publicUrl, ensureListening: deps.startHttp };
    return { insights: new InsightsService({ db: services.db, clock: services.clock, communities: deps.communities, log: deps.log, dashboard, counts: deps.counts }) };
  },
  // Revenue in the playground is simulated money, and /stats says so.
  commands: [labelWhenSimulated(statsCommand), dashboardCommand],
  jobs: (services, deps) => [insightsRollupJob(services.insights, deps.log)],
  // A member who runs a command or presses a button is active that day.
  onMemberActive: (services, a) => recordActivity(services.db, a.communityId, a.memberId, a.at),
  // Money commerce's applied Stripe events moved, recorded inside commerce's transaction.
  onMoneyMoved: recordMoneyMoved,
  mounts: (services, deps) => [
    { prefix: DASHBOARD_PREFIX, listener: dashboardListener({ db: services.db, lookups: dashboardLookups(services), insights: services.insights, clock: services.clock, publicUrl: deps.publicUrl, log: deps.log }) },
  ],
});

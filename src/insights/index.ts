/**
 * Creator insights: revenue, retention and community health from recorded data, in chat
 * (/stats) and on the web dashboard (/dashboard). A read-side capability: besides its own
 * tables (money moved, subscription lifetimes, daily activity, rollups, dashboard sign-in)
 * it reads other capabilities' tables for reporting only, and never writes them.
 */
import { defineCapability } from "../core/capability.js";
import { dashboardCommand, statsCommand } from "./commands.js";
import { InsightsService } from "./insights-service.js";
import { insightsRollupJob } from "./jobs.js";

export type { InsightsService } from "./insights-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Creator insights: rollups, /stats figures and chart, the dashboard's host. */
    readonly insights: InsightsService;
  }
}

export const insights = defineCapability({
  name: "insights",
  provide(services, deps) {
    return { insights: new InsightsService({ db: services.db, clock: services.clock, communities: deps.communities, log: deps.log }) };
  },
  commands: [statsCommand, dashboardCommand],
  jobs: (services, deps) => [insightsRollupJob(services.insights, deps.log)],
});

import type { Services } from "../../core/services.js";
import type { DashboardLookups } from "./lookups.js";

/** The dashboard's lookups, answered by the catalog, identity, live and points services (read when a page is built). */
export function dashboardLookups(services: Services): DashboardLookups {
  return {
    itemTitles: async (communityId) => new Map((await services.catalog.list(communityId, { includeArchived: true })).map((i) => [i.id, i.title])),
    memberNames: (communityId, ids) => services.identity.displayNames(communityId, ids),
    recentEvents: (communityId, take) => services.live.recent(communityId, take),
    topHelpers: async (communityId, now) => {
      const board = await services.points.leaderboard(communityId, { period: "month", viewerId: "", now });
      return board.top.map((row) => ({ name: row.displayName, total: row.points }));
    },
  };
}

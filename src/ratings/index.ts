/**
 * Ratings: members rate the courses and memberships they hold or held, and requesters rate
 * the code reviews they received. Commerce shows item averages in /course and /courses, code
 * review shows reviewers' averages in /reviewer list, and recommendations read
 * {@link RatingsService.averageFor}.
 */
import { defineCapability } from "../core/capability.js";
import { moveRatings } from "./merge.js";
import { rateCommand } from "./rate-commands.js";
import { RatingsService } from "./ratings-service.js";

export { LATEST_COMMENTS, type RatingComment, type RatingsService, type RatingSummary, starsText } from "./ratings-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Item and review ratings, and their averages. */
    readonly ratings: RatingsService;
  }
}

export const ratings = defineCapability({
  name: "ratings",
  provide(services, deps) {
    // Ratings follow a /link merge, in its transaction.
    services.identity.onMerge(moveRatings);
    // Whether a member has or had an item is commerce's to say: any entitlement, from any source, that has started.
    const held = {
      heldItem: async (memberId: string, itemId: string, now: Date) => (await services.entitlements.forMember(memberId)).some((e) => e.itemId === itemId && e.startsAt <= now),
    };
    return { ratings: new RatingsService(services.db, services.clock, held, deps.adminLog, deps.log) };
  },
  commands: [rateCommand],
});

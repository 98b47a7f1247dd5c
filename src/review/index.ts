/** Code review: requests with a link to code, a fair reviewer queue, reminders in business hours, quotas. */
import { defineCapability } from "../core/capability.js";
import { reviewDigestSections } from "./digest-sections.js";
import { claimAction, rateAction, thankAction } from "./review-actions.js";
import { reviewCounts } from "./insight-counts.js";
import { moveReviews } from "./merge.js";
import { reviewCommand } from "./review-commands.js";
import { ReviewService } from "./review-service.js";
import { reviewerCommand } from "./reviewer-commands.js";
import { reviewSettingsSection } from "./settings-schema.js";
export { reviewSettingsSection, type ReviewConfig } from "./settings-schema.js";

export type { ReviewService } from "./review-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Code review: requests, reviewers, reminders and quotas. */
    readonly reviews: ReviewService;
  }
}

export const review = defineCapability({
  name: "review",
  settings: [reviewSettingsSection],
  provide(services, deps) {
    const { db, clock, ledger, entitlements, chat, memberMessenger } = services;
    // Requests, the roster and held summary points follow a /link merge, in its transaction.
    services.identity.onMerge(moveReviews);
    const reviews = new ReviewService({ db, clock, ledger, points: () => services.points, ratings: () => services.ratings, summaries: () => services.qa, entitlements, chat, memberMessenger, communities: deps.communities, log: deps.log, adminLog: deps.adminLog });
    return { reviews };
  },
  commands: [reviewCommand, reviewerCommand],
  actions: [claimAction, thankAction, rateAction],
  jobs: (services, deps) => services.reviews.jobs(deps.log),
  counts: reviewCounts,
  digestSections: reviewDigestSections,
});

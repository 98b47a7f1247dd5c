/**
 * Gathers what the score needs from the capabilities that own it: the catalog and who bought
 * what (commerce), the member's question tags (Q&A), review languages (code review) and the
 * item ratings (ratings). Reads nothing of theirs directly.
 */
import type { CatalogService, EntitlementService } from "../commerce/index.js";
import type { QaService } from "../qa/index.js";
import type { RatingsService } from "../ratings/index.js";
import type { ReviewService } from "../review/index.js";
import { type Recommendation, recommend } from "./score.js";

export interface RecommendSources {
  readonly catalog: Pick<CatalogService, "list">;
  readonly entitlements: Pick<EntitlementService, "purchases" | "forMember">;
  readonly qa: Pick<QaService, "tagsAskedBy">;
  readonly reviews: Pick<ReviewService, "languagesOf">;
  readonly ratings: Pick<RatingsService, "averageFor">;
}

export class RecommendService {
  constructor(private readonly sources: () => RecommendSources) {}

  /** Up to three items for the member, best first, each with its reasons in words. */
  async forMember(communityId: string, memberId: string, now: Date): Promise<Recommendation[]> {
    const s = this.sources();
    const [items, purchases, mine, questionTags, reviewLanguages] = await Promise.all([
      s.catalog.list(communityId, { includeArchived: true }),
      s.entitlements.purchases(communityId, now),
      s.entitlements.forMember(memberId),
      s.qa.tagsAskedBy(communityId, memberId),
      s.reviews.languagesOf(communityId, memberId),
    ]);
    const ratings = await s.ratings.averageFor(communityId, items.map((i) => i.id));
    return recommend({
      items: items.map((i) => ({ id: i.id, name: i.name, title: i.title, description: i.description, archived: i.archivedAt !== null })),
      purchases,
      held: new Set(mine.filter((e) => e.startsAt <= now).map((e) => e.itemId)),
      memberId,
      questionTags,
      reviewLanguages,
      ratings,
    });
  }
}

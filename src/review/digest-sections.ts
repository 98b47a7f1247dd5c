import { digestSection, type DigestSectionSources } from "../core/digest-sections.js";
import { age, titled } from "../core/digest-text.js";

const REVIEWS_MAX = 5;

/** Code review's digest section: requests still waiting for a reviewer or not started, oldest first (then by number). */
export const reviewDigestSections: DigestSectionSources = {
  reviews: async (db, w) => {
    const where = { communityId: w.communityId, status: { in: ["waiting", "assigned"] } };
    const [requests, total] = await Promise.all([db.reviewRequest.findMany({ where, orderBy: [{ createdAt: "asc" }, { number: "asc" }], take: REVIEWS_MAX }), db.reviewRequest.count({ where })]);
    const lines = requests.map((r) => {
      const what = titled(`#${r.number}${r.language ? ` · ${r.language}` : ""}`, r.url);
      return `• ${what}: ${r.status === "waiting" ? "waiting for a reviewer" : "assigned, not started"}, open ${age(r.createdAt, w.now)}`;
    });
    const heading = total > requests.length ? `🔍 Open review requests (${total}; the oldest ${requests.length})` : `🔍 Open review requests (${total})`;
    return digestSection("reviews", heading, lines);
  },
};

import { digestSection, type DigestSectionSources, inPeriod, moreLine } from "../core/digest-sections.js";
import { titled } from "../core/digest-text.js";

const LIST_MAX = 25;

/** Commerce's digest section: catalog items added in the period (those added in the same millisecond by name). */
export const commerceDigestSections: DigestSectionSources = {
  courses: async (db, w) => {
    const where = { communityId: w.communityId, archivedAt: null, createdAt: inPeriod(w) };
    const [items, total] = await Promise.all([db.catalogItem.findMany({ where, orderBy: [{ createdAt: "asc" }, { name: "asc" }], take: LIST_MAX }), db.catalogItem.count({ where })]);
    const lines = items.map((i) => `• **${titled(i.title)}**: \`/course ${i.name}\``);
    return digestSection("courses", "📚 New courses", [...lines, ...moreLine(total, items.length, "courses: `/courses`")]);
  },
};

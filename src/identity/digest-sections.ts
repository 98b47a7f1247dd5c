import { digestSection, type DigestSectionSources, inPeriod } from "../core/digest-sections.js";

/** Identity's digest section: how many members joined in the period (members folded in by /link are not new). */
export const identityDigestSections: DigestSectionSources = {
  members: async (db, w) => {
    const count = await db.member.count({ where: { communityId: w.communityId, mergedIntoId: null, createdAt: inPeriod(w) } });
    return digestSection("members", "👋 New members", count === 0 ? [] : [`${count === 1 ? "**1** new member joined" : `**${count}** new members joined`}. Welcome!`]);
  },
};

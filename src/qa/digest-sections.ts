import { digestSection, type DigestSectionSources, displayNames, inPeriod, moreLine } from "../core/digest-sections.js";
import { age, named, titled } from "../core/digest-text.js";

const LIST_MAX = 25;
const WAITING_MAX = 10;

/**
 * Q&A's digest sections: questions solved in the period, and those still waiting for a first
 * reply. Questions asked (or solved) in the same millisecond go by number, so which of them a
 * full list shows never depends on the database's row order.
 */
export const qaDigestSections: DigestSectionSources = {
  solved: async (db, w) => {
    const where = { communityId: w.communityId, status: "solved", solvedAt: inPeriod(w) };
    const [questions, total] = await Promise.all([db.question.findMany({ where, orderBy: [{ solvedAt: "asc" }, { number: "asc" }], take: LIST_MAX }), db.question.count({ where })]);
    const replyIds = questions.flatMap((q) => (q.acceptedReplyId ? [q.acceptedReplyId] : []));
    const replies = replyIds.length === 0 ? [] : await db.questionReply.findMany({ where: { id: { in: replyIds } }, select: { id: true, authorId: true } });
    const names = await displayNames(db, replies.map((r) => r.authorId));
    const answerer = new Map(replies.map((r) => [r.id, names.get(r.authorId)]));
    const lines = questions.map((q) => {
      const by = q.acceptedReplyId ? answerer.get(q.acceptedReplyId) : undefined;
      return `• ${titled(`#${q.number} ${q.title}`, q.url)}${by ? `, answered by ${named(by)}` : ""}`;
    });
    return digestSection("solved", "✅ Solved questions", [...lines, ...moreLine(total, questions.length, "solved questions")]);
  },
  waiting: async (db, w) => {
    const where = { communityId: w.communityId, status: "open", replyCount: 0 };
    const [questions, total] = await Promise.all([db.question.findMany({ where, orderBy: [{ createdAt: "asc" }, { number: "asc" }], take: WAITING_MAX }), db.question.count({ where })]);
    const lines = questions.map((q) => `• ${titled(`#${q.number} ${q.title}`, q.url)}, waiting ${age(q.createdAt, w.now)}`);
    const heading = total > questions.length ? `🙋 Waiting for help (${total}; the oldest ${questions.length})` : "🙋 Waiting for help";
    return digestSection("waiting", heading, lines);
  },
};

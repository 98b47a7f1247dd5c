/**
 * The digest's sections, each one read-only query over a period: what happened between the
 * previous digest and this one (new courses, solved questions, top helpers, new members) and
 * what needs attention now (questions waiting for help, open reviews, upcoming events).
 * A section with nothing to say returns undefined and is left out.
 */
import type { Db } from "../db/database.js";
import { Prisma } from "../generated/prisma/client.js";
import { age, named, plural, titled, when } from "./format.js";
import type { DigestSectionName } from "./settings.js";

export interface DigestSection {
  readonly name: DigestSectionName;
  /** Shown bold above the lines. */
  readonly heading: string;
  /** In reply markup, one item each. */
  readonly lines: readonly string[];
}

/** What a digest covers: the period `(from, to]`, and `now` for what is waiting or coming up. */
export interface DigestWindow {
  readonly communityId: string;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
}

type SectionQuery = (db: Db, w: DigestWindow) => Promise<DigestSection | undefined>;

/** Lists of things that happened stop here, with a count of the rest: a digest is a summary. */
const LIST_MAX = 25;
const WAITING_MAX = 10;
const REVIEWS_MAX = 5;
const HELPERS_MAX = 5;
const EVENTS_MAX = 10;
const EVENTS_AHEAD_MS = 7 * 24 * 3_600_000;
const HELPER_CATEGORIES = ["answers", "reviews", "kudos"];

const inPeriod = (w: DigestWindow) => ({ gt: w.from, lte: w.to });
const more = (total: number, shown: number, what: string) => (total > shown ? [`…and ${total - shown} more ${what}.`] : []);

function section(name: DigestSectionName, heading: string, lines: readonly string[]): DigestSection | undefined {
  return lines.length === 0 ? undefined : { name, heading, lines };
}

const courses: SectionQuery = async (db, w) => {
  const where = { communityId: w.communityId, archivedAt: null, createdAt: inPeriod(w) };
  const [items, total] = await Promise.all([db.catalogItem.findMany({ where, orderBy: { createdAt: "asc" }, take: LIST_MAX }), db.catalogItem.count({ where })]);
  const lines = items.map((i) => `• **${titled(i.title)}**: \`/course ${i.name}\``);
  return section("courses", "📚 New courses", [...lines, ...more(total, items.length, "courses: `/courses`")]);
};

const solved: SectionQuery = async (db, w) => {
  const where = { communityId: w.communityId, status: "solved", solvedAt: inPeriod(w) };
  const [questions, total] = await Promise.all([db.question.findMany({ where, orderBy: { solvedAt: "asc" }, take: LIST_MAX }), db.question.count({ where })]);
  const replyIds = questions.flatMap((q) => (q.acceptedReplyId ? [q.acceptedReplyId] : []));
  const replies = replyIds.length === 0 ? [] : await db.questionReply.findMany({ where: { id: { in: replyIds } }, select: { id: true, authorId: true } });
  const names = await displayNames(db, replies.map((r) => r.authorId));
  const answerer = new Map(replies.map((r) => [r.id, names.get(r.authorId)]));
  const lines = questions.map((q) => {
    const by = q.acceptedReplyId ? answerer.get(q.acceptedReplyId) : undefined;
    return `• ${titled(`#${q.number} ${q.title}`, q.url)}${by ? `, answered by ${named(by)}` : ""}`;
  });
  return section("solved", "✅ Solved questions", [...lines, ...more(total, questions.length, "solved questions")]);
};

const waiting: SectionQuery = async (db, w) => {
  const where = { communityId: w.communityId, status: "open", replyCount: 0 };
  const [questions, total] = await Promise.all([db.question.findMany({ where, orderBy: { createdAt: "asc" }, take: WAITING_MAX }), db.question.count({ where })]);
  const lines = questions.map((q) => `• ${titled(`#${q.number} ${q.title}`, q.url)}, waiting ${age(q.createdAt, w.now)}`);
  const heading = total > questions.length ? `🙋 Waiting for help (${total}; the oldest ${questions.length})` : "🙋 Waiting for help";
  return section("waiting", heading, lines);
};

const reviews: SectionQuery = async (db, w) => {
  const where = { communityId: w.communityId, status: { in: ["waiting", "assigned"] } };
  const [requests, total] = await Promise.all([db.reviewRequest.findMany({ where, orderBy: { createdAt: "asc" }, take: REVIEWS_MAX }), db.reviewRequest.count({ where })]);
  const lines = requests.map((r) => {
    const what = titled(`#${r.number}${r.language ? ` · ${r.language}` : ""}`, r.url);
    return `• ${what}: ${r.status === "waiting" ? "waiting for a reviewer" : "assigned, not started"}, open ${age(r.createdAt, w.now)}`;
  });
  const heading = total > requests.length ? `🔍 Open review requests (${total}; the oldest ${requests.length})` : `🔍 Open review requests (${total})`;
  return section("reviews", heading, lines);
};

interface HelperRow {
  memberId: string;
  displayName: string;
  points: number;
  answers: number;
  reviews: number;
  kudos: number;
}

/** Points earned helping (net of anything reversed), by member; escrow and merged members never count. */
const helpers: SectionQuery = async (db, w) => {
  const rows = await db.$queryRaw<HelperRow[]>`
    SELECT e."memberId", m."displayName", sum(e."amount")::int AS points,
           (sum(e."amount") FILTER (WHERE e."category" = 'answers'))::int AS answers,
           (sum(e."amount") FILTER (WHERE e."category" = 'reviews'))::int AS reviews,
           (sum(e."amount") FILTER (WHERE e."category" = 'kudos'))::int AS kudos
    FROM "PointEntry" e JOIN "Member" m ON m."id" = e."memberId" AND m."mergedIntoId" IS NULL
    WHERE e."communityId" = ${w.communityId} AND e."createdAt" > ${w.from} AND e."createdAt" <= ${w.to}
      AND e."category" IN (${Prisma.join(HELPER_CATEGORIES)}) AND e."memberId" NOT LIKE 'escrow:%'
    GROUP BY e."memberId", m."displayName"
    HAVING sum(e."amount") > 0
    ORDER BY points DESC, e."memberId"
    LIMIT ${HELPERS_MAX}`;
  const lines = rows.map((r, i) => {
    const parts = (["answers", "reviews", "kudos"] as const).filter((c) => Number(r[c] ?? 0) > 0).map((c) => `${c} ${Number(r[c])}`);
    return `${i + 1}. ${named(r.displayName)}: ${plural(Number(r.points), "point")} (${parts.join(", ")})`;
  });
  return section("helpers", "🏆 Top helpers", lines);
};

const events: SectionQuery = async (db, w) => {
  const found = await db.liveEvent.findMany({
    where: { communityId: w.communityId, status: { notIn: ["cancelled", "ended"] }, cancelledAt: null, startsAt: { gte: w.now, lte: new Date(w.now.getTime() + EVENTS_AHEAD_MS) } },
    orderBy: { startsAt: "asc" },
    take: EVENTS_MAX,
  });
  // The event's link stays out: an event for one tier shares it only with that tier.
  return section("events", "📅 Live events this week", found.map((e) => `• **${titled(`#${e.number} ${e.title}`)}**: ${when(e.startsAt)}`));
};

/** Members who reached a level (points.levels) in the period and still hold it, highest levels first. */
const levels: SectionQuery = async (db, w) => {
  const reached = await db.memberLevel.findMany({ where: { communityId: w.communityId, rank: { gt: 0 }, reachedAt: inPeriod(w) }, orderBy: [{ rank: "desc" }, { reachedAt: "asc" }], take: HELPERS_MAX });
  const names = await displayNames(db, reached.map((r) => r.memberId));
  return section("levels", "🎖️ Level-ups", reached.map((r) => `• ${named(names.get(r.memberId) ?? "a member")} reached **${titled(r.name)}**`));
};

const members: SectionQuery = async (db, w) => {
  const count = await db.member.count({ where: { communityId: w.communityId, mergedIntoId: null, createdAt: inPeriod(w) } });
  return section("members", "👋 New members", count === 0 ? [] : [`${count === 1 ? "**1** new member joined" : `**${count}** new members joined`}. Welcome!`]);
};

async function displayNames(db: Db, memberIds: readonly string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const found = await db.member.findMany({ where: { id: { in: [...new Set(memberIds)] } }, select: { id: true, displayName: true } });
  return new Map(found.map((m) => [m.id, m.displayName]));
}

const QUERIES: Record<DigestSectionName, SectionQuery> = { courses, solved, waiting, reviews, helpers, levels, events, members };

/** The sections asked for, in that order, leaving out those with nothing to say. */
export async function digestSections(db: Db, window: DigestWindow, names: readonly DigestSectionName[]): Promise<DigestSection[]> {
  const found = await Promise.all(names.map((name) => QUERIES[name](db, window)));
  return found.filter((s): s is DigestSection => s !== undefined);
}

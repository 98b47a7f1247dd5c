/**
 * Milestone badges. Each is earned once, when a member's category counts or balance reach
 * its threshold; whoever changed their points (kudos, an award, Q&A, review) asks for the
 * badges that became due and announces them where it happened.
 */
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import { name } from "./format.js";
import { isSystemAccount, type PointCategory } from "./ledger.js";

export interface Badge {
  readonly id: string;
  readonly emoji: string;
  readonly title: string;
  /** What earned it, completing "for ...". */
  readonly earnedFor: string;
  /** Either a number of rows that earned points in a category, or a balance. */
  readonly rule: { readonly category: PointCategory; readonly earned: number } | { readonly balance: number };
}

/** Every badge, in the order /points lists them. */
export const BADGES: readonly Badge[] = [
  { id: "first-kudos", emoji: "🤝", title: "First thanks", earnedFor: "being thanked by another member for the first time", rule: { category: "kudos", earned: 1 } },
  { id: "well-thanked", emoji: "💐", title: "Well thanked", earnedFor: "being thanked 25 times", rule: { category: "kudos", earned: 25 } },
  { id: "first-accepted-answer", emoji: "💡", title: "First accepted answer", earnedFor: "a first answer accepted by the asker", rule: { category: "answers", earned: 1 } },
  { id: "ten-accepted-answers", emoji: "🧠", title: "Ten accepted answers", earnedFor: "ten accepted answers", rule: { category: "answers", earned: 10 } },
  { id: "first-review", emoji: "🔍", title: "First review", earnedFor: "a first code review", rule: { category: "reviews", earned: 1 } },
  { id: "ten-reviews", emoji: "🛠️", title: "Ten reviews", earnedFor: "ten code reviews", rule: { category: "reviews", earned: 10 } },
  { id: "hundred-points", emoji: "💯", title: "Hundred points", earnedFor: "reaching 100 points", rule: { balance: 100 } },
  { id: "thousand-points", emoji: "🏆", title: "Thousand points", earnedFor: "reaching 1,000 points", rule: { balance: 1000 } },
];

const BY_ID = new Map(BADGES.map((b) => [b.id, b]));

export function badgeById(id: string): Badge | undefined {
  return BY_ID.get(id);
}

/** A badge a member just earned, with their name for the announcement. */
export interface EarnedBadge {
  readonly memberId: string;
  readonly displayName: string;
  readonly badge: Badge;
}

/**
 * Records the badges these members have become due for and returns the new ones (a badge
 * already held is never returned again, even if two transactions race for it). Call it in
 * the transaction that changed their points, or after it, with the same effect.
 */
export async function awardDueBadges(db: Db | Tx, communityId: string, memberIds: readonly string[]): Promise<EarnedBadge[]> {
  const ids = [...new Set(memberIds)].filter((id) => !isSystemAccount(id));
  if (ids.length === 0) return [];
  const balances = await db.pointBalance.findMany({ where: { communityId, memberId: { in: ids } }, select: { memberId: true, balance: true } });
  const tallies = await db.pointCategoryTotal.findMany({ where: { communityId, memberId: { in: ids } }, select: { memberId: true, category: true, earned: true } });
  const balanceOf = new Map(balances.map((b) => [b.memberId, b.balance]));
  const earnedOf = new Map(tallies.map((t) => [`${t.memberId}:${t.category}`, t.earned]));
  const due = ids.flatMap((memberId) =>
    BADGES.filter((b) => ("balance" in b.rule ? (balanceOf.get(memberId) ?? 0) >= b.rule.balance : (earnedOf.get(`${memberId}:${b.rule.category}`) ?? 0) >= b.rule.earned)).map(
      (b) => ({ memberId, badge: b.id }),
    ),
  );
  if (due.length === 0) return [];
  const inserted = await db.$queryRaw<{ memberId: string; badge: string; displayName: string }[]>`
    WITH added AS (
      INSERT INTO "BadgeAward" ("communityId", "memberId", "badge", "awardedAt")
      SELECT ${communityId}, d.m, d.b, now() FROM unnest(${due.map((d) => d.memberId)}::text[], ${due.map((d) => d.badge)}::text[]) AS d(m, b)
      ON CONFLICT DO NOTHING
      RETURNING "memberId", "badge")
    SELECT a."memberId", a."badge", COALESCE(m."displayName", 'someone') AS "displayName"
    FROM added a LEFT JOIN "Member" m ON m."id" = a."memberId"`;
  const order = (b: string) => BADGES.findIndex((x) => x.id === b);
  return inserted
    .sort((a, b) => a.memberId.localeCompare(b.memberId) || order(a.badge) - order(b.badge))
    .map((r) => ({ memberId: r.memberId, displayName: r.displayName, badge: BY_ID.get(r.badge)! }));
}

/** One line per new badge, for the public reply or post where they were earned. */
export function badgeAnnouncement(earned: readonly EarnedBadge[]): string | undefined {
  if (earned.length === 0) return undefined;
  return earned.map((e) => `${e.badge.emoji} ${name(e.displayName)} earned the **${e.badge.title}** badge for ${e.badge.earnedFor}!`).join("\n");
}

/** A member's badges, for /points. */
export async function badgesOf(db: Db, communityId: string, memberId: string): Promise<Badge[]> {
  const rows = await db.badgeAward.findMany({ where: { communityId, memberId }, select: { badge: true } });
  const held = new Set(rows.map((r) => r.badge));
  return BADGES.filter((b) => held.has(b.id));
}

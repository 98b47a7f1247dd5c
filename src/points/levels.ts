/**
 * Levels (`points.levels` in the communities file): a member holds the highest level whose
 * `minPoints` their lifetime earned points reach (see EARNING_CATEGORIES: redeeming rewards
 * never lowers them; a creator's correction or a reversal does). Reaching a level grants its
 * Discord roles and Slack channels (an access source commerce's access sync unions with
 * purchases) and its catalog items (`promotion` entitlements), with those of every level
 * below. A purchase and a level never take anything from each other.
 */
import { Prisma } from "../generated/prisma/client.js";
import type { AccessSource, DesiredAccess, EntitlementService } from "../commerce/index.js";
import type { CommunityConfig } from "../config/communities.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import { inTransaction } from "../db/transaction.js";
import type { Logger } from "../log/logger.js";
import { EARNING_CATEGORIES } from "./ledger.js";

export type LevelConfig = CommunityConfig["points"]["levels"][number];

/** The rank (1 for the first level) of the level `earned` points reach, or 0 for none. */
export function levelRank(levels: readonly LevelConfig[], earned: number): number {
  let rank = 0;
  levels.forEach((level, i) => {
    if (earned >= level.minPoints) rank = i + 1;
  });
  return rank;
}

/** Where a member stands: their level (if any) and the next one with the points it still needs. */
export interface LevelProgress {
  readonly current: { readonly rank: number; readonly name: string } | undefined;
  readonly next: { readonly name: string; readonly missing: number } | undefined;
}

export function levelProgress(levels: readonly LevelConfig[], earned: number): LevelProgress {
  const rank = levelRank(levels, earned);
  const next = levels[rank];
  return {
    current: rank > 0 ? { rank, name: levels[rank - 1]!.name } : undefined,
    next: next ? { name: next.name, missing: next.minPoints - earned } : undefined,
  };
}

/** A member's level changed: announced when it went up, access follows either way. */
export interface LevelChange {
  readonly communityId: string;
  readonly memberId: string;
  readonly displayName: string;
  readonly from: number;
  readonly to: number;
  /** The new level's name ("" for none). */
  readonly name: string;
  readonly earned: number;
}

export interface LevelDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly communities: readonly CommunityConfig[];
  /** Commerce's entitlements (level items are `promotion` entitlements); read lazily. */
  readonly entitlements: () => Pick<EntitlementService, "setPromotions">;
  /** Applies a member's access on the platforms after their level changed. */
  readonly syncAccess: (memberId: string) => Promise<void>;
  /** A catalog item's id by its short name, or undefined when there is none. */
  readonly itemId: (communityId: string, name: string) => Promise<string | undefined>;
  readonly log: Logger;
}

export class LevelService implements AccessSource {
  readonly #configs = new Map<string, Promise<CommunityConfig | undefined>>();

  constructor(private readonly deps: LevelDeps) {}

  /** The levels configured for a community (none for a community without configuration). */
  async levelsOf(communityId: string): Promise<readonly LevelConfig[]> {
    return (await this.#config(communityId))?.points.levels ?? [];
  }

  /**
   * Brings these members' stored levels up to date with their lifetime points, then their
   * items and platform access. Each member's change is decided under a row lock, so a job and
   * a command refreshing at once announce a level-up once. Returns the changes.
   */
  async refresh(communityId: string, memberIds: readonly string[], opts: { readonly evenWithoutLevels?: boolean } = {}): Promise<LevelChange[]> {
    const levels = await this.levelsOf(communityId);
    const ids = [...new Set(memberIds)].filter((id) => !id.startsWith("escrow:"));
    // Without levels there is nothing to do after a command (not even a query); the job takes
    // back the levels of a community whose file no longer has any.
    if (ids.length === 0 || (levels.length === 0 && !opts.evenWithoutLevels)) return [];
    const earnedOf = await this.#earned(communityId, ids);
    const changes: LevelChange[] = [];
    for (const memberId of ids) {
      const earned = earnedOf.get(memberId) ?? 0;
      const change = await this.#store(communityId, memberId, levels, earned);
      if (change) changes.push(change);
    }
    for (const change of changes) await this.#applyAccess(change, levels);
    return changes;
  }

  /**
   * Every member of the community whose stored level differs from what their points say now
   * (the minute job): one grouped read over the kept totals, then a refresh of those alone.
   * Members linked into another are left out: their level moved with the merge (level-merge.ts),
   * and a level at 0 points would otherwise be given to them again.
   */
  async refreshCommunity(communityId: string): Promise<LevelChange[]> {
    const levels = await this.levelsOf(communityId);
    const rows = await this.deps.db.$queryRaw<{ memberId: string; earned: number; rank: number }[]>`
      SELECT t."memberId", sum(t."total")::int AS earned, coalesce(max(l."rank"), 0)::int AS rank
      FROM "PointCategoryTotal" t LEFT JOIN "MemberLevel" l ON l."communityId" = t."communityId" AND l."memberId" = t."memberId"
      WHERE t."communityId" = ${communityId} AND t."category" IN (${Prisma.join(EARNING_CATEGORIES)}) AND t."memberId" NOT LIKE 'escrow:%'
        AND t."memberId" NOT IN (SELECT x."id" FROM "Member" x WHERE x."communityId" = ${communityId} AND x."mergedIntoId" IS NOT NULL)
      GROUP BY t."memberId"`;
    const stale = rows.filter((r) => levelRank(levels, Number(r.earned)) !== Number(r.rank)).map((r) => r.memberId);
    return this.refresh(communityId, stale, { evenWithoutLevels: true });
  }

  /**
   * After a `/link` merge committed (see level-merge.ts): the merged member's level items end,
   * and the remaining member's level is brought up to date with the points both accounts
   * earned. Its items and access are applied even when the level stays (it may be the one the
   * merged account had reached). Returns the changes (a level above both is a level-up).
   */
  async settleMerge(communityId: string, fromId: string, mergedInto: string): Promise<LevelChange[]> {
    const now = this.deps.clock.now();
    await this.deps.entitlements().setPromotions({ communityId, memberId: fromId, sourceRef: `level:${fromId}`, itemIds: [], now, reason: "account linked to another" });
    // The member that remains may itself have been linked into another since.
    const intoId = await this.#survivor(mergedInto);
    const changes = await this.refresh(communityId, [intoId], { evenWithoutLevels: true });
    if (changes.length === 0) {
      const held = await this.deps.db.memberLevel.findUnique({ where: { communityId_memberId: { communityId, memberId: intoId } } });
      if (held) await this.#applyAccess({ communityId, memberId: intoId, to: held.rank, name: held.name }, await this.levelsOf(communityId));
    }
    return changes;
  }

  async #survivor(memberId: string): Promise<string> {
    for (let id = memberId, hops = 0; ; hops++) {
      const next = (await this.deps.db.member.findUnique({ where: { id }, select: { mergedIntoId: true } }))?.mergedIntoId;
      if (!next || hops > 10) return id;
      id = next;
    }
  }

  /** The communities file's entry for a community, when it has one. */
  configOf(communityId: string): Promise<CommunityConfig | undefined> {
    return this.#config(communityId);
  }

  /** The roles and channels of the member's level and every level below it. */
  async desired(memberId: string): Promise<DesiredAccess> {
    const held = await this.deps.db.memberLevel.findFirst({ where: { memberId, rank: { gt: 0 } } });
    if (!held) return { discordRoleIds: [], slackChannelIds: [] };
    return accessOf((await this.levelsOf(held.communityId)).slice(0, held.rank));
  }

  /** Every role and channel any level grants: removed from members whose level no longer does. */
  async managed(communityId: string): Promise<DesiredAccess> {
    return accessOf(await this.levelsOf(communityId));
  }

  async #store(communityId: string, memberId: string, levels: readonly LevelConfig[], earned: number): Promise<LevelChange | undefined> {
    const now = this.deps.clock.now();
    const to = levelRank(levels, earned);
    const name = to > 0 ? levels[to - 1]!.name : "";
    return inTransaction(this.deps.db, async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "MemberLevel" ("communityId", "memberId", "rank", "name", "earned", "reachedAt")
        VALUES (${communityId}, ${memberId}, 0, '', ${earned}, ${now}) ON CONFLICT DO NOTHING`;
      const [held] = await tx.$queryRaw<{ rank: number }[]>`
        SELECT "rank" FROM "MemberLevel" WHERE "communityId" = ${communityId} AND "memberId" = ${memberId} FOR UPDATE`;
      const from = Number(held?.rank ?? 0);
      if (from === to) {
        await tx.memberLevel.update({ where: { communityId_memberId: { communityId, memberId } }, data: { earned } });
        return undefined;
      }
      await tx.memberLevel.update({ where: { communityId_memberId: { communityId, memberId } }, data: { rank: to, name, earned, reachedAt: now } });
      const member = await tx.member.findUnique({ where: { id: memberId }, select: { displayName: true } });
      return { communityId, memberId, displayName: member?.displayName ?? "a member", from, to, name, earned };
    });
  }

  /** Items through `promotion` entitlements, then the platforms (roles and channels come from {@link desired}). */
  async #applyAccess(change: Pick<LevelChange, "communityId" | "memberId" | "to" | "name">, levels: readonly LevelConfig[]): Promise<void> {
    const names = [...new Set(levels.slice(0, change.to).flatMap((l) => l.items))];
    const itemIds: string[] = [];
    for (const name of names) {
      const id = await this.deps.itemId(change.communityId, name);
      if (id) itemIds.push(id);
      else this.deps.log.warn({ community: change.communityId, item: name }, "points.levels names a catalog item that does not exist");
    }
    await this.deps.entitlements().setPromotions({
      communityId: change.communityId,
      memberId: change.memberId,
      sourceRef: `level:${change.memberId}`,
      itemIds,
      now: this.deps.clock.now(),
      reason: change.to > 0 ? `level ${change.name}` : "no level",
    });
    await this.deps.syncAccess(change.memberId).catch((error: unknown) => this.deps.log.warn({ err: error, member: change.memberId }, "could not apply a level's access; the retry job will"));
  }

  async #earned(communityId: string, memberIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.deps.db.pointCategoryTotal.groupBy({
      by: ["memberId"],
      where: { communityId, memberId: { in: [...memberIds] }, category: { in: [...EARNING_CATEGORIES] } },
      _sum: { total: true },
    });
    return new Map(rows.map((r) => [r.memberId, r._sum.total ?? 0]));
  }

  #config(communityId: string): Promise<CommunityConfig | undefined> {
    let found = this.#configs.get(communityId);
    if (!found) {
      found = this.deps.db.community.findUnique({ where: { id: communityId }, select: { slug: true } }).then((c) => {
        // Only a community that exists is remembered; an unknown id is looked up again next time.
        if (!c) this.#configs.delete(communityId);
        return this.deps.communities.find((x) => x.slug === c?.slug);
      });
      this.#configs.set(communityId, found);
    }
    return found;
  }
}

function accessOf(levels: readonly LevelConfig[]): DesiredAccess {
  return {
    discordRoleIds: [...new Set(levels.flatMap((l) => l.discordRoles))],
    slackChannelIds: [...new Set(levels.flatMap((l) => l.slackChannels))],
  };
}

/** "🎖️ **Ada** reached the **Mentor** level (500 points earned)!" */
export function levelUpText(change: Pick<LevelChange, "displayName" | "name" | "earned">, name: (displayName: string) => string): string {
  return `🎖️ ${name(change.displayName)} reached the **${change.name}** level (${change.earned.toLocaleString("en-US")} points earned)!`;
}

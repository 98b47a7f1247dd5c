import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { CatalogItem, Entitlement } from "../generated/prisma/client.js";

export type EntitlementWithItem = Entitlement & { item: CatalogItem };

/** Active means started, not ended and not revoked. */
export function isActive(e: Pick<Entitlement, "startsAt" | "endsAt" | "revokedAt">, now: Date): boolean {
  return e.revokedAt === null && e.startsAt <= now && (e.endsAt === null || e.endsAt > now);
}

/** What a member should have on each platform: the union over all their active entitlements. */
export interface DesiredAccess {
  readonly discordRoleIds: readonly string[];
  readonly slackChannelIds: readonly string[];
}

/**
 * Access that comes from somewhere other than a catalog item: points levels grant roles and
 * channels of their own. Its roles and channels are managed like items' (granted while
 * desired, removed when no longer desired), and unioned with every other source.
 */
export interface AccessSource {
  desired(memberId: string, now: Date): Promise<DesiredAccess>;
  managed(communityId: string): Promise<DesiredAccess>;
}

/** Entitlements: who may have which item, from which source, until when. */
export class EntitlementService {
  readonly #sources: AccessSource[] = [];

  constructor(private readonly db: Db) {}

  /** Adds access another capability grants (levels); see {@link AccessSource}. */
  addAccessSource(source: AccessSource): void {
    this.#sources.push(source);
  }

  /** A member's entitlements with their items, newest first (for /access). */
  async forMember(memberId: string): Promise<EntitlementWithItem[]> {
    const rows = await this.db.entitlement.findMany({ where: { memberId }, orderBy: { startsAt: "desc" } });
    const items = await this.db.catalogItem.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.itemId))] } } });
    const byId = new Map(items.map((i) => [i.id, i]));
    return rows.filter((r) => byId.has(r.itemId)).map((r) => ({ ...r, item: byId.get(r.itemId)! }));
  }

  /** Who bought which item (purchases and subscriptions that have started), across the community: what recommendations count. */
  purchases(communityId: string, now: Date): Promise<{ memberId: string; itemId: string }[]> {
    return this.db.entitlement.findMany({
      where: { communityId, source: { in: ["purchase", "subscription"] }, startsAt: { lte: now } },
      select: { memberId: true, itemId: true },
      distinct: ["memberId", "itemId"],
      orderBy: [{ memberId: "asc" }, { itemId: "asc" }],
    });
  }

  async desiredAccess(memberId: string, now: Date): Promise<DesiredAccess> {
    const active = (await this.forMember(memberId)).filter((e) => isActive(e, now));
    const others = await Promise.all(this.#sources.map((s) => s.desired(memberId, now)));
    return {
      discordRoleIds: [...new Set([...active.flatMap((e) => e.item.discordRoleIds), ...others.flatMap((o) => o.discordRoleIds)])],
      slackChannelIds: [...new Set([...active.flatMap((e) => e.item.slackChannelIds), ...others.flatMap((o) => o.slackChannelIds)])],
    };
  }

  /** Every role and channel any item of the community (or another source) grants: the only ones Guildhall ever removes. */
  async managedAccess(communityId: string): Promise<DesiredAccess> {
    const items = await this.db.catalogItem.findMany({ where: { communityId }, select: { discordRoleIds: true, slackChannelIds: true } });
    const others = await Promise.all(this.#sources.map((s) => s.managed(communityId)));
    return {
      discordRoleIds: [...new Set([...items.flatMap((i) => i.discordRoleIds), ...others.flatMap((o) => o.discordRoleIds)])],
      slackChannelIds: [...new Set([...items.flatMap((i) => i.slackChannelIds), ...others.flatMap((o) => o.slackChannelIds)])],
    };
  }

  /**
   * Makes a member's `promotion` entitlements under `sourceRef` (one per member and reason,
   * such as `level:<memberId>`) match `itemIds` exactly: missing ones are granted (again, if
   * they were revoked), others revoked. Other sources are never touched, so a purchase of the
   * same item keeps its access whatever happens here.
   */
  async setPromotions(input: { communityId: string; memberId: string; sourceRef: string; itemIds: readonly string[]; now: Date; reason: string }): Promise<{ granted: number; revoked: number }> {
    const current = await this.db.entitlement.findMany({ where: { source: "promotion", sourceRef: input.sourceRef } });
    const active = new Set(current.filter((e) => e.revokedAt === null).map((e) => e.itemId));
    let granted = 0;
    for (const itemId of new Set(input.itemIds)) {
      if (active.has(itemId)) continue;
      await this.db.entitlement.upsert({
        where: { source_sourceRef_itemId: { source: "promotion", sourceRef: input.sourceRef, itemId } },
        create: { communityId: input.communityId, memberId: input.memberId, itemId, source: "promotion", sourceRef: input.sourceRef, startsAt: input.now, reason: input.reason },
        update: { revokedAt: null, startsAt: input.now, endsAt: null, reason: input.reason },
      });
      granted += 1;
    }
    const stale = current.filter((e) => e.revokedAt === null && !input.itemIds.includes(e.itemId));
    if (stale.length > 0) await this.db.entitlement.updateMany({ where: { id: { in: stale.map((e) => e.id) } }, data: { revokedAt: input.now, reason: `${input.reason} (no longer owed)` } });
    return { granted, revoked: stale.length };
  }

  /**
   * A creator's manual grant, recorded as its own source, optionally for a number of days.
   * Keyed by the interaction that asked (`manual:<interaction id>`), as points are: two grants
   * by the same creator at the same instant stay two, and the same interaction delivered
   * again finds its grant instead of adding another.
   */
  async grantManual(input: { communityId: string; memberId: string; item: CatalogItem; days: number | undefined; now: Date; grantedBy: string; interactionId: string }): Promise<Entitlement> {
    const endsAt = input.days === undefined ? null : new Date(input.now.getTime() + input.days * 86_400_000);
    const sourceRef = `manual:${input.interactionId}`;
    return this.db.entitlement.upsert({
      where: { source_sourceRef_itemId: { source: "manual", sourceRef, itemId: input.item.id } },
      create: {
        communityId: input.communityId,
        memberId: input.memberId,
        itemId: input.item.id,
        source: "manual",
        sourceRef,
        startsAt: input.now,
        endsAt,
        reason: `granted by ${input.grantedBy}`,
      },
      update: {},
    });
  }

  /**
   * Ends the member's manual grants of an item. Purchases and subscriptions are Stripe's to
   * end (refund or cancel there), so they are left alone and the creator is told so.
   */
  async revokeManual(input: { memberId: string; item: CatalogItem; now: Date; revokedBy: string }): Promise<{ revoked: number; otherSources: string[] }> {
    const all = await this.db.entitlement.findMany({ where: { memberId: input.memberId, itemId: input.item.id } });
    const manual = all.filter((e) => e.source === "manual" && isActive(e, input.now));
    const others = all.filter((e) => e.source !== "manual" && isActive(e, input.now)).map((e) => e.source);
    if (manual.length === 0 && others.length === 0) throw new UserFacingError(`They have no access to ${input.item.title}.`, "no_access");
    await this.db.entitlement.updateMany({ where: { id: { in: manual.map((e) => e.id) } }, data: { revokedAt: input.now, reason: `revoked by ${input.revokedBy}` } });
    return { revoked: manual.length, otherSources: [...new Set(others)] };
  }
}

import { randomInt } from "node:crypto";
import type { CommunityConfig } from "../config/communities.js";
import type { PlatformName } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import { isUniqueViolation } from "../db/errors.js";

export interface CommunityInfo {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly config: CommunityConfig | undefined;
}

export interface MemberInfo {
  readonly member: { readonly id: string; readonly displayName: string };
  readonly account: { readonly id: string; readonly externalId: string };
}

/** Link codes last ten minutes and work once. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I to misread
const CODE_LENGTH = 8;

const PLATFORM_LABEL: Record<string, string> = { discord: "Discord", slack: "Slack", playground: "the playground" };

/**
 * Communities, members and the platform accounts linked to them. A guild or workspace
 * joins the community the configuration assigns it to, or gets one of its own.
 */
export class IdentityService {
  /** Spaces never move between communities while the process runs, so this cache is safe. */
  readonly #communities = new Map<string, CommunityInfo>();

  constructor(
    private readonly db: Db,
    private readonly configured: readonly CommunityConfig[],
  ) {}

  async communityFor(platform: PlatformName, space: { id: string; name: string }): Promise<CommunityInfo> {
    const key = `${platform}:${space.id}`;
    const cached = this.#communities.get(key);
    if (cached) return cached;
    const info = await this.#loadOrCreateCommunity(platform, space);
    this.#communities.set(key, info);
    return info;
  }

  async #loadOrCreateCommunity(platform: PlatformName, space: { id: string; name: string }): Promise<CommunityInfo> {
    const where = { platform_externalId: { platform, externalId: space.id } };
    const existing = await this.db.platformSpace.findUnique({ where, include: { community: true } });
    if (existing) return this.#info(existing.community);
    const config = this.configured.find((c) =>
      platform === "discord" ? c.discord?.guildId === space.id : platform === "slack" ? c.slack?.teamId === space.id : false,
    );
    const slug = config?.slug ?? (platform === "playground" ? "playground" : `${platform}-${space.id.toLowerCase()}`);
    const name = config?.name ?? space.name;
    try {
      const community = await this.db.community.upsert({ where: { slug }, create: { slug, name }, update: {} });
      await this.db.platformSpace.create({ data: { communityId: community.id, platform, externalId: space.id, name: space.name } });
      return this.#info(community);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another process created it at the same moment: use theirs.
      const raced = await this.db.platformSpace.findUniqueOrThrow({ where, include: { community: true } });
      return this.#info(raced.community);
    }
  }

  #info(c: { id: string; slug: string; name: string }): CommunityInfo {
    return { id: c.id, slug: c.slug, name: c.name, config: this.configured.find((x) => x.slug === c.slug) };
  }

  /** The member behind a platform account, created on first sight. */
  async memberFor(communityId: string, platform: PlatformName, user: { id: string; displayName: string }): Promise<MemberInfo> {
    const where = { communityId_platform_externalId: { communityId, platform, externalId: user.id } };
    let account = await this.db.platformAccount.findUnique({ where, include: { member: true } });
    if (!account) {
      try {
        account = await this.db.platformAccount.create({
          data: {
            platform,
            externalId: user.id,
            displayName: user.displayName,
            community: { connect: { id: communityId } },
            member: { create: { communityId, displayName: user.displayName } },
          },
          include: { member: true },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        account = await this.db.platformAccount.findUniqueOrThrow({ where, include: { member: true } });
      }
    } else if (account.displayName !== user.displayName) {
      await this.db.platformAccount.update({ where: { id: account.id }, data: { displayName: user.displayName } });
    }
    return {
      member: { id: account.member.id, displayName: account.member.displayName },
      account: { id: account.id, externalId: account.externalId },
    };
  }

  async accountsOf(memberId: string) {
    return this.db.platformAccount.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });
  }

  /** A fresh one-time code for this member; earlier unused codes stop working. */
  async createLinkCode(communityId: string, memberId: string, platform: PlatformName, now: Date): Promise<{ code: string; expiresAt: Date }> {
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.db.$transaction([
      this.db.linkCode.deleteMany({ where: { memberId, usedAt: null } }),
      this.db.linkCode.create({ data: { code, communityId, memberId, issuedOnPlatform: platform, expiresAt, createdAt: now } }),
    ]);
    return { code, expiresAt };
  }

  /**
   * Joins the redeeming account (and any other accounts of its member) to the member who
   * asked for the code, in one transaction. The code is consumed atomically, so two
   * simultaneous redemptions cannot both succeed.
   */
  async redeemLinkCode(input: { code: string; communityId: string; platform: PlatformName; accountId: string; now: Date }): Promise<{ memberId: string; displayName: string; otherPlatform: string }> {
    const code = input.code.trim().toUpperCase().replace(/[\s-]/g, "");
    return this.db.$transaction(async (tx) => {
      const found = await tx.linkCode.findUnique({ where: { code }, include: { member: { include: { accounts: true } } } });
      const invalid = new UserFacingError("That code is not valid. Codes work once, for 10 minutes: run /link on your other platform to get a new one.", "invalid_link_code");
      if (!found || found.usedAt || found.expiresAt <= input.now) throw invalid;
      if (found.communityId !== input.communityId) throw new UserFacingError("That code belongs to another community.", "wrong_community");
      if (found.issuedOnPlatform === input.platform) {
        throw new UserFacingError(`Enter this code on your other platform: it was made here on ${PLATFORM_LABEL[input.platform]}.`, "same_platform");
      }
      const redeemer = await tx.platformAccount.findUniqueOrThrow({ where: { id: input.accountId } });
      if (redeemer.memberId === found.memberId) throw new UserFacingError("These accounts are already linked.", "already_linked");
      const clash = found.member.accounts.find((a) => a.platform === input.platform);
      if (clash) {
        throw new UserFacingError(`${found.member.displayName} already has a ${PLATFORM_LABEL[input.platform]} account linked (${clash.displayName}).`, "platform_taken");
      }
      const consumed = await tx.linkCode.updateMany({
        where: { code, usedAt: null, expiresAt: { gt: input.now } },
        data: { usedAt: input.now, usedByAccountId: input.accountId },
      });
      if (consumed.count !== 1) throw invalid;
      await tx.platformAccount.updateMany({ where: { memberId: redeemer.memberId }, data: { memberId: found.memberId } });
      await tx.member.update({ where: { id: redeemer.memberId }, data: { mergedIntoId: found.memberId } });
      return { memberId: found.memberId, displayName: found.member.displayName, otherPlatform: PLATFORM_LABEL[found.issuedOnPlatform] ?? found.issuedOnPlatform };
    });
  }
}

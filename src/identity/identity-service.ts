import { randomInt } from "node:crypto";
import type { CommunityConfig } from "../config/communities.js";
import type { PlatformName } from "../core/context.js";
import type { CommunityInfo, Directory, InteractionClaimRequest, MemberInfo } from "../core/directory.js";
import type { Clock } from "../core/services.js";
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { Tx } from "../db/transaction.js";
import { Claims } from "../db/claims.js";
import { isUniqueViolation } from "../db/errors.js";
import { sqlFor } from "../db/sql.js";
import { StatementBatcher } from "../db/statement-batcher.js";
import { type MemberRequest, memberRequest, memberStatement } from "./member-statement.js";

export type { CommunityInfo, MemberInfo } from "../core/directory.js";

/** Link codes last ten minutes and work once. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I to misread
const CODE_LENGTH = 8;

const PLATFORM_LABEL: Record<string, string> = { discord: "Discord", slack: "Slack", playground: "the playground" };

/**
 * Communities, members and the platform accounts linked to them. A guild or workspace
 * joins the community the configuration assigns it to, or gets one of its own.
 */
/** A member folded into another by `/link`: `fromId` now points at `intoId`. */
export interface MemberMerge {
  readonly communityId: string;
  readonly fromId: string;
  readonly intoId: string;
}

export type MergeListener = (tx: Tx, merge: MemberMerge) => Promise<void>;

export class IdentityService implements Directory {
  /**
   * Spaces never move between communities while the process runs, so this cache is safe.
   * It holds promises, so simultaneous first commands from a new guild share one lookup.
   */
  readonly #communities = new Map<string, Promise<CommunityInfo>>();
  readonly #mergeListeners: MergeListener[] = [];
  /**
   * Member lookups, batched: those that arrive while others run share the next statement. Two
   * statements may run at once, so one held up by a lock never holds every command.
   */
  readonly #members = new StatementBatcher<MemberRequest, MemberInfo | undefined>((requests) => this.#resolve(requests), { lanes: 2 });

  constructor(
    private readonly db: Db,
    private readonly configured: readonly CommunityConfig[],
    /** Dates a new member: "here for a day" follows the playground's clock as well as real time. */
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `listener` inside the transaction of every `/link` that folds one member into
   * another, so what belongs to the member (their points) moves with the merge or not at all.
   */
  onMerge(listener: MergeListener): void {
    this.#mergeListeners.push(listener);
  }

  async communityFor(platform: PlatformName, space: { id: string; name: string }): Promise<CommunityInfo> {
    const key = `${platform}:${space.id}`;
    let info = this.#communities.get(key);
    if (!info) {
      info = this.#loadOrCreateCommunity(platform, space);
      this.#communities.set(key, info);
      info.catch(() => this.#communities.delete(key));
    }
    return info;
  }

  /** Another process may create the same community or space at the same moment: then use theirs. */
  async #loadOrCreateCommunity(platform: PlatformName, space: { id: string; name: string }, attempt = 1): Promise<CommunityInfo> {
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
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
      return this.#loadOrCreateCommunity(platform, space, attempt + 1);
    }
  }

  #info(c: { id: string; slug: string; name: string }): CommunityInfo {
    return { id: c.id, slug: c.slug, name: c.name, config: this.configured.find((x) => x.slug === c.slug) };
  }

  /**
   * The member behind a platform account, created on first sight. This runs for every
   * command, so it is one SQL statement whether the member is known or new: it reads the
   * account with its member, or inserts both, and renames the account if its name changed.
   * Being one statement, it is its own transaction: a member is never left without an account.
   * Lookups that arrive while others run share the next statement (memberStatement).
   */
  async memberFor(communityId: string, platform: PlatformName, who: { id: string; displayName: string }): Promise<MemberInfo> {
    const found = await this.#members.add(memberRequest(communityId, platform, who, undefined));
    if (!found) throw new Error(`no account for ${platform} user ${who.id} after finding or creating it`);
    return found;
  }

  /**
   * `memberFor` with the interaction's claim in the same statement (one round trip where
   * there were two): undefined when the key was claimed before, and then nothing is written.
   */
  async claimAndFindMember(communityId: string, platform: PlatformName, who: { id: string; displayName: string }, claim: InteractionClaimRequest): Promise<MemberInfo | undefined> {
    return this.#members.add(memberRequest(communityId, platform, who, claim));
  }

  async #resolve(requests: readonly MemberRequest[]): Promise<(MemberInfo | undefined)[]> {
    try {
      const rows = await memberStatement(this.db, requests, this.clock.now());
      return rows.map((row, i) => {
        if (!row.claimed || !row.accountId || !row.memberId || row.memberName === null) return undefined;
        return { member: { id: row.memberId, displayName: row.memberName }, account: { id: row.accountId, externalId: requests[i]!.user.id } };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another statement (another process's, or this one's other lane) made one of these accounts
      // meanwhile, and this one was undone whole, claims included: each lookup again on its own,
      // so only the raced one retries.
      if (requests.length > 1) return Promise.all(requests.map(async (request) => (await this.#resolve([request]))[0]));
      return [await this.#afterRace(requests[0]!, error)];
    }
  }

  /**
   * The same person's first two commands raced: the other one created the account, and this
   * statement was undone whole (its member, and its claim, which is taken again here).
   */
  async #afterRace({ communityId, platform, user, claim }: MemberRequest, error: unknown): Promise<MemberInfo | undefined> {
    if (claim && !(await new Claims(this.db).claim(claim.key, claim.at, claim.holder))) return undefined;
    const raced = await this.#findAccount(communityId, platform, user.id);
    if (!raced) throw error;
    return { member: { id: raced.memberId, displayName: raced.memberName }, account: { id: raced.accountId, externalId: user.id } };
  }

  /**
   * The member behind a platform account if they have been seen, without creating one:
   * looking someone up (`/points @name`) must not make them a member.
   */
  async findMember(communityId: string, platform: PlatformName, externalId: string): Promise<{ id: string; displayName: string } | undefined> {
    const found = await this.#findAccount(communityId, platform, externalId);
    return found ? { id: found.memberId, displayName: found.memberName } : undefined;
  }

  /**
   * The account and its member in one statement: every command starts here, and Prisma reads a
   * relation with a second query (a second round trip on every command).
   */
  async #findAccount(communityId: string, platform: string, externalId: string) {
    const [found] = await this.db.$queryRaw<{ accountId: string; accountName: string; memberId: string; memberName: string }[]>`
      SELECT a."id" AS "accountId", a."displayName" AS "accountName", m."id" AS "memberId", m."displayName" AS "memberName"
      FROM "PlatformAccount" a JOIN "Member" m ON m."id" = a."memberId"
      WHERE a."communityId" = ${communityId} AND a."platform" = ${platform} AND a."externalId" = ${externalId}`;
    return found;
  }

  /** Display names of the community's members by id (unknown ids are left out). */
  async displayNames(communityId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const members = await this.db.member.findMany({ where: { communityId, id: { in: [...ids] } }, select: { id: true, displayName: true } });
    return new Map(members.map((m) => [m.id, m.displayName]));
  }

  async accountsOf(memberId: string) {
    return this.db.platformAccount.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });
  }

  /**
   * A fresh one-time code for this member; earlier unused codes stop working. One SQL
   * statement does both, so it is atomic without the round trips of a transaction.
   */
  async createLinkCode(communityId: string, memberId: string, platform: PlatformName, now: Date): Promise<{ code: string; expiresAt: Date }> {
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await sqlFor(this.db)`
      WITH cleared AS (DELETE FROM "LinkCode" WHERE "memberId" = ${memberId} AND "usedAt" IS NULL)
      INSERT INTO "LinkCode" ("code", "communityId", "memberId", "issuedOnPlatform", "createdAt", "expiresAt")
      VALUES (${code}, ${communityId}, ${memberId}, ${platform}, ${now}, ${expiresAt})`;
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
      for (const listener of this.#mergeListeners) await listener(tx, { communityId: input.communityId, fromId: redeemer.memberId, intoId: found.memberId });
      return { memberId: found.memberId, displayName: found.member.displayName, otherPlatform: PLATFORM_LABEL[found.issuedOnPlatform] ?? found.issuedOnPlatform };
    });
  }
}

import type { PlatformName } from "../core/context.js";
import type { InteractionClaimRequest } from "../core/directory.js";
import { neutraliseName } from "../core/safe-text.js";
import type { Db } from "../db/database.js";
import { sqlFor } from "../db/sql.js";

/** One lookup of the member behind a platform account, with the interaction's claim if any. */
export interface MemberRequest {
  readonly communityId: string;
  readonly platform: PlatformName;
  /** The name already made safe to post. */
  readonly user: { readonly id: string; readonly displayName: string };
  readonly claim: InteractionClaimRequest | undefined;
}

export function memberRequest(communityId: string, platform: PlatformName, who: { id: string; displayName: string }, claim: InteractionClaimRequest | undefined): MemberRequest {
  // Names are posted in threads, digests and leaderboards: no controls or bidi overrides.
  return { communityId, platform, user: { id: who.id, displayName: neutraliseName(who.displayName) || who.id }, claim };
}

/** What the statement answers for one request: whether its claim (if any) was won, and the account found or made. */
export interface MemberRow {
  readonly claimed: boolean;
  readonly accountId: string | null;
  readonly memberId: string | null;
  readonly memberName: string | null;
}

/**
 * Every request's claim and member in one statement, one row per request in their order.
 * For each request: its claim is Claims.claim's INSERT (the first request of a key, should
 * one come twice, is the one that can win it); only a request whose claim was won, or that
 * carries none, reads its account with the member, or inserts both (once per person however
 * often they appear), and renames the account if its name changed. A request whose claim was
 * lost writes nothing. New members are dated `now`.
 */
export function memberStatement(db: Db, requests: readonly MemberRequest[], now: Date): Promise<MemberRow[]> {
  const column = <T>(pick: (r: MemberRequest) => T) => requests.map(pick);
  return sqlFor(db)<MemberRow>`
    WITH input AS MATERIALIZED (
      SELECT * FROM unnest(
        ${column((r) => r.claim?.key ?? null)}::text[], ${column((r) => r.claim?.at.toISOString() ?? null)}::timestamp(3)[],
        ${column((r) => r.claim?.holder ?? null)}::text[], ${column((r) => r.communityId)}::text[], ${column((r) => r.platform)}::text[],
        ${column((r) => r.user.id)}::text[], ${column((r) => r.user.displayName)}::text[]
      ) WITH ORDINALITY AS i("key", "at", "holder", "communityId", "platform", "externalId", "displayName", "n")
    ), first_of_key AS (
      SELECT DISTINCT ON ("key") "key", "n" FROM input WHERE "key" IS NOT NULL ORDER BY "key", "n"
    ), claim AS (
      INSERT INTO "InteractionClaim" ("key", "claimedAt", "holder")
      SELECT i."key", i."at", i."holder" FROM input i JOIN first_of_key f ON f."n" = i."n"
      ON CONFLICT ("key") DO NOTHING
      RETURNING "key"
    ), go AS (
      SELECT i.*, (i."key" IS NULL OR i."n" IN (SELECT f."n" FROM first_of_key f JOIN claim c ON c."key" = f."key")) AS "claimed" FROM input i
    ), found AS (
      SELECT g."n", a."id" AS "accountId", a."displayName" AS "accountName", m."id" AS "memberId", m."displayName" AS "memberName"
      FROM go g
      JOIN "PlatformAccount" a ON a."communityId" = g."communityId" AND a."platform" = g."platform" AND a."externalId" = g."externalId"
      JOIN "Member" m ON m."id" = a."memberId"
      WHERE g."claimed"
    ), renamed AS (
      UPDATE "PlatformAccount" a SET "displayName" = r."displayName"
      FROM (
        SELECT DISTINCT ON (f."accountId") f."accountId", g."displayName"
        FROM found f JOIN go g ON g."n" = f."n" WHERE f."accountName" <> g."displayName"
        ORDER BY f."accountId", g."n" DESC
      ) r
      WHERE a."id" = r."accountId"
    ), newcomers AS MATERIALIZED (
      SELECT DISTINCT ON (g."communityId", g."platform", g."externalId")
        g."communityId", g."platform", g."externalId", g."displayName", gen_random_uuid()::text AS "memberId", gen_random_uuid()::text AS "accountId"
      FROM go g
      WHERE g."claimed" AND NOT EXISTS (SELECT 1 FROM found f WHERE f."n" = g."n")
      ORDER BY g."communityId", g."platform", g."externalId", g."n"
    ), new_member AS (
      INSERT INTO "Member" ("id", "communityId", "displayName", "createdAt")
      SELECT "memberId", "communityId", "displayName", ${now}::timestamp(3) FROM newcomers
      RETURNING "id"
    ), new_account AS (
      INSERT INTO "PlatformAccount" ("id", "communityId", "memberId", "platform", "externalId", "displayName", "createdAt")
      SELECT n."accountId", n."communityId", n."memberId", n."platform", n."externalId", n."displayName", ${now}::timestamp(3)
      FROM newcomers n JOIN new_member m ON m."id" = n."memberId"
      RETURNING "id"
    )
    SELECT g."claimed", coalesce(f."accountId", n."accountId") AS "accountId", coalesce(f."memberId", n."memberId") AS "memberId",
      coalesce(f."memberName", n."displayName") AS "memberName"
    FROM go g
    LEFT JOIN found f ON f."n" = g."n"
    LEFT JOIN newcomers n ON f."n" IS NULL AND g."claimed"
      AND n."communityId" = g."communityId" AND n."platform" = g."platform" AND n."externalId" = g."externalId"
    ORDER BY g."n"`;
}

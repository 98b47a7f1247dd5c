import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../../db/database.js";

/** A sign-in link works once, for ten minutes; the session it starts lasts twelve hours. */
export const LINK_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Only hashes are stored: a leaked database row cannot be replayed as a link or a cookie. */
export function hashOf(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A fresh single-use sign-in token for a creator or admin of a community. */
export async function issueLoginToken(db: Db, communityId: string, memberId: string, now: Date): Promise<string> {
  const token = newSecret();
  await db.dashboardLoginToken.create({ data: { tokenHash: hashOf(token), communityId, memberId, expiresAt: new Date(now.getTime() + LINK_TTL_MS), createdAt: now } });
  return token;
}

export type Redeemed = { ok: true; session: string; communityId: string; expiresAt: Date } | { ok: false; why: "used" | "expired" | "unknown" };

/**
 * Spends a token and starts a session. The spend is one conditional UPDATE, so two browsers
 * opening the same link at once get one session between them.
 */
export async function redeemLoginToken(db: Db, token: string, now: Date): Promise<Redeemed> {
  const tokenHash = hashOf(token);
  const spent = await db.$queryRaw<{ communityId: string; memberId: string }[]>`
    UPDATE "DashboardLoginToken" SET "usedAt" = ${now}
    WHERE "tokenHash" = ${tokenHash} AND "usedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "communityId", "memberId"`;
  const row = spent[0];
  if (!row) {
    const known = await db.dashboardLoginToken.findUnique({ where: { tokenHash } });
    return { ok: false, why: !known ? "unknown" : known.usedAt ? "used" : "expired" };
  }
  const session = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.dashboardSession.create({ data: { idHash: hashOf(session), communityId: row.communityId, memberId: row.memberId, expiresAt, createdAt: now } });
  return { ok: true, session, communityId: row.communityId, expiresAt };
}

/** The community a session cookie belongs to, if the session is live. */
export async function sessionCommunity(db: Db, session: string | undefined, now: Date): Promise<{ communityId: string; memberId: string } | undefined> {
  if (!session || session.length > 100) return undefined;
  const row = await db.dashboardSession.findUnique({ where: { idHash: hashOf(session) } });
  if (!row || row.revokedAt || row.expiresAt <= now) return undefined;
  return { communityId: row.communityId, memberId: row.memberId };
}

/** Signs every browser out of a community's dashboard, and voids links not yet opened. */
export async function revokeAll(db: Db, communityId: string, now: Date): Promise<number> {
  const revoked = await db.dashboardSession.updateMany({ where: { communityId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
  await db.dashboardLoginToken.updateMany({ where: { communityId, usedAt: null }, data: { usedAt: now } });
  return revoked.count;
}

/**
 * The reviewers: joining with languages, going away and coming back, leaving. Whenever
 * reviewers become available, waiting requests are assigned; when one stops being available,
 * the reviews they had not started (all of them, when they leave) go to someone else.
 */
import { UserFacingError } from "../core/errors.js";
import type { Tx } from "../db/transaction.js";
import type { Reviewer } from "../generated/prisma/client.js";
import { isAvailable } from "./assignment.js";
import { parseAwayUntil } from "./away.js";
import { parseLanguages } from "./languages.js";
import { announceReassignment } from "./progress.js";
import { OPEN_STATUSES, type Queue, type Reassignment, withQueue } from "./queue.js";
import { type ReviewActor, type ReviewKit, reviewSettings } from "./review-deps.js";

export interface RosterChange {
  readonly reviewer: Reviewer;
  /** Requests given to reviewers because of this change (waiting ones, or the member's own). */
  readonly moved: readonly Reassignment[];
}

async function announceAll(kit: ReviewKit, moved: readonly Reassignment[], why: (r: Reassignment) => string): Promise<void> {
  for (const change of moved) await announceReassignment(kit, change, why(change));
}

/** Hands the member's open reviews (only the unstarted ones unless `all`) to other reviewers. */
async function handOff(queue: Queue, tx: Tx, actor: ReviewActor, all: boolean): Promise<Reassignment[]> {
  const open = await tx.reviewRequest.findMany({
    where: { communityId: actor.community.id, assigneeId: actor.member.id, status: { in: all ? [...OPEN_STATUSES] : ["assigned"] } },
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
  });
  const moved: Reassignment[] = [];
  for (const r of open) moved.push((await queue.reassign(r, actor.now))!);
  return moved;
}

/** `/reviewer join <languages>`: joins (or updates languages, or rejoins), available at once. */
export async function join(kit: ReviewKit, actor: ReviewActor, languagesText: string): Promise<RosterChange & { rejoined: boolean }> {
  const languages = parseLanguages(languagesText);
  const key = { communityId: actor.community.id, memberId: actor.member.id };
  const result = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    const before = await tx.reviewer.findUnique({ where: { communityId_memberId: key } });
    const reviewer = await tx.reviewer.upsert({
      where: { communityId_memberId: key },
      create: { ...key, languages, joinedAt: actor.now },
      update: { languages, awayUntil: null, leftAt: null, ...(before?.leftAt ? { joinedAt: actor.now } : {}) },
    });
    return { reviewer, rejoined: before !== null && before.leftAt === null, moved: await queue.assignWaiting(actor.now) };
  });
  await announceAll(kit, result.moved, () => "A reviewer is available.");
  return result;
}

async function requireReviewer(tx: Tx, actor: ReviewActor): Promise<Reviewer> {
  const reviewer = await tx.reviewer.findUnique({ where: { communityId_memberId: { communityId: actor.community.id, memberId: actor.member.id } } });
  if (!reviewer || reviewer.leftAt) throw new UserFacingError("You are not a reviewer. Join with `/reviewer join <languages>`, e.g. `/reviewer join typescript, rust`.", "not_reviewer");
  return reviewer;
}

/** `/reviewer away <until>`: no new reviews until then; unstarted ones go to someone else. */
export async function away(kit: ReviewKit, actor: ReviewActor, untilText: string): Promise<RosterChange> {
  const until = parseAwayUntil(untilText, actor.now, reviewSettings(actor.community.config).timezone);
  const result = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    await requireReviewer(tx, actor);
    const reviewer = await tx.reviewer.update({ where: { communityId_memberId: { communityId: actor.community.id, memberId: actor.member.id } }, data: { awayUntil: until } });
    return { reviewer, moved: await handOff(queue, tx, actor, false) };
  });
  await announceAll(kit, result.moved, () => "Its reviewer is away.");
  return result;
}

/** `/reviewer back`: available again at once; waiting requests may come their way. */
export async function back(kit: ReviewKit, actor: ReviewActor): Promise<RosterChange & { wasAway: boolean }> {
  const result = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    const before = await requireReviewer(tx, actor);
    const reviewer = await tx.reviewer.update({ where: { communityId_memberId: { communityId: actor.community.id, memberId: actor.member.id } }, data: { awayUntil: null } });
    return { reviewer, wasAway: !isAvailable(before, actor.now), moved: await queue.assignWaiting(actor.now) };
  });
  await announceAll(kit, result.moved, () => "A reviewer is back.");
  return result;
}

/** `/reviewer leave`: stops reviewing; every open review of theirs goes to someone else. */
export async function leave(kit: ReviewKit, actor: ReviewActor): Promise<RosterChange> {
  const result = await withQueue(kit.db, actor.community.id, async (tx, queue) => {
    await requireReviewer(tx, actor);
    const reviewer = await tx.reviewer.update({ where: { communityId_memberId: { communityId: actor.community.id, memberId: actor.member.id } }, data: { leftAt: actor.now } });
    return { reviewer, moved: await handOff(queue, tx, actor, true) };
  });
  await announceAll(kit, result.moved, () => "Its reviewer stopped reviewing.");
  return result;
}

export interface RosterEntry {
  readonly memberId: string;
  readonly displayName: string;
  readonly languages: readonly string[];
  readonly awayUntil: Date | null;
  readonly openReviews: number;
}

/** `/reviewer list`: everyone reviewing, with their languages, absence and open reviews. */
export async function roster(kit: ReviewKit, communityId: string): Promise<RosterEntry[]> {
  const reviewers = await kit.db.reviewer.findMany({ where: { communityId, leftAt: null }, orderBy: { joinedAt: "asc" }, take: 100 });
  const names = await kit.db.member.findMany({ where: { id: { in: reviewers.map((r) => r.memberId) } }, select: { id: true, displayName: true } });
  const open = await kit.db.reviewRequest.groupBy({ by: ["assigneeId"], where: { communityId, status: { in: [...OPEN_STATUSES] } }, _count: { _all: true } });
  const nameOf = new Map(names.map((n) => [n.id, n.displayName]));
  const countOf = new Map(open.map((o) => [o.assigneeId, o._count._all]));
  return reviewers.map((r) => ({ memberId: r.memberId, displayName: nameOf.get(r.memberId) ?? "a member", languages: r.languages, awayUntil: r.awayUntil, openReviews: countOf.get(r.memberId) ?? 0 }));
}

/** Languages the community's reviewers list, most common first: suggestions for `/review request`. */
export async function knownLanguages(kit: ReviewKit, communityId: string): Promise<string[]> {
  const rows = await kit.db.reviewer.findMany({ where: { communityId, leftAt: null }, select: { languages: true }, take: 500 });
  const counts = new Map<string, number>();
  for (const l of rows.flatMap((r) => r.languages)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
}

/** Display names of members, for replies (shown bold, never as mentions). */
export async function displayNames(kit: ReviewKit, memberIds: readonly string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const rows = await kit.db.member.findMany({ where: { id: { in: [...new Set(memberIds)] } }, select: { id: true, displayName: true } });
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

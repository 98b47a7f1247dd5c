import type { CommunityConfig } from "../../src/config/communities.js";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { Reply } from "../../src/core/reply.js";
import { type ManualClock, startCommunity } from "../support/community.js";

export type Community = Awaited<ReturnType<typeof startCommunity>>;

/** A playground community with review settings overridden. */
export async function reviewCommunity(kind: "pglite" | "postgres", opts: { review?: Partial<CommunityConfig["review"]>; timezone?: string; clock?: ManualClock } = {}): Promise<Community> {
  return startCommunity(kind, {
    community: { review: { ...DEFAULT_SETTINGS.review, ...opts.review }, ...(opts.timezone ? { timezone: opts.timezone } : {}) },
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
}

/** The reply's text, failing loudly when the command answered with an error. */
export function ok(r: Reply): string {
  if (r.tone === "error") throw new Error(`command failed: ${r.text}`);
  return r.text ?? "";
}

export const review = (c: Community, as: string, sub: string, options: Record<string, string | number> = {}, extra: { channelId?: string } = {}) => c.run(as, "review", options, { subcommand: sub, ...extra });
export const reviewer = (c: Community, as: string, sub: string, options: Record<string, string | number> = {}) => c.run(as, "reviewer", options, { subcommand: sub });

/** Reviewers joining in order, a minute apart (so ties go to who joined first), each with the languages given. */
export async function joinReviewers(c: Community, entries: Record<string, string>): Promise<void> {
  for (const [name, languages] of Object.entries(entries)) {
    ok(await reviewer(c, name, "join", { languages }));
    c.clock.advance(60_000);
  }
}

export async function communityId(c: Community): Promise<string> {
  return (await c.services.identity.communityFor("playground", { id: "playground", name: "Playground" })).id;
}

export async function memberId(c: Community, name: string): Promise<string> {
  return c.join(name);
}

export async function requestNo(c: Community, number: number) {
  return c.db.reviewRequest.findFirstOrThrow({ where: { number } });
}

/** The display name behind a member id, for readable assertions. */
export async function nameOf(c: Community, id: string | null): Promise<string | null> {
  if (!id) return null;
  return (await c.db.member.findUniqueOrThrow({ where: { id } })).displayName;
}

/** Forgets every reviewer, request and post, so tests can share one community (and database). */
export async function resetReviews(c: Community): Promise<void> {
  await c.db.reviewRequest.deleteMany();
  await c.db.reviewer.deleteMany();
  c.chat.posts.length = 0;
  c.dms.length = 0;
}

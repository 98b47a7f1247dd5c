import { randomUUID } from "node:crypto";
import type { CommunityConfig } from "../../src/config/communities.js";
import { capabilities } from "../../src/capabilities.js";
import { allDigestSections } from "../../src/core/digest-sections.js";
import { inTransaction } from "../../src/db/transaction.js";
import type { PointCategory } from "../../src/points/ledger.js";
import { digestJob, runDigests } from "../../src/digest/job.js";
import type { Job } from "../../src/core/jobs/jobs.js";
import { type ManualClock, playgroundCommunity, startCommunity } from "../support/community.js";
import { quietLogger } from "../support/logger.js";


/** The sections the app's capabilities provide, as the digest gets them. */
export const DIGEST_SOURCES = allDigestSections(capabilities);

/** Berlin, daily at 09:00 (08:00 UTC in winter): the digest settings most tests use. */
export const BERLIN_DAILY: Partial<CommunityConfig> = {
  timezone: "Europe/Berlin",
  schedule: { announcementChannels: {}, digest: { cadence: "daily", weekday: 1, hour: 9, channels: {}, sections: ["courses", "solved", "waiting", "reviews", "helpers", "events", "members"], creatorSummary: false } },
};

/**
 * A community for digest tests: the playground runner, and shortcuts that seed what the
 * digest reports (with Prisma directly, at chosen moments) and run the digest job.
 */
export async function digestCommunity(kind: "pglite" | "postgres", opts: { community?: Partial<CommunityConfig>; clock?: ManualClock } = {}) {
  const overrides = opts.community ?? BERLIN_DAILY;
  const c = await startCommunity(kind, { ...opts, community: overrides });
  const config = playgroundCommunity(overrides);
  const creatorId = await c.join("Creator");
  const communityId = (await c.services.identity.communityFor("playground", { id: "playground", name: "Playground" })).id;
  let number = 0;
  const next = () => ++number;
  const memberAt = async (name: string, at: Date) => {
    const id = await c.join(name);
    await c.db.member.update({ where: { id }, data: { createdAt: at } });
    return id;
  };
  return {
    ...c,
    config,
    communityId,
    creatorId,
    memberAt,
    /** One pass of the digest job, as process `holder`. */
    runDigests: (holder = "p1", log = quietLogger()) => runDigests(c.services, [config], log, holder),
    job: (log = quietLogger()): Job => digestJob(c.services, [config], log),
    async course(title: string, at: Date, extra: { archivedAt?: Date; name?: string } = {}) {
      const name = extra.name ?? `course-${next()}`;
      await c.db.catalogItem.create({
        data: { communityId, name, title, description: "", stripePriceId: `price_${name}`, stripeProductId: `prod_${name}`, mode: "payment", currency: "eur", unitAmount: 4900, createdAt: at, archivedAt: extra.archivedAt ?? null },
      });
    },
    async question(title: string, at: Date, extra: { status?: string; solvedAt?: Date; answerer?: string; replyCount?: number; url?: string | null } = {}) {
      const n = next();
      const q = await c.db.question.create({
        data: {
          communityId, number: n, askerId: creatorId, title, details: "details", platform: "playground", spaceId: "playground", channelId: "general", threadId: `t-${n}`,
          url: extra.url === undefined ? `https://chat.invalid/t/${n}` : extra.url, status: extra.status ?? "open", replyCount: extra.replyCount ?? 0, createdAt: at, solvedAt: extra.solvedAt ?? null,
        },
      });
      if (extra.answerer) {
        const authorId = await c.join(extra.answerer);
        const reply = await c.db.questionReply.create({ data: { questionId: q.id, authorId, messageId: `m-${n}`, acceptedAt: extra.solvedAt ?? at } });
        await c.db.question.update({ where: { id: q.id }, data: { acceptedReplyId: reply.id } });
      }
      return q;
    },
    async review(at: Date, extra: { status?: string; language?: string } = {}) {
      const n = next();
      await c.db.reviewRequest.create({
        data: { communityId, number: n, requesterId: creatorId, link: `https://github.com/a/b/pull/${n}`, language: extra.language ?? "rust", platform: "playground", spaceId: "playground", channelId: "general", url: `https://chat.invalid/r/${n}`, status: extra.status ?? "waiting", createdAt: at },
      });
    },
    async points(memberId: string, amount: number, category: PointCategory, at: Date) {
      await inTransaction(c.db, (tx) => c.services.ledger.append(tx, [{ communityId, memberId, amount, category, reason: "test", source: "test", idempotencyKey: randomUUID(), at }]));
    },
    async event(title: string, startsAt: Date, extra: { status?: string } = {}) {
      await c.db.liveEvent.create({ data: { communityId, number: next(), title, startsAt, durationMin: 60, createdById: creatorId, status: extra.status ?? "scheduled", ...(extra.status === "cancelled" ? { cancelledAt: startsAt } : {}) } });
    },
    /** The digest messages posted so far (title and text). */
    digests() {
      return c.chat.posts.flatMap((p) => (p.kind === "post" ? [{ channelId: p.channelId, title: p.message.title ?? "", text: p.message.text ?? "" }] : []));
    },
  };
}

export type DigestCommunity = Awaited<ReturnType<typeof digestCommunity>>;

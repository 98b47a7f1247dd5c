import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildRollups } from "../../src/insights/rollups.js";
import { loadRollups, type Rollups } from "../../src/insights/report.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { ROLLUP_SOURCES } from "./support.js";

// Q&A, code review, events, points, checkout conversion and repeat purchases on a
// hand-built history; each expected figure is worked out in the comment beside it.
const NOW = new Date("2026-04-15T12:00:00Z");
const t = (iso: string) => new Date(`${iso}Z`);

describe.each(backends())("insights community metrics on %s", (backend) => {
  let db: TestDatabase;
  let r: Rollups;
  const C = "c-community";

  beforeAll(async () => {
    db = await freshDatabase(backend);
    const p = db.prisma;
    await p.community.create({ data: { id: C, slug: "community", name: "Community" } });
    const q = (number: number, createdAt: string, extra: { firstReplyAt?: string; status?: string; acceptedReplyId?: string } = {}) =>
      p.question.create({
        data: {
          id: `q${number}`, communityId: C, number, askerId: "m-asker", title: "Q", details: "", platform: "discord", spaceId: "g", channelId: "ch", threadId: `t${number}`,
          createdAt: t(createdAt), status: extra.status ?? "open", firstReplyAt: extra.firstReplyAt ? t(extra.firstReplyAt) : null, acceptedReplyId: extra.acceptedReplyId ?? null,
        },
      });
    await q(1, "2026-04-01T10:00:00", { firstReplyAt: "2026-04-01T10:30:00", status: "solved", acceptedReplyId: "qr1" }); // first reply 30 min
    await p.questionReply.create({ data: { id: "qr1", questionId: "q1", authorId: "m-helper", messageId: "x", acceptedAt: t("2026-04-01T12:00:00") } }); // accepted after 120 min
    await q(2, "2026-04-02T10:00:00", { firstReplyAt: "2026-04-02T11:30:00" }); // first reply 90 min, not accepted
    await q(3, "2026-04-12T10:00:00"); // open, no reply, older than 24 hours
    await q(4, "2026-04-15T11:00:00"); // open for an hour: not stale yet

    const review = (number: number, status: string, extra: { claimed?: string; done?: string; assignee?: string }) =>
      p.reviewRequest.create({
        data: {
          communityId: C, number, requesterId: "m-asker", link: "https://example.com/pr", platform: "discord", spaceId: "g", channelId: "ch", status,
          createdAt: t("2026-04-03T09:00:00"), claimedAt: extra.claimed ? t(extra.claimed) : null, doneAt: extra.done ? t(extra.done) : null, assigneeId: extra.assignee ?? null,
        },
      });
    await review(1, "done", { claimed: "2026-04-03T10:00:00", done: "2026-04-03T12:00:00", assignee: "m-rev1" }); // claim 60, done 180
    await review(2, "claimed", { claimed: "2026-04-03T11:00:00", assignee: "m-rev2" }); // claim 120, in the backlog
    await review(3, "waiting", {}); // in the backlog
    await review(4, "done", { claimed: "2026-04-03T09:30:00", done: "2026-04-03T10:00:00", assignee: "m-rev1" }); // claim 30, done 60
    // Median claim of 60, 120, 30 = 60; median done of 180, 60 = 120; m-rev1 did 2.

    await p.liveEvent.create({ data: { id: "ev1", communityId: C, number: 1, title: "Office hours", startsAt: t("2026-04-10T18:00:00"), durationMin: 60, createdById: "m-creator" } });
    for (const m of ["m1", "m2", "m3"]) await p.liveRsvp.create({ data: { eventId: "ev1", memberId: m } });
    await p.delivery.create({ data: { key: "live:ev1:reminder-24h:m1", status: "sent" } });
    await p.delivery.create({ data: { key: "live:ev1:reminder-24h:m2", status: "sent" } });
    await p.delivery.create({ data: { key: "live:ev1:reminder-24h:m3", status: "closed" } });
    await p.delivery.create({ data: { key: "live:ev1:cancelled:m1", status: "sent" } }); // not a reminder

    const kudos = (id: string, createdAt: string, amount = 1, reversesId?: string) =>
      p.pointEntry.create({ data: { id, communityId: C, memberId: "m-helper", amount, category: "kudos", reason: "thanks", source: "thanks", idempotencyKey: id, actorId: "m-asker", createdAt: t(createdAt), reversesId: reversesId ?? null } });
    await kudos("k1", "2026-04-13T10:00:00");
    await kudos("k2", "2026-04-14T10:00:00");
    await kudos("k3", "2026-04-15T10:00:00");
    await kudos("k3-undo", "2026-04-15T11:00:00", -1, "k3"); // k3 reversed: 2 kudos in the week of Monday 13 April
    await kudos("k0", "2026-04-08T10:00:00"); // the week before: 1

    const session = (id: string, memberId: string, itemId: string, createdAt: string, status: string, paymentStatus: string) =>
      p.checkoutSession.create({ data: { id, communityId: C, memberId, itemId, url: "https://x", status, paymentStatus, expiresAt: t(createdAt), createdAt: t(createdAt) } });
    await session("cs_a", "m-a", "course", "2026-03-02T10:00:00", "expired", "unpaid"); // started, never completed
    await session("cs_d", "m-d", "course", "2026-03-12T10:00:00", "complete", "paid"); // completed, refunded within 30 days
    await session("cs_c", "m-c", "pro", "2026-03-01T10:00:00", "complete", "paid"); // completed, still has access 30 days later
    await session("cs_d0", "m-d", "other", "2026-01-05T10:00:00", "complete", "paid"); // D's earlier purchase: D bought twice
    const ent = (memberId: string, itemId: string, source: string, sourceRef: string, startsAt: string, revokedAt?: string) =>
      p.entitlement.create({ data: { communityId: C, memberId, itemId, source, sourceRef, startsAt: t(startsAt), revokedAt: revokedAt ? t(revokedAt) : null } });
    await ent("m-d", "course", "purchase", "cs_d", "2026-03-12T10:00:00", "2026-03-14T10:00:00");
    await ent("m-c", "pro", "subscription", "sub_c", "2026-03-01T10:00:00");

    await rebuildRollups(p, C, NOW, ROLLUP_SOURCES);
    r = await loadRollups(p, C);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("Q&A: asked, answered, median minutes to first reply and to accepted answer, stale questions", () => {
    expect(r.get("qa.asked", "month:2026-04")).toBe(4);
    expect(r.get("qa.answered", "month:2026-04")).toBe(2);
    expect(r.get("qa.firstReplyMinutes", "month:2026-04")).toBe(60);
    expect(r.get("qa.acceptedMinutes", "month:2026-04")).toBe(120);
    expect(r.get("qa.stale", "now")).toBe(2); // q2 (answered, not solved) and q3; q4 is younger than 24 hours
  });

  it("code review: requests, median minutes to claim and to done, backlog, reviews per reviewer", () => {
    expect(r.get("reviews.requested", "month:2026-04")).toBe(4);
    expect(r.get("reviews.claimMinutes", "month:2026-04")).toBe(60);
    expect(r.get("reviews.doneMinutes", "month:2026-04")).toBe(120);
    expect(r.get("reviews.backlog", "now")).toBe(2);
    expect(r.get("reviews.done", "month:2026-04", "m-rev1")).toBe(2);
  });

  it("events: RSVPs, reminders delivered and refused", () => {
    expect(r.get("events.rsvps", "event", "ev1")).toBe(3);
    expect(r.get("events.delivered", "event", "ev1")).toBe(2);
    expect(r.get("events.refused", "event", "ev1")).toBe(1);
  });

  it("points: kudos given per week, reversed kudos not counted", () => {
    expect(r.get("points.kudos", "week:2026-04-13")).toBe(2);
    expect(r.get("points.kudos", "week:2026-04-06")).toBe(1);
  });

  it("checkout conversion: ran /buy → completed → still with access 30 days later; repeat purchase rate", () => {
    expect(r.get("checkout.started", "month:2026-03")).toBe(3);
    expect(r.get("checkout.completed", "month:2026-03")).toBe(2);
    expect(r.get("checkout.retainedKnown", "month:2026-03")).toBe(2);
    expect(r.get("checkout.retained", "month:2026-03")).toBe(1);
    expect(r.get("purchases.buyers", "now")).toBe(2); // C and D
    expect(r.get("purchases.repeat", "now")).toBe(1); // D
  });
});

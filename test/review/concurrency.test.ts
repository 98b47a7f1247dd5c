import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { type Community, joinReviewers, ok, review, reviewCommunity } from "./support.js";

const PR = "https://github.com/ada/parser/pull/3";

describe.each(backends())("simultaneous review requests on %s", (kind) => {
  let c: Community;
  beforeAll(async () => {
    c = await reviewCommunity(kind);
  });
  afterAll(() => c.dispose());

  it("spread evenly over the reviewers, with distinct numbers, as if one after another", async () => {
    const reviewers = Array.from({ length: 6 }, (_, i) => `Reviewer${i}`);
    await joinReviewers(c, Object.fromEntries(reviewers.map((name) => [name, "ts"])));
    const requesters = Array.from({ length: 30 }, (_, i) => `Member${i}`);
    for (const name of requesters) await c.join(name);
    const replies = await Promise.all(requesters.map((name) => review(c, name, "request", { link: PR, language: "typescript" })));
    replies.forEach(ok);

    const rows = await c.db.reviewRequest.findMany({ orderBy: { number: "asc" } });
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const perReviewer = new Map<string, number>();
    for (const r of rows) perReviewer.set(r.assigneeId!, (perReviewer.get(r.assigneeId!) ?? 0) + 1);
    expect([...perReviewer.values()].sort()).toEqual([5, 5, 5, 5, 5, 5]);
    expect(new Set(rows.map((r) => r.threadId)).size).toBe(30);
  });
});

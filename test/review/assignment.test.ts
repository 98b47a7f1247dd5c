import { describe, expect, it } from "vitest";
import { type Candidate, pickReviewer } from "../../src/review/assignment.js";

const now = new Date("2026-12-01T09:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

function reviewer(memberId: string, extra: Partial<Candidate> = {}): Candidate {
  return { memberId, languages: ["typescript"], awayUntil: null, leftAt: null, openReviews: 0, lastAssignedAt: null, ...extra };
}

const pick = (candidates: Candidate[], needs: { requesterId?: string; language?: string; passedBy?: string[] } = {}) =>
  pickReviewer(candidates, { requesterId: needs.requesterId ?? "requester", language: needs.language, passedBy: needs.passedBy ?? [] }, now);

describe("picking a reviewer", () => {
  it("prefers reviewers who know the language", () => {
    const all = [reviewer("ada", { languages: ["python"] }), reviewer("grace", { languages: ["rust", "typescript"], openReviews: 3 })];
    expect(pick(all, { language: "typescript" })).toEqual({ memberId: "grace", languageMatched: true });
  });

  it("falls back to any available reviewer when nobody knows the language, and says so", () => {
    const all = [reviewer("ada", { languages: ["python"], openReviews: 1 }), reviewer("grace", { languages: ["go"] })];
    expect(pick(all, { language: "cobol" })).toEqual({ memberId: "grace", languageMatched: false });
  });

  it("skips reviewers who are away or left, but not those whose absence ended", () => {
    const all = [
      reviewer("away", { awayUntil: new Date(now.getTime() + 60_000) }),
      reviewer("left", { leftAt: minutesAgo(5) }),
      reviewer("back", { awayUntil: minutesAgo(1), openReviews: 2 }),
    ];
    expect(pick(all)?.memberId).toBe("back");
    expect(pick(all.slice(0, 2))).toBeUndefined();
  });

  it("never picks the requester, nor anyone who passed on the request", () => {
    const all = [reviewer("ada"), reviewer("grace", { openReviews: 1 }), reviewer("linus", { openReviews: 2 })];
    expect(pick(all, { requesterId: "ada" })?.memberId).toBe("grace");
    expect(pick(all, { requesterId: "ada", passedBy: ["grace"] })?.memberId).toBe("linus");
    expect(pick(all, { requesterId: "ada", passedBy: ["grace", "linus"] })).toBeUndefined();
  });

  it("picks the fewest open reviews, then whoever was assigned least recently (never first), then who joined first", () => {
    expect(pick([reviewer("busy", { openReviews: 2 }), reviewer("idle", { openReviews: 1, lastAssignedAt: minutesAgo(1) })])?.memberId).toBe("idle");
    expect(pick([reviewer("recent", { lastAssignedAt: minutesAgo(1) }), reviewer("earlier", { lastAssignedAt: minutesAgo(60) })])?.memberId).toBe("earlier");
    expect(pick([reviewer("before", { lastAssignedAt: minutesAgo(60) }), reviewer("never")])?.memberId).toBe("never");
    expect(pick([reviewer("b", { joinedAt: minutesAgo(1) }), reviewer("a", { joinedAt: minutesAgo(2) })])?.memberId).toBe("a");
  });
});

/** A seeded generator, so the simulation is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("fairness", () => {
  it("over 1,000 requests, no one of 10 equally available reviewers gets more than 15% above the mean", () => {
    const rand = random(42);
    const ids = Array.from({ length: 10 }, (_, i) => `r${i}`);
    let reviewers = ids.map((id) => reviewer(id, { languages: ["typescript", "rust"] }));
    const open = new Map<string, string>(); // request → assignee, for reviews not finished yet
    const total = new Map(ids.map((id) => [id, 0]));
    let clock = now.getTime();
    for (let n = 0; n < 1000; n++) {
      clock += 60_000;
      // Reviews finish at random, as they would: each open one has a 30% chance per request.
      for (const [request, assignee] of [...open]) {
        if (rand() < 0.3) {
          open.delete(request);
          reviewers = reviewers.map((r) => (r.memberId === assignee ? { ...r, openReviews: r.openReviews - 1 } : r));
        }
      }
      // A third of requests come from reviewers themselves; some name a language.
      const requesterId = rand() < 0.33 ? ids[Math.floor(rand() * ids.length)]! : `member${n}`;
      const language = rand() < 0.5 ? (rand() < 0.5 ? "typescript" : "rust") : undefined;
      const picked = pickReviewer(reviewers, { requesterId, language, passedBy: [] }, new Date(clock))!;
      expect(picked.memberId).not.toBe(requesterId);
      open.set(`q${n}`, picked.memberId);
      total.set(picked.memberId, total.get(picked.memberId)! + 1);
      reviewers = reviewers.map((r) => (r.memberId === picked.memberId ? { ...r, openReviews: r.openReviews + 1, lastAssignedAt: new Date(clock) } : r));
    }
    const counts = [...total.values()];
    const mean = 1000 / ids.length;
    expect(Math.max(...counts)).toBeLessThanOrEqual(mean * 1.15);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(mean * 0.85);
  });
});

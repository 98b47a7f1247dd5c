// /recommend on a seeded community: the ranking for five members, computed by hand from the
// weights documented in src/recommend/score.ts (4 × co-purchase + 3 × interests + 2 × rating
// + 1 × popularity; rating pulled towards 3.5 by 5 imaginary ratings; popularity over the
// most-bought item's 5 buyers).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { startCommunity } from "../support/community.js";

type Community = Awaited<ReturnType<typeof startCommunity>>;

const ITEMS = [
  { name: "async-rust", title: "Async Rust", description: "Futures, tokio and pinning in Rust" },
  { name: "rust-web", title: "Rust on the Web", description: "Build web services with axum in Rust" },
  { name: "go-basics", title: "Go Basics", description: "Goroutines and channels for beginners in Go" },
  { name: "ts-deep", title: "TypeScript Deep Dive", description: "Types, generics and narrowing in TypeScript" },
  { name: "python-data", title: "Python for Data", description: "pandas and numpy with Python" },
  { name: "c-intro", title: "C Intro", description: "Pointers and memory in C" },
  { name: "zig-intro", title: "Zig Intro", description: "Comptime and allocators in Zig" },
  { name: "old-course", title: "Old Course", description: "The 2015 edition", archived: true },
];

/** Who bought what. Buyers: old-course 5 (the most), async-rust 4, ts-deep 4, rust-web 2, python-data 2, go-basics 1. */
const PURCHASES: Record<string, string[]> = {
  B1: ["async-rust", "rust-web"],
  B2: ["async-rust", "rust-web"],
  B3: ["async-rust", "go-basics"],
  B4: ["ts-deep", "python-data"],
  B5: ["ts-deep"],
  B6: ["python-data", "old-course"],
  B7: ["old-course", "ts-deep"],
  B8: ["old-course"],
  B9: ["old-course"],
  B10: ["old-course"],
  Ada: ["async-rust"],
  Linus: ["ts-deep"],
};

/** Stars per item (old-course is archived: never recommended, however well rated). */
const RATINGS: Record<string, number[]> = {
  "ts-deep": [5, 5, 5, 5, 4], // 4.8 by 5
  "python-data": [3, 3],
  "go-basics": [5],
  "async-rust": [4, 4],
  "old-course": [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
};

describe.each(backends())("/recommend on %s", (kind) => {
  let c: Community;
  let communityId: string;
  const run = async (name: string) => {
    const r = await c.run(name, "recommend");
    return r.text!.split("\n");
  };
  beforeAll(async () => {
    c = await startCommunity(kind);
    communityId = (await c.services.identity.communityFor("playground", { id: "playground", name: "Playground" })).id;
    const items = new Map<string, string>();
    for (const item of ITEMS) {
      const row = await c.db.catalogItem.create({
        data: { communityId, name: item.name, title: item.title, description: item.description, stripePriceId: `price_${item.name}`, stripeProductId: `prod_${item.name}`, mode: "payment", currency: "eur", unitAmount: 4900, archivedAt: item.archived ? new Date("2026-01-01") : null },
      });
      items.set(item.name, row.id);
    }
    const at = new Date("2026-11-01T00:00:00Z");
    for (const [name, bought] of Object.entries(PURCHASES)) {
      const memberId = await c.join(name);
      for (const item of bought) {
        await c.db.entitlement.create({ data: { communityId, memberId, itemId: items.get(item)!, source: "purchase", sourceRef: `cs_${name}_${item}`, startsAt: at } });
      }
    }
    let number = 0;
    for (const [item, stars] of Object.entries(RATINGS)) {
      for (const [i, s] of stars.entries()) {
        await c.db.itemRating.create({ data: { communityId, number: ++number, itemId: items.get(item)!, memberId: `rater-${item}-${i}`, stars: s } });
      }
    }
    // Grace asks about pandas in Python and reviews TypeScript; Linus asks about Go.
    const grace = await c.join("Grace");
    const linus = await c.join("Linus");
    const question = (askerId: string, n: number, tags: string[]) =>
      c.db.question.create({ data: { communityId, number: n, askerId, title: `Question ${n}`, details: "…", tags, platform: "playground", spaceId: "playground", channelId: "general", threadId: `q${n}` } });
    await question(grace, 1, ["python", "pandas"]);
    await question(grace, 2, ["pandas"]);
    await question(linus, 3, ["go"]);
    await c.db.reviewer.create({ data: { communityId, memberId: grace, languages: ["typescript"] } });
    // Edsger was given four items by hand: held, so never recommended, though not bought.
    const edsger = await c.join("Edsger");
    for (const item of ["async-rust", "go-basics", "ts-deep", "python-data"]) {
      await c.db.entitlement.create({ data: { communityId, memberId: edsger, itemId: items.get(item)!, source: "manual", sourceRef: `manual_${item}`, startsAt: at } });
    }
  });
  afterAll(() => c.dispose());

  it("recommends popular, well-rated items to a member with no history, never an archived one", async () => {
    // ts-deep 2 × 0.7875 + 0.8 = 2.375; async-rust 2 × 0.6607 + 0.8 = 2.121; rust-web 2 × 0.625 + 0.4 = 1.65.
    expect(await run("Newcomer")).toEqual([
      "1. **TypeScript Deep Dive** (`/buy ts-deep`): rated 4.8 by 5 members; 4 members have bought it",
      "2. **Async Rust** (`/buy async-rust`): rated 4.0 by 2 members; 4 members have bought it",
      "3. **Rust on the Web** (`/buy rust-web`): 2 members have bought it",
    ]);
  });

  it("puts what buyers of the member's course also bought first", async () => {
    // Of Async Rust's 3 other buyers, 2 bought rust-web and 1 go-basics: 4 × 2/3 + 1.25 + 0.4 = 4.317; 4 × 1/3 + 1.375 + 0.2 = 2.908; ts-deep 2.375.
    // Go Basics' reasons: its rating (2 × 0.6875 = 1.375) outweighs the co-purchase (4 × 1/3 = 1.333).
    expect(await run("Ada")).toEqual([
      "1. **Rust on the Web** (`/buy rust-web`): members who bought Async Rust also bought it; 2 members have bought it",
      "2. **Go Basics** (`/buy go-basics`): rated 5.0 by 1 member; members who bought Async Rust also bought it",
      "3. **TypeScript Deep Dive** (`/buy ts-deep`): rated 4.8 by 5 members; 4 members have bought it",
    ]);
  });

  it("matches the tags of the member's questions and the languages of their reviews", async () => {
    // Interests python, pandas, typescript: python-data 3 × 2/3 + 1.179 + 0.4 = 3.579; ts-deep 3 × 1/3 + 2.375 = 3.375; async-rust 2.121.
    expect(await run("Grace")).toEqual([
      "1. **Python for Data** (`/buy python-data`): matches the tags of your questions (pandas, python); rated 3.0 by 2 members",
      "2. **TypeScript Deep Dive** (`/buy ts-deep`): rated 4.8 by 5 members; matches the languages of your code reviews (typescript)",
      "3. **Async Rust** (`/buy async-rust`): rated 4.0 by 2 members; 4 members have bought it",
    ]);
  });

  it("weighs interests above co-purchase when they are stronger", async () => {
    // go-basics 3 × 1 + 1.375 + 0.2 = 4.575; python-data (1 of ts-deep's 3 other buyers) 4/3 + 1.179 + 0.4 = 2.912; async-rust 2.121.
    expect(await run("Linus")).toEqual([
      "1. **Go Basics** (`/buy go-basics`): matches the tags of your questions (go); rated 5.0 by 1 member",
      "2. **Python for Data** (`/buy python-data`): members who bought TypeScript Deep Dive also bought it; rated 3.0 by 2 members",
      "3. **Async Rust** (`/buy async-rust`): rated 4.0 by 2 members; 4 members have bought it",
    ]);
  });

  it("never recommends what the member holds from any source, and breaks ties by name", async () => {
    // rust-web 1.65; c-intro and zig-intro 1.25 each, no buyers: alphabetical.
    expect(await run("Edsger")).toEqual([
      "1. **Rust on the Web** (`/buy rust-web`): 2 members have bought it",
      "2. **C Intro** (`/buy c-intro`): new in the catalog",
      "3. **Zig Intro** (`/buy zig-intro`): new in the catalog",
    ]);
  });
});

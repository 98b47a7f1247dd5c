import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/transaction.js";
import { SEARCH_DOCUMENT } from "../../src/qa/search.js";
import { backends } from "../support/databases.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("/questions on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
    await c.ask("Ada", { title: "Pinning futures in async Rust", details: "Box::pin complains about lifetimes when I store the future." });
    await c.ask("Grace", { title: "Borrow checker and closures", details: "My closure captures a mutable reference twice." });
    const { question } = await c.ask("Ken", { title: "Slow startup", details: "The binary takes seconds before main runs." });
    await c.accept("Ken", await c.replyIn(question!, "Linus", "Strip debug symbols and enable link-time optimisation (LTO)."));
  });
  afterAll(() => c.dispose());

  it("finds a question by words in its title and details, with a link to its thread", async () => {
    const byTitle = await c.run("Barbara", "questions", { search: "pinning futures" });
    expect(byTitle.text).toMatch(/^\*\*#1\*\* \[Pinning futures in async Rust\]\(https:\/\/chat\.invalid\/general\/t1\) · open, no replies yet$/);
    const byDetails = await c.run("Barbara", "questions", { search: "closure mutable reference" });
    expect(byDetails.text).toContain("**#2** [Borrow checker and closures]");
    expect(byDetails.text).not.toContain("#1");
  });

  it("finds a question by its accepted answer", async () => {
    const found = await c.run("Barbara", "questions", { search: "link-time optimisation" });
    expect(found).toMatchObject({ title: "Questions matching “link-time optimisation”" });
    expect(found.text).toContain("**#3** [Slow startup]");
    expect(found.text).toContain("✅ solved");
  });

  it("ranks the better match first and understands web-search syntax", async () => {
    await c.ask("Margaret", { title: "Rust lifetimes everywhere", details: "Lifetimes, lifetimes: why does every Rust struct need lifetimes?" });
    const ranked = await c.services.qa.search(c.communityId, "lifetimes");
    expect(ranked.map((q) => q.number)).toEqual([4, 1]);
    expect((await c.services.qa.search(c.communityId, "lifetimes -struct")).map((q) => q.number)).toEqual([1]);
    expect((await c.services.qa.search(c.communityId, '"borrow checker"')).map((q) => q.number)).toEqual([2]);
  });

  it("lists the newest open questions without search text, and says when nothing matches", async () => {
    const open = await c.run("Barbara", "questions");
    expect(open.title).toBe("Newest open questions");
    expect(open.text!.split("\n").map((l) => /#(\d+)/.exec(l)![1])).toEqual(["4", "2", "1"]);
    expect((await c.run("Barbara", "questions", { search: "kubernetes" })).text).toBe("No questions match “kubernetes”. Try other words, or ask with `/ask`.");
    expect((await c.run("Barbara", "questions", { search: "the" })).text).toContain("No questions match");
  });

  it("searches the stored document the full-text index is built on", async () => {
    // With a handful of rows the planner rightly prefers other paths; forbid them to see the match.
    const plan = await inTransaction(c.db, async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN SELECT "id" FROM "Question", websearch_to_tsquery('english', 'rust') AS q WHERE ${SEARCH_DOCUMENT} @@ q`;
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Question_search_idx");
  });
});

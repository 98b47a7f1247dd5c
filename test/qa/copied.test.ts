// Copied answers in the playground: an accepted answer that matches an earlier answer by
// another member has its points held (in the question's hold account), and a creator releases
// or reverses them with /qa copied; the ledger still sums to the balances throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdAccount } from "../../src/qa/copied.js";
import { backends } from "../support/databases.js";
import { balancesOffLedger, qaCommunity, type QaCommunity } from "./support.js";

const ANSWER = `The loop holds a mutable borrow of \`items\` while you push into it. Collect the new elements first and extend afterwards:
\`\`\`rust
let mut extra = Vec::new();
for item in items.iter() { if item.needs_copy() { extra.push(item.clone()); } }
items.extend(extra);
\`\`\``;
/** The same answer, reformatted and with its identifiers renamed. */
const COPY = `the loop holds a mutable borrow of \`entries\` while you push into it.   Collect the new elements first and extend afterwards:
\`\`\`rust
let mut pending = Vec::new();
for entry in entries.iter() {
    if entry.should_dup() {
        pending.push(entry.clone());
    }
}
entries.extend(pending);
\`\`\``;
const OWN = "Clone the list before the loop, iterate over the clone and push into the original; pushing may reallocate the vector under the iterator.";

describe.each(backends())("copied answers (%s)", (kind) => {
  let c: QaCommunity;
  const creator = { level: "creator" as const, subcommand: "copied" };
  const settle = (action: string, question: number) => c.run("Cleo", "qa", { action, question }, creator);
  const holdBalance = async (number: number) => c.services.ledger.balance(c.communityId, holdAccount((await c.question(number)).id));
  /** Every account's balance equals the sum of its ledger rows. */
  const ledgerHolds = async () => expect(await balancesOffLedger(c)).toBe(0);

  beforeAll(async () => {
    c = await qaCommunity(kind);
    await c.give("Grace", 100);
    const { question } = await c.ask("Ada", { title: "Cannot borrow as mutable in a loop", details: "Pushing inside a for loop fails with E0499." });
    await c.accept("Ada", await c.replyIn(question!, "Linus", ANSWER));
    expect(await c.balance("Linus")).toBe(15);
  });
  afterAll(() => c.dispose());

  it("holds the points and the bounty of an accepted answer copied from another member's, and says so", async () => {
    const { question } = await c.ask("Grace", { title: "Mutable borrow twice in my loop", details: "Same E0499 when pushing while iterating.", bounty: 20 });
    const accepted = await c.accept("Grace", await c.replyIn(question!, "Ken", COPY));
    expect(accepted.text).toContain("Its points are held: it matches");
    expect(await c.balance("Ken")).toBe(0);
    expect(await holdBalance(2)).toBe(35);
    expect(await c.db.copiedAnswerHold.findUniqueOrThrow({ where: { questionId: question!.id } })).toMatchObject({ answerPoints: 15, bounty: 20, settlement: null });
    await ledgerHolds();
  });

  it("holds the kudos of /thanks on a held answer with its points", async () => {
    c.clock.advance(8 * 86_400_000); // new members wait before they can thank
    const thanked = await c.run("Grace", "thanks", { member: { platform: "playground", id: "pg-ken", displayName: "Ken" }, question: "2" });
    expect(thanked.tone).not.toBe("error");
    expect(await c.balance("Ken")).toBe(0);
    expect(await holdBalance(2)).toBe(36);
    await ledgerHolds();
  });

  it("a creator releases held points to the answerer, once", async () => {
    const released = await settle("release", 2);
    expect(released.text).toBe("Released the 36 held points for #2 to **Ken**.");
    expect(await c.balance("Ken")).toBe(36);
    expect(await holdBalance(2)).toBe(0);
    expect((await settle("release", 2)).text).toBe("The points held for #2 were already released.");
    await ledgerHolds();
  });

  it("a creator reverses held points: the answerer gets nothing and the bounty goes back to the asker", async () => {
    const { question } = await c.ask("Grace", { title: "E0499 again in a loop", details: "Still pushing while iterating.", bounty: 10 });
    const before = await c.balance("Grace");
    await c.accept("Grace", await c.replyIn(question!, "Barbara", COPY));
    expect(await c.balance("Grace")).toBe(before + 2); // the asker's 2 points for asking
    expect((await settle("reverse", 3)).text).toBe("Reversed the 25 held points for #3: **Barbara** gets nothing for it, and any bounty went back to the asker.");
    expect(await c.balance("Barbara")).toBe(0);
    expect(await holdBalance(3)).toBe(0);
    expect(await c.balance("Grace")).toBe(before + 2 + 10);
    await ledgerHolds();
  });

  it("pays an independent answer at once, and refuses members and questions with nothing held", async () => {
    const { question } = await c.ask("Ada", { title: "Borrow error in loop", details: "E0499 when I push." });
    await c.accept("Ada", await c.replyIn(question!, "Margaret", OWN));
    expect(await c.balance("Margaret")).toBe(15);
    expect((await settle("release", 4)).text).toBe("No points are held for #4: its accepted answer did not match an earlier one.");
    expect((await c.run("Ken", "qa", { action: "release", question: 2 }, { subcommand: "copied" })).tone).toBe("error");
  });

  it("holds an answer copied from a code review's summary", async () => {
    const summary = "Split the parser into a tokenizer and a recursive descent parser; return Result from every parse function instead of panicking, and add a test per error variant so regressions show.";
    await c.services.qa.recordReviewSummary({ communityId: c.communityId, authorId: await c.memberId("Grace"), requestId: "review-1", number: 1, url: null, summary, at: c.clock.now() });
    const { question } = await c.ask("Ada", { title: "How should I structure my parser?", details: "It panics on bad input and is one big function." });
    const accepted = await c.accept("Ada", await c.replyIn(question!, "Ken", summary));
    expect(accepted.text).toContain("Its points are held: it matches 100% of an earlier answer");
  });

  it("un-accepting a held answer reverses what was held with it", async () => {
    const { question } = await c.ask("Ada", { title: "Loop borrow problem", details: "Pushing in a loop, E0499." });
    await c.accept("Ada", await c.replyIn(question!, "Edsger", COPY));
    expect(await holdBalance(6)).toBe(15);
    await c.accept("Ada", await c.replyIn(question!, "Alan", "Iterate by index with for i in 0..items.len() so each borrow ends at the index expression, then push."));
    expect(await holdBalance(6)).toBe(0);
    expect(await c.balance("Alan")).toBe(15);
    expect(await c.db.copiedAnswerHold.findUniqueOrThrow({ where: { questionId: question!.id } })).toMatchObject({ settlement: "unaccepted" });
    await ledgerHolds();
  });
});

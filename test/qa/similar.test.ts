import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { qaCommunity, type QaCommunity } from "./support.js";

describe.each(backends())("similar questions in /ask and /questions (%s)", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind);
    await c.ask("Ada", { title: "Cannot borrow as mutable more than once in a loop", details: "Rust says cannot borrow `items` as mutable more than once when I push inside a for loop." });
    const { question } = await c.ask("Grace", { title: "Cannot borrow as mutable more than once inside a for loop", details: "error[E0499]: cannot borrow `items` as mutable more than once when I push inside a loop." });
    await c.accept("Grace", await c.replyIn(question!, "Linus", "Collect the new items first, then extend the Vec after the loop."));
    await c.ask("Ken", { title: "How do I center a div?", details: "I want a box in the middle of the page with CSS." });
  });
  afterAll(() => c.dispose());

  it("/ask lists similar questions, solved first, with links, and still posts the question", async () => {
    const { reply, question } = await c.ask("Margaret", { title: "Cannot borrow as mutable more than once in my loop", details: "Rust: cannot borrow `items` as mutable more than once when I push inside a for loop." });
    expect(question).toMatchObject({ number: 4, title: "Cannot borrow as mutable more than once in my loop" });
    const similar = reply.fields?.find((f) => f.name === "Similar questions, maybe already answered");
    expect(similar?.value.split("\n")).toEqual([
      "**#2** [Cannot borrow as mutable more than once inside a for loop](https://chat.invalid/general/t2) · ✅ solved",
      "**#1** [Cannot borrow as mutable more than once in a loop](https://chat.invalid/general/t1) · open, no replies yet",
    ]);
  });

  it("/ask shows no similar questions when none is close", async () => {
    const { reply, question } = await c.ask("Margaret", { title: "Kubernetes pod stuck in CrashLoopBackOff", details: "The pod restarts again and again after a deploy." });
    expect(question?.number).toBe(5);
    expect(reply.fields?.some((f) => f.name.startsWith("Similar questions"))).toBe(false);
  });

  it("/questions ranks by similarity and falls back to it when no question holds the words", async () => {
    const ranked = await c.services.qa.search(c.communityId, "mutable borrow loop");
    expect(ranked.map((q) => q.number).slice(0, 3).sort()).toEqual([1, 2, 4]);
    const typo = await c.run("Barbara", "questions", { search: "center a dvi" });
    expect(typo.text).toContain("**#3** [How do I center a div?]");
    expect((await c.run("Barbara", "questions", { search: "kafka consumer lag" })).text).toContain("No questions match");
  });
});

// Copied review summaries: a finished review whose summary matches an earlier answer or review
// summary by another member by at least qa.copiedShare (70% by default) has its points held in
// the review's hold account, the admin log gets both links, and a creator releases or reverses
// them with /review copied; the ledger still sums to the balances throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { reviewHoldAccount } from "../../src/review/copied-summary.js";
import { ANSWER_SETS } from "../qa/labelled/copied-answers.js";
import { balancesOffLedger, qaCommunity, type QaCommunity } from "../qa/support.js";
import { backends } from "../support/databases.js";

const GUILD = "100000000000000077";
/** Points a finished review earns (README, code review) and one thanks gives (the default). */
const REVIEW_POINTS = 10;
const KUDOS = 1;
const PR = "https://github.com/ada/parser/pull/3";
const REVIEWERS = ["Grace", "Ken", "Lea", "Max", "Ned", "Ola", "Pia"];
/** An answer no summary above shares words with. */
const ANSWER =
  "The planner cannot use the index on orders(customer_id) because the query wraps the column in lower(). Create an expression index on lower(customer_id) or compare the raw column, then run ANALYZE so the statistics know the new index.";

describe.each(backends())("copied review summaries (%s)", (kind) => {
  let c: QaCommunity;
  const reports: string[] = [];
  let reviews = 0;
  const creator = { level: "creator" as const, subcommand: "copied" };
  const settle = (action: string, request: number) => c.run("Cleo", "review", { action, request }, creator);
  const holdBalance = async (number: number) => c.services.ledger.balance(c.communityId, reviewHoldAccount((await c.db.reviewRequest.findFirstOrThrow({ where: { number } })).id));
  /** Ada asks for a review, `reviewer` takes it over with Claim and finishes it with `summary`; returns its number and the reply. */
  async function finishReview(reviewer: string, summary: string) {
    const opened = await c.run("Ada", "review", { link: PR }, { subcommand: "request" });
    if (opened.tone === "error") throw new Error(opened.text);
    const number = ++reviews;
    const r = await c.db.reviewRequest.findFirstOrThrow({ where: { number } });
    await c.click(reviewer, "review-claim", r.id);
    const done = await c.run(reviewer, "review", { request: number, practicality: 4, coverage: 4, clarity: 4, summary }, { subcommand: "done" });
    return { number, text: done.text ?? "", id: r.id };
  }
  /** Every account's balance equals the sum of its ledger rows. */
  const ledgerHolds = async () => expect(await balancesOffLedger(c)).toBe(0);

  beforeAll(async () => {
    c = await qaCommunity(kind, {
      community: { review: { ...DEFAULT_SETTINGS.review, freeMonthlyQuota: 1000 }, discord: { guildId: GUILD, creatorRoleIds: [], adminRoleIds: [] } },
      adminLog: { report: async (platform, spaceId, message) => void reports.push(`${platform}/${spaceId}: ${message}`) },
    });
    for (const name of REVIEWERS) {
      const joined = await c.run(name, "reviewer", { languages: "rust" }, { subcommand: "join" });
      if (joined.tone === "error") throw new Error(joined.text);
    }
  });
  afterAll(() => c.dispose());

  it("holds the points of summaries copied from an earlier summary (verbatim, reformatted, renamed, partial), not of independent ones, and prints the rates", async () => {
    const kinds = [
      ["verbatim", "Ken"],
      ["reformatted", "Lea"],
      ["renamed", "Max"],
      ["partial", "Ned"],
    ] as const;
    const held = { verbatim: 0, reformatted: 0, renamed: 0, partial: 0 };
    let falseAlarms = 0;
    let independents = 0;
    for (const set of ANSWER_SETS) {
      const original = await finishReview("Grace", set.original);
      expect(original.text).toContain(`You earned ${REVIEW_POINTS} points`);
      for (const [copy, reviewer] of kinds) {
        const before = await c.balance(reviewer);
        const review = await finishReview(reviewer, set.copies[copy]);
        if (!review.text.includes("points are held")) continue;
        held[copy] += 1;
        // Held: nothing reached the reviewer, all of it waits in the review's hold account.
        expect(await c.balance(reviewer)).toBe(before);
        expect(await holdBalance(review.number)).toBe(REVIEW_POINTS);
        expect(review.text).toContain(`matches`);
        expect(review.text).toContain(`of an earlier review summary by another member`);
      }
      for (const [i, text] of set.independent.entries()) {
        independents += 1;
        const review = await finishReview(i === 0 ? "Ola" : "Pia", text);
        if (review.text.includes("points are held")) falseAlarms += 1;
      }
    }
    const n = ANSWER_SETS.length;
    const found = held.verbatim + held.reformatted + held.renamed + held.partial;
    console.log(
      `copied review summaries at 0.7 (${kind}): held ${found}/${4 * n} copies (verbatim ${held.verbatim}/${n}, reformatted ${held.reformatted}/${n}, renamed ${held.renamed}/${n}, partial ${held.partial}/${n}), ` +
        `false alarms ${falseAlarms}/${independents} independent summaries`,
    );
    expect(held.verbatim).toBe(n);
    expect(held.reformatted).toBe(n);
    expect(held.renamed).toBe(n);
    expect(falseAlarms).toBe(0);
    await ledgerHolds();
    // 42 reviews, each requested, claimed and finished through the dispatcher: minutes on a busy machine.
  }, 300_000);

  it("holds a summary copied from an accepted answer and tells the admin log with both links", async () => {
    const { question } = await c.ask("Ada", { title: "Why is my Postgres query slow?", details: "It scans the whole orders table." });
    await c.accept("Ada", await c.replyIn(question!, "Linus", ANSWER));
    const review = await finishReview("Ken", ANSWER);
    expect(review.text).toContain("Its 10 points are held: your summary matches 100% of an earlier answer by another member.");
    expect(await holdBalance(review.number)).toBe(REVIEW_POINTS);
    const url = (await c.db.reviewRequest.findUniqueOrThrow({ where: { id: review.id } })).url;
    const reviewLink = url ? `[review #${review.number}](${url})` : `review #${review.number}`;
    const answerLink = question!.url ? `[#${question!.number}](${question!.url})` : `#${question!.number}`;
    expect(reports.at(-1)).toBe(
      `discord/${GUILD}: ⚠️ Points held: the summary by **Ken** of ${reviewLink} matches 100% of an earlier answer by **Linus** (${answerLink}). ` +
        `\`/review copied release ${review.number}\` pays them; \`/review copied reverse ${review.number}\` takes them back.`,
    );
  });

  it("a thanks on a held review waits with its points, and releasing pays both to the reviewer", async () => {
    const [, set] = ANSWER_SETS;
    const review = await finishReview("Lea", set!.copies.verbatim);
    expect(review.text).toContain("points are held");
    const before = await c.balance("Lea");
    const thanked = await c.click("Ada", "review-thank", review.id);
    expect(thanked.tone).not.toBe("error");
    expect(await c.balance("Lea")).toBe(before);
    expect(await holdBalance(review.number)).toBe(REVIEW_POINTS + KUDOS);
    const released = await settle("release", review.number);
    expect(released.text).toBe(`Released the ${REVIEW_POINTS + KUDOS} held points for review #${review.number} to **Lea**.`);
    expect(await c.balance("Lea")).toBe(before + REVIEW_POINTS + KUDOS);
    expect(await holdBalance(review.number)).toBe(0);
    expect((await settle("reverse", review.number)).text).toBe(`The points held for review #${review.number} were already released.`);
    await ledgerHolds();
    // Withdrawing the review afterwards still takes back everything it earned.
    await c.run("Lea", "review", { request: review.number }, { subcommand: "withdraw" });
    expect(await c.balance("Lea")).toBe(before);
    await ledgerHolds();
  });

  it("reversing takes the held points back; withdrawing a held review reverses them and closes the hold", async () => {
    const [, , set] = ANSWER_SETS;
    const reversedOne = await finishReview("Max", set!.copies.verbatim);
    const before = await c.balance("Max");
    expect((await settle("reverse", reversedOne.number)).text).toBe(`Reversed the ${REVIEW_POINTS} held points for review #${reversedOne.number}: **Max** gets nothing for it.`);
    expect(await c.balance("Max")).toBe(before);
    expect(await holdBalance(reversedOne.number)).toBe(0);

    const withdrawn = await finishReview("Ned", set!.copies.reformatted);
    expect(withdrawn.text).toContain("points are held");
    await c.run("Ned", "review", { request: withdrawn.number }, { subcommand: "withdraw" });
    expect(await holdBalance(withdrawn.number)).toBe(0);
    expect((await settle("release", withdrawn.number)).text).toBe(`The points held for review #${withdrawn.number} were already withdrawn.`);
    await ledgerHolds();
  });

  it("says so when nothing is held for a review", async () => {
    const review = await finishReview("Pia", "Small and readable; the parser handles every case in the issue. Rename tmp to something meaningful.");
    expect(review.text).toContain(`You earned ${REVIEW_POINTS} points`);
    expect((await settle("release", review.number)).text).toBe(`No points are held for review #${review.number}: its summary did not match an earlier one.`);
    expect((await c.run("Ada", "review", { action: "release", request: review.number }, { subcommand: "copied" })).tone).toBe("error");
  });
});

import { describe, expect, it } from "vitest";
import { defineCommand, defineGroup } from "../../src/core/command.js";
import { OptionError } from "../../src/core/errors.js";
import { option } from "../../src/core/options.js";
import { reply } from "../../src/core/reply.js";
import { parseCommandText, tokenize } from "../../src/core/text-args.js";
import { validateOptions } from "../../src/core/validate-options.js";

const thanks = defineCommand({
  name: "thanks",
  description: "Thank a member",
  options: {
    member: option.user({ description: "Who to thank", required: true }),
    reason: option.string({ description: "Why", maxLength: 20 }),
  },
  handler: (ctx) => reply.public(`${ctx.options.member.displayName} ${ctx.options.reason ?? ""}`),
});

const award = defineCommand({
  name: "award",
  description: "Award points",
  options: {
    points: option.integer({ description: "How many", required: true, min: 1, max: 500 }),
    period: option.string({ description: "Leaderboard period", choices: [{ name: "Week", value: "week" }, { name: "All", value: "all" }] }),
    public: option.boolean({ description: "Announce it" }),
  },
  handler: () => reply.ephemeral("ok"),
});

const catalog = defineGroup({
  name: "catalog",
  description: "Manage the catalog",
  subcommands: [
    defineCommand({ name: "add", description: "Add an item", options: { title: option.string({ description: "Title", required: true }), price: option.string({ description: "Stripe price id", required: true }) }, handler: () => reply.ephemeral("") }),
    defineCommand({ name: "list", description: "List items", handler: () => reply.ephemeral("") }),
  ],
});

const mention = (t: string) => (t.startsWith("@") ? { platform: "playground", id: t.slice(1), displayName: t.slice(1) } : undefined);

describe("text arguments (Slack and the playground)", () => {
  it("fills options by position, and lets the last text option take the rest of the line", () => {
    expect(parseCommandText(thanks, "@ada great answer on async", mention).options).toEqual({
      member: { platform: "playground", id: "ada", displayName: "ada" },
      reason: "great answer on async",
    });
  });

  it("accepts name:value pairs, quotes and smart quotes", () => {
    expect(parseCommandText(award, 'period:week points:5 public:yes', mention).options).toEqual({ period: "week", points: "5", public: "yes" });
    expect(tokenize('title:"Rust for Pythonistas" price_1 “two words”').map((t) => t.value)).toEqual(["Rust for Pythonistas", "price_1", "two words"]);
  });

  it("reads the subcommand first for grouped commands", () => {
    expect(parseCommandText(catalog, 'add "Async Rust" price_123', mention)).toEqual({ subcommand: "add", options: { title: "Async Rust", price: "price_123" } });
  });

  it("keeps a URL whole instead of reading https: as an option name", () => {
    const review = defineCommand({ name: "review", description: "Review", options: { link: option.string({ description: "Link", required: true }) }, handler: () => reply.ephemeral("") });
    expect(parseCommandText(review, "https://github.com/a/b/pull/1", mention).options).toEqual({ link: "https://github.com/a/b/pull/1" });
  });
});

describe("option validation", () => {
  it("converts text to the declared types", () => {
    expect(validateOptions(award.kind === "leaf" ? award.options : {}, { points: "25", period: "week", public: "no" })).toEqual({ points: 25, period: "week", public: false });
  });

  it("says which option is wrong and why, for every problem at once", () => {
    const specs = award.kind === "leaf" ? award.options : {};
    let error: OptionError | undefined;
    try {
      validateOptions(specs, { points: "lots", period: "year", public: "maybe" });
    } catch (e) {
      error = e as OptionError;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect(error!.problems).toEqual([
      { option: "points", message: "must be a whole number from 1 to 500 (you gave “lots”)" },
      { option: "period", message: "must be one of week, all (you gave “year”)" },
      { option: "public", message: "must be yes or no" },
    ]);
    expect(error!.message).toContain("`points` must be a whole number from 1 to 500");
  });

  it("refuses oversized text with its length and the limit", () => {
    const specs = thanks.kind === "leaf" ? thanks.options : {};
    expect(() => validateOptions(specs, { member: { platform: "discord", id: "1", displayName: "a" }, reason: "x".repeat(21) })).toThrow(
      "`reason` is too long: 21 characters, the limit is 20.",
    );
  });

  it("reports missing required options, wrong kinds and unknown options", () => {
    const specs = thanks.kind === "leaf" ? thanks.options : {};
    expect(() => validateOptions(specs, {})).toThrow("`member` is required: give a member (mention them).");
    expect(() => validateOptions(specs, { member: "ada" })).toThrow("`member` must be a member (mention them).");
    expect(() => validateOptions(specs, { member: { platform: "slack", id: "U1", displayName: "a" }, colour: "red" })).toThrow("`colour` is not an option of this command (options: member, reason)");
  });

  it("rejects out-of-range and fractional integers", () => {
    const specs = award.kind === "leaf" ? award.options : {};
    expect(() => validateOptions(specs, { points: 0 })).toThrow("from 1 to 500");
    expect(() => validateOptions(specs, { points: "2.5" })).toThrow("whole number");
  });
});

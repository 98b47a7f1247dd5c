import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../src/core/text-args.js";
import { reviewCommand } from "../../src/review/review-commands.js";
import { reviewerCommand } from "../../src/review/reviewer-commands.js";

const noMentions = () => undefined;
const parse = (text: string) => parseCommandText(reviewCommand, text, noMentions);

/** How Slack and the playground read `/review ...` typed as plain text. */
describe("review commands typed as text", () => {
  it("reads a request's link, language and the rest of the line as notes", () => {
    expect(parse("request https://github.com/ada/parser/pull/3 ts please look at the lexer")).toEqual({
      subcommand: "request",
      options: { link: "https://github.com/ada/parser/pull/3", language: "ts", notes: "please look at the lexer" },
    });
  });

  it("reads /review done's summary without quotes, and a trailing number as the request", () => {
    expect(parse("done 4 3 5 Great work, add tests").options).toEqual({ practicality: "4", coverage: "3", clarity: "5", summary: "Great work, add tests" });
    expect(parse("done 4 3 5 Great work 12").options).toEqual({ practicality: "4", coverage: "3", clarity: "5", summary: "Great work", request: "12" });
    expect(parse("done request:12 4 3 5 Great work").options).toEqual({ request: "12", practicality: "4", coverage: "3", clarity: "5", summary: "Great work" });
  });

  it("reads pass and withdraw with a request number, and reviewer languages as one list", () => {
    expect(parse("pass 7")).toEqual({ subcommand: "pass", options: { request: "7" } });
    expect(parseCommandText(reviewerCommand, "join typescript, rust python", noMentions).options).toEqual({ languages: "typescript, rust python" });
  });
});

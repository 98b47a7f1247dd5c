import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { UserFacingError } from "../../src/core/errors.js";
import { validateReviewLink } from "../../src/review/links.js";

const hosts = DEFAULT_SETTINGS.review.codeHosts;
const refusal = (link: string, allowed: readonly string[] = hosts) => {
  try {
    validateReviewLink(link, allowed);
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return (error as Error).message;
  }
  throw new Error(`${link} was accepted`);
};

describe("review links", () => {
  it.each([
    "https://github.com/ada/parser/pull/3",
    "https://gist.github.com/ada/0123456789abcdef",
    "https://gitlab.com/ada/parser/-/merge_requests/7",
    "https://bitbucket.org/ada/parser/pull-requests/2",
    "https://GitHub.com/ada/parser",
    "<https://github.com/ada/parser/blob/main/src/lib.rs#L10-L20>",
  ])("accepts %s", (link) => {
    expect(validateReviewLink(link, hosts).protocol).toBe("https:");
  });

  it("accepts any subdomain of an allowed host, and nothing that merely ends like one", () => {
    expect(validateReviewLink("https://raw.githubusercontent.com/x/y", ["githubusercontent.com"]).hostname).toBe("raw.githubusercontent.com");
    expect(refusal("https://evilgithub.com/ada/parser")).toContain("not a code host");
    expect(refusal("https://github.com.evil.example/ada/parser")).toContain("not a code host");
  });

  it("follows the community's own allow-list", () => {
    expect(validateReviewLink("https://git.example.org/ada/parser", ["git.example.org"]).hostname).toBe("git.example.org");
    expect(refusal("https://github.com/ada/parser", ["git.example.org"])).toContain("`git.example.org`");
  });

  it.each([
    ["http://github.com/ada/parser", "https://"],
    ["ftp://github.com/ada/parser", "not a web link"],
    ["javascript:alert(1)", "not a web link"],
    ["github.com/ada/parser", "not a link"],
    ["just some words", "not a link"],
    ["", "not a link"],
    ["https://user:pw@github.com/ada/parser", "user name or password"],
    ["https://github.com:8443/ada/parser", "port"],
    ["https://github.com/", "home page"],
    ["https://pastebin.com/abc", "not a code host"],
    [`https://github.com/${"a".repeat(600)}`, "the limit is 500"],
  ])("refuses %s", (link, why) => {
    const message = refusal(link);
    expect(message).toContain(why);
    expect(message).toContain("`github.com`, `gist.github.com`, `gitlab.com` or `bitbucket.org`");
  });
});

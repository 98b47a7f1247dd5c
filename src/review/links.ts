/**
 * Review links: an https address on one of the community's code hosts (a subdomain of one
 * counts too, such as gist.github.com under github.com), pointing at something on it.
 */
import { UserFacingError } from "../core/errors.js";

/** The longest link accepted; well past any real repository, pull request or gist address. */
export const MAX_LINK_LENGTH = 500;

function hostList(hosts: readonly string[]): string {
  const names = hosts.map((h) => `\`${h}\``);
  return names.length <= 1 ? (names[0] ?? "none") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Whether `host` is one of `allowed` or a subdomain of one. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return allowed.some((a) => h === a || h.endsWith(`.${a}`));
}

/**
 * The link, normalised, or a refusal that says what is accepted. The message never echoes
 * the link back, so nothing a member types is shown to them as a working link.
 */
export function validateReviewLink(text: string, allowed: readonly string[]): URL {
  const refuse = (why: string) => new UserFacingError(`${why} Review links point at code on ${hostList(allowed)}, e.g. \`https://github.com/you/project/pull/12\`.`, "invalid_review_link");
  const trimmed = text.trim().replace(/^<(.*)>$/, "$1"); // Slack and Discord may wrap links in <>
  if (trimmed.length > MAX_LINK_LENGTH) throw refuse(`That link is ${trimmed.length} characters long; the limit is ${MAX_LINK_LENGTH}.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw refuse("That is not a link.");
  }
  if (url.protocol === "http:") throw refuse("Links must use `https://`.");
  if (url.protocol !== "https:") throw refuse("That is not a web link.");
  if (url.username || url.password) throw refuse("Links must not contain a user name or password.");
  if (url.port) throw refuse("Links must not name a port.");
  if (!isAllowedHost(url.hostname, allowed)) throw refuse("That site is not a code host this community accepts.");
  if (url.pathname.replace(/\/+$/, "") === "") throw refuse("That is the site's home page, not your code.");
  return url;
}

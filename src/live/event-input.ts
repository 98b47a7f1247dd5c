/** Limits and checks for what creators type about an event. */
import { UserFacingError } from "../core/errors.js";

/** Discord embed titles hold 256 characters; a title is a line, not a paragraph. */
export const TITLE_MAX = 100;
export const DESCRIPTION_MAX = 1000;
export const LINK_MAX = 500;

/** A join link must be an http(s) URL members can click. */
export function checkLink(text: string): string {
  const link = text.trim();
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || /\s/.test(link)) {
    throw new UserFacingError(`\`link\` “${link}” is not a web link. Give the full address, like https://meet.example.com/room.`, "invalid_link");
  }
  return link;
}

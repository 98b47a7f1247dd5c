import { UserFacingError } from "../core/errors.js";

/**
 * Reads a list of Discord roles or Slack channels typed into an option: mentions as each
 * platform sends them (`<@&123>`, `<#C123|name>`) or bare ids, separated by spaces or commas.
 */
export function parseDiscordRoles(text: string | undefined): string[] {
  return parseList(text, /^(?:<@&)?(\d{5,20})>?$/, "Discord roles", "a role mention or a numeric role id");
}

export function parseSlackChannels(text: string | undefined): string[] {
  return parseList(text, /^(?:<#)?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?$/, "Slack channels", "a channel mention or a channel id such as C012AB3CD");
}

function parseList(text: string | undefined, pattern: RegExp, what: string, expected: string): string[] {
  if (!text) return [];
  const ids: string[] = [];
  for (const token of text.split(/[\s,]+/).filter(Boolean)) {
    const id = pattern.exec(token)?.[1];
    if (!id) throw new UserFacingError(`“${token}” in ${what} is not ${expected}.`, "invalid_access_target");
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

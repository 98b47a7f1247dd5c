/**
 * The reply text markup (`**bold**`, `` `code` ``, `[label](url)`) translated per platform.
 * Discord understands it natively; Slack has its own mrkdwn; the playground shows plain text.
 * Mentions are tokens made by {@link mention}: `[[#id]]` a channel, `[[@&id]]` a role,
 * `[[@id]]` a user; each platform shows them its own way (they never ping: see adapters).
 */

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;
const BOLD = /\*\*([^*\n]+)\*\*/g;
const MENTION = /\[\[(#|@&|@)([A-Za-z0-9]+)\]\]/g;

/** Mention tokens for reply text. */
export const mention = {
  channel: (id: string) => `[[#${id}]]`,
  role: (id: string) => `[[@&${id}]]`,
  user: (id: string) => `[[@${id}]]`,
};

/** Slack mrkdwn: escape the three control characters first, so user text cannot form mentions. */
export function toSlackMrkdwn(text: string): string {
  const mentions: string[] = [];
  const placeholder = text.replace(MENTION, (_m, kind: string, id: string) => {
    mentions.push(kind === "#" ? `<#${id}>` : kind === "@" ? `<@${id}>` : `Discord role ${id}`);
    return `\uE000${mentions.length - 1}\uE000`;
  });
  return placeholder
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(LINK, (_m, label: string, url: string) => `<${url}|${label}>`)
    .replace(BOLD, "*$1*")
    .replace(/\uE000(\d+)\uE000/g, (_m, i: string) => mentions[Number(i)] ?? "");
}

/** Plain text for terminals and notifications. */
export function toPlainText(text: string): string {
  return text
    .replace(MENTION, (_m, kind: string, id: string) => (kind === "#" ? `#${id}` : kind === "@&" ? `role ${id}` : `@${id}`))
    .replace(LINK, "$1 ($2)").replace(BOLD, "$1").replace(/`([^`\n]+)`/g, "$1").replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, "$1$2");
}

/**
 * Discord renders the markup as is; mention syntax in user text is neutralised by
 * `allowed_mentions: { parse: [] }` on every message, not by rewriting the text.
 */
export function toDiscordMarkdown(text: string): string {
  return text.replace(MENTION, (_m, kind: string, id: string) => (kind === "#" ? `<#${id}>` : kind === "@&" ? `<@&${id}>` : `<@${id}>`));
}

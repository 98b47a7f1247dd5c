/**
 * The reply text markup (`**bold**`, `` `code` ``, `[label](url)`) translated per platform.
 * Discord understands it natively; Slack has its own mrkdwn; the playground shows plain text.
 */

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;
const BOLD = /\*\*([^*\n]+)\*\*/g;

/** Slack mrkdwn: escape the three control characters first, so user text cannot form mentions. */
export function toSlackMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(LINK, (_m, label: string, url: string) => `<${url}|${label}>`)
    .replace(BOLD, "*$1*");
}

/** Plain text for terminals and notifications. */
export function toPlainText(text: string): string {
  return text.replace(LINK, "$1 ($2)").replace(BOLD, "$1").replace(/`([^`\n]+)`/g, "$1").replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, "$1$2");
}

/**
 * Discord renders the markup as is; mention syntax in user text is neutralised by
 * `allowed_mentions: { parse: [] }` on every message, not by rewriting the text.
 */
export function toDiscordMarkdown(text: string): string {
  return text;
}

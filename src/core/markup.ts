/**
 * The reply text markup (`**bold**`, `` `code` ``, `[label](url)`) translated per platform.
 * Discord understands it natively; Slack has its own mrkdwn; the playground shows plain text.
 * Mentions are tokens made by {@link mention}: `[[#id]]` a channel, `[[@&id]]` a role,
 * `[[@id]]` a user, `[[@^id]]` a Slack user group; each platform shows them its own way.
 * Only what a post lists in its `pings` may notify anyone (see the chat posters).
 * A moment is a token made by {@link time}, `[[t:<unix seconds>]]`, which Discord and Slack
 * show in each reader's own time zone.
 */

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;
const BOLD = /\*\*([^*\n]+)\*\*/g;
const MENTION = /\[\[(#|@&|@\^|@)([A-Za-z0-9]+)\]\]/g;
const TIME = /\[\[t:(\d{1,12})\]\]/g;

/** Mention tokens for reply text. */
export const mention = {
  channel: (id: string) => `[[#${id}]]`,
  role: (id: string) => `[[@&${id}]]`,
  user: (id: string) => `[[@${id}]]`,
  /** A Slack user group (`<!subteam^ID>`); other platforms show its id as plain text. */
  userGroup: (id: string) => `[[@^${id}]]`,
};

/** A moment, shown in each reader's time zone: Discord `<t:…:F>`, Slack `<!date^…>`, UTC in plain text. */
export function time(date: Date): string {
  return `[[t:${Math.floor(date.getTime() / 1000)}]]`;
}

/** "2026-03-29 16:00 UTC": a time token where no reader's zone is known. */
function plainTime(unix: string): string {
  return `${new Date(Number(unix) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How a mention token reads where the platform has no native form for it. */
function plainMention(kind: string, id: string): string {
  return kind === "#" ? `#${id}` : kind === "@&" ? `role ${id}` : `@${id}`;
}

/** Slack mrkdwn: escape the three control characters first, so user text cannot form mentions. */
export function toSlackMrkdwn(text: string): string {
  const mentions: string[] = [];
  const placeholder = text.replace(MENTION, (_m, kind: string, id: string) => {
    mentions.push(kind === "#" ? `<#${id}>` : kind === "@" ? `<@${id}>` : kind === "@^" ? `<!subteam^${id}>` : `Discord role ${id}`);
    return `\uE000${mentions.length - 1}\uE000`;
  }).replace(TIME, (_m, unix: string) => {
    mentions.push(`<!date^${unix}^{date_long_pretty} at {time}|${plainTime(unix)}>`);
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
    .replace(TIME, (_m, unix: string) => plainTime(unix))
    .replace(MENTION, (_m, kind: string, id: string) => plainMention(kind, id))
    .replace(LINK, "$1 ($2)").replace(BOLD, "$1").replace(/`([^`\n]+)`/g, "$1").replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, "$1$2");
}

/**
 * Discord renders the markup as is; mention syntax in user text is neutralised by
 * `allowed_mentions: { parse: [] }` on every message, not by rewriting the text.
 */
export function toDiscordMarkdown(text: string): string {
  return text.replace(TIME, "<t:$1:F>").replace(MENTION, (_m, kind: string, id: string) =>
    kind === "#" ? `<#${id}>` : kind === "@&" ? `<@&${id}>` : kind === "@" ? `<@${id}>` : plainMention(kind, id),
  );
}

import { type APIActionRowComponent, type APIButtonComponent, type APIEmbed, ButtonStyle, ComponentType } from "discord.js";
import { toDiscordMarkdown } from "../../core/markup.js";
import { LIMITS, type MessageContent, type Reply, type Tone, truncate } from "../../core/reply.js";

const COLORS: Record<Tone, number> = { info: 0x5865f2, success: 0x57f287, warning: 0xfee75c, error: 0xed4245 };
const BUTTON_STYLE = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/** The custom id of an action button: `gh:<action>:<value>`, within Discord's 100 characters. */
export function customIdFor(action: string, value = ""): string {
  return truncate(`gh:${action}:${value}`, 100);
}

/** Message payload in Discord's own JSON shape (discord.js accepts it as is). */
export interface DiscordMessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Never ping anyone from text we echo: no @everyone, @here, roles or users. */
  allowedMentions: { parse: never[] };
}

/** A file a reply uploads with its message (a chart), with what it shows for screen readers. */
export interface DiscordFile {
  readonly name: string;
  readonly data: Buffer;
  readonly description: string;
  readonly contentType: string;
}

/** A command's reply for Discord: its message, whether only the member sees it, and its files. */
export interface DiscordReply {
  readonly message: DiscordMessagePayload;
  readonly ephemeral: boolean;
  readonly files: readonly DiscordFile[];
}

/**
 * A reply rendered once for both ways an interaction arrives: the gateway adapter hands it to
 * discord.js, POST /discord/interactions sends it as Discord's JSON (discordApiMessage). The
 * thread and direct message a reply asks for are sent separately (side-effects.ts).
 */
export function renderDiscordReply(reply: Reply): DiscordReply {
  const files = reply.image ? [{ name: reply.image.name, data: Buffer.from(reply.image.png), description: reply.image.alt, contentType: "image/png" }] : [];
  return { message: renderDiscordMessage(reply), ephemeral: reply.visibility === "ephemeral", files };
}

/**
 * A rendered message as Discord's REST takes it (snake_case), with one `attachments` entry
 * per uploaded file (`files[n]` is attachment n), which carries the file's description.
 */
export function discordApiMessage(message: DiscordMessagePayload, files: readonly DiscordFile[] = []): Record<string, unknown> {
  const { allowedMentions, ...rest } = message;
  const attachments = files.map((f, i) => ({ id: String(i), filename: f.name, description: truncate(f.description, 1024) }));
  return { ...rest, allowed_mentions: { parse: allowedMentions.parse }, ...(attachments.length > 0 ? { attachments } : {}) };
}

/**
 * A plain message when there is only text; an embed when there is structure (a title,
 * fields or a footer). Links and action buttons become component rows.
 */
export function renderDiscordMessage(message: MessageContent): DiscordMessagePayload {
  const structured = message.title !== undefined || (message.fields?.length ?? 0) > 0 || message.footer !== undefined;
  const text = message.text === undefined ? undefined : toDiscordMarkdown(message.text);
  const embeds = structured ? [embedFor(message, text)] : [];
  const payload: DiscordMessagePayload = { embeds, components: componentsFor(message), allowedMentions: { parse: [] } };
  if (!structured) payload.content = truncate(text ?? "", LIMITS.discordContent);
  return payload;
}

function embedFor(message: MessageContent, text: string | undefined): APIEmbed {
  return {
    ...(message.title ? { title: truncate(message.title, LIMITS.discordEmbedTitle) } : {}),
    ...(text ? { description: truncate(text, LIMITS.discordEmbedDescription) } : {}),
    color: COLORS[message.tone ?? "info"],
    fields: (message.fields ?? []).slice(0, LIMITS.discordFields).map((f) => ({
      name: truncate(f.name, LIMITS.discordFieldName),
      value: truncate(f.value || "—", LIMITS.discordFieldValue),
      inline: f.inline === true,
    })),
    ...(message.footer ? { footer: { text: truncate(message.footer, 2048) } } : {}),
  };
}

function componentsFor(message: MessageContent): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [
    ...(message.links ?? []).map((l) => ({ type: ComponentType.Button as const, style: ButtonStyle.Link as const, label: truncate(l.label, 80), url: l.url })),
    ...(message.buttons ?? []).map((b) => ({
      type: ComponentType.Button as const,
      style: BUTTON_STYLE[b.style ?? "secondary"],
      label: truncate(b.label, 80),
      custom_id: customIdFor(b.action, b.value),
    })),
  ];
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.discordRows; i += LIMITS.discordButtonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.discordButtonsPerRow) });
  }
  return rows;
}

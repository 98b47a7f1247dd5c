/**
 * The reply model: what a handler returns, and what every adapter renders natively
 * (Discord embeds and components, Slack Block Kit, plain text in the playground).
 *
 * Text uses a small markup that every platform can show: `**bold**`, `` `code` `` and
 * `[label](https://link)`. Adapters translate it; user text is never allowed to ping.
 */
export type Visibility = "ephemeral" | "public";
export type Tone = "info" | "success" | "warning" | "error";

export interface ReplyField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

/** A button that opens a URL. */
export interface ReplyLink {
  readonly label: string;
  readonly url: string;
}

/** A button that runs a registered action with a value. */
export interface ReplyButton {
  readonly label: string;
  readonly action: string;
  readonly value?: string;
  readonly style?: "primary" | "secondary" | "danger";
}

/** The content of one message, shared by replies, thread openers and direct messages. */
export interface MessageContent {
  readonly title?: string;
  readonly text?: string;
  readonly fields?: readonly ReplyField[];
  readonly links?: readonly ReplyLink[];
  readonly buttons?: readonly ReplyButton[];
  readonly footer?: string;
  readonly tone?: Tone;
}

export interface Reply extends MessageContent {
  readonly visibility: Visibility;
  /** Open a thread from the channel the command ran in, starting with this message. */
  readonly thread?: { readonly name: string; readonly message: MessageContent };
  /** Send the invoking member a direct message. */
  readonly directMessage?: MessageContent;
  /**
   * A picture to go with the reply (a PNG chart): attached on Discord, uploaded on Slack (in
   * the member's direct messages when the reply is private), saved under the data directory
   * in the playground.
   */
  readonly image?: ReplyImage;
}

export interface ReplyImage {
  /** A file name such as "stats.png". */
  readonly name: string;
  readonly png: Uint8Array;
  /** What the picture shows, for screen readers. */
  readonly alt: string;
}

/** Shorthands for the common shapes. */
export const reply = {
  ephemeral: (text: string, extra: Omit<Reply, "visibility" | "text"> = {}): Reply => ({ ...extra, text, visibility: "ephemeral" }),
  public: (text: string, extra: Omit<Reply, "visibility" | "text"> = {}): Reply => ({ ...extra, text, visibility: "public" }),
};

/** Platform limits that replies must respect; renderers truncate with an ellipsis past them. */
export const LIMITS = {
  discordContent: 2000,
  discordEmbedDescription: 4096,
  discordEmbedTitle: 256,
  discordFieldName: 256,
  discordFieldValue: 1024,
  discordFields: 25,
  discordButtonsPerRow: 5,
  discordRows: 5,
  discordThreadName: 100,
  slackSectionText: 3000,
  slackBlocks: 50,
  slackButtonText: 75,
};

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

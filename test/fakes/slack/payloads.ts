// Requests Slack sends an app: slash commands (a form) and interactions (a form with one
// `payload` field holding JSON). Shapes follow Slack's documented payloads, trimmed to what
// Bolt and bots read.
import { randomBytes } from "node:crypto";
import { FAKE_IDS } from "./workspace.js";

/** A slash command as a member types it. */
export interface SlashCommandInput {
  /** With the slash, e.g. "/help". */
  command: string;
  text?: string;
  userId: string;
  userName?: string;
  teamId: string;
  teamDomain?: string;
  channelId: string;
  channelName?: string;
  /** Where `respond()` posts: use `fake.responseUrl()`. */
  responseUrl: string;
  triggerId?: string;
  enterpriseId?: string;
}

/** Who clicked, where, and where `respond()` goes; shared by the interaction builders. */
export interface InteractionBase {
  userId: string;
  /** The member's handle; the user id in lower case when omitted. */
  userName?: string;
  teamId: string;
  channelId: string;
  responseUrl: string;
  triggerId?: string;
}

/** A button click in a message (block_actions). */
export interface BlockActionsInput extends InteractionBase {
  actionId: string;
  value?: string;
  /** The message holding the button; the click comes from a message container when given. */
  messageTs?: string;
}

/** A message shortcut ("..." menu on a message). */
export interface MessageShortcutInput extends InteractionBase {
  callbackId: string;
  message: { ts: string; text: string; user: string; thread_ts?: string };
}

/** A message someone posted, as the Events API reports it (`message.channels` and friends). */
export interface MessageEventInput {
  teamId: string;
  channelId: string;
  /** The author; for a bot's message also pass `botId`. */
  userId: string;
  text: string;
  ts: string;
  /** The parent's ts for a reply in a thread. */
  threadTs?: string;
  botId?: string;
  /** "channel" for public channels (default), "group" for private ones. */
  channelType?: "channel" | "group";
}

/** The JSON body of an `event_callback` carrying a message event, as Slack posts it to the Events API URL. */
export function messageEventBody(input: MessageEventInput): string {
  const event = {
    type: "message",
    channel: input.channelId,
    user: input.userId,
    text: input.text,
    ts: input.ts,
    event_ts: input.ts,
    channel_type: input.channelType ?? "channel",
    ...(input.threadTs !== undefined ? { thread_ts: input.threadTs } : {}),
    ...(input.botId !== undefined ? { bot_id: input.botId } : {}),
  };
  return JSON.stringify({
    token: "fake-verification-token",
    team_id: input.teamId,
    api_app_id: FAKE_IDS.appId,
    event,
    type: "event_callback",
    event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: Math.floor(Number(input.ts)),
    authorizations: [{ team_id: input.teamId, user_id: FAKE_IDS.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** The slash command fields, as Socket Mode delivers them in a slash_commands envelope. */
export function slashCommandPayload(input: SlashCommandInput): Record<string, string> {
  return {
    token: "fake-verification-token",
    team_id: input.teamId,
    team_domain: input.teamDomain ?? "fake-team",
    ...(input.enterpriseId !== undefined ? { enterprise_id: input.enterpriseId, enterprise_name: "Fake Enterprise" } : {}),
    channel_id: input.channelId,
    channel_name: input.channelName ?? "general",
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command,
    text: input.text ?? "",
    api_app_id: FAKE_IDS.appId,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? triggerId(),
  };
}

/** The application/x-www-form-urlencoded body Slack posts for a slash command. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams(slashCommandPayload(input)).toString();
}

/** The form body Slack posts for an interaction: `payload=<json>`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload for a button click; `app.action(actionId)` receives it. */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const actionTs = nowTs();
  return {
    type: "block_actions",
    ...common(input),
    trigger_id: triggerId(),
    container: input.messageTs
      ? { type: "message", message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: false }
      : { type: "view", view_id: "V0FAKE" },
    ...(input.messageTs ? { message: { type: "message", ts: input.messageTs, text: "", user: FAKE_IDS.botUserId, bot_id: FAKE_IDS.botId } } : {}),
    state: { values: {} },
    actions: [
      {
        type: "button",
        action_id: input.actionId,
        block_id: "fake-block",
        text: { type: "plain_text", text: "Button", emoji: true },
        ...(input.value !== undefined ? { value: input.value } : {}),
        action_ts: actionTs,
      },
    ],
  };
}

/** A message_action payload; `app.shortcut(callbackId)` receives it. */
export function messageShortcutPayload(input: MessageShortcutInput): Record<string, unknown> {
  return {
    type: "message_action",
    ...common(input),
    callback_id: input.callbackId,
    action_ts: nowTs(),
    message_ts: input.message.ts,
    message: { type: "message", ...input.message },
  };
}

function common(input: InteractionBase): Record<string, unknown> {
  return {
    token: "fake-verification-token",
    api_app_id: FAKE_IDS.appId,
    user: { id: input.userId, username: input.userName ?? input.userId.toLowerCase(), name: input.userName ?? input.userId.toLowerCase(), team_id: input.teamId },
    team: { id: input.teamId, domain: "fake-team" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: "general" },
    trigger_id: input.triggerId ?? triggerId(),
    response_url: input.responseUrl,
  };
}

function triggerId(): string {
  return `${Math.floor(Date.now() / 1000)}.1234567890.${randomBytes(16).toString("hex")}`;
}

function nowTs(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
}

// Public types of the fake Slack. Test authors read this file first: every field says what it
// stands for on the real Slack platform.
import type { FakeUpload } from "./workspace.js";

/**
 * Arguments of a recorded call. Loosely typed on purpose: tests dig into `args.blocks[0].text`
 * without a cast, and a wrong path fails the assertion anyway.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SlackArgs = Record<string, any>;

/** One Web API call (or response_url post) the fake received, in arrival order. */
export interface RecordedSlackCall {
  /** Web API method such as "chat.postMessage", or "response_url" for posts to {@link FakeSlack.responseUrl}. */
  method: string;
  /** Form or JSON fields; `blocks`, `attachments` and `view` sent as JSON strings are parsed into objects. */
  args: SlackArgs;
  /** From `Authorization: Bearer`, or the `token` field when there is no header. */
  token?: string;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** The id in `/response/<id>`, for method "response_url". */
  responseUrlId?: string;
  /** What the fake answered (set once the answer is written): contract tests check it against Slack's spec. */
  response?: { status: number; body: unknown };
}

/** A Web API answer body; Slack always carries `ok`, and `error` when `ok` is false. */
export interface SlackAnswer {
  ok: boolean;
  [key: string]: unknown;
}

/**
 * A canned answer: a fixed body, or a function of the call's arguments that returns the body
 * (returning `undefined` falls through to the fake's normal answer).
 */
export type SlackResponder = SlackAnswer | ((args: SlackArgs) => unknown);

/** How a canned answer is sent. */
export interface SetResponseOptions {
  /** HTTP status; Slack uses 200 even for `ok: false`, and 429 (with `Retry-After`) for rate limits. */
  status?: number;
  headers?: Record<string, string>;
  /** How many calls this answer is used for; Infinity when omitted. */
  times?: number;
}

/** A workspace member as users.info returns it (the fake fills in `team_id`, `profile` and flags). */
export interface SlackUser {
  id: string;
  name: string;
  real_name?: string;
  is_admin?: boolean;
  tz?: string;
}

/** A channel as a test describes it to the fake. */
export interface FakeSlackChannel {
  /** Like "C0123ABCD" (public) or "G0123ABCD" (private); Slack's own ids are 9 or more characters. */
  id: string;
  /** Defaults to the id in lower case. */
  name?: string;
  /** A private channel: the bot sees it only while it is a member (channel_not_found otherwise). */
  private?: boolean;
  /** Archived: membership can no longer change and nothing can be posted (is_archived). */
  archived?: boolean;
  /** The workspace's #general: nobody can be removed from it (cant_kick_from_general). */
  general?: boolean;
  /** Member ids besides the bot. */
  members?: string[];
  /** Whether the bot is in the channel (default true: someone invited it during setup). */
  botIsMember?: boolean;
}

/** A channel or DM as the fake keeps it; tests may read and change it. */
export interface SlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  /** A DM between the app and `user` (conversations.open). */
  isIm: boolean;
  user?: string;
  /** For group DMs: their members, sorted and joined, to find the same one again. */
  mpimKey?: string;
  /** Member ids, the bot's included while it is in the channel. */
  members: Set<string>;
  /** Unix seconds. */
  created: number;
}

/** A message the bot posted (chat.postMessage), as the fake keeps it. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  /** Parsed Block Kit blocks, when sent. */
  blocks?: SlackArgs["blocks"];
  /** Set for replies in a thread: the parent message's ts. */
  thread_ts?: string;
  /** A member's message a test put here (the bot cannot delete it); absent for the bot's own. */
  user?: string;
}

/** Envelope types the fake can push over Socket Mode. */
export type SocketEnvelopeType = "slash_commands" | "interactive" | "events_api";

/** What a test asks the fake to deliver over Socket Mode; the fake adds `envelope_id`. */
export interface SocketEnvelope {
  type: SocketEnvelopeType;
  /** For slash_commands the same fields as the HTTP form; for interactive the parsed `payload`. */
  payload: unknown;
}

/** The acknowledgement a Socket Mode client sends back: `{ envelope_id, payload }`. */
export interface SocketAck {
  envelope_id: string;
  /** What the app passed to `ack(...)`; `{}` for a bare `ack()`. */
  payload?: Record<string, unknown>;
}

/** Socket Mode side of the fake: the WebSocket that apps.connections.open points at. */
export interface FakeSlackSocket {
  /** Open WebSocket connections. */
  connected(): number;
  /** Resolves once at least one client is connected (default timeout 5000 ms). */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /**
   * Delivers an envelope to the newest connection and resolves with the client's ack message.
   * Rejects when nobody is connected or no ack arrives in `timeoutMs` (default 3000, Slack's limit).
   */
  send(envelope: SocketEnvelope, opts?: { timeoutMs?: number }): Promise<SocketAck>;
  /** Sends a frame exactly as given to every connection (truncated JSON, an envelope the app cannot parse); no ack is awaited. */
  sendRaw(text: string): void;
  /** Sends Slack's `{ type: "disconnect", reason }` to every connection, as Slack does before recycling a host. */
  requestDisconnect(reason?: string): void;
}

/** A running fake Slack: Web API, response_url endpoint and Socket Mode on one 127.0.0.1 port. */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/` (trailing slash): give it to Bolt as `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** A URL on the fake that records POSTs as method "response_url"; a fresh id when omitted. */
  responseUrl(id?: string): string;
  /** Every call so far, in arrival order. */
  calls: RecordedSlackCall[];
  callsTo(method: string): RecordedSlackCall[];
  /** First call (already recorded or still to come) matching `pred`; on timeout rejects listing the calls. */
  waitForCall(pred: (c: RecordedSlackCall) => boolean, timeoutMs?: number): Promise<RecordedSlackCall>;
  /** Override the answer for a method ("response_url" included); the newest override with turns left wins. */
  setResponse(method: string, response: SlackResponder, opts?: SetResponseOptions): void;
  /** Usergroup id to member ids, used by usergroups.users.list and usergroups.list. */
  userGroups: Map<string, string[]>;
  /** Workspace members by id (users.info); only these (and the bot) can be invited or DMed. */
  users: Map<string, SlackUser>;
  /** Channels and opened DMs by id; a channel missing here does not exist (channel_not_found). */
  channels: Map<string, SlackChannel>;
  /** Adds (or replaces) a channel, as if an admin had created it. */
  addChannel(channel: FakeSlackChannel): SlackChannel;
  /**
   * Someone invites `user` (the bot's id included) to a channel, removes them, or unarchives
   * a channel by hand; Slack's event follows over Socket Mode (member_joined_channel,
   * member_left_channel, channel_unarchive or group_unarchive) and each resolves once the
   * app acknowledged it (at once when no app is connected).
   */
  joinChannel(channel: string, user: string, inviter?: string): Promise<void>;
  leaveChannel(channel: string, user: string): Promise<void>;
  unarchiveChannel(channel: string, user?: string): Promise<void>;
  /** Every message the bot posted, oldest first (chat.postMessage that succeeded). */
  messages: SlackMessage[];
  /** Reactions the bot added, as `channel ts name`; adding one twice answers already_reacted. */
  reactions: Set<string>;
  /** Files uploaded through files.getUploadURLExternal / completeUploadExternal, by file id. */
  uploads: Map<string, FakeUpload>;
  socket: FakeSlackSocket;
  close(): Promise<void>;
}

/** Identity of the fake workspace and its bot. */
export interface FakeSlackOptions {
  /** Default "T0FAKETEAM". */
  teamId?: string;
  /** The bot's user id, returned by auth.test as `user_id` (default "U0GUILDBOT"). */
  botUserId?: string;
  /** Default "B0GUILDBOT". */
  botId?: string;
  /** Sent in the Socket Mode hello (default "A0FAKEAPP1"). */
  appId?: string;
  /** Workspace members from the start (more can be added to `users`). */
  users?: SlackUser[];
  /** Channels that exist from the start; DMs appear as conversations.open opens them. */
  channels?: FakeSlackChannel[];
  /**
   * The bot token's scopes (default: those in commands/slack-manifest.json). Only
   * chat:write.public changes answers: without it, posting in a public channel the bot is
   * not in answers not_in_channel.
   */
  scopes?: string[];
}

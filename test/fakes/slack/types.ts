// Public types of the fake Slack. Test authors read this file first: every field says what it
// stands for on the real Slack platform.

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

/** A message the bot posted (chat.postMessage), as the fake keeps it. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  /** Parsed Block Kit blocks, when sent. */
  blocks?: SlackArgs["blocks"];
  /** Set for replies in a thread: the parent message's ts. */
  thread_ts?: string;
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
  /** Members by id, used by users.info and conversations.members. */
  users: Map<string, SlackUser>;
  /** Every message the bot posted, oldest first (chat.postMessage that succeeded). */
  messages: SlackMessage[];
  /** Reactions the bot added, as `channel ts name`; adding one twice answers already_reacted. */
  reactions: Set<string>;
  socket: FakeSlackSocket;
  close(): Promise<void>;
}

/** Identity of the fake workspace and its bot. */
export interface FakeSlackOptions {
  /** Default "T0FAKE". */
  teamId?: string;
  /** The bot's user id, returned by auth.test as `user_id` (default "U0BOT"). */
  botUserId?: string;
  /** Default "B0BOT". */
  botId?: string;
  /** Sent in the Socket Mode hello (default "A0FAKE"). */
  appId?: string;
}

// Public types of the fake Discord. Test authors read this file first, so every field says
// what it maps to on the real API.
import type { KeyObject } from "node:crypto";
import type { EndpointAnswer } from "./interactions-endpoint.js";
import type { ApiMessage } from "./payloads.js";
import type { FakeState } from "./state.js";

/** A user as tests describe it; the fake expands it into a full Discord user object. */
export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

/** A channel the fake knows from the start; it appears in GUILD_CREATE and in REST answers. */
export interface FakeChannel {
  id: string;
  name: string;
  /** Discord channel type: 0 text (default), 4 category, 5 announcement, 15 forum. */
  type?: number;
  /** Category id, when the channel sits in one. */
  parentId?: string;
  topic?: string;
  /** Forum (15) and media (16) channels: the tags posts may carry (`available_tags`). */
  availableTags?: { id: string; name: string; moderated?: boolean }[];
}

/** A role; `permissions` is a bitfield string ("8" is Administrator). */
export interface FakeRole {
  id: string;
  name: string;
  position?: number;
  permissions?: string;
}

/** A guild member known before the test starts (the bot is always added as a member). */
export interface FakeMember {
  user: FakeUser;
  roles?: string[];
  nick?: string;
}

/** A guild the bot is in when it connects. */
export interface FakeGuild {
  id: string;
  name: string;
  ownerId?: string;
  channels: FakeChannel[];
  /** Extra roles; an @everyone role whose id is the guild id is added unless given here. */
  roles?: FakeRole[];
  members?: FakeMember[];
}

/** A file part of a multipart request (attachments). */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string | undefined;
  size: number;
}

/** One REST request as the fake received it. */
export interface RecordedCall {
  method: string;
  /** Decoded path without the /api/v10 prefix and without the query, e.g. /webhooks/1/tok/messages/@original. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or for multipart requests the parsed payload_json; undefined when empty. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Discord fields without casts
  body: any;
  /** Attachments sent as multipart parts; empty for JSON requests. */
  files: RecordedFile[];
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Date.now() when the request arrived. */
  at: number;
  /** The fake's route pattern that answered, like /channels/:channelId/messages; unset for unknown routes. */
  route?: string;
  /** What the fake answered, as sent (set once written): contract tests check it against Discord's spec. */
  response?: { status: number; body: unknown; headers: Record<string, string> };
}

/** What a canned failure answers; see FakeDiscord.failNext. */
export interface FailResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Who runs an interaction and where. */
export interface InteractionActor {
  guildId: string;
  channelId: string;
  user: FakeUser;
  /** Role ids of the invoking member; when omitted, the roles the fake already knows for that member. */
  memberRoles?: string[];
  /** Permission bitfield of the member; when omitted, computed from @everyone and member roles ("0" by default). */
  memberPermissions?: string;
  /** The bot's permissions in the channel (app_permissions); defaults to every permission. */
  appPermissions?: string;
  locale?: string;
}

/** One option of a slash command. Types: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number. */
export interface SlashOption {
  name: string;
  type: number;
  value: string | number | boolean;
}

/** A slash command invocation. */
export interface SlashCommandInput extends InteractionActor {
  name: string;
  /** Defaults to the id the fake gave the command when it was registered, or a fresh id. */
  commandId?: string;
  subcommand?: string;
  subcommandGroup?: string;
  options?: SlashOption[];
  /** Users referenced by user options: they go into data.resolved.users (and members when known). */
  resolvedUsers?: FakeUser[];
}

/** An autocomplete request; `focused` names the option the user is typing in. */
export type AutocompleteInput = SlashCommandInput & { focused: string };

/** A button click on a message. */
export interface ButtonInput extends InteractionActor {
  customId: string;
  /** The message carrying the button; a bot message with that button is made up when unknown. */
  messageId?: string;
}

/** A message context-menu command. */
export interface MessageCommandInput extends InteractionActor {
  name: string;
  commandId?: string;
  targetMessage: { id: string; content: string; author: FakeUser };
}

/** A message a member posts in a channel or thread (MESSAGE_CREATE on the gateway). */
export interface UserMessageInput {
  channelId: string;
  user: FakeUser;
  content: string;
  /** Role ids of the author in the guild; the roles the fake already knows when omitted. */
  memberRoles?: string[];
}

/** Ids of a dispatched interaction. */
export interface SentInteraction {
  id: string;
  token: string;
  /** Over an Interactions Endpoint URL: the endpoint's HTTP answer (applied as the callback when it is one). */
  delivered?: Promise<EndpointAnswer>;
}

/** Options of startFakeDiscord. */
export interface FakeDiscordOptions {
  guilds: FakeGuild[];
  applicationId?: string;
  botUser?: { id: string; username: string };
  /**
   * The shard count GET /gateway/bot recommends (default 1). Sessions identify with
   * `shard: [id, count]`; each hears its shard's guilds only ((guild_id >> 22) % count), and
   * sessions that identify as the same shard (or without one, [0, 1]) all hear the same events.
   */
  shards?: number;
  /**
   * `max_concurrency` of GET /gateway/bot: identifies allowed per 5 seconds in each bucket
   * (shard_id % it). Default 16, as Discord grants bots sharded for size, so tests that start
   * several shards at once need not wait; tests of the limit set 1, what most bots have. An
   * identify over the limit is answered with Invalid Session, as Discord does.
   */
  identifyConcurrency?: number;
}

/** A running fake: REST under apiUrl, gateway at the url GET /gateway/bot returns. */
export interface FakeDiscord {
  /** Pass as discord.js `rest.api` (no /v10: discord.js adds it). */
  apiUrl: string;
  applicationId: string;
  botUser: { id: string; username: string };
  /** Every REST call in arrival order, including GET /gateway/bot and failed ones. */
  calls: RecordedCall[];
  callsTo(method: string, pathPrefixOrRegex: string | RegExp): RecordedCall[];
  /** First call matching pred, recorded already or arriving within timeoutMs (default 5000). */
  waitForCall(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  sendSlashCommand(input: SlashCommandInput): SentInteraction;
  sendButtonClick(input: ButtonInput): SentInteraction;
  sendMessageCommand(input: MessageCommandInput): SentInteraction;
  sendAutocomplete(input: AutocompleteInput): SentInteraction;
  /**
   * Sends interactions to the bot's Interactions Endpoint URL instead of the gateway, signed
   * with `privateKey` (the bot checks them with the matching public key); the endpoint's 200
   * answer is applied as the interaction's callback (recorded in `calls` like one). Pass
   * undefined to go back to the gateway.
   */
  useInteractionsEndpoint(url: string | undefined, privateKey?: KeyObject): void;
  /** Discord's endpoint check: a signed PING to the Interactions Endpoint URL; its answer. */
  sendPing(): Promise<EndpointAnswer>;
  /**
   * A member posts a message: stored like the bot's own, and MESSAGE_CREATE goes to sessions
   * with the Guild Messages intent. Posting in an archived, unlocked thread unarchives it.
   */
  sendUserMessage(input: UserMessageInput): ApiMessage;
  /**
   * What an admin does in Server Settings, each followed by the dispatch Discord sends:
   * edit a role (move it, change its permissions) → GUILD_ROLE_UPDATE; set a member's roles
   * by hand → GUILD_MEMBER_UPDATE; change the guild (its owner) → GUILD_UPDATE.
   */
  editRole(guildId: string, roleId: string, patch: { name?: string; position?: number; permissions?: string }): void;
  setMemberRoles(guildId: string, userId: string, roles: string[]): void;
  editGuild(guildId: string, patch: { name?: string; ownerId?: string }): void;
  /** Sends a gateway frame exactly as given (truncated JSON, a payload the client cannot parse). */
  sendRawFrame(text: string): void;
  /** Dispatch any gateway event (op 0) to every identified client. */
  dispatch(t: string, d: unknown): void;
  /** The next `times` (default 1) calls matching pred get this answer instead of the normal one. */
  failNext(pred: (c: RecordedCall) => boolean, response: FailResponse, times?: number): void;
  /** The next call matching pred is recorded at once but answered only when the returned function is called (work in flight). */
  holdNext(pred: (c: RecordedCall) => boolean): () => void;
  /** Open gateway connections. */
  connectedClients(): number;
  /** The [shard_id, num_shards] of every identified session with an open socket. */
  identifiedShards(): [number, number][];
  /** When each identify arrived (ms since the epoch) and its shard, refused ones included. */
  identifies(): { at: number; shard: [number, number]; refused: boolean }[];
  /** Read access to what the fake holds (messages, channels, members), for assertions. */
  state: FakeState;
  close(): Promise<void>;
}

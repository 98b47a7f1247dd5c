/**
 * Posting outside a command's own reply: opening a question or review thread in a configured
 * channel, writing into it later (reminders), marking it solved, and announcements. Each
 * platform implements {@link ChatPoster}; capabilities only see this interface.
 */
import type { PlatformName } from "./context.js";
import type { MessageContent } from "./reply.js";

/** Where a discussion lives, as stored with the question or review that opened it. */
export interface ThreadRef {
  readonly platform: PlatformName;
  /** Discord guild id or Slack team id. */
  readonly spaceId: string;
  /** The channel the thread was opened in (a text or forum channel on Discord). */
  readonly channelId: string;
  /** Discord: the thread's channel id. Slack: the ts of the message whose thread holds the replies. */
  readonly threadId: string;
  /** A link members can click to open it. */
  readonly url?: string;
}

/**
 * Who a post may ping. Everything else in a post never pings (Discord `allowed_mentions`,
 * Slack escaping); only these ids, mentioned in the text with `mention.*` tokens, do.
 */
export interface Pings {
  readonly discordRoleIds?: readonly string[];
  readonly slackUserGroupIds?: readonly string[];
  /** Platform user ids (a reviewer being assigned, say). */
  readonly userIds?: readonly string[];
}

export interface Post extends MessageContent {
  readonly pings?: Pings;
}

export interface ChatPoster {
  readonly platform: PlatformName;
  /**
   * Starts a discussion in a channel. Discord: a public thread (a post when the channel is a
   * forum), its first message `message`. Slack: `message` posted in the channel, its thread
   * holding the replies. `title` names the thread (Discord truncates at 100 characters).
   */
  openThread(spaceId: string, channelId: string, title: string, message: Post, opts?: { tags?: readonly string[] }): Promise<ThreadRef>;
  /** Writes into an existing thread (a reminder, a reassignment). */
  postInThread(thread: ThreadRef, message: Post): Promise<void>;
  /** Posts a message in a channel (an announcement, a badge). */
  post(spaceId: string, channelId: string, message: Post): Promise<void>;
  /**
   * Marks a discussion resolved and says why in it. Discord: applies a forum tag named
   * "Solved" when the forum has one, else prefixes the thread name with ✅, then archives it.
   * Slack: a ✅ reaction on the question message and `note` in its thread.
   */
  markSolved(thread: ThreadRef, note: Post): Promise<void>;
  /**
   * Removes a discussion Guildhall itself opened, when what it was opened for could not be
   * recorded. Discord: deletes the thread (a forum post with it) and the message it started
   * from. Slack: deletes the opening message. Throws when the platform refuses.
   */
  removeThread(thread: ThreadRef): Promise<void>;
}

/** The posters for the platforms that are running. */
export type ChatPosters = Partial<Record<PlatformName, ChatPoster>>;

/** A message picked with a message command (Discord context menu, Slack message shortcut). */
export interface MessageRef {
  readonly id: string;
  /** The channel the message is in: on Discord a thread's own id, on Slack the parent channel. */
  readonly channelId: string;
  /** Slack: the ts of the thread's parent message when the message is a reply in a thread. */
  readonly threadId?: string;
  readonly author: { readonly id: string; readonly displayName: string; readonly bot?: boolean };
  /** The message text as the platform gave it (may be empty). */
  readonly text: string;
}

/** A message posted in a thread, as adapters report it (Q&A counts replies from these). */
export interface ThreadMessage {
  readonly platform: PlatformName;
  readonly spaceId: string;
  /** Discord: the thread's id. Slack: the ts of the thread's parent message. */
  readonly threadId: string;
  readonly messageId: string;
  readonly author: { readonly id: string; readonly displayName: string; readonly bot: boolean };
  readonly at: Date;
}

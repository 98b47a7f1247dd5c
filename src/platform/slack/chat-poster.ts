// Posting outside a command's reply on Slack: a question or review is a message in the
// channel whose thread holds the discussion; solved questions get a ✅ reaction.
import type { webApi } from "@slack/bolt";
import type { ChatPoster, Post, ThreadRef } from "../../core/chat.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import { slackErrorCode, slackRetryDelay } from "./access-errors.js";
import { rateLimitDelay, slackChatError } from "./chat-errors.js";
import { renderSlackMessage } from "./render.js";
import { InternalError } from "../../core/errors.js";

type WebClient = webApi.WebClient;

/** Options of {@link SlackChatPoster}; every field has a production default. */
export type SlackChatPosterOptions = RetrySettings;

const SOLVED_REACTION = "white_check_mark";

/**
 * Posts through a WebClient with the workspace's bot token (createAccessWebClient). Pings:
 * Slack has no allowed-mentions list; user text is escaped by the renderer so it cannot form
 * a mention, and only `mention.*` tokens the caller put in the text notify anyone (user
 * groups through `mention.userGroup`).
 */
export class SlackChatPoster implements ChatPoster {
  readonly platform = "slack";
  readonly #retryPost: Retrier;
  readonly #retry: Retrier;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: SlackChatPosterOptions = {},
  ) {
    const onRetry = (error: unknown, attempt: number, delayMs: number) => log.info({ err: error, attempt, delayMs }, "slack chat call failed; retrying");
    this.#retryPost = retrier(options, rateLimitDelay, onRetry);
    this.#retry = retrier(options, slackRetryDelay, onRetry);
  }

  async openThread(spaceId: string, channelId: string, title: string, message: Post): Promise<ThreadRef> {
    const heading = title.replace(/\s+/g, " ").trim();
    const opener = { ...message, text: [heading ? `**${heading}**` : "", message.text ?? ""].filter(Boolean).join("\n") };
    const ts = await this.#postMessage("open a thread", channelId, opener);
    const url = await this.#permalink(channelId, ts);
    return { platform: "slack", spaceId, channelId, threadId: ts, ...(url ? { url } : {}) };
  }

  async postInThread(thread: ThreadRef, message: Post): Promise<void> {
    await this.#postMessage("post in the thread", thread.channelId, message, thread.threadId);
  }

  async post(_spaceId: string, channelId: string, message: Post): Promise<void> {
    await this.#postMessage("post", channelId, message);
  }

  async markSolved(thread: ThreadRef, note: Post): Promise<void> {
    try {
      await this.#retry(() => this.client.reactions.add({ channel: thread.channelId, timestamp: thread.threadId, name: SOLVED_REACTION }));
    } catch (error) {
      if (slackErrorCode(error) !== "already_reacted") {
        this.log.warn({ err: error, channel: thread.channelId, ts: thread.threadId }, "could not add the solved reaction");
        throw slackChatError(error, "mark the question solved", thread.channelId);
      }
    }
    await this.postInThread(thread, note);
  }

  async removeThread(thread: ThreadRef): Promise<void> {
    // The bot may delete its own messages; replies, if any came in the meantime, stay under Slack's tombstone.
    try {
      await this.#retry(() => this.client.chat.delete({ channel: thread.channelId, ts: thread.threadId }));
    } catch (error) {
      if (slackErrorCode(error) === "message_not_found") return; // already gone
      this.log.warn({ err: error, channel: thread.channelId, ts: thread.threadId }, "could not delete a thread's opening message");
      throw slackChatError(error, "remove the thread", thread.channelId);
    }
  }

  /** Posts and returns the message's ts. */
  async #postMessage(what: string, channel: string, message: Post, threadTs?: string): Promise<string> {
    try {
      const body = { channel, ...renderSlackMessage(message), unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}) };
      const posted = await this.#retryPost(() => this.client.chat.postMessage(body));
      if (!posted.ts) throw new InternalError("slack_post_without_ts", "chat.postMessage returned no ts");
      return posted.ts;
    } catch (error) {
      this.log.warn({ err: error, channel, threadTs }, "slack chat post failed");
      throw slackChatError(error, what, channel);
    }
  }

  /** A link to the message, or undefined: a thread without a link is still a thread. */
  async #permalink(channel: string, ts: string): Promise<string | undefined> {
    try {
      return (await this.client.chat.getPermalink({ channel, message_ts: ts })).permalink;
    } catch (error) {
      this.log.info({ err: error, channel, ts }, "could not get a permalink for a new thread");
      return undefined;
    }
  }
}

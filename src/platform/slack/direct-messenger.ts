// Private messages to members on Slack (billing notices, reminders): open the app's DM with
// the member, then post the rendered message in it, through the shared sendInDirectChannel.
// The DM's id is remembered (DirectChannelCache), so a later message skips conversations.open,
// a Tier 3 method (about 50 calls a minute). Only a member who can never receive it is "closed"; every other failure is
// retried briefly and then reported as "failed" with a log line.
import type { webApi } from "@slack/bolt";
import type { DirectMessenger } from "../../core/platform-services.js";
import type { MessageContent } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import { InternalError } from "../../core/errors.js";
import { type DirectChannelCache, type DirectChannelTransport, type DirectSendProgress, sendInDirectChannel } from "../direct-channels.js";
import { slackErrorCode, slackRetryDelay } from "./access-errors.js";
import { renderSlackMessage } from "./render.js";

type WebClient = webApi.WebClient;

/** Options of {@link SlackDirectMessenger}; every field has a production default. */
export interface SlackDirectMessengerOptions extends RetrySettings {
  /**
   * Remembers each member's DM id; without one every message opens it first. Use one cache
   * per workspace: the DM is between the member and that workspace's app.
   */
  readonly channels?: DirectChannelCache;
}

/**
 * Codes about the member that no retry or admin can change: a bot account, a deactivated
 * account, or a guest the bot is not allowed to see. Slack members cannot refuse an app's
 * DMs one by one, so these are its nearest equivalent of Discord's closed DMs.
 * user_not_found is left out on purpose: it usually means an id from another workspace or
 * a bad link, which someone should look at, as with Discord's Unknown User.
 */
const CLOSED_CODES = new Set(["cannot_dm_bot", "user_disabled", "user_not_visible"]);

/** What an operator reading the log should do about failures that stop every DM, not just one. */
const FIXES: Record<string, string> = {
  messages_tab_disabled: "Turn on the Messages tab under App Home in the Slack app's settings.",
  missing_scope: "Add the im:write and chat:write bot scopes to the Slack app and reinstall it.",
  not_allowed_token_type: "Give Guildhall a bot token (xoxb-), not a user or app-level token.",
};

/**
 * Sends direct messages through the app's DM with each member. The client's token decides
 * the workspace, so use one messenger per workspace client. A client built with
 * `rejectRateLimitedCalls` (createAccessWebClient) hands 429s back to be retried here after
 * Retry-After; one without waits them out itself first.
 */
export class SlackDirectMessenger implements DirectMessenger {
  readonly platform = "slack";
  readonly #retry: Retrier;
  readonly #channels: DirectChannelCache | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: SlackDirectMessengerOptions = {},
  ) {
    this.#retry = retrier(options, slackRetryDelay, (error, attempt, delayMs) => log.info({ err: error, attempt, delayMs }, "slack direct message call failed; retrying"));
    this.#channels = options.channels;
  }

  async send(userId: string, message: MessageContent & { text: string }): Promise<"sent" | "closed" | "failed"> {
    const progress: DirectSendProgress = { step: "open" };
    try {
      await sendInDirectChannel(userId, message, this.#transport, this.#channels, this.log, progress);
      return "sent";
    } catch (error) {
      const code = slackErrorCode(error);
      if (code !== undefined && CLOSED_CODES.has(code)) {
        this.log.info({ userId, code }, "member cannot receive direct messages on slack");
        return "closed";
      }
      const fix = code === undefined ? undefined : FIXES[code];
      this.log.warn({ err: error, userId, step: progress.step, code, ...(fix ? { fix } : {}) }, "slack direct message failed");
      return "failed";
    }
  }

  readonly #transport: DirectChannelTransport<MessageContent> = {
    open: async (userId) => {
      const opened = await this.#retry(() => this.client.conversations.open({ users: userId }));
      const channel = opened.channel?.id;
      if (!channel) throw new InternalError("slack_dm_without_channel", "conversations.open returned no channel id");
      return channel;
    },
    // A post retried after a lost response may arrive twice; a repeated notice beats a missing one.
    post: async (channel, message) => void (await this.#retry(() => this.client.chat.postMessage({ channel, ...renderSlackMessage(message), unfurl_links: false, unfurl_media: false }))),
    isGone: (error) => slackErrorCode(error) === "channel_not_found",
  };
}

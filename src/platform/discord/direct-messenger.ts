// Private messages to members on Discord (billing notices, reminders): open the DM channel,
// then post the rendered message in it. The channel is remembered (DirectChannelCache), so a
// later message is one request. Only a member who cannot receive DMs is "closed"; every
// other failure is retried briefly and then reported as "failed" with a log line.
import { type APIDMChannel, DiscordAPIError, type REST, type RESTPostAPIChannelMessageJSONBody, RESTJSONErrorCodes, Routes } from "discord.js";
import type { DirectMessenger } from "../../core/platform-services.js";
import type { MessageContent } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import type { DirectChannelCache } from "../direct-channels.js";
import { discordRetryDelay } from "./access-errors.js";
import { renderDiscordMessage } from "./render.js";

/** Options of {@link DiscordDirectMessenger}; every field has a production default. */
export interface DiscordDirectMessengerOptions extends RetrySettings {
  /** Remembers each member's DM channel; without one every message opens it first. */
  readonly channels?: DirectChannelCache;
}

/**
 * Codes meaning this member cannot get a DM from the bot: DMs closed for the server, the bot
 * blocked, the recipient is a bot, or no server left in common. Retrying will not change that.
 */
const CLOSED_CODES = new Set<number | string>([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
]);

/**
 * Sends direct messages through discord.js's REST. Pass a REST built with `retries: 0`
 * (createAccessRest, or createPacedRest for fan-out) so server errors are retried here with
 * backoff; 429s are waited out by the REST's buckets either way.
 */
export class DiscordDirectMessenger implements DirectMessenger {
  readonly platform = "discord";
  readonly #retry: Retrier;
  readonly #channels: DirectChannelCache | undefined;

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    options: DiscordDirectMessengerOptions = {},
  ) {
    this.#retry = retrier(options, discordRetryDelay, (error, attempt, delayMs) => log.info({ err: error, attempt, delayMs }, "discord direct message request failed; retrying"));
    this.#channels = options.channels;
  }

  async send(userId: string, message: MessageContent & { text: string }): Promise<"sent" | "closed" | "failed"> {
    let step: "open" | "post" = "open";
    try {
      const cached = await this.#cached(userId);
      if (cached !== undefined) {
        step = "post";
        if (await this.#postUnlessGone(cached, message)) return "sent";
        // The member's DM channel is gone (rare: Discord keeps one per user); open it again, once.
        this.log.info({ userId, channelId: cached }, "remembered discord DM channel is gone; opening it again");
        await this.#channels?.delete(userId).catch((error: unknown) => this.log.warn({ err: error, userId }, "could not forget a DM channel"));
        step = "open";
      }
      // Discord hands back the existing DM channel when there is one, so opening is idempotent.
      const channel = (await this.#retry(() => this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))) as APIDMChannel;
      await this.#channels?.set(userId, channel.id).catch((error: unknown) => this.log.warn({ err: error, userId }, "could not remember a DM channel"));
      step = "post";
      await this.#post(channel.id, message);
      return "sent";
    } catch (error) {
      if (error instanceof DiscordAPIError && CLOSED_CODES.has(error.code)) {
        this.log.info({ userId, code: error.code }, "member does not accept direct messages on discord");
        return "closed";
      }
      this.log.warn({ err: error, userId, step }, "discord direct message failed");
      return "failed";
    }
  }

  /** The remembered channel; a cache that cannot be read only costs the open request. */
  async #cached(userId: string): Promise<string | undefined> {
    try {
      return await this.#channels?.get(userId);
    } catch (error) {
      this.log.warn({ err: error, userId }, "could not read a remembered DM channel");
      return undefined;
    }
  }

  /** Posts in `channelId`; false when Discord no longer knows that channel. */
  async #postUnlessGone(channelId: string, message: MessageContent): Promise<boolean> {
    try {
      await this.#post(channelId, message);
      return true;
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel) return false;
      throw error;
    }
  }

  async #post(channelId: string, message: MessageContent): Promise<void> {
    // A post retried after a lost response may arrive twice; a repeated notice beats a missing one.
    await this.#retry(() => this.rest.post(Routes.channelMessages(channelId), { body: messageBody(message) }));
  }
}

/** The rendered message in Discord's JSON shape: the raw REST does not translate discord.js's camelCase. */
function messageBody(message: MessageContent): RESTPostAPIChannelMessageJSONBody {
  const { allowedMentions, ...rest } = renderDiscordMessage(message);
  return { ...rest, allowed_mentions: { parse: allowedMentions.parse } };
}

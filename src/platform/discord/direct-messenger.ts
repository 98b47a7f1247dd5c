// Private messages to members on Discord (billing notices, reminders): open the DM channel,
// then post the rendered message in it, through the shared sendInDirectChannel. The channel is
// remembered (DirectChannelCache), so a later message is one request. Only a member who cannot receive DMs is "closed"; every
// other failure is retried briefly and then reported as "failed" with a log line.
import { type APIDMChannel, DiscordAPIError, type REST, type RESTPostAPIChannelMessageJSONBody, RESTJSONErrorCodes, Routes } from "discord.js";
import { createHash } from "node:crypto";
import type { DirectMessenger, DirectSendOptions } from "../../core/platform-services.js";
import type { MessageContent } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import { type DirectChannelCache, type DirectChannelTransport, type DirectSendProgress, sendInDirectChannel } from "../direct-channels.js";
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

  async send(userId: string, message: MessageContent & { text: string }, options: DirectSendOptions = {}): Promise<"sent" | "closed" | "failed"> {
    const progress: DirectSendProgress = { step: "open" };
    const nonce = options.idempotencyKey === undefined ? undefined : discordNonce(options.idempotencyKey);
    try {
      await sendInDirectChannel(userId, { message, nonce }, this.#transport, this.#channels, this.log, progress);
      return "sent";
    } catch (error) {
      if (error instanceof DiscordAPIError && CLOSED_CODES.has(error.code)) {
        this.log.info({ userId, code: error.code }, "member does not accept direct messages on discord");
        return "closed";
      }
      this.log.warn({ err: error, userId, step: progress.step }, "discord direct message failed");
      return "failed";
    }
  }

  readonly #transport: DirectChannelTransport<NoncedMessage> = {
    // Discord hands back the existing DM channel when there is one, so opening is idempotent.
    open: async (userId) => ((await this.#retry(() => this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }))) as APIDMChannel).id,
    // With a nonce, a post retried after a lost response (or by another process after a crash)
    // returns the message Discord already created, within Discord's window of a few minutes.
    // Without one it may arrive twice; a repeated notice beats a missing one.
    post: async (channelId, { message, nonce }) => void (await this.#retry(() => this.rest.post(Routes.channelMessages(channelId), { body: messageBody(message, nonce) }))),
    isGone: (error) => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel,
  };
}

type NoncedMessage = { readonly message: MessageContent; readonly nonce: string | undefined };

/** Discord takes nonces of up to 25 characters: the first 25 of the key's SHA-256 in base64url (150 bits). */
export function discordNonce(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, 25);
}

/**
 * The rendered message in Discord's JSON shape: the raw REST does not translate discord.js's
 * camelCase. With a nonce, `enforce_nonce` makes Discord return the message it created under
 * that nonce in the last few minutes instead of creating another.
 */
function messageBody(message: MessageContent, nonce: string | undefined): RESTPostAPIChannelMessageJSONBody {
  const { allowedMentions, ...rest } = renderDiscordMessage(message);
  return { ...rest, allowed_mentions: { parse: allowedMentions.parse }, ...(nonce === undefined ? {} : { nonce, enforce_nonce: true }) };
}

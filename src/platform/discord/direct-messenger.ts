// Private messages to members on Discord (billing notices, reminders): open the DM channel,
// then post the rendered message in it, through the shared sendInDirectChannel. The channel is
// remembered (DirectChannelCache), so a later message is one request. Only a member who cannot receive DMs is "closed"; every
// other failure is retried briefly and then reported as "failed" with a log line.
import { type APIDMChannel, type APIMessage, DiscordAPIError, type REST, type RESTPostAPIChannelMessageJSONBody, RESTJSONErrorCodes, Routes } from "discord.js";
import { createHash } from "node:crypto";
import type { DirectMessenger, DirectSendOptions } from "../../core/platform-services.js";
import type { MessageContent } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import { type DirectChannelCache, type DirectChannelTransport, type DirectSendProgress, sendInDirectChannel } from "../direct-channels.js";
import { discordRetryDelay } from "./access-errors.js";
import { NotSentByChoice, withBeforeWire } from "./before-wire.js";
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
  /** Give it a paced REST (createPacedRest): the step runs after the post's turn at the pace. */
  readonly callsBeforeDelivery = true;
  readonly #retrySettings: RetrySettings;
  readonly #channels: DirectChannelCache | undefined;

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    options: DiscordDirectMessengerOptions = {},
  ) {
    this.#retrySettings = options;
    this.#channels = options.channels;
  }

  async send(userId: string, message: MessageContent & { text: string }, options: DirectSendOptions = {}): Promise<"sent" | "closed" | "failed"> {
    const progress: DirectSendProgress = { step: "open" };
    try {
      await sendInDirectChannel(userId, message, this.#transport(options), this.#channels, this.log, progress);
      return "sent";
    } catch (error) {
      if (error instanceof DiscordAPIError && CLOSED_CODES.has(error.code)) {
        this.log.info({ userId, code: error.code }, "member does not accept direct messages on discord");
        return "closed";
      }
      if (error instanceof NotSentByChoice) return "failed";
      if (options.signal?.aborted) {
        // The caller's deadline: it decides what a send cut off there means (delivery.ts).
        this.log.info({ userId, step: progress.step }, "discord direct message given up at its deadline");
        return "failed";
      }
      this.log.warn({ err: error, userId, step: progress.step }, "discord direct message failed");
      return "failed";
    }
  }

  /**
   * Reads the DM channel's messages since `window.from` (snowflakes carry their creation time)
   * and looks for one of the bot's. In a DM the bot is the only bot, so `author.bot` is enough.
   */
  async findSent(userId: string, window: { readonly from: Date; readonly to: Date }): Promise<boolean> {
    const transport = this.#transport({});
    const channelId = (await this.#channels?.get(userId)) ?? (await transport.open(userId));
    const query = new URLSearchParams({ after: snowflakeAt(window.from), limit: "100" });
    const messages = (await this.#retrier(undefined)(() => this.rest.get(Routes.channelMessages(channelId), { query }))) as APIMessage[];
    return messages.some((m) => m.author.bot === true && createdAt(m.id) <= window.to.getTime());
  }

  /** Backoff on transient failures, but none once `signal` aborted (the send's time is up). */
  #retrier(signal: AbortSignal | undefined): Retrier {
    return retrier(
      this.#retrySettings,
      (error) => (signal?.aborted || error instanceof NotSentByChoice ? undefined : discordRetryDelay(error)),
      (error, attempt, delayMs) => this.log.info({ err: error, attempt, delayMs }, "discord direct message request failed; retrying"),
    );
  }

  #transport({ idempotencyKey, signal, beforeDelivery }: DirectSendOptions): DirectChannelTransport<MessageContent> {
    const retry = this.#retrier(signal);
    const nonce = idempotencyKey === undefined ? undefined : discordNonce(idempotencyKey);
    const request = signal ? { signal } : {};
    return {
      // Discord hands back the existing DM channel when there is one, so opening is idempotent.
      open: async (userId) => ((await retry(() => this.rest.post(Routes.userChannels(), { body: { recipient_id: userId }, ...request }))) as APIDMChannel).id,
      // With a nonce, a post retried after a lost answer (or by another process after a crash)
      // returns the message Discord already created, within Discord's window of a few minutes.
      // Without one it may arrive twice; a repeated notice beats a missing one.
      post: async (channelId, message) => {
        const step = beforeDelivery && withBeforeWire(beforeDelivery);
        try {
          await retry(() => this.rest.post(Routes.channelMessages(channelId), { body: messageBody(message, nonce), ...request, ...(step ? { headers: step.headers } : {}) }));
        } finally {
          step?.forget();
        }
      },
      isGone: (error) => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel,
    };
  }
}

const DISCORD_EPOCH = 1_420_070_400_000n;

/** The smallest snowflake of a moment: ids created after it compare greater. */
function snowflakeAt(at: Date): string {
  return ((BigInt(Math.max(at.getTime(), Number(DISCORD_EPOCH))) - DISCORD_EPOCH) << 22n).toString();
}

function createdAt(snowflake: string): number {
  return Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH);
}

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

// What a reply asks for beyond the answer itself, a thread and a direct message, sent through
// Discord's REST the same way whether the interaction came over the gateway or over HTTP.
import { type APIDMChannel, type APIThreadChannel, ChannelType, DiscordAPIError, type REST, Routes } from "discord.js";
import type { MessageContent, Reply } from "../../core/reply.js";
import { LIMITS, truncate } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { discordApiMessage, renderDiscordMessage } from "./render.js";

/** Discord's error codes that mean "we lack a permission" or "DMs are closed". */
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const CANNOT_DM = 50007;

/** Where an interaction's extras go: the REST (with the bot token), its channel and member, and a private follow-up for failures. */
export interface InteractionTarget {
  readonly rest: REST;
  readonly channelId: string;
  readonly userId: string;
  /** An ephemeral follow-up to the interaction; never throws. */
  readonly tellPrivately: (content: string) => Promise<void>;
}

/** Opens the reply's thread in the channel the command ran in, starting with the reply's thread message. */
export async function openThread(target: InteractionTarget, reply: Reply, log: Logger): Promise<void> {
  const thread = reply.thread!;
  const name = truncate(thread.name, LIMITS.discordThreadName);
  try {
    const created = (await target.rest.post(Routes.threads(target.channelId), { body: { name, type: ChannelType.PublicThread } })) as APIThreadChannel;
    await target.rest.post(Routes.channelMessages(created.id), { body: discordApiMessage(renderDiscordMessage(thread.message)) });
  } catch (error) {
    log.warn({ err: error, channel: target.channelId }, "could not open a thread");
    await target.tellPrivately(explain(error, "open a thread here", "Create Public Threads and Send Messages in Threads"));
  }
}

/** Sends the invoking member a direct message; closed DMs are reported to them, not retried. */
export async function sendDirectMessage(target: InteractionTarget, message: MessageContent, log: Logger): Promise<void> {
  try {
    // Discord hands back the existing DM channel when there is one.
    const channel = (await target.rest.post(Routes.userChannels(), { body: { recipient_id: target.userId } })) as APIDMChannel;
    await target.rest.post(Routes.channelMessages(channel.id), { body: discordApiMessage(renderDiscordMessage(message)) });
  } catch (error) {
    log.info({ err: error, user: target.userId }, "could not send a direct message");
    const text =
      error instanceof DiscordAPIError && error.code === CANNOT_DM
        ? "I couldn't send you a direct message: your DMs are closed for this server. Allow them under Privacy Settings and try again."
        : explain(error, "send you a direct message", "Send Messages");
    await target.tellPrivately(text);
  }
}

function explain(error: unknown, what: string, permission: string): string {
  if (error instanceof DiscordAPIError && (error.code === MISSING_PERMISSIONS || error.code === MISSING_ACCESS)) {
    return `I couldn't ${what}: I need the ${permission} permission. Ask an admin to grant it.`;
  }
  return `I couldn't ${what}. Please try again in a moment.`;
}

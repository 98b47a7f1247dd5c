import { DiscordAPIError, MessageFlags, type RepliableInteraction } from "discord.js";
import type { MessageContent, Reply } from "../../core/reply.js";
import { LIMITS, truncate } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { renderDiscordMessage } from "./render.js";
import { InternalError } from "../../core/errors.js";

/** Discord's error codes that mean "we lack a permission" or "DMs are closed". */
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const CANNOT_DM = 50007;

/** Opens the reply's thread in the channel the command ran in. */
export async function openThread(interaction: RepliableInteraction, reply: Reply, log: Logger): Promise<void> {
  const thread = reply.thread!;
  const name = truncate(thread.name, LIMITS.discordThreadName);
  const channel = interaction.channel;
  try {
    if (!channel || !("threads" in channel)) throw new InternalError("channel_without_threads", "this channel cannot hold threads");
    const created = await channel.threads.create({ name });
    await created.send(renderDiscordMessage(thread.message));
  } catch (error) {
    log.warn({ err: error, channel: interaction.channelId }, "could not open a thread");
    await tellPrivately(interaction, explain(error, "open a thread here", "Create Public Threads and Send Messages in Threads"));
  }
}

/** Sends the invoking member a direct message; closed DMs are reported to them, not retried. */
export async function sendDirectMessage(interaction: RepliableInteraction, message: MessageContent, log: Logger): Promise<void> {
  try {
    await interaction.user.send(renderDiscordMessage(message));
  } catch (error) {
    log.info({ err: error, user: interaction.user.id }, "could not send a direct message");
    const text =
      error instanceof DiscordAPIError && error.code === CANNOT_DM
        ? "I couldn't send you a direct message: your DMs are closed for this server. Allow them under Privacy Settings and try again."
        : explain(error, "send you a direct message", "Send Messages");
    await tellPrivately(interaction, text);
  }
}

function explain(error: unknown, what: string, permission: string): string {
  if (error instanceof DiscordAPIError && (error.code === MISSING_PERMISSIONS || error.code === MISSING_ACCESS)) {
    return `I couldn't ${what}: I need the ${permission} permission. Ask an admin to grant it.`;
  }
  return `I couldn't ${what}. Please try again in a moment.`;
}

async function tellPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }).catch(() => undefined);
}

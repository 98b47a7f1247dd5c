/** Answering an interaction that came over the gateway, through discord.js. */
import { DiscordAPIError, MessageFlags, type RepliableInteraction } from "discord.js";
import type { Reply } from "../../core/reply.js";
import { renderDiscordReply } from "./render.js";
import type { InteractionTarget } from "./side-effects.js";

/** The interaction's channel and member, for the thread and direct message its reply asks for, sent through the client's REST. */
export function targetOf(interaction: RepliableInteraction<"cached" | "raw">): InteractionTarget {
  return {
    rest: interaction.client.rest,
    channelId: interaction.channelId ?? "",
    userId: interaction.user.id,
    tellPrivately: async (content) => void (await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }).catch(() => undefined)),
  };
}

/**
 * Answers the interaction. After a deferral whose visibility turned out wrong (a public
 * command that failed, say), the placeholder is deleted and the reply sent as a follow-up,
 * because Discord cannot change a message's visibility.
 */
export async function sendReply(interaction: RepliableInteraction, reply: Reply, deferred: { deferredEphemeral: boolean } | undefined): Promise<void> {
  const { message, ephemeral, files } = renderDiscordReply(reply);
  const attached = files.length > 0 ? { files: files.map((f) => ({ attachment: f.data, name: f.name, description: f.description })) } : {};
  const payload = { ...message, ...attached };
  const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
  if (!deferred) return void (await interaction.reply({ ...payload, ...(flags ? { flags } : {}) }));
  if (deferred.deferredEphemeral === ephemeral) return void (await interaction.editReply(payload));
  await interaction.deleteReply().catch((error: unknown) => {
    if (!(error instanceof DiscordAPIError)) throw error;
  });
  await interaction.followUp({ ...payload, ...(flags ? { flags } : {}) });
}

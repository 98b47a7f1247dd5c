/** Gateway events as Guildhall's capabilities see them. */
import type { Message } from "discord.js";
import type { ThreadMessage } from "../../core/chat.js";

/** The guild whose roles or settings changed in a way that may unblock a refused role change. */
export function accessSignalGuild(packet: { t?: unknown; d?: unknown }, botId: string | undefined): string | undefined {
  const d = packet.d as { id?: unknown; guild_id?: unknown; user?: { id?: unknown } } | null | undefined;
  if (typeof d !== "object" || d === null) return undefined;
  switch (packet.t) {
    case "GUILD_ROLE_UPDATE":
    case "GUILD_ROLE_CREATE":
      return typeof d.guild_id === "string" ? d.guild_id : undefined;
    case "GUILD_UPDATE":
      return typeof d.id === "string" ? d.id : undefined;
    case "GUILD_MEMBER_UPDATE":
      return botId !== undefined && d.user?.id === botId && typeof d.guild_id === "string" ? d.guild_id : undefined;
    default:
      return undefined;
  }
}

/**
 * A message in a thread as Q&A sees it: who posted where, never what they wrote. `at` is
 * when Guildhall heard of it, on the adapter's clock, like an interaction's `now`.
 */
export function threadMessageFrom(message: Message<true>, at: Date): ThreadMessage {
  const author = message.author;
  return {
    platform: "discord",
    spaceId: message.guildId,
    threadId: message.channelId,
    messageId: message.id,
    author: { id: author.id, displayName: message.member?.displayName ?? author.globalName ?? author.username, bot: author.bot },
    at,
  };
}

import { REST, Routes } from "discord.js";
import type { Command } from "../../core/command.js";
import type { MessageCommand } from "../../core/message-command.js";
import { discordCommandsPayload } from "./command-payloads.js";

/**
 * Registers every command (slash commands and message context-menu commands) with Discord in
 * one bulk overwrite: globally, or in one guild (instant, for trying changes). The
 * application id comes from the configuration or, failing that, from Discord itself.
 */
export async function deployDiscordCommands(
  config: { readonly token: string; readonly apiUrl?: string; readonly applicationId?: string },
  commands: readonly Command[],
  guildId?: string,
  messageCommands: readonly MessageCommand[] = [],
): Promise<number> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const applicationId = config.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body: discordCommandsPayload(commands, messageCommands) })) as unknown[];
  return saved.length;
}

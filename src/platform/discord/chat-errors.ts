// What a failed post means on Discord, in words a member can pass on to an admin.
import { DiscordAPIError, RESTJSONErrorCodes } from "discord.js";
import { mention } from "../../core/markup.js";
import { ChatSetupError, chatPostFailed } from "../chat-errors.js";
import type { BotPermissionName } from "./bot-permissions.js";

/** What the poster was doing, for the message: "open a thread in", "post in", ... */
export interface DiscordChatStep {
  readonly what: string;
  readonly channelId: string;
  /** The permission the step needs, as Discord's settings name it (one of the invite's, see bot-permissions.ts). */
  readonly permission: BotPermissionName;
}

/** Turns a REST failure into a ChatSetupError (an admin can fix it) or an InternalError. */
export function discordChatError(error: unknown, step: DiscordChatStep): Error {
  const where = mention.channel(step.channelId);
  if (error instanceof DiscordAPIError) {
    switch (error.code) {
      case RESTJSONErrorCodes.MissingPermissions:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: I need the ${step.permission} permission there. Ask an admin to grant it.`, { cause: error });
      case RESTJSONErrorCodes.MissingAccess: {
        const needed = step.permission === "View Channels" ? "the View Channels permission" : `the View Channels and ${step.permission} permissions`;
        return new ChatSetupError(`I couldn't ${step.what} ${where}: I can't see that channel. Ask an admin to give me ${needed} there.`, { cause: error });
      }
      case RESTJSONErrorCodes.UnknownChannel:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: that channel no longer exists. Ask an admin to update Guildhall's channel settings.`, { cause: error });
      case RESTJSONErrorCodes.ThreadLocked:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: the thread is locked. A moderator can unlock it.`, { cause: error });
    }
  }
  return chatPostFailed("Discord", `${step.what} channel ${step.channelId}`, error);
}

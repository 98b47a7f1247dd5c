// What a failed post means on Discord, in words a member can pass on to an admin.
import { DiscordAPIError, RESTJSONErrorCodes } from "discord.js";
import { mention } from "../../core/markup.js";
import { ChatSetupError, chatPostFailed } from "../chat-errors.js";

/** What the poster was doing, for the message: "open a thread in", "post in", ... */
export interface DiscordChatStep {
  readonly what: string;
  readonly channelId: string;
  /** The permissions the step needs, as Discord's settings name them. */
  readonly permission: string;
}

/** Turns a REST failure into a ChatSetupError (an admin can fix it) or an InternalError. */
export function discordChatError(error: unknown, step: DiscordChatStep): Error {
  const where = mention.channel(step.channelId);
  if (error instanceof DiscordAPIError) {
    switch (error.code) {
      case RESTJSONErrorCodes.MissingPermissions:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: I need the ${step.permission} permission there. Ask an admin to grant it.`, { cause: error });
      case RESTJSONErrorCodes.MissingAccess:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: I can't see that channel. Ask an admin to give me the View Channel and ${step.permission} permissions there.`, {
          cause: error,
        });
      case RESTJSONErrorCodes.UnknownChannel:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: that channel no longer exists. Ask an admin to update Guildhall's channel settings.`, { cause: error });
      case RESTJSONErrorCodes.ThreadLocked:
        return new ChatSetupError(`I couldn't ${step.what} ${where}: the thread is locked. A moderator can unlock it.`, { cause: error });
    }
  }
  return chatPostFailed("Discord", `${step.what} channel ${step.channelId}`, error);
}

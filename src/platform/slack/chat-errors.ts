// What a failed post means on Slack, in words a member can pass on to an admin.
import { webApi } from "@slack/bolt";
import { mention } from "../../core/markup.js";
import { ChatSetupError, chatPostFailed } from "../chat-errors.js";
import { slackErrorCode, slackRetryDelay } from "./access-errors.js";

/** Slack error codes an admin fixes, and how (`where` is the channel as a mention token). */
const SETUP_FIXES: Record<string, (where: string) => string> = {
  not_in_channel: (where) => `I'm not in ${where}: invite me with \`/invite @Guildhall\` there.`,
  channel_not_found: (where) => `I can't see ${where}: invite me with \`/invite @Guildhall\` there, or ask an admin to update Guildhall's channel settings.`,
  is_archived: (where) => `${where} is archived. Ask an admin to unarchive it or update Guildhall's channel settings.`,
  missing_scope: () => "I'm missing a Slack permission for this. Ask an admin to reinstall the app from the manifest in the README.",
  restricted_action: (where) => `a workspace setting stops me posting in ${where}. Ask an admin to allow it.`,
};

/** Turns a Web API failure into a ChatSetupError (an admin can fix it) or an InternalError. */
export function slackChatError(error: unknown, what: string, channelId: string): Error {
  const fix = SETUP_FIXES[slackErrorCode(error) ?? ""];
  if (fix) return new ChatSetupError(`I couldn't ${what}: ${fix(mention.channel(channelId))}`, { cause: error });
  return chatPostFailed("Slack", `${what} (channel ${channelId})`, error);
}

/**
 * Retries only what Slack did not act on: a rate-limited call. A post that failed any other
 * way may have gone through, and a repeated question is worse than a reported failure.
 */
export function rateLimitDelay(error: unknown): number | undefined {
  return (error as { code?: unknown } | undefined)?.code === webApi.ErrorCode.RateLimitedError ? slackRetryDelay(error) : undefined;
}

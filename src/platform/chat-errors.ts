// What a chat poster throws. A post the platform refused for a reason an admin can fix (a
// missing permission, the bot not in the channel, a channel that is gone) is a
// UserFacingError, so a command that lets it through tells the member what to ask for;
// anything else (an outage, a bug) is an InternalError with the platform's error as cause.
import { InternalError, UserFacingError } from "../core/errors.js";

/** The platform refused a post for a reason a server or workspace admin can fix. */
export class ChatSetupError extends UserFacingError {
  override name = "ChatSetupError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, "chat_setup");
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Any other failed post: the caller decides whether to retry, log or apologise. */
export function chatPostFailed(platform: string, what: string, cause: unknown): InternalError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new InternalError("chat_post_failed", `Could not ${what} on ${platform}: ${detail}`, { cause });
}

// What a failed conversations.invite or conversations.kick means for an access change, and
// what an admin should do about it. Slack reports failures as error codes in the body.
import { webApi } from "@slack/bolt";
import type { AccessFailureKind } from "../../core/platform-services.js";

/** How the gateway should treat an error. */
export type SlackAccessOutcome =
  /** The user is not in the workspace: nothing to do until they join. */
  | { readonly kind: "not-in-space" }
  /** The wanted state already holds: already in, or already out of, the channel. */
  | { readonly kind: "already-done" }
  /** Needs an admin; `reason` and `fix` go into the result's failures. */
  | { readonly kind: "failure"; readonly cause: AccessFailureKind; readonly reason: string; readonly fix: string };

/** Platform error codes worth another try. */
const TRANSIENT_CODES = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);
const NOT_IN_SPACE_CODES = new Set(["user_not_found", "users_not_found"]);
const TOKEN_CODES = new Set(["not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired"]);

/** The shape of @slack/web-api's errors that is read here (duck-typed: several copies may be installed). */
interface WebApiErrorLike {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown; needed?: unknown; response_metadata?: { retryAfter?: unknown } };
}

/** The Slack error code of a platform error (`ok: false`), if that is what this is. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as WebApiErrorLike | undefined;
  if (e?.code !== webApi.ErrorCode.PlatformError) return undefined;
  return typeof e.data?.error === "string" ? e.data.error : undefined;
}

/**
 * Returns the wait Slack asked for in ms (Retry-After), 0 for plain backoff, or undefined for
 * permanent errors. A WebClient built with `rejectRateLimitedCalls` hands 429s over as
 * RateLimitedError; one without waits out Retry-After itself and then fails with a request
 * error, which is retried here like a network error.
 */
export function slackRetryDelay(error: unknown): number | undefined {
  const e = error as WebApiErrorLike | undefined;
  switch (e?.code) {
    case webApi.ErrorCode.RateLimitedError:
      return secondsToMs(e.retryAfter);
    case webApi.ErrorCode.RequestError:
      return 0;
    case webApi.ErrorCode.HTTPError:
      return typeof e.statusCode === "number" && e.statusCode >= 500 ? 0 : undefined;
    case webApi.ErrorCode.PlatformError: {
      const code = slackErrorCode(error);
      return code !== undefined && TRANSIENT_CODES.has(code) ? secondsToMs(e.data?.response_metadata?.retryAfter) : undefined;
    }
    default:
      return undefined;
  }
}

/** Classifies an error that survived the retries, for one invite or kick in `channel`. */
export function slackOutcome(error: unknown, action: "grant" | "revoke", channel: string): SlackAccessOutcome {
  const code = slackErrorCode(error);
  if (code === undefined) return nonPlatformFailure(error);
  if (NOT_IN_SPACE_CODES.has(code)) return { kind: "not-in-space" };
  if (action === "grant" && code === "already_in_channel") return { kind: "already-done" };
  // On kick, not_in_channel is about the member (already out) unless the bot is the one
  // outside: the gateway checks the bot's membership first and uses botOutsideChannel then.
  if (action === "revoke" && code === "not_in_channel") return { kind: "already-done" };
  return { kind: "failure", cause: causeOf(code), ...explain(code, action, channel, error) };
}

/** A kick refused because the bot itself is not in the channel. */
export function botOutsideChannel(channel: string): SlackAccessOutcome {
  return { kind: "failure", cause: "not_member", ...explain("not_in_channel", "revoke", channel, undefined) };
}

function causeOf(code: string): AccessFailureKind {
  if (code === "not_in_channel" || code === "channel_not_found") return "not_member";
  if (TRANSIENT_CODES.has(code)) return code === "ratelimited" ? "rate_limit" : "outage";
  if (TOKEN_CODES.has(code) || code === "missing_scope" || code === "restricted_action") return "permission";
  return "other";
}

/** Reason (what Slack said, in words, with its code) and fix for a permanent error. */
function explain(code: string, action: "grant" | "revoke", channel: string, error: unknown): { reason: string; fix: string } {
  const here = `<#${channel}>`;
  const said = (what: string) => `${what} (${code})`;
  if (TOKEN_CODES.has(code)) {
    return { reason: said("Slack rejected Guildhall's token"), fix: "Check SLACK_BOT_TOKEN (reinstall the app if it was revoked) and restart Guildhall." };
  }
  switch (code) {
    case "not_in_channel":
      return { reason: said("Guildhall is not in the channel"), fix: `Invite @Guildhall to ${here} first (type /invite @Guildhall in the channel).` };
    case "channel_not_found":
      return { reason: said("Guildhall cannot see the channel"), fix: `Guildhall cannot see channel ${here}: invite @Guildhall to it (type /invite @Guildhall in the channel), or point the product at a channel that exists.` };
    case "missing_scope": {
      const needed = (error as WebApiErrorLike).data?.needed;
      const scope = typeof needed === "string" ? needed : "groups:write";
      return { reason: said(`Missing the ${scope} scope`), fix: `Add the ${scope} bot scope to the Slack app (commands/slack-manifest.json lists it) and reinstall it to the workspace.` };
    }
    case "cant_invite_self":
    case "cant_kick_self":
      return { reason: said("The member is Guildhall itself"), fix: "Check which Slack account is linked to this member." };
    case "restricted_action": {
      const what = action === "grant" ? "adding people to" : "removing people from";
      return {
        reason: said(`A workspace setting stops Guildhall ${what} private channels`),
        fix: `A workspace admin can allow it under Settings → Permissions → Channel Management, or do it by hand in ${here}.`,
      };
    }
    case "user_is_restricted":
    case "user_is_ultra_restricted":
      return { reason: said("The member is a guest account"), fix: `A workspace admin must add them to ${here} or make them a full member.` };
    case "is_archived":
      return { reason: said("The channel is archived"), fix: `Unarchive ${here} or point the product at an active channel.` };
    case "cant_kick_from_general":
    case "method_not_supported_for_channel_type":
      return { reason: said("This channel cannot hold paid access"), fix: `Point the product at a private channel instead of ${here}.` };
    default:
      return { reason: code, fix: "Check Guildhall's logs." };
  }
}

function nonPlatformFailure(error: unknown): SlackAccessOutcome {
  const e = error as WebApiErrorLike | undefined;
  if (e?.code === webApi.ErrorCode.RateLimitedError || e?.code === webApi.ErrorCode.RequestError || e?.code === webApi.ErrorCode.HTTPError) {
    const cause = e.code === webApi.ErrorCode.RateLimitedError ? "rate_limit" : "outage";
    return { kind: "failure", cause, reason: `Slack unavailable: ${messageOf(error)}`, fix: "Slack is rate limiting or unreachable; Guildhall retries by itself. If it persists, check Guildhall's logs." };
  }
  return { kind: "failure", cause: "other", reason: messageOf(error), fix: "Check Guildhall's logs." };
}

function secondsToMs(value: unknown): number {
  return typeof value === "number" && value > 0 ? value * 1000 : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

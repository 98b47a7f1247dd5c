// What a failed Discord request means for an access change, and what an admin should do
// about it. Codes are Discord's JSON error codes (RESTJSONErrorCodes).
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from "discord.js";
import type { AccessFailureKind } from "../../core/platform-services.js";

/** The step of an access change that failed. */
export type DiscordAccessStep = "fetch-member" | "grant" | "revoke";

/** How the gateway should treat an error. */
export type DiscordAccessOutcome =
  /** The member is not in the guild (or the user does not exist): nothing to do until they join. */
  | { readonly kind: "not-in-space" }
  /** The wanted state already holds: a role to remove is gone. */
  | { readonly kind: "already-done" }
  /** Needs an admin; `reason` and `fix` go into the result's failures. */
  | { readonly kind: "failure"; readonly cause: AccessFailureKind; readonly reason: string; readonly fix: string };

const PERMISSION_CODES = new Set<number | string>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);

/**
 * discord.js's REST already waits out 429s on every route (and retries 5xx itself unless
 * built with `retries: 0`), so only what gets through is judged here: server errors, network
 * errors, and a 429 when the REST was told to reject on rate limits instead of waiting.
 * Returns the wait Discord asked for, 0 for plain backoff, or undefined for permanent errors.
 */
export function discordRetryDelay(error: unknown): number | undefined {
  if (error instanceof RateLimitError) return error.retryAfter;
  // discord.js raises HTTPError for 5xx and DiscordAPIError for 4xx answers.
  if (error instanceof HTTPError) return error.status >= 500 ? 0 : undefined;
  if (error instanceof DiscordAPIError) return undefined;
  // Anything else came from below HTTP: refused or reset connections, timeouts, DNS.
  return 0;
}

/**
 * Classifies an error that survived the retries. `roleLabel` names the role for the fix text
 * (its name when known, else its id); it is unused for the member fetch.
 */
export function discordOutcome(error: unknown, step: DiscordAccessStep, roleLabel: string): DiscordAccessOutcome {
  if (error instanceof DiscordAPIError) return apiErrorOutcome(error, step, roleLabel);
  if (error instanceof HTTPError) {
    return failure("outage", `Discord answered HTTP ${error.status}`, "Discord is having trouble; Guildhall retries by itself. If it persists, check Guildhall's logs.");
  }
  if (error instanceof RateLimitError) return failure("rate_limit", "Rate limited by Discord", "Nothing to do: Guildhall retries by itself.");
  return failure("outage", `Could not reach Discord: ${messageOf(error)}`, "Check Guildhall's network connection and logs; Guildhall retries by itself.");
}

function apiErrorOutcome(error: DiscordAPIError, step: DiscordAccessStep, roleLabel: string): DiscordAccessOutcome {
  switch (error.code) {
    case RESTJSONErrorCodes.UnknownMember:
    case RESTJSONErrorCodes.UnknownUser:
      return { kind: "not-in-space" };
    case RESTJSONErrorCodes.UnknownRole:
      if (step === "revoke") return { kind: "already-done" };
      return failure("other", "Unknown Role", `The role ${roleLabel} no longer exists in this server: create it again or point the product at an existing role.`);
    case RESTJSONErrorCodes.UnknownGuild:
      return failure("permission", "Unknown Guild", "Guildhall is no longer in this server: invite it again with the Manage Roles permission.");
  }
  if (PERMISSION_CODES.has(error.code) || error.status === 403) {
    const above = step === "fetch-member" ? "the roles it manages" : roleLabel;
    return failure("permission", error.message, `Give Guildhall the Manage Roles permission and move its role above ${above} in Server Settings → Roles.`);
  }
  if (error.status === 401) return failure("permission", "Discord rejected Guildhall's token", "Check DISCORD_TOKEN and restart Guildhall.");
  return failure("other", `${String(error.code)}: ${error.message}`, "Check Guildhall's logs.");
}

/** A refused role change, told apart by what the bot holds (read after the refusal). */
export function refusedRoleOutcome(reason: string, roleLabel: string, botRoleLabel: string | undefined, canManageRoles: boolean | undefined): DiscordAccessOutcome {
  if (canManageRoles === false) return failure("permission", reason, `Give Guildhall's role${botRoleLabel ? ` (${botRoleLabel})` : ""} the Manage Roles permission in Server Settings → Roles.`);
  if (canManageRoles === true) return failure("hierarchy", `${reason}: Guildhall's highest role is not above ${roleLabel}`, `Move Guildhall's role${botRoleLabel ? ` (${botRoleLabel})` : ""} above ${roleLabel} in Server Settings → Roles.`);
  return failure("permission", reason, `Give Guildhall the Manage Roles permission and move its role above ${roleLabel} in Server Settings → Roles.`);
}

function failure(cause: AccessFailureKind, reason: string, fix: string): DiscordAccessOutcome {
  return { kind: "failure", cause, reason, fix };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the platforms provide to capabilities besides chat posts (core/chat.ts): access
 * gateways, the admin log and direct messages. src/platform implements them.
 *
 * How paid access reaches a platform: Discord roles in a guild, Slack private-channel
 * membership in a workspace. The commerce capability decides *what* a member should have
 * (from all their active entitlements together); a gateway makes the platform match.
 */

/** One member's access on one platform space, as the difference to apply. */
export interface AccessChange {
  /** Discord guild id or Slack team id. */
  readonly spaceId: string;
  /** The member's user id on that platform. */
  readonly userId: string;
  /** Role ids (Discord) or private channel ids (Slack) the member must have. */
  readonly grant: readonly string[];
  /** Role or channel ids the member must not have. Only ids Guildhall manages ever appear here. */
  readonly revoke: readonly string[];
}

/**
 * What kind of cause stopped an access change: it decides which platform signal may mean
 * the cause is gone (a role moved, the bot invited to a channel) and keys the admin notice.
 */
export type AccessFailureKind = "permission" | "hierarchy" | "not_member" | "rate_limit" | "outage" | "other";

/** Why one grant or revoke failed, phrased for an admin, with the fix. */
export interface AccessFailure {
  readonly target: string;
  /** The role's or channel's name, when the platform would tell it. */
  readonly targetName?: string;
  readonly action: "grant" | "revoke";
  readonly kind: AccessFailureKind;
  /** What went wrong, e.g. "Missing Permissions". */
  readonly reason: string;
  /** What an admin should do, e.g. "Move the Guildhall role above Rustaceans in Server Settings → Roles". */
  readonly fix: string;
}

export interface AccessResult {
  /** Ids actually added or removed now (already-present and already-gone are not listed). */
  readonly granted: readonly string[];
  readonly revoked: readonly string[];
  /** The member is not in the guild or workspace (yet): nothing was applied; retry when they join. */
  readonly notInSpace: boolean;
  readonly failures: readonly AccessFailure[];
}

/** Applies access changes on one platform. Implementations retry transient errors with backoff. */
export interface AccessGateway {
  readonly platform: "discord" | "slack";
  apply(change: AccessChange): Promise<AccessResult>;
  /** Someone joined or left a target (a Slack channel event): gateways that keep member lists follow. */
  noteMembership?(target: string, userId: string, present: boolean): void;
  /**
   * Who holds each of `targets` now, read from the platform (a drift check): all holders, or
   * only `userIds` when given. Reads go through the gateway's pacing and retries.
   */
  holders?(spaceId: string, targets: readonly string[], userIds?: readonly string[]): Promise<Holders>;
}

/** What a drift check read from a platform. */
export interface Holders {
  /** User id -> the targets (among those asked about) they hold. */
  readonly held: ReadonlyMap<string, ReadonlySet<string>>;
  /** Whether every member of the space is in `held` (Discord's member list), so one missing is not there at all. */
  readonly everyoneListed: boolean;
  /** Target id -> its name, for reports. */
  readonly names: ReadonlyMap<string, string>;
  /** Platform API calls the read took. */
  readonly calls: number;
}

/**
 * Something changed on a platform that may make a refused access change possible now, or
 * that moves who holds a role or channel: a role edited or moved, the server's settings, the
 * bot's own roles (Discord); someone (the bot included) joined or left a channel, a channel
 * unarchived (Slack).
 */
export interface AccessSignal {
  readonly platform: "discord" | "slack";
  readonly spaceId: string;
  readonly kind: "roles-changed" | "joined" | "left" | "unarchived";
  /** The channel, for Slack signals. */
  readonly target?: string;
  /** Who joined or left. */
  readonly userId?: string;
  /** Whether that someone is the bot itself. */
  readonly isBot?: boolean;
}

/** Where problems an admin must fix are reported (a configured admin log channel). */
export interface AdminLog {
  report(platform: "discord" | "slack", spaceId: string, message: string): Promise<void>;
}

/** Sends a member a private message on one platform (billing notices, reminders). */
export interface DirectMessenger {
  readonly platform: "discord" | "slack" | "playground";
  /**
   * Sends `text` (reply markup: **bold**, `code`, [label](url)) with optional link buttons.
   * Resolves `"sent"`, or `"closed"` when the member does not accept direct messages (recorded,
   * never retried forever); other failures are retried briefly, then reported as `"failed"`.
   */
  send(userId: string, message: { text: string; links?: readonly { label: string; url: string }[] }, options?: DirectSendOptions): Promise<"sent" | "closed" | "failed">;
  /** Runs `options.beforeDelivery` itself, between the delivering request's rate-limit turn and the wire. */
  readonly callsBeforeDelivery?: boolean;
  /**
   * Whether the bot's DM channel with `userId` holds a message from the bot created between
   * `window.from` and `window.to`: how a fan-out settles a message whose process died while
   * sending it (sent, or never arrived and safe to send). Left out by messengers whose platform
   * cannot be asked; their unsettled messages stay unsent rather than risk a second copy.
   */
  findSent?(userId: string, window: { readonly from: Date; readonly to: Date }): Promise<boolean>;
}

/** What a fan-out tells a messenger about one of its direct messages. */
export interface DirectSendOptions {
  /**
   * Names this message across tries and processes (its `Delivery` key). A platform that can
   * deduplicate a message creation (Discord's enforced nonce) sends it with a token derived from
   * this, so a repeat within the platform's window returns the first message instead of a second.
   */
  readonly idempotencyKey?: string;
  /** Aborts the send: no further request (or retry) starts; one already on the wire may still arrive. */
  readonly signal?: AbortSignal;
  /**
   * Runs right before the request that delivers the message goes on the wire (after its turn
   * at the rate limit, when the messenger {@link DirectMessenger.callsBeforeDelivery}; else
   * before `send` is called): the fan-out claims the message there. Resolving false means
   * another process has it: nothing is delivered and the send reports "failed".
   */
  readonly beforeDelivery?: () => Promise<boolean>;
}

/** The access gateways of the platforms that are running. */
export interface AccessGateways {
  readonly discord?: AccessGateway;
  readonly slack?: AccessGateway;
}

/** The direct messengers of the platforms that are running. */
export interface Messengers {
  readonly discord?: DirectMessenger;
  readonly slack?: DirectMessenger;
  /** Prints private messages in the playground's terminal. */
  readonly playground?: DirectMessenger;
}

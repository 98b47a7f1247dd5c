// Paid access on Slack: membership of private channels. Each channel's members are read once
// (ChannelMembers) and kept current, so a sync invites only people who are out and kicks only
// people who are in: a sync that finds nothing to change sends no invite or kick at all.
// Guildhall only ever removes people from channels, never from the workspace.
import type { webApi } from "@slack/bolt";
import type { AccessChange, AccessFailure, AccessGateway, AccessResult, Holders } from "../../core/platform-services.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings, realSleep } from "../../core/retry.js";
import { botOutsideChannel, slackErrorCode, slackOutcome, slackRetryDelay } from "./access-errors.js";
import { WorkspaceQueue } from "./access-queue.js";
import { ChannelMembers } from "./channel-members.js";

type WebClient = webApi.WebClient;

/** Options of {@link SlackAccessGateway}; every field has a production default, and `sleep` also spaces the calls. */
export interface SlackAccessGatewayOptions extends RetrySettings {
  /** Least time between the starts of two calls for one workspace (default 1200 ms: Tier 3 is about 50 a minute). */
  readonly minIntervalMs?: number;
}

const DEFAULT_MIN_INTERVAL_MS = 1200;

/** What one apply has done so far. */
interface Tally {
  readonly granted: string[];
  readonly revoked: string[];
  readonly failures: AccessFailure[];
}

/**
 * Applies access changes as Slack private-channel membership. Invites and kicks for one
 * workspace go through a queue, one at a time and spaced out, whichever apply they belong to;
 * retries (Retry-After included) wait inside that queue so the workspace's other calls hold
 * back too.
 */
export class SlackAccessGateway implements AccessGateway {
  readonly platform = "slack";
  readonly #retry: Retrier;
  readonly #queue: WorkspaceQueue;
  readonly members: ChannelMembers;
  #botUserId: Promise<string | undefined> | undefined;

  /**
   * @param client a WebClient with the workspace's bot token (createAccessWebClient builds a
   *   suitable one); the change's spaceId is the team id the queue is keyed by
   */
  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: SlackAccessGatewayOptions = {},
  ) {
    this.#retry = retrier(options, slackRetryDelay, (error, attempt, delayMs) => log.info({ err: error, attempt, delayMs }, "slack access call failed; retrying"));
    this.#queue = new WorkspaceQueue(options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS, options.sleep ?? realSleep);
    this.members = new ChannelMembers(client);
  }

  /** A membership event from Slack (member_joined_channel / member_left_channel). */
  noteMembership(channel: string, user: string, present: boolean): void {
    this.members.note(channel, user, present);
  }

  async apply(change: AccessChange): Promise<AccessResult> {
    const grant = [...new Set(change.grant)];
    // A channel both granted and revoked is kept: taking away paid access by mistake is the worse error.
    const revoke = [...new Set(change.revoke)].filter((id) => !grant.includes(id));
    const tally: Tally = { granted: [], revoked: [], failures: [] };
    const { spaceId, userId } = change;

    for (const channel of grant) {
      const members = await this.#membersOf(change, tally, channel, "grant");
      if (!members || members.has(userId)) continue;
      const call = () => this.client.conversations.invite({ channel, users: userId });
      const step = await this.#step(change, tally, channel, "grant", call);
      if (step === "not-in-space") return resultOf(tally, true);
      if (step !== "failed") this.members.note(channel, userId, true);
    }
    for (const channel of revoke) {
      const members = await this.#membersOf(change, tally, channel, "revoke");
      if (!members?.has(userId)) continue;
      const call = () => this.client.conversations.kick({ channel, user: userId });
      const step = await this.#step(change, tally, channel, "revoke", call);
      if (step === "not-in-space") return resultOf(tally, true);
      if (step !== "failed") this.members.note(channel, userId, false);
    }
    this.log.debug({ spaceId, userId, granted: tally.granted, revoked: tally.revoked }, "slack access applied");
    return resultOf(tally, false);
  }

  /**
   * Who is in each private channel, read afresh from Slack (conversations.members in pages,
   * and conversations.info for the name). A channel the bot cannot see is left out.
   */
  async holders(_spaceId: string, channels: readonly string[], userIds?: readonly string[]): Promise<Holders> {
    const held = new Map<string, Set<string>>();
    const names = new Map<string, string>();
    const pagesBefore = this.members.pagesRead;
    // Guildhall itself is in every channel it manages, and owes itself nothing.
    this.#botUserId ??= this.client.auth.test().then((r) => r.user_id);
    const bot = await this.#botUserId;
    let infos = 1;
    for (const channel of channels) {
      this.members.forget(channel);
      let members: ReadonlySet<string>;
      try {
        members = await this.#retry(() => this.members.get(channel));
      } catch (error) {
        this.log.warn({ err: error, channel }, "could not read a paid channel's members for a drift check");
        continue;
      }
      infos += 1;
      const name = await this.#channelName(channel);
      if (name) names.set(channel, name);
      for (const user of members) {
        if (user === bot || (userIds && !userIds.includes(user))) continue;
        const set = held.get(user) ?? new Set<string>();
        set.add(channel);
        held.set(user, set);
      }
    }
    return { held, everyoneListed: false, names, calls: this.members.pagesRead - pagesBefore + infos };
  }

  /** The channel's members, or undefined after recording why they cannot be read (the bot cannot see the channel). */
  async #membersOf(change: AccessChange, tally: Tally, channel: string, action: "grant" | "revoke"): Promise<ReadonlySet<string> | undefined> {
    try {
      return await this.#retry(() => this.members.get(channel));
    } catch (error) {
      await this.#record(change, tally, channel, action, error);
      return undefined;
    }
  }

  /** One invite or kick, queued for the workspace and retried; its outcome goes into the tally. */
  async #step(change: AccessChange, tally: Tally, channel: string, action: "grant" | "revoke", call: () => Promise<unknown>): Promise<"done" | "already" | "failed" | "not-in-space"> {
    try {
      await this.#queue.run(change.spaceId, () => this.#retry(call));
      (action === "grant" ? tally.granted : tally.revoked).push(channel);
      return "done";
    } catch (error) {
      // Slack answers not_in_channel to a kick both when the member is out and when the bot
      // is: only the bot's own membership tells the two apart.
      if (action === "revoke" && slackErrorCode(error) === "not_in_channel") {
        if ((await this.#botIsMember(channel)) !== false) return "already";
        await this.#record(change, tally, channel, action, error);
        this.members.forget(channel);
        return "failed";
      }
      const outcome = slackOutcome(error, action, channel);
      if (outcome.kind === "not-in-space") return "not-in-space";
      if (outcome.kind === "already-done") return "already";
      await this.#record(change, tally, channel, action, error);
      if (slackErrorCode(error) === "not_in_channel") this.members.forget(channel);
      return "failed";
    }
  }

  async #record(change: AccessChange, tally: Tally, channel: string, action: "grant" | "revoke", error: unknown): Promise<void> {
    const code = slackErrorCode(error);
    const outcome = code === "not_in_channel" && action === "revoke" ? botOutsideChannel(channel) : slackOutcome(error, action, channel);
    if (outcome.kind !== "failure") return;
    this.log.warn({ err: error, spaceId: change.spaceId, userId: change.userId, channel, action, reason: outcome.reason }, "slack access change failed");
    const name = await this.#channelName(channel);
    tally.failures.push({ target: channel, ...(name ? { targetName: name } : {}), action, kind: outcome.cause, reason: outcome.reason, fix: outcome.fix });
  }

  /** Whether the bot is in the channel; undefined when Slack will not say. */
  async #botIsMember(channel: string): Promise<boolean | undefined> {
    try {
      const info = await this.client.conversations.info({ channel });
      return info.channel?.is_member ?? undefined;
    } catch (error) {
      // A private channel the bot is outside of is invisible to it.
      return slackErrorCode(error) === "channel_not_found" ? false : undefined;
    }
  }

  /** The channel's name for a notice, when the bot can see it. */
  async #channelName(channel: string): Promise<string | undefined> {
    try {
      const info = await this.client.conversations.info({ channel });
      return info.channel?.name ? `#${info.channel.name}` : undefined;
    } catch {
      return undefined;
    }
  }
}

function resultOf(tally: Tally, notInSpace: boolean): AccessResult {
  return { granted: tally.granted, revoked: tally.revoked, notInSpace, failures: tally.failures };
}

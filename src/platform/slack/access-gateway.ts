// Paid access on Slack: membership of private channels. Each grant is one
// conversations.invite and each revoke one conversations.kick; Slack's "already in" and
// "not in" answers count as done, so a repeated sync changes nothing and reports nothing.
// Guildhall only ever removes people from channels, never from the workspace.
import type { webApi } from "@slack/bolt";
import type { AccessChange, AccessFailure, AccessGateway, AccessResult } from "../../core/platform-services.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings, realSleep } from "../../core/retry.js";
import { slackOutcome, slackRetryDelay } from "./access-errors.js";
import { WorkspaceQueue } from "./access-queue.js";

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
 * Applies access changes as Slack private-channel membership. Calls for one workspace go
 * through a queue, one at a time and spaced out, whichever apply they belong to; retries
 * (Retry-After included) wait inside that queue so the workspace's other calls hold back too.
 */
export class SlackAccessGateway implements AccessGateway {
  readonly platform = "slack";
  readonly #retry: Retrier;
  readonly #queue: WorkspaceQueue;

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
  }

  async apply(change: AccessChange): Promise<AccessResult> {
    const grant = [...new Set(change.grant)];
    // A channel both granted and revoked is kept: taking away paid access by mistake is the worse error.
    const revoke = [...new Set(change.revoke)].filter((id) => !grant.includes(id));
    const tally: Tally = { granted: [], revoked: [], failures: [] };
    const { spaceId, userId } = change;

    for (const channel of grant) {
      const call = () => this.client.conversations.invite({ channel, users: userId });
      if ((await this.#step(change, tally, channel, "grant", call)) === "not-in-space") return resultOf(tally, true);
    }
    for (const channel of revoke) {
      const call = () => this.client.conversations.kick({ channel, user: userId });
      if ((await this.#step(change, tally, channel, "revoke", call)) === "not-in-space") return resultOf(tally, true);
    }
    this.log.debug({ spaceId, userId, granted: tally.granted, revoked: tally.revoked }, "slack access applied");
    return resultOf(tally, false);
  }

  /** One invite or kick, queued for the workspace and retried; its outcome goes into the tally. */
  async #step(change: AccessChange, tally: Tally, channel: string, action: "grant" | "revoke", call: () => Promise<unknown>): Promise<"continue" | "not-in-space"> {
    try {
      await this.#queue.run(change.spaceId, () => this.#retry(call));
      (action === "grant" ? tally.granted : tally.revoked).push(channel);
      return "continue";
    } catch (error) {
      const outcome = slackOutcome(error, action, channel);
      if (outcome.kind === "not-in-space") return "not-in-space";
      if (outcome.kind === "already-done") return "continue";
      this.log.warn({ err: error, spaceId: change.spaceId, userId: change.userId, channel, action, reason: outcome.reason }, "slack access change failed");
      tally.failures.push({ target: channel, action, reason: outcome.reason, fix: outcome.fix });
      return "continue";
    }
  }

}

function resultOf(tally: Tally, notInSpace: boolean): AccessResult {
  return { granted: tally.granted, revoked: tally.revoked, notInSpace, failures: tally.failures };
}

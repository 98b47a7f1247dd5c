import { realSleep, type Sleep } from "../../core/retry.js";

/** One workspace's line: the end of its last task and when that task started. */
interface Lane {
  tail: Promise<unknown>;
  lastStart: number;
}

/**
 * Runs tasks one at a time per key (a Slack workspace), starting each at least
 * `minIntervalMs` after the previous one started. Slack's Tier 3 methods
 * (conversations.invite and .kick) allow about 50 calls a minute per workspace, so 1200 ms
 * keeps a burst of access changes under the limit instead of running into 429s.
 * In-process only: two Guildhall processes on one workspace each keep their own pace.
 */
export class WorkspaceQueue {
  // One lane per workspace a bot serves: a handful, so lanes are never removed.
  readonly #lanes = new Map<string, Lane>();

  constructor(
    private readonly minIntervalMs: number,
    private readonly sleep: Sleep = realSleep,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues `task` behind the key's earlier tasks; settles as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve(), lastStart: Number.NEGATIVE_INFINITY };
      this.#lanes.set(key, lane);
    }
    const current = lane;
    const result = current.tail.then(async () => {
      const waitMs = current.lastStart + this.minIntervalMs - this.now();
      if (waitMs > 0) await this.sleep(waitMs);
      current.lastStart = this.now();
      return task();
    });
    // A failed task must not stall the ones queued behind it.
    current.tail = result.catch(() => undefined);
    return result;
  }
}

/** A running connection to one chat platform. */
export interface PlatformAdapter {
  readonly name: "discord" | "slack" | "playground";
  /** Connects; resolves when the platform is ready to deliver commands. */
  start(): Promise<void>;
  /** Disconnects after in-flight interactions are answered (or `graceMs` passes). */
  stop(graceMs?: number): Promise<void>;
  /** For /healthz. */
  status(): "starting" | "ready" | "stopped";
}

/** One answered interaction, timed from receipt to the moment the answer was handed to the platform. */
export interface AnsweredInteraction {
  readonly platform: "discord" | "slack" | "playground";
  readonly command: string;
  readonly ms: number;
}

/** Optional observer of answered interactions (benchmarks, metrics). */
export type AnswerObserver = (event: AnsweredInteraction) => void;

/**
 * Tracks in-flight interactions so shutdown can wait for them: a member who ran a command
 * just before SIGTERM still gets an answer.
 */
export class InFlight {
  readonly #running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work)).catch(() => undefined);
    return work;
  }

  async drain(graceMs: number): Promise<void> {
    if (this.#running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.#running]), timeout]);
    clearTimeout(timer);
  }
}

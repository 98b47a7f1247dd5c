import cron from "node-cron";
import type { Job } from "../../core/jobs/jobs.js";
import type { Logger } from "../../log/logger.js";
import type { Clock } from "../../core/services.js";
import type { PlaygroundClock } from "./clock.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PlaygroundSchedulerDeps {
  /** The capabilities' recurring jobs (digests, review rounds, access expiry, …). */
  readonly jobs: readonly Job[];
  /** Runs stored one-off work that is due (reminders, go-live posts, announcements). */
  runDue(): Promise<unknown>;
  /** When the next pending stored work is due after `after`, if any. */
  nextWorkAfter(after: Date): Promise<Date | undefined>;
  /** A {@link PlaygroundClock} is held at each step; another clock (a test's) is only read. */
  readonly clock: Clock & Partial<Pick<PlaygroundClock, "hold" | "runFrom">>;
  readonly log: Logger;
}

/**
 * Runs the playground's scheduled work as its clock passes it, whether the clock moved with
 * `/clock` or real time went by. Time is walked in steps: each moment stored work is due
 * (a reminder at 17:45 runs at 17:45), and every top of the hour; at each step the due work
 * runs, then every recurring job whose schedule fired since the last step, once, with the
 * clock held at that step. So a daily digest at 09:00 posts at 09:00, and a job that runs
 * every minute on a server runs at least once an hour of playground time.
 * A state sweep (`Job.sweep`: rollups, reconciliation, expiry, …) gives the same result run
 * once as at every firing in between, so it runs once per move, after the walk, for its last
 * firing, with the clock at the end of the move: a `/clock +40d` does not run it 960 times.
 */
export class PlaygroundScheduler {
  /** Jobs run at each step their schedule fired in. */
  readonly #stepped: Matcher[];
  /** State sweeps, run once per move. */
  readonly #sweeps: Matcher[];
  #last: Date;

  constructor(private readonly deps: PlaygroundSchedulerDeps) {
    const matchers = deps.jobs.map((job) => {
      const task = cron.createTask(job.cron, () => undefined, { timezone: job.timezone ?? "UTC" });
      return { job, fires: (at: Date) => task.match(at) };
    });
    this.#stepped = matchers.filter((m) => !m.job.sweep);
    this.#sweeps = matchers.filter((m) => m.job.sweep);
    this.#last = deps.clock.now();
  }

  /**
   * Runs everything due up to `target` (the clock's new time, or now); returns the steps taken.
   * `onNewDay` is told each UTC midnight passed, before what happens that day.
   */
  async runUntil(target: Date, opts: { onNewDay?: (day: Date) => void } = {}): Promise<number> {
    const { clock } = this.deps;
    const start = this.#last;
    let from = start;
    let steps = 0;
    try {
      while (from < target) {
        const nextHour = new Date(Math.floor(from.getTime() / HOUR) * HOUR + HOUR);
        const nextWork = await this.deps.nextWorkAfter(from);
        const step = new Date(Math.min(nextHour.getTime(), nextWork?.getTime() ?? Infinity, target.getTime()));
        if (opts.onNewDay && Math.floor(step.getTime() / DAY) > Math.floor(from.getTime() / DAY)) opts.onNewDay(new Date(Math.floor(step.getTime() / DAY) * DAY));
        clock.hold?.(step);
        await this.#runStep(from, step);
        from = step;
        steps++;
      }
      // The clock is still held at the last step, the end of the move.
      await this.#runJobs(this.#sweeps, start, from);
    } finally {
      this.#last = from;
      clock.runFrom?.(from > target ? from : target);
    }
    return steps;
  }

  async #runStep(from: Date, to: Date): Promise<void> {
    await this.deps.runDue().catch((error: unknown) => this.deps.log.error({ err: error }, "scheduled work failed"));
    await this.#runJobs(this.#stepped, from, to);
  }

  /** Runs each job whose schedule fired in (from, to], once, for its latest firing there. */
  async #runJobs(matchers: readonly Matcher[], from: Date, to: Date): Promise<void> {
    for (const { job, fires } of matchers) {
      const firedAt = lastFiring(fires, from, to);
      if (!firedAt) continue;
      await job.run(firedAt).catch((error: unknown) => this.deps.log.error({ err: error, job: job.name }, "scheduled job failed"));
    }
  }
}

interface Matcher {
  readonly job: Job;
  fires(at: Date): boolean;
}

/** The latest whole minute in (from, to] at which a job's schedule fires. */
function lastFiring(fires: (at: Date) => boolean, from: Date, to: Date): Date | undefined {
  for (let t = Math.floor(to.getTime() / MINUTE) * MINUTE; t > from.getTime(); t -= MINUTE) {
    if (fires(new Date(t))) return new Date(t);
  }
  return undefined;
}

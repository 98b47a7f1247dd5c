import { readFileSync, writeFileSync } from "node:fs";
import type { Clock } from "../../core/services.js";

export interface PlaygroundClockOptions {
  /** Where the clock's lead over real time is kept, so a restart does not turn it back. */
  readonly file?: string;
  /** Starts the clock at this moment instead of now (tests, a reproducible walkthrough). */
  readonly start?: Date;
  /** Real time, in milliseconds; `Date.now` by default. */
  readonly realNow?: () => number;
}

/**
 * The playground's clock: real time plus a lead that `/clock` moves forward (never back,
 * as on a real server). While a move runs the scheduled work it passes, the clock is held at
 * each moment that work was due, so reminders and digests see the time they were meant for.
 */
export class PlaygroundClock implements Clock {
  readonly #realNow: () => number;
  readonly #file: string | undefined;
  #lead: number;
  #held: Date | undefined;

  constructor(opts: PlaygroundClockOptions = {}) {
    this.#realNow = opts.realNow ?? Date.now;
    this.#file = opts.file;
    this.#lead = opts.start ? opts.start.getTime() - this.#realNow() : readLead(opts.file);
  }

  now(): Date {
    return this.#held ? new Date(this.#held) : new Date(this.#realNow() + this.#lead);
  }

  /** Stops the clock at `at` (a moment inside a move) until `runFrom`. */
  hold(at: Date): void {
    this.#held = at;
  }

  /** Lets the clock run again from `at`, and remembers the lead for the next start. */
  runFrom(at: Date): void {
    this.#held = undefined;
    this.#lead = Math.max(this.#lead, at.getTime() - this.#realNow());
    if (this.#file) writeFileSync(this.#file, `${JSON.stringify({ leadMs: this.#lead })}\n`);
  }
}

function readLead(file: string | undefined): number {
  if (!file) return 0;
  try {
    const lead = (JSON.parse(readFileSync(file, "utf8")) as { leadMs?: unknown }).leadMs;
    return typeof lead === "number" && Number.isFinite(lead) && lead > 0 ? lead : 0;
  } catch {
    return 0;
  }
}

import { Writable } from "node:stream";

/**
 * Holds log lines while Guildhall starts. When it is up, they are written out and later
 * lines go straight through; when the start fails, they are dropped (kept with LOG_LEVEL=debug),
 * so the operator sees the one-line reason rather than a screen of JSON.
 */
export class StartupLogBuffer extends Writable {
  #held: string[] | undefined = [];

  constructor(private readonly target: NodeJS.WritableStream = process.stderr) {
    super();
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.#held) this.#held.push(String(chunk));
    else this.target.write(String(chunk));
    done();
  }

  /** Started: write what was held and stop holding. */
  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const line of held) this.target.write(line);
  }

  /** Failed to start: forget what was held. */
  discard(): void {
    this.#held = [];
  }
}

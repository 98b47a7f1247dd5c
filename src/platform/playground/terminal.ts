import type { Interface } from "node:readline";
import type { Writable } from "node:stream";

/** Where playground chat is printed: a stream, or the terminal that keeps the prompt tidy. */
export interface ChatOutput {
  write(text: string): unknown;
}

/**
 * The playground's terminal. Posts can arrive while the member is typing (a reminder, a
 * scheduled announcement): the prompt line is cleared, the post printed, and the prompt
 * redrawn with what was typed so far, so chat never lands in the middle of a half-typed line.
 */
export class PlaygroundTerminal implements ChatOutput {
  #rl: Interface | undefined;
  #atPrompt = false;

  constructor(readonly output: Writable) {}

  /** Called by the playground once its readline interface exists (interactive terminals only). */
  attach(rl: Interface): void {
    this.#rl = rl;
  }

  /** The member is at the prompt (true) or a line is being answered (false). */
  setAtPrompt(atPrompt: boolean): void {
    this.#atPrompt = atPrompt;
  }

  write(text: string): boolean {
    const redraw = this.#rl !== undefined && this.#atPrompt;
    if (redraw) this.output.write("\r\x1b[K");
    const ok = this.output.write(text);
    if (redraw) this.#rl!.prompt(true);
    return ok;
  }
}

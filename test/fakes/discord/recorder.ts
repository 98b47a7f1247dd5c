// The call log: every REST request in order, waiting for a call, and canned failures.
import { abbreviate, CallLog, safeMatch } from "../shared/call-log.js";
import type { FailResponse, RecordedCall } from "./types.js";

interface FailureRule {
  pred: (c: RecordedCall) => boolean;
  response: FailResponse;
  remaining: number;
}

interface HoldRule {
  pred: (c: RecordedCall) => boolean;
  released: Promise<void>;
  used: boolean;
}

/** Records calls, hands out canned failures, and holds answers back. */
export class CallRecorder extends CallLog<RecordedCall> {
  private readonly failures: FailureRule[] = [];
  private readonly holds: HoldRule[] = [];

  constructor() {
    super("Discord", (c) => `${c.method} ${c.path}${c.body === undefined ? "" : ` ${abbreviate(c.body)}`}`);
  }

  /** Calls with this method (case-insensitive) whose path starts with the prefix or matches the regex. */
  callsTo(method: string, pathPrefixOrRegex: string | RegExp): RecordedCall[] {
    const wanted = method.toUpperCase();
    return this.calls.filter(
      (c) =>
        c.method === wanted &&
        (typeof pathPrefixOrRegex === "string" ? c.path.startsWith(pathPrefixOrRegex) : pathPrefixOrRegex.test(c.path)),
    );
  }

  failNext(pred: (c: RecordedCall) => boolean, response: FailResponse, times = 1): void {
    this.failures.push({ pred, response, remaining: times });
  }

  /** The next call matching pred is answered only once the returned function is called. */
  holdNext(pred: (c: RecordedCall) => boolean): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ pred, released, used: false });
    return release;
  }

  /** Waits while a hold matches this call (once per hold). */
  async waitIfHeld(call: RecordedCall): Promise<void> {
    const rule = this.holds.find((r) => !r.used && safeMatch(r.pred, call));
    if (!rule) return;
    rule.used = true;
    await rule.released;
  }

  /** The canned answer for this call, if a rule matches; uses up one of the rule's turns. */
  takeFailure(call: RecordedCall): FailResponse | undefined {
    const rule = this.failures.find((r) => r.remaining > 0 && safeMatch(r.pred, call));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.response;
  }
}

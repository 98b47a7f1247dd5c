// The call log (every request in order, waiting for a call) and the canned answers tests set.
import { abbreviate, CallLog } from "../shared/call-log.js";
import type { RecordedSlackCall, SetResponseOptions, SlackArgs, SlackResponder } from "./types.js";

interface Override {
  method: string;
  response: SlackResponder;
  status: number;
  headers: Record<string, string>;
  remaining: number;
}

/** A canned answer chosen for one call. */
export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  /** `undefined` when a responder function declined, so the normal answer applies (status and headers still do). */
  body: unknown;
}

/** Records calls, wakes waiters and hands out overrides. */
export class CallRecorder extends CallLog<RecordedSlackCall> {
  readonly #overrides: Override[] = [];

  constructor() {
    super("Slack", (c) => `${c.method} ${abbreviate(c.args, 160)}`);
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  setResponse(method: string, response: SlackResponder, opts: SetResponseOptions = {}): void {
    this.#overrides.push({ method, response, status: opts.status ?? 200, headers: opts.headers ?? {}, remaining: opts.times ?? Infinity });
  }

  /** The newest override for this method with turns left, if any; uses up one turn. */
  take(method: string, args: SlackArgs): CannedAnswer | undefined {
    for (let i = this.#overrides.length - 1; i >= 0; i -= 1) {
      const rule = this.#overrides[i];
      if (!rule || rule.method !== method || rule.remaining <= 0) continue;
      rule.remaining -= 1;
      const body = typeof rule.response === "function" ? rule.response(args) : rule.response;
      return { status: rule.status, headers: rule.headers, body };
    }
    return undefined;
  }
}

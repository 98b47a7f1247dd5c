// The call log (every request in order, waiting for a call) and the canned answers tests set.
import type { RecordedSlackCall, SetResponseOptions, SlackArgs, SlackResponder } from "./types.js";

interface Waiter {
  pred: (c: RecordedSlackCall) => boolean;
  resolve: (c: RecordedSlackCall) => void;
}

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
export class CallRecorder {
  readonly calls: RecordedSlackCall[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #overrides: Override[] = [];

  record(call: RecordedSlackCall): void {
    this.calls.push(call);
    for (const waiter of [...this.#waiters]) {
      if (safeMatch(waiter.pred, call)) {
        this.#waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  waitForCall(pred: (c: RecordedSlackCall) => boolean, timeoutMs = 5000): Promise<RecordedSlackCall> {
    const already = this.calls.find((c) => safeMatch(pred, c));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No matching Slack call within ${timeoutMs} ms. Recorded calls:\n${this.describe()}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
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

  /** One line per call, for error messages. */
  describe(): string {
    if (this.calls.length === 0) return "  (none)";
    return this.calls.map((c) => `  ${c.method} ${abbreviate(JSON.stringify(c.args))}`).join("\n");
  }
}

// A predicate that throws on an unexpected shape is a non-match, not a crash.
function safeMatch(pred: (c: RecordedSlackCall) => boolean, call: RecordedSlackCall): boolean {
  try {
    return pred(call);
  } catch {
    return false;
  }
}

function abbreviate(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

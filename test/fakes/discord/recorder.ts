// The call log: every REST request in order, waiting for a call, and canned failures.
import type { FailResponse, RecordedCall } from "./types.js";

interface Waiter {
  pred: (c: RecordedCall) => boolean;
  resolve: (c: RecordedCall) => void;
}

interface FailureRule {
  pred: (c: RecordedCall) => boolean;
  response: FailResponse;
  remaining: number;
}

/** Records calls and hands out canned failures. */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly failures: FailureRule[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (safeMatch(waiter.pred, call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
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

  waitForCall(pred: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
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
        this.waiters.delete(waiter);
        reject(new Error(`No matching Discord call within ${timeoutMs} ms. Recorded calls:\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  failNext(pred: (c: RecordedCall) => boolean, response: FailResponse, times = 1): void {
    this.failures.push({ pred, response, remaining: times });
  }

  /** The canned answer for this call, if a rule matches; uses up one of the rule's turns. */
  takeFailure(call: RecordedCall): FailResponse | undefined {
    const rule = this.failures.find((r) => r.remaining > 0 && safeMatch(r.pred, call));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.response;
  }

  /** One line per call, for error messages. */
  describe(): string {
    if (this.calls.length === 0) return "  (none)";
    return this.calls.map((c) => `  ${c.method} ${c.path}${bodyHint(c.body)}`).join("\n");
  }
}

// A predicate that throws on an unexpected shape (c.body.type on a GET) is a non-match, not a crash.
function safeMatch(pred: (c: RecordedCall) => boolean, call: RecordedCall): boolean {
  try {
    return pred(call);
  } catch {
    return false;
  }
}

function bodyHint(body: unknown): string {
  if (body === undefined) return "";
  const text = JSON.stringify(body);
  return ` ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}

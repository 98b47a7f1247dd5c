import type { Db } from "./database.js";
import { isUniqueViolation } from "./errors.js";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Deadlocks, serialization failures, conflicting inserts and transaction start timeouts. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  const text = String((error as Error).message ?? "");
  return code === "P2034" || code === "P2028" || isUniqueViolation(error) || /deadlock detected|could not serialize|Unable to start a transaction/i.test(text);
}

export interface TransactionOptions {
  /** Tries in all, the first included. */
  readonly attempts?: number;
  /** How long to wait for a pooled connection before the attempt counts as failed. */
  readonly maxWaitMs?: number;
  /** How long the transaction may run. */
  readonly timeoutMs?: number;
}

/**
 * Runs `work` in one transaction, retrying when it lost a race (a deadlock, a conflicting
 * insert, a busy pool): a failed attempt left nothing behind, so trying again is safe.
 * Errors that are not transient (a refusal a member should read) are thrown at once.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { maxWait: opts.maxWaitMs ?? 10_000, timeout: opts.timeoutMs ?? 15_000 });
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { FakeCore } from "./stripe/core.js";
import type { StripeObject } from "./stripe/types.js";

/**
 * The simulated Stripe's objects, kept in the data directory next to the database, so a
 * restarted playground still knows the prices, customers and payments behind its catalog and
 * purchases. Also the port, so links given before the restart open again.
 */
interface Saved {
  readonly port: number;
  readonly now: number;
  readonly state: Record<string, unknown>;
}

/** Reads the saved state into `core`; returns the port it used, or undefined when nothing was saved. */
export function restoreState(file: string, core: FakeCore): number | undefined {
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, "utf8")) as Saved;
  const state = core.state as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(saved.state)) {
    const current = state[key];
    if (current instanceof Map) for (const [id, object] of Object.entries(value as Record<string, unknown>)) current.set(id, object);
    else if (Array.isArray(current)) current.push(...(value as StripeObject[]));
  }
  if (saved.now > core.now()) core.setNow(saved.now);
  return saved.port;
}

/** Writes the state (atomically: a crash leaves the previous file whole). */
export function saveState(file: string, core: FakeCore, port: number): void {
  const state = Object.fromEntries(
    Object.entries(core.state).map(([key, value]) => [key, value instanceof Map ? Object.fromEntries(value) : value]),
  );
  const saved: Saved = { port, now: core.now(), state };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
}

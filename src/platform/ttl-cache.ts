/**
 * A map whose entries expire after `ttlMs`. Values are usually promises, so concurrent
 * lookups of one key share a single API call. Expired entries are swept as it grows.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { at: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly sweepAbove = 5000,
  ) {}

  getOrSet(key: string, make: () => V, now = Date.now()): V {
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    if (this.#entries.size >= this.sweepAbove) this.#sweep(now);
    const value = make();
    this.#entries.set(key, { at: now, value });
    return value;
  }

  /** Forgets a key, so a failed lookup is not remembered like an answer. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (now - entry.at >= this.ttlMs) this.#entries.delete(key);
  }
}

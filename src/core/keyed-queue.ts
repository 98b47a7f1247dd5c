/**
 * Runs tasks with the same key one after another (tasks with different keys run at once).
 * In-process only: it keeps a burst of commands from one member from each holding a
 * database connection while they wait for the same row lock. Correctness across processes
 * still comes from that lock.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}

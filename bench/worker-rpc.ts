import { Worker } from "node:worker_threads";
import pg from "pg";

/** A request to a worker thread, without the id the RPC adds. */
export type Unnumbered<R> = R extends { id: number } ? Omit<R, "id"> : never;

/**
 * A TypeScript worker thread answering numbered requests. Worker threads do not inherit
 * tsx's loader, so the thread registers it first, then loads the worker module.
 */
export class WorkerRpc<R extends { id: number; kind: string }> {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  #next = 0;

  constructor(
    module: URL,
    private readonly label: string,
  ) {
    const tsx = import.meta.resolve("tsx/esm/api");
    const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
    this.#worker = new Worker(boot, { eval: true });
    this.#worker.on("message", (m: { id: number; result?: unknown; error?: string }) => this.#pending.get(m.id)?.(m));
  }

  call<T>(request: Unnumbered<R>): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, (m) => {
        this.#pending.delete(id);
        if (m.error) reject(new Error(`${this.label}: ${m.error}`));
        else resolve(m.result as T);
      });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** Asks the worker to stop its servers, then ends the thread. */
  async close(): Promise<void> {
    await this.call({ kind: "stop" } as Unnumbered<R>);
    await this.#worker.terminate();
  }
}

/** Whether the benchmark's PostgreSQL server answers; points the test helpers at it. */
export async function postgresAvailable(): Promise<boolean> {
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

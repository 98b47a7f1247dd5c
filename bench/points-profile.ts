// BENCH_POINTS_PROFILE=1: which database statements the measured commands spend their time
// in. The Prisma client the runtime gets is wrapped to time every operation, raw SQL
// included; statements are grouped by model and operation, or by the start of their SQL.
import type { Db } from "../src/db/database.js";
import { ms, percentile } from "./stats.js";

export class QueryProfile {
  readonly #samples = new Map<string, number[]>();

  /** The same client, timing each operation from call to result (waiting for a pooled connection included). */
  wrap(db: Db): Db {
    const record = (key: string, took: number) => {
      const list = this.#samples.get(key);
      if (list) list.push(took);
      else this.#samples.set(key, [took]);
    };
    const wrapped = db.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          const started = performance.now();
          try {
            return await query(args);
          } finally {
            record(statementKey(model, operation, args), performance.now() - started);
          }
        },
      },
    });
    // Extensions return a client of a wider type with the same behaviour.
    return wrapped as unknown as Db;
  }

  /** The statements with the most total time since the last call, as a markdown table; then starts afresh. */
  take(title: string, top = 10): string[] {
    const rows = [...this.#samples].map(([key, took]) => ({ key, n: took.length, total: took.reduce((a, b) => a + b, 0), p50: percentile(took, 50), p99: percentile(took, 99) }));
    this.#samples.clear();
    rows.sort((a, b) => b.total - a.total);
    return [
      `Statements by total time, ${title}:`,
      "",
      "| statement | calls | total | p50 | p99 |",
      "|---|---|---|---|---|",
      ...rows.slice(0, top).map((r) => `| \`${r.key}\` | ${r.n} | ${(r.total / 1000).toFixed(1)} s | ${ms(r.p50)} | ${ms(r.p99)} |`),
    ];
  }
}

/** `Member.findUnique`, or the first words of a raw statement with its parameters as `?`. */
function statementKey(model: string | undefined, operation: string, args: unknown): string {
  if (model) return `${model}.${operation}`;
  const sql = Array.isArray(args) ? String(args[0]) : (args as { strings?: string[] }).strings?.join("?") ?? operation;
  return sql.replace(/\s+/g, " ").trim().slice(0, 90).replace(/\|/g, "/");
}

// PostgreSQL's share of the interactions-over-HTTP benchmark: the CPU of the server processes
// serving the benchmark's database (one backend per pooled connection of every Guildhall
// process), read from /proc on this machine. Backends of other databases, and the server's
// shared processes (WAL writer, checkpointer), are not counted.
import { readFileSync } from "node:fs";
import pg from "pg";

/** CPU so far of each backend connected to the database, in milliseconds (10 ms resolution). */
export type BackendCpu = Map<number, number>;

export class PostgresCpu {
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async connect(databaseUrl: string): Promise<PostgresCpu> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new PostgresCpu(client);
  }

  async read(): Promise<BackendCpu> {
    const { rows } = await this.#client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    const cpu: BackendCpu = new Map();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (Number.isFinite(ms)) cpu.set(pid, ms);
    }
    return cpu;
  }

  close(): Promise<void> {
    return this.#client.end();
  }
}

/** CPU the backends used between two readings; a backend that ended in between is lost (pools keep theirs open). */
export function backendCpuBetween(before: BackendCpu, after: BackendCpu): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN; // not on this machine, or gone
  }
}

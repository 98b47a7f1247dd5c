import { readFileSync, unlinkSync, writeFileSync, mkdirSync, linkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** Raised when Guildhall must not start; its message tells the operator what to do. */
export class StartupError extends Error {
  override name = "StartupError";
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * PGlite is a single-process database: two processes writing one directory corrupt it.
 * This lock file makes the second process refuse to start. A lock left behind by a
 * process that no longer runs (a crash, a kill -9) is taken over.
 *
 * @returns a function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, "guildhall.lock");
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const tmpPath = `${lockPath}.${process.pid}`;
  writeFileSync(tmpPath, JSON.stringify(me));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmpPath, lockPath); // atomic: fails if the lock exists
        return () => releaseIfMine(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const owner = readOwner(lockPath);
        if (owner && isAlive(owner)) {
          throw new StartupError(
            `Another Guildhall process (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}) is using the embedded database in ${dataDir}.\n` +
              `Stop it first, or set DATABASE_URL to a PostgreSQL server to run several Guildhall processes side by side.`,
          );
        }
        unlinkSync(lockPath); // stale: its owner is gone
      }
    }
    throw new StartupError(`Could not take the lock ${lockPath}; remove it if no Guildhall process is running.`);
  } finally {
    unlinkSync(tmpPath);
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine on a shared disk: assume it runs
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function releaseIfMine(lockPath: string): void {
  if (readOwner(lockPath)?.pid === process.pid) unlinkSync(lockPath);
}

import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/support/slow-first.js";

/**
 * Tests that exist to load the system (see test/support/load.ts). They also run, small, in
 * the fast project; the load project runs them at full size on PostgreSQL.
 */
const LOAD_TESTS = [
  "test/commerce/storm.test.ts",
  "test/commerce/paid-access.property.test.ts",
  "test/points/thanks-concurrency.test.ts",
  "test/points/ledger-invariant.test.ts",
  // Three child processes and a SIGKILL at either size: 300 members here, the 20,000 in the load project.
  "test/live/fanout-killed.test.ts",
];
/** Kill tests: child processes killed mid-work; nothing to shrink, so they run in the load project only. */
const KILL_TESTS = ["test/commerce/killed.test.ts", "test/platform/shard-handover.test.ts", "test/platform/three-processes.test.ts", "test/platform/claim-recovery-killed.test.ts"];

export default defineConfig({
  test: {
    setupFiles: ["test/support/no-internet.ts", "test/support/fresh-connections.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Longest files first, so none of them is left running alone at the end (test/support/slow-first.ts).
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: KILL_TESTS,
          // vitest's default is one worker fewer than the cores: one on the 2-core machine.
          // Test files spend much of their time waiting (sockets, timers, child processes), so
          // one more worker than cores keeps both busy. `--maxWorkers` overrides it.
          maxWorkers: availableParallelism() + 1,
          // Not isolated: a worker keeps the modules an earlier test file imported. Loading the
          // app (Prisma, discord.js, Bolt, stripe) again for every file was a third of the
          // suite's CPU time. Test files therefore leave nothing behind: they close what they
          // open and restore what they stub (vi.stubEnv, spies), module state stays immutable, and
          // each starts with empty HTTP connection pools (test/support/fresh-connections.ts).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "load",
          include: [...LOAD_TESTS, ...KILL_TESTS],
          env: { GUILDHALL_TEST_LOAD: "1" },
          testTimeout: 300_000,
          // As in the fast project, and more so: the kill tests mostly wait (child processes
          // starting, leases running out), so with vitest's default of one worker here the
          // files' times simply added up. The longest start first (test/support/slow-first.ts).
          maxWorkers: availableParallelism() + 1,
        },
      },
    ],
  },
});

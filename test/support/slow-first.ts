import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Test files that take longest on the 2-core machine, longest first: real processes (the
 * Prisma CLI, whose WebAssembly engine idles 10 s before it exits; `npm start`; SIGTERM),
 * databases migrated from nothing, and the small runs of the load tests. vitest runs files
 * in parallel and the tests of a file one after another, so a long file that starts last
 * becomes the suite's tail: started first, it runs while the short files fill the other
 * workers. A missing or renamed entry only loses its place.
 */
export const SLOW_FIRST = [
  // The load project's longest (npm run test:load): the 20,000-member fan-out, 200 paid-access
  // stories, three processes with a thousand interactions, shard hand-over's 15-second lease.
  "test/live/fanout-killed.test.ts",
  "test/commerce/paid-access.property.test.ts",
  "test/platform/three-processes.test.ts",
  "test/platform/shard-handover.test.ts",
  "test/commerce/killed.test.ts",
  "test/db/migrations-prisma-cli.test.ts",
  "test/platform/walkthrough.test.ts",
  "test/db/migrations.test.ts",
  "test/platform/playground.test.ts",
  "test/cli/cli.test.ts",
  "test/commerce/reconcile.test.ts",
  "test/commerce/storm.test.ts",
  "test/commerce/simulated-payments.test.ts",
  "test/insights/creator-summary.test.ts",
  "test/cli/stripe-failures.test.ts",
  "test/platform/playground-scheduler.test.ts",
  "test/qa/ask-restart.test.ts",
  "test/core/dispatch-robustness.property.test.ts",
  "test/cli/sync-access.test.ts",
  "test/review/concurrency.test.ts",
];

/**
 * vitest's own order (its cache of the last run's durations on a machine that has one, file
 * size on a fresh checkout such as CI's) with the files above moved to the front.
 */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
    const slow = sorted.filter((spec) => rank(spec) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...slow, ...sorted.filter((spec) => rank(spec) < 0)];
  }
}

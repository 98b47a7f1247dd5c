import { defineConfig } from "vitest/config";

// Browser tests (playwright-core driving Debian's chromium): `npm run test:browser`.
// Kept out of `npm test`, which must pass on a machine without a browser.
export default defineConfig({
  test: {
    name: "browser",
    include: ["test/browser/**/*.browser.ts"],
    setupFiles: ["test/support/no-internet.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: "forks",
  },
});

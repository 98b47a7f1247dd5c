import { existsSync } from "node:fs";
import { describe, it } from "vitest";

// The dashboard's browser tests live in their own vitest project, outside `npm test`, so the
// suite passes on a machine without a browser; this says how to run them.
describe("browser tests", () => {
  it("run separately with npm run test:browser", () => {
    const chromium = existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
    console.info(
      chromium
        ? "Dashboard browser tests: run `npm run test:browser` (Chromium found)."
        : "Dashboard browser tests are not part of `npm test`: install Chromium (`apt-get install -y chromium`) and run `npm run test:browser`.",
    );
  });
});

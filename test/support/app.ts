import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type AppDeps, type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/config.js";
import { memoryTarget } from "./databases.js";
import { quietLogger } from "./logger.js";
import { settingsSections } from "../../src/capabilities.js";

/**
 * A config for tests: an in-memory database unless `DATABASE_URL` says otherwise. Without
 * `PORT`, a server started on demand (simulated payments' webhooks) takes a free port, so
 * tests running at once never collide on 3000.
 */
export function testConfig(env: Record<string, string> = {}) {
  const loaded = loadConfig({ GUILDHALL_DATA_DIR: mkdtempSync(join(tmpdir(), "gh-app-")), ...env }, settingsSections);
  const config = env.PORT ? loaded : { ...loaded, http: { port: 0, explicit: false } };
  return config.database.kind === "pglite" ? { ...config, database: memoryTarget() } : config;
}

/** The whole app with its playground on in-memory streams: type lines, read what it printed. */
export async function startPlaygroundApp(overrides: Partial<AppDeps> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  let answered = 0;
  output.on("data", (chunk) => (printed += String(chunk)));
  const onPlaygroundLine = () => void answered++;
  const app: RunningApp = await startApp({ config: testConfig(), log: quietLogger(), input, output, onPlaygroundLine, ...overrides });
  let typed = 0;
  return {
    app,
    /** Types a line and waits until it has been answered; returns what was printed meanwhile. */
    async type(line: string, timeoutMs = 10_000): Promise<string> {
      const before = printed.length;
      const expected = ++typed;
      input.write(`${line}\n`);
      await waitFor(() => answered >= expected, timeoutMs);
      await new Promise((r) => setImmediate(r)); // the output stream delivers what was written
      return printed.slice(before);
    },
    printed: () => printed,
    async end() {
      input.end();
      await app.playgroundDone;
      await app.stop();
    },
  };
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

import { mkdirSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import pino from "pino";
import { startApp } from "./app.js";
import { type Config, ConfigError } from "./config/config.js";
import { settingsSections } from "./capabilities.js";
import { configFromProcess } from "./config/environment.js";
import { debugDetails, describeFailure } from "./config/startup-failure.js";
import { createLogger, type Logger } from "./log/logger.js";
import { StartupLogBuffer } from "./log/startup-buffer.js";
import { playgroundLogFile } from "./platform/playground/banner.js";

/** The root logger; the playground keeps the terminal quiet unless LOG_LEVEL says otherwise. */
export function loggerFor(config: Config, quietByDefault: boolean): Logger {
  return createLogger({ level: config.logLevel ?? (quietByDefault ? "warn" : "info"), secrets: config.secrets });
}

/**
 * The playground's logger writes to a file in the data directory (the banner says which):
 * its terminal is a chat, and log lines or stack traces there would read as messages.
 */
export function playgroundLogger(config: Config): Logger {
  mkdirSync(config.dataDir, { recursive: true });
  const destination = pino.destination({ dest: playgroundLogFile(config), sync: true });
  return createLogger({ level: config.logLevel ?? "info", secrets: config.secrets, destination });
}

/** Where `main` talks to the person running it; tests pass their own to run it in process. */
export interface MainIo {
  readonly stderr?: { write(text: string): unknown };
  /** The playground's terminal. */
  readonly input?: Readable;
  readonly output?: Writable;
}

/**
 * Starts the bot and runs it until SIGTERM, SIGINT or (playground) end of input, then stops
 * it gracefully and returns 0. When it cannot start it writes one line saying why to
 * `stderr` and returns 1. The caller ends the process with that code (src/cli-main.ts, or
 * the last lines of this file), so tests can run it in process.
 */
export async function main(io: MainIo = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  let config: Config;
  try {
    config = configFromProcess(settingsSections);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${error.message}\n`);
    return 1;
  }
  const playground = !config.discord && !config.slack;
  const startupLogs = new StartupLogBuffer();
  const debugging = config.logLevel === "debug" || config.logLevel === "trace";
  const log = playground ? playgroundLogger(config) : createLogger({ level: config.logLevel ?? "info", secrets: config.secrets, destination: debugging ? process.stderr : startupLogs });
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({ config, log, ...(io.input ? { input: io.input } : {}), ...(io.output ? { output: io.output } : {}) });
    startupLogs.release();
  } catch (error) {
    startupLogs.discard();
    // One line saying what to fix; the stack only with LOG_LEVEL=debug (and in the log).
    log.debug({ err: error }, "Guildhall failed to start");
    const details = debugDetails(error, config.logLevel);
    stderr.write(`${describeFailure(error)}\n${details ? `${details}\n` : ""}`);
    return 1;
  }
  // The first signal stops the bot; one arriving while it stops changes nothing.
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<string>((resolve) => (onSignal = resolve));
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  const reason = await (app.playgroundDone ? Promise.race([signalled, app.playgroundDone.then(() => "end of input")]) : signalled);
  log.info({ reason }, "stopping");
  await app.stop();
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  return 0;
}

// Run when executed directly (npm start), not when imported by the CLI.
if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());

import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/log/logger.js";

/** A real pino logger that writes into memory, so tests can read what was logged. */
export function memoryLogger(options: { level?: string; secrets?: string[] } = {}): { log: Logger; lines: () => string[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: options.level ?? "info", secrets: options.secrets ?? [], destination });
  const text = () => chunks.join("");
  return { log, text, lines: () => text().split("\n").filter(Boolean) };
}

/** A logger that discards everything (for tests that do not look at logs). */
export function quietLogger(): Logger {
  return memoryLogger({ level: "silent" }).log;
}

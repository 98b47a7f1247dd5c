import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

/** Keys whose values are secrets wherever they appear in a log object. */
const SECRET_KEYS = [
  "token",
  "botToken",
  "appToken",
  "secret",
  "signingSecret",
  "secretKey",
  "webhookSecret",
  "password",
  "authorization",
  "Authorization",
  "connectionString",
  "databaseUrl",
  "cookie",
];

const REDACTED = "[redacted]";

export interface LoggerOptions {
  level: string;
  /** Exact secret values (tokens, keys, connection strings) to scrub from every line. */
  secrets: readonly string[];
  destination?: DestinationStream;
}

/**
 * The root logger. Secrets are removed twice over: by key (`token`, `password`, ...) at
 * any depth up to two levels, and by value, so a token that ends up inside an error
 * message or a URL is scrubbed as well. Capabilities and adapters take `child({ module })`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const secrets = [...options.secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level,
      base: { app: "guildhall" },
      redact: { paths, censor: REDACTED },
      hooks: secrets.length === 0 ? {} : { streamWrite: (line) => scrub(line, secrets) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination(2),
  );
}

function scrub(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    // The line is JSON: look for the value both raw and as JSON would escape it.
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

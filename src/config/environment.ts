import { config as loadDotenv } from "dotenv";
import { type Config, loadConfig } from "./config.js";

/**
 * The only place that reads `process.env`: loads `.env` (without overriding variables
 * already set) and validates the result.
 */
export function configFromProcess(): Config {
  loadDotenv({ quiet: true });
  return loadConfig(process.env);
}

/** The environment for a child process that must see the same settings (e.g. the Prisma CLI). */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env;
}

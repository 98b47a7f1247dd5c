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

import { config as loadDotenv } from "dotenv";
import type { SettingsSection } from "./communities.js";
import { type Config, loadConfig } from "./config.js";

/**
 * The only place that reads `process.env`: loads `.env` (without overriding variables
 * already set) and validates the result, the communities file with the capabilities' `sections`.
 */
export function configFromProcess(sections: readonly SettingsSection[]): Config {
  loadDotenv({ quiet: true });
  return loadConfig(process.env, sections);
}

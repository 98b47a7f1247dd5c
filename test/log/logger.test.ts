import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { memoryLogger } from "../support/logger.js";
import { settingsSections } from "../../src/capabilities.js";

describe("logging", () => {
  const config = loadConfig({
    DISCORD_TOKEN: "MTIzNDU2Nzg5.discord-token-value.xyz",
    SLACK_BOT_TOKEN: "xoxb-111-222-slacktokenvalue",
    SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
    STRIPE_SECRET_KEY: "sk_test_stripesecretvalue",
    DATABASE_URL: "postgresql://guildhall:db-password-value@127.0.0.1:5432/guildhall",
  }, settingsSections);

  it("redacts secrets by key, by value inside messages and errors, and connection strings", () => {
    const { log, text } = memoryLogger({ secrets: [...config.secrets] });
    log.info({ token: "some-other-token", nested: { password: "pw-by-key", authorization: "Bearer abc" } }, "keys");
    log.error({ err: new Error(`login failed for ${config.discord!.token}`) }, "error with a token inside");
    log.warn(`connecting to ${config.database.kind === "postgres" ? config.database.url : ""}`);
    log.info({ url: "postgresql://guildhall:db-password-value@elsewhere/db" }, "password alone");
    log.info({ headers: { "x-slack-signature": "v0=1", secret: "0123456789abcdef0123456789abcdef" } }, "slack");
    log.info({ stripe: { apiKey: "sk_test_stripesecretvalue" } }, "stripe");
    const out = text();
    for (const secret of [
      "some-other-token",
      "pw-by-key",
      "Bearer abc",
      "discord-token-value",
      "db-password-value",
      "slacktokenvalue",
      "0123456789abcdef0123456789abcdef",
      "stripesecretvalue",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[redacted]");
    expect(out).toContain("login failed for");
  });

  it("gives each capability a child logger that names it", () => {
    const { log, lines } = memoryLogger();
    log.child({ module: "discord" }).info("connected");
    expect(JSON.parse(lines()[0]!)).toMatchObject({ module: "discord", msg: "connected", app: "guildhall" });
  });
});

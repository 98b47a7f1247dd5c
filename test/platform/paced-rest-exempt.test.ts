import { describe, expect, it } from "vitest";
import { isExempt } from "../../src/platform/discord/paced-rest.js";

// Discord's rate-limit documentation exempts interaction endpoints (callbacks) and webhook
// follow-ups from the bot's global limit; every other route waits for the token's pace.
describe("which Discord requests skip the token's pace", () => {
  it("interaction callbacks and webhook follow-ups, whatever the API base", () => {
    expect(isExempt("https://discord.com/api/v10/interactions/123/tok/callback")).toBe(true);
    expect(isExempt("https://discord.com/api/v10/webhooks/app/tok/messages/@original")).toBe(true);
    expect(isExempt("http://127.0.0.1:4012/api/v10/interactions/123/tok/callback?with_response=false")).toBe(true);
    expect(isExempt("http://127.0.0.1:4012/v9/webhooks/app/tok")).toBe(true);
  });

  it("not channel messages, members, roles or DMs, even when a later part of the URL looks exempt", () => {
    expect(isExempt("https://discord.com/api/v10/channels/1/messages")).toBe(false);
    expect(isExempt("https://discord.com/api/v10/guilds/1/members/2/roles/3")).toBe(false);
    expect(isExempt("https://discord.com/api/v10/users/@me/channels")).toBe(false);
    expect(isExempt("https://discord.com/api/v10/channels/1/messages?next=/v10/interactions/x/")).toBe(false);
    expect(isExempt("https://discord.com/api/v10/channels/interactions/1")).toBe(false);
    expect(isExempt("https://discord.com/api/v10/channels/1/webhooks")).toBe(false);
  });
});

// A malformed or truncated event on one platform never stops the bot: both adapters run in
// one process, as in production, and after each bad frame the next valid interaction on
// either platform is still answered; in Slack's HTTP mode too. An unhandled rejection or
// exception would fail this file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import type { FakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, postSigned, slashCommandPayload } from "../fakes/slack/index.js";
import { testConfig } from "../support/app.js";
import { backends, createPostgresDatabase, dropPostgresDatabase } from "../support/databases.js";
import { postgresTemplate } from "../support/database-snapshots.js";
import { ADA, acmeCommunity, GENERAL, GUILD, run, startAcmeDiscord } from "../support/discord.js";
import { memoryLogger, quietLogger } from "../support/logger.js";
import { acmeSlackCommunity, CHANNEL, postCommand, SIGNING_SECRET, slackShown, startAcmeSlack, TEAM } from "../support/slack.js";

/**
 * A message-command interaction shaped like Discord's 2021 documentation example: it predates
 * `entitlements` and `authorizing_integration_owners`, which discord.js reads unconditionally.
 */
function oldMessageCommand(id: string, applicationId: string): Record<string, unknown> {
  const author = { id: "400000000000000077", username: "poster", discriminator: "0", avatar: null, global_name: null };
  return {
    id,
    application_id: applicationId,
    type: 2,
    token: `old-token-${id}`,
    version: 1,
    guild_id: GUILD,
    channel_id: GENERAL,
    member: {
      user: { id: ADA.id, username: ADA.username, discriminator: "0", avatar: null, global_name: null },
      roles: [],
      permissions: "2147483647",
      joined_at: "2021-01-01T00:00:00.000000+00:00",
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
    },
    data: {
      id: "800000000000000001",
      name: "Ask about this",
      type: 3,
      target_id: "700000000000000001",
      resolved: {
        messages: {
          "700000000000000001": {
            id: "700000000000000001",
            channel_id: GENERAL,
            author,
            content: "How do I pin a future?",
            timestamp: "2021-05-19T02:12:51.710000+00:00",
            edited_timestamp: null,
            tts: false,
            mention_everyone: false,
            mentions: [],
            mention_roles: [],
            attachments: [],
            embeds: [],
            pinned: false,
            type: 0,
            flags: 0,
            components: [],
          },
        },
      },
    },
  };
}

describe.each(backends())("malformed events never stop the bot, on %s", (backend) => {
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let app: RunningApp;
  let postgresUrl: string | undefined;

  const discordAnswers = async () => {
    const { callback } = await run(discord, "help");
    expect(callback.body.type).toBe(4);
  };
  const slackAnswers = async () => {
    const ack = await slack.socket.send({
      type: "slash_commands",
      payload: slashCommandPayload({ command: "/help", userId: "U0ADA", teamId: TEAM, channelId: CHANNEL, responseUrl: slack.responseUrl() }),
    });
    expect(JSON.stringify(ack.payload)).toContain("/link");
  };

  beforeAll(async () => {
    discord = await startAcmeDiscord();
    slack = await startAcmeSlack();
    const base = testConfig({ DISCORD_TOKEN: "fake.discord.token", DISCORD_API_URL: discord.apiUrl, SLACK_BOT_TOKEN: "xoxb-fake", SLACK_APP_TOKEN: "xapp-fake", SLACK_API_URL: slack.apiUrl });
    if (backend === "postgres") postgresUrl = (await createPostgresDatabase({ template: postgresTemplate() })).url;
    const config = {
      ...base,
      ...(postgresUrl ? { database: { kind: "postgres" as const, url: postgresUrl } } : {}),
      communities: [{ ...acmeCommunity(), slack: acmeSlackCommunity().slack }],
    };
    app = await startApp({ config, log: quietLogger() });
    await slack.socket.waitForConnection();
  });
  afterAll(async () => {
    await app?.stop();
    await discord?.close();
    await slack?.close();
    if (postgresUrl) await dropPostgresDatabase(postgresUrl);
  });

  it("Discord: the documentation's message-command example (no entitlements) is handled, not fatal", async () => {
    discord.dispatch("INTERACTION_CREATE", oldMessageCommand("900000000000000501", discord.applicationId));
    // It is parsed once its missing fields are filled in, so it is answered like any other.
    const callback = await discord.waitForCall((c) => c.method === "POST" && c.path === "/interactions/900000000000000501/old-token-900000000000000501/callback");
    expect(callback.body.type).toBeGreaterThan(0);
    await discordAnswers();
    await slackAnswers();
  });

  it("Discord: truncated frames and events discord.js cannot parse are dropped, and the next command is answered", async () => {
    discord.sendRawFrame('{"op":0,"t":"INTERACTION_CREATE","s":null,"d":{"id":"9000');
    discord.sendRawFrame("not json at all");
    discord.dispatch("INTERACTION_CREATE", null);
    discord.dispatch("INTERACTION_CREATE", { type: 2, data: { name: "help", type: 1 } }); // no id or token
    discord.dispatch("GUILD_MEMBER_ADD", { guild_id: GUILD }); // no user: discord.js throws building the member
    discord.dispatch("GUILD_ROLE_UPDATE", { guild_id: GUILD }); // no role
    await discordAnswers();
    await slackAnswers();
  });

  it("Slack: truncated frames and envelopes without their event are dropped, and the next command is answered", async () => {
    slack.socket.sendRaw('{"envelope_id":"e1","type":"events_api","payload":{"event":');
    slack.socket.sendRaw("null");
    slack.socket.sendRaw(JSON.stringify({ envelope_id: "e2", type: "events_api", payload: {} }));
    slack.socket.sendRaw(JSON.stringify({ envelope_id: "e3", type: "events_api", payload: { event: null } }));
    slack.socket.sendRaw(JSON.stringify({ envelope_id: "e4", type: "slash_commands" }));
    slack.socket.sendRaw(JSON.stringify({ envelope_id: "e5", type: "interactive", payload: { type: "block_actions" } }));
    await slackAnswers();
    await discordAnswers();
  });
});

describe("malformed Slack requests in HTTP mode are logged and dropped", () => {
  let slack: FakeSlack;
  let app: RunningApp;
  let url: string;
  const logs = memoryLogger({ level: "warn" });
  const dropped = () => logs.lines().map((line) => JSON.parse(line) as { msg: string; why?: string }).filter((entry) => entry.msg === "dropped a Slack request that could not be handled");
  const form = (payload: unknown) => `payload=${encodeURIComponent(typeof payload === "string" ? payload : JSON.stringify(payload))}`;
  const FORM = { contentType: "application/x-www-form-urlencoded" };
  const JSON_BODY = { contentType: "application/json" };

  beforeAll(async () => {
    slack = await startAcmeSlack();
    const config = {
      ...testConfig({ SLACK_BOT_TOKEN: "xoxb-fake", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl }),
      http: { port: 0, explicit: true },
      communities: [acmeSlackCommunity()],
    };
    app = await startApp({ config, log: logs.log, httpHost: "127.0.0.1" });
    url = `http://127.0.0.1:${app.http!.port}/slack/events`;
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
  });

  it.each([
    ["truncated JSON", '{"type":"event_callback","team_id":"TACME01","event":{"type":"mess', JSON_BODY, "a body that is not JSON"],
    ["JSON null", "null", JSON_BODY, "a body that is not a JSON object"],
    ["an event_callback without its event", '{"type":"event_callback","team_id":"TACME01"}', JSON_BODY, "an event_callback without an event type"],
    ["an event of null", '{"type":"event_callback","team_id":"TACME01","event":null}', JSON_BODY, "an event_callback without an event type"],
    ["an unknown body type", '{"type":"something_new","team_id":"TACME01"}', JSON_BODY, 'a body of unknown type "something_new"'],
    ["a truncated interaction payload", form('{"type":"block_act'), FORM, "an interaction payload that is not JSON"],
    ["an interaction payload of null", form("null"), FORM, "an interaction payload that is not an object"],
    ["a button click without a user", form({ type: "block_actions", actions: [], channel: null }), FORM, "a block_actions payload without a user"],
    ["a message shortcut without its message", form({ type: "message_action", user: { id: "U0ADA" }, callback_id: "ask" }), FORM, "a message_action payload without its channel and message"],
    ["a slash command with nothing but its name", "command=%2Fhelp", FORM, "a slash command without team_id, user_id, channel_id, response_url"],
  ])("%s is acknowledged, logged with why, and the next command is answered", async (_what, body, opts, why) => {
    const before = dropped().length;
    const response = await postSigned(url, SIGNING_SECRET, body, opts);
    // Acknowledged, so Slack does not send again what can never work.
    expect(response.status).toBe(200);
    expect(dropped().slice(before).map((entry) => entry.why)).toEqual([why]);
    const help = await postCommand(slack, url, "/help");
    expect(help.status).toBe(200);
    expect(slackShown(help.json)).toContain("/link");
  });

  it("an unsigned malformed body is refused (401) by the signature check, not logged as dropped", async () => {
    const before = dropped().length;
    const response = await postSigned(url, "0".repeat(32), "null", JSON_BODY);
    expect(response.status).toBe(401);
    expect(dropped()).toHaveLength(before);
  });
});

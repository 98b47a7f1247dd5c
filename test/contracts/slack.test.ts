// Contract test of the fake Slack: @slack/web-api, Bolt and Guildhall's own Slack code (adapter,
// chat poster, direct messenger, access gateway) run representative flows against the fake,
// and every recorded Web API exchange (the bot's arguments, the fake's answer) is checked
// against Slack's published Web API spec; the Events API bodies the fake builds are checked
// against Slack's event schemas.
import { App, LogLevel, webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessWebClient } from "../../src/platform/slack/access-client.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { SlackDirectMessenger } from "../../src/platform/slack/direct-messenger.js";
import { type FakeSlack, messageEventBody, type RecordedSlackCall, slashCommandPayload, startFakeSlack } from "../fakes/slack/index.js";
import { quietLogger } from "../support/logger.js";
import { ADA, CREATOR, GRACE, type SlackCommunity, startSlackCommunity } from "../support/platforms.js";
import { testOnlyActions, threadCommand } from "../support/test-commands.js";
import { SlackSpec } from "./slack-spec.js";
import { type AllowEntry, applyAllowList, describeProblems, type Exchange, type Problem } from "./spec-check.js";

/**
 * Where Slack's spec (2021) is known to be wrong or stale, and the fake follows the platform.
 * Every entry names the method and field, and says why.
 */
const ALLOW: AllowEntry[] = [
  {
    // Socket Mode's method (2021) is documented on api.slack.com/methods/apps.connections.open
    // and used by Bolt, but the spec's snapshot predates it.
    operation: "apps.connections.open",
    side: "operation",
    field: "",
    reason: "Socket Mode's method is missing from the 2021 spec",
  },
  {
    // Bolt's client adds team_id to every call it makes for a workspace; Slack accepts it on
    // every method. The spec has no team_id parameters (see ../shared/specs/README.md).
    operation: "*",
    side: "request",
    field: "team_id",
    reason: "the 2021 spec lists no team_id parameters; Bolt sends one and Slack takes it",
  },
  {
    // Slack's rate-limit error is "ratelimited" (api.slack.com/apis/rate-limits, and what
    // @slack/web-api checks); the spec's chat.postMessage list spells it "rate_limited".
    operation: "chat.postMessage",
    side: "response",
    field: "/error",
    message: "must be equal to one of the allowed values",
    reason: "the spec lists rate_limited; Slack answers ratelimited",
  },
  {
    // Events now carry `authorizations`; `authed_users` is deprecated and no longer sent to
    // new apps (../shared/specs/README.md), but the 2021 schemas still require it.
    operation: "*",
    side: "request",
    field: "",
    message: "must have required property 'authed_users'",
    reason: "authed_users is deprecated; Slack sends authorizations instead",
  },
];

// Ids shaped like Slack's (the spec checks their patterns): 9 or more characters after the letter.
const TEAM = "T0CONTRACT1";
const BOT_USER = "U0GUILDBOT1";
const BOT_ID = "B0GUILDBOT1";
const ADA_ID = "U0ADAADA001";
const GRACE_ID = "U0GRACE0001";
const GENERAL = "C0GENERAL01";
const PAID = "G0PAIDPAID1";
const HIDDEN = "G0HIDDEN001";
const ARCHIVED = "G0ARCHIVED1";

const spec = new SlackSpec();
const checked: Problem[] = [];
let exchanges = 0;

/** Checks every Web API call `fake` answered (response_url posts are not Web API methods, and not in the spec). */
function checkAll(fake: FakeSlack): void {
  for (const call of fake.calls) {
    if (call.method === "response_url" || !call.response) continue;
    exchanges += 1;
    checked.push(...spec.check(exchangeOf(call)));
  }
}

function exchangeOf(call: RecordedSlackCall): Exchange {
  return { method: "POST", path: call.method, query: {}, requestBody: call.args, status: call.response?.status ?? 0, responseBody: call.response?.body };
}

/** Runs a call that may fail on purpose; the failure's answer is recorded and checked like any other. */
const attempt = (call: Promise<unknown>) => call.catch(() => undefined);

describe("the fake Slack against Slack's Web API and Events API specs", () => {
  describe("@slack/web-api and Bolt flows", () => {
    let fake: FakeSlack;
    let web: webApi.WebClient;
    beforeAll(async () => {
      fake = await startFakeSlack({
        teamId: TEAM,
        botUserId: BOT_USER,
        botId: BOT_ID,
        appId: "A0CONTRACT1",
        users: [
          { id: ADA_ID, name: "ada" },
          { id: GRACE_ID, name: "grace", is_admin: true },
        ],
        channels: [
          { id: GENERAL, name: "general", general: true, members: [ADA_ID, GRACE_ID] },
          { id: PAID, name: "paid", private: true, members: [ADA_ID] },
          { id: HIDDEN, name: "hidden", private: true, botIsMember: false },
          { id: ARCHIVED, name: "archived", private: true, archived: true },
        ],
      });
      fake.userGroups.set("S0HELPERS01", [GRACE_ID]);
      web = new webApi.WebClient("xoxb-contract", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    });
    afterAll(async () => {
      if (fake) checkAll(fake);
      await fake?.close();
    });

    it("posts, threads, edits, deletes, reacts and links messages", async () => {
      await web.auth.test();
      const posted = await web.chat.postMessage({ channel: GENERAL, text: "hello", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*hello*" } }] });
      await web.chat.postMessage({ channel: GENERAL, text: "in the thread", thread_ts: posted.ts ?? "", unfurl_links: false, unfurl_media: false });
      await web.chat.postEphemeral({ channel: GENERAL, user: ADA_ID, text: "only you" });
      await web.chat.update({ channel: GENERAL, ts: posted.ts ?? "", text: "hello again" });
      await web.chat.getPermalink({ channel: GENERAL, message_ts: posted.ts ?? "" });
      await web.reactions.add({ channel: GENERAL, timestamp: posted.ts ?? "", name: "white_check_mark" });
      await attempt(web.reactions.add({ channel: GENERAL, timestamp: posted.ts ?? "", name: "white_check_mark" })); // already_reacted
      await web.chat.delete({ channel: GENERAL, ts: posted.ts ?? "" });
      await expect(web.chat.delete({ channel: GENERAL, ts: posted.ts ?? "" })).rejects.toMatchObject({ data: { error: "message_not_found" } });
      fake.messages.push({ channel: GENERAL, ts: "1700000000.000900", text: "a member's message", user: ADA_ID });
      await expect(web.chat.delete({ channel: GENERAL, ts: "1700000000.000900" })).rejects.toMatchObject({ data: { error: "cant_delete_message" } });
      await attempt(web.chat.postMessage({ channel: HIDDEN, text: "cannot see it" }));
      await attempt(web.chat.postMessage({ channel: ARCHIVED, text: "archived" }));
      await attempt(web.chat.postMessage({ channel: GENERAL, text: "" })); // no_text
    });

    it("reads members and groups, and changes who is in a channel, with each refusal", async () => {
      await web.users.info({ user: ADA_ID });
      await attempt(web.users.info({ user: "U0NOBODY001" }));
      await web.usergroups.users.list({ usergroup: "S0HELPERS01" });
      await web.usergroups.list({ include_users: true });
      await web.conversations.info({ channel: PAID, include_num_members: true });
      await attempt(web.conversations.info({ channel: HIDDEN }));
      await web.conversations.members({ channel: GENERAL, limit: 1 });
      await web.conversations.invite({ channel: PAID, users: GRACE_ID });
      for (const [channel, users] of [[PAID, GRACE_ID], [PAID, BOT_USER], [PAID, "U0NOBODY001"], [HIDDEN, ADA_ID], [ARCHIVED, ADA_ID]] as const) {
        await attempt(web.conversations.invite({ channel, users }));
      }
      await web.conversations.kick({ channel: PAID, user: GRACE_ID });
      for (const [channel, user] of [[PAID, GRACE_ID], [PAID, BOT_USER], [GENERAL, ADA_ID]] as const) await attempt(web.conversations.kick({ channel, user }));
      const dm = await web.conversations.open({ users: ADA_ID });
      await web.conversations.open({ users: ADA_ID });
      await attempt(web.conversations.open({ users: "U0NOBODY001" }));
      await attempt(web.conversations.invite({ channel: dm.channel?.id ?? "", users: GRACE_ID }));
    });

    it("a 429 carries ratelimited and Retry-After", async () => {
      fake.setResponse("chat.postMessage", { ok: false, error: "ratelimited" }, { status: 429, headers: { "Retry-After": "0" }, times: 1 });
      const retrying = new webApi.WebClient("xoxb-contract", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 }, logLevel: webApi.LogLevel.ERROR });
      await retrying.chat.postMessage({ channel: GENERAL, text: "after the wait" });
    });

    it("Bolt in Socket Mode opens its connection and answers a command", async () => {
      const app = new App({ token: "xoxb-contract", appToken: "xapp-contract", socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
      app.command("/hello", async ({ ack, client, command }) => {
        await ack();
        await client.chat.postMessage({ channel: command.channel_id, text: "hi" });
      });
      await app.start();
      try {
        await fake.socket.send({ type: "slash_commands", payload: slashCommandPayload({ command: "/hello", userId: ADA_ID, teamId: TEAM, channelId: GENERAL, responseUrl: fake.responseUrl() }) });
        await fake.waitForCall((c) => c.method === "chat.postMessage" && c.args.text === "hi");
      } finally {
        await app.stop();
      }
    });

    it("Guildhall's access gateway and direct messenger", async () => {
      const client = createAccessWebClient({ botToken: "xoxb-contract", apiUrl: fake.apiUrl });
      const gateway = new SlackAccessGateway(client, quietLogger(), { minIntervalMs: 0, sleep: async () => undefined });
      await gateway.apply({ spaceId: TEAM, userId: GRACE_ID, grant: [PAID], revoke: [] });
      await gateway.apply({ spaceId: TEAM, userId: GRACE_ID, grant: [PAID], revoke: [] }); // already_in_channel
      await gateway.apply({ spaceId: TEAM, userId: GRACE_ID, grant: [], revoke: [PAID] });
      await gateway.apply({ spaceId: TEAM, userId: GRACE_ID, grant: [], revoke: [PAID] }); // not_in_channel
      const messenger = new SlackDirectMessenger(client, quietLogger(), { sleep: async () => undefined });
      await messenger.send(GRACE_ID, { text: "Your payment failed.", links: [{ label: "Update card", url: "https://billing.example.com/portal" }] });
    });
  });

  describe("Guildhall's Slack adapter and chat poster", () => {
    let h: SlackCommunity;
    beforeAll(async () => {
      h = await startSlackCommunity({ kind: "pglite", extra: { commands: [threadCommand], actions: testOnlyActions } });
    });
    afterAll(async () => {
      if (h) checkAll(h.fake);
      await h?.stop();
    });

    it("runs commands, clicks, threads and DMs", async () => {
      await h.run(ADA, "help", { options: { command: "link" } });
      await h.run(CREATOR, "community");
      await h.click(GRACE, "vote", "yes");
      await h.run(ADA, "discuss", { options: { topic: "async traits" }, channelId: h.channels.help });
      await expect.poll(() => h.dms(ADA).length).toBeGreaterThan(0);
      const chat = h.services.chat.slack!;
      const thread = await chat.openThread(h.spaceId, h.channels.help, "A question", { text: "The body" });
      await chat.postInThread(thread, { text: "A reminder" });
      await chat.markSolved(thread, { text: "Solved by Grace" });
      await chat.post(h.spaceId, h.channels.announcements, { text: "Ada earned a badge" });
    });
  });

  it("the checker refuses a method Slack does not have, an argument it does not take, and an error it does not list", () => {
    const exchange = (path: string, requestBody: unknown, responseBody: unknown): Exchange => ({ method: "POST", path, query: {}, requestBody, status: 200, responseBody });
    expect(spec.check(exchange("chat.postMesage", { channel: GENERAL }, { ok: false, error: "unknown_method" })).map((p) => p.side)).toEqual(["operation"]);
    expect(spec.check(exchange("conversations.kick", { channel: PAID, user: ADA_ID, reason: "x" }, { ok: true }))).toContainEqual(expect.objectContaining({ field: "reason", message: "argument not in the spec" }));
    expect(spec.check(exchange("conversations.kick", { channel: PAID, user: ADA_ID }, { ok: false, error: "already_in_channel" }))).toContainEqual(expect.objectContaining({ side: "response", field: "/error" }));
  });

  it("the Events API bodies the fake builds fit Slack's event schemas", () => {
    for (const channelType of ["channel", "group"] as const) {
      const body = JSON.parse(messageEventBody({ teamId: TEAM, channelId: GENERAL, userId: ADA_ID, text: "hi", ts: "1700000000.000100", threadTs: "1700000000.000001", channelType })) as Record<string, unknown>;
      checked.push(...spec.checkEvent(body));
      exchanges += 1;
    }
  });

  it("every exchange fits the spec, apart from the allow-listed mistakes of the spec", () => {
    const { unexcused, unused } = applyAllowList(checked, ALLOW);
    if (process.env.CONTRACT_SUMMARY) {
      const keys = new Map<string, number>();
      for (const p of unexcused) {
        const key = `${p.operation} ${p.side} ${p.field.replace(/\/\d+/g, "/*")}: ${p.message}`;
        keys.set(key, (keys.get(key) ?? 0) + 1);
      }
      console.log(`${exchanges} exchanges`);
      console.log([...keys].map(([k, n]) => `${n}x ${k}`).sort().join("\n"));
    }
    expect(exchanges).toBeGreaterThan(50);
    expect(describeProblems(unexcused)).toBe("");
    expect(unused.map((a) => `${a.operation} ${String(a.field)}`)).toEqual([]);
  });
});

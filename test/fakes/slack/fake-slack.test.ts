// The fake Slack, checked against the real Bolt 5 app, its HTTP and Socket Mode receivers, and
// @slack/web-api: if these pass, a test of the bot through the fake exercises Bolt for real.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type BlockAction, type ButtonAction, HTTPReceiver, LogLevel, type MessageShortcut, webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  blockActionsPayload,
  FAKE_IDS,
  type FakeSlack,
  interactionBody,
  messageShortcutPayload,
  postSigned,
  slashCommandBody,
  slashCommandPayload,
  startFakeSlack,
} from "./index.js";

const SECRET = "test-signing-secret";
const TEAM = FAKE_IDS.teamId;
const HELLO_BLOCKS = [{ type: "section", text: { type: "mrkdwn", text: "*x*" } }];

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({ users: [{ id: "U1", name: "ada" }], channels: [{ id: "C1", members: ["U1"] }, { id: "C9" }] });
});
afterEach(async () => {
  await fake.close();
});

/** The handlers every app in these tests registers. */
function registerListeners(app: App): void {
  app.command("/hello", async ({ ack, respond, command, client }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: `hi ${command.text}` });
    await client.chat.postMessage({ channel: command.channel_id, text: "x", blocks: HELLO_BLOCKS });
  });
  app.action<BlockAction<ButtonAction>>("approve", async ({ ack, action, respond }) => {
    await ack();
    await respond({ text: `approved ${action.value ?? ""}` });
  });
  app.shortcut<MessageShortcut>("quote", async ({ ack, shortcut, client }) => {
    await ack();
    await client.chat.postMessage({ channel: shortcut.channel.id, thread_ts: shortcut.message.ts, text: `quoted: ${shortcut.message.text ?? ""}` });
  });
}

describe("Bolt in HTTP mode on its own port", () => {
  let app: App;
  let events: string;
  beforeEach(async () => {
    app = new App({ token: "xoxb-test", signingSecret: SECRET, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    registerListeners(app);
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterEach(async () => {
    await app.stop();
  });

  const hello = (responseUrl: string) =>
    slashCommandBody({ command: "/hello", text: "world", userId: "U1", teamId: TEAM, channelId: "C1", responseUrl });

  it("a signed slash command answers through response_url and posts a message with parsed blocks", async () => {
    const res = await postSigned(events, SECRET, hello(fake.responseUrl("cmd-1")));
    expect(res.status).toBe(200);

    const responded = await fake.waitForCall((c) => c.method === "response_url");
    expect(responded).toMatchObject({ responseUrlId: "cmd-1", args: { response_type: "ephemeral", text: "hi world" } });
    const posted = await fake.waitForCall((c) => c.method === "chat.postMessage");
    expect(posted.token).toBe("xoxb-test");
    expect(posted.args).toMatchObject({ channel: "C1", text: "x", blocks: HELLO_BLOCKS, team_id: TEAM });
    expect(fake.calls[0]?.method).toBe("auth.test"); // Bolt calls it from the constructor
  });

  it("a wrong signature or a timestamp 10 minutes old gets 401 and reaches no listener", async () => {
    const body = hello(fake.responseUrl());
    expect((await postSigned(events, "wrong-secret", body)).status).toBe(401);
    expect((await postSigned(events, SECRET, body, { signature: "v0=deadbeef" })).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await postSigned(events, SECRET, body, { timestampSeconds: tenMinutesAgo })).status).toBe(401);
    expect(fake.callsTo("response_url")).toHaveLength(0);
  });

  it("a button click reaches app.action with its value", async () => {
    const payload = blockActionsPayload({ userId: "U1", teamId: TEAM, channelId: "C1", actionId: "approve", value: "42", messageTs: "1700000000.000100", responseUrl: fake.responseUrl("click") });
    expect((await postSigned(events, SECRET, interactionBody(payload))).status).toBe(200);
    const responded = await fake.waitForCall((c) => c.responseUrlId === "click");
    expect(responded.args.text).toBe("approved 42");
  });

  it("a message shortcut reaches app.shortcut with the message", async () => {
    const message = { ts: "1700000000.000200", text: "a good question", user: "U2" };
    const payload = messageShortcutPayload({ userId: "U1", teamId: TEAM, channelId: "C9", callbackId: "quote", message, responseUrl: fake.responseUrl() });
    expect((await postSigned(events, SECRET, interactionBody(payload))).status).toBe(200);
    const posted = await fake.waitForCall((c) => c.method === "chat.postMessage");
    expect(posted.args).toMatchObject({ channel: "C9", thread_ts: message.ts, text: "quoted: a good question" });
  });
});

describe("Bolt's HTTPReceiver mounted on a server the bot already runs", () => {
  let server: Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("serves /slack/events through requestListener; other paths stay the server's", async () => {
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const app = new App({ token: "xoxb-test", receiver, clientOptions: { slackApiUrl: fake.apiUrl }, deferInitialization: true, logLevel: LogLevel.ERROR });
    app.command("/ping", async ({ ack }) => ack({ response_type: "ephemeral", text: "pong" }));
    await app.init(); // auth.test, awaited: a bad token fails here instead of as an unhandled rejection
    server = createServer((req, res) => {
      if (!req.url?.startsWith("/slack/")) return void res.end("health ok");
      try {
        receiver.requestListener(req, res);
      } catch {
        res.writeHead(404).end(); // requestListener throws for paths and methods it does not serve
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const body = slashCommandBody({ command: "/ping", userId: "U1", teamId: TEAM, channelId: "C1", responseUrl: fake.responseUrl() });
    const res = await postSigned(`${base}/slack/events`, SECRET, body);
    expect(res).toMatchObject({ status: 200 });
    expect(JSON.parse(res.body)).toEqual({ response_type: "ephemeral", text: "pong" });
    expect((await fetch(`${base}/slack/events`)).status).toBe(404);
    expect(await (await fetch(`${base}/health`)).text()).toBe("health ok");
  });
});

describe("Bolt in Socket Mode", () => {
  it("connects through apps.connections.open, acks a slash command and responds", async () => {
    const app = new App({ token: "xoxb-test", appToken: "xapp-test", socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl }, logLevel: LogLevel.ERROR });
    app.command("/hello", async ({ ack, respond, command }) => {
      await ack({ response_type: "ephemeral", text: "working on it" });
      await respond({ text: `hi ${command.text}` });
    });
    await app.start();
    try {
      expect(fake.socket.connected()).toBe(1);
      expect(fake.callsTo("apps.connections.open")[0]?.token).toBe("xapp-test");

      const payload = slashCommandPayload({ command: "/hello", text: "socket", userId: "U1", teamId: TEAM, channelId: "C1", responseUrl: fake.responseUrl("sock") });
      const ack = await fake.socket.send({ type: "slash_commands", payload });
      expect(ack.payload).toEqual({ response_type: "ephemeral", text: "working on it" });
      const responded = await fake.waitForCall((c) => c.responseUrlId === "sock");
      expect(responded.args.text).toBe("hi socket");
    } finally {
      await app.stop();
    }
  });

  it("rejects send when no client is connected", async () => {
    await expect(fake.socket.send({ type: "events_api", payload: {} })).rejects.toThrow(/No Socket Mode client/);
  });
});

describe("Web API answers", () => {
  const client = (options: webApi.WebClientOptions = {}) =>
    new webApi.WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR, ...options });

  it("users, user groups and DMs come from the fake's maps", async () => {
    fake.users.set("U1", { id: "U1", name: "ada", is_admin: true });
    fake.userGroups.set("S1", ["U1", "U2"]);
    const web = client();
    expect((await web.users.info({ user: "U1" })).user).toMatchObject({ id: "U1", name: "ada", is_admin: true, team_id: TEAM });
    await expect(web.users.info({ user: "U404" })).rejects.toMatchObject({ data: { error: "user_not_found" } });
    expect((await web.usergroups.users.list({ usergroup: "S1" })).users).toEqual(["U1", "U2"]);
    await expect(web.usergroups.users.list({ usergroup: "S404" })).rejects.toMatchObject({ data: { error: "no_such_subteam" } });
    expect((await web.conversations.open({ users: "U1" })).channel?.id).toBe("DU1");
  });

  it("message timestamps are unique and increasing", async () => {
    const web = client();
    const first = await web.chat.postMessage({ channel: "C1", text: "one" });
    const second = await web.chat.postMessage({ channel: "C1", text: "two" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: "one", user: FAKE_IDS.botUserId, bot_id: FAKE_IDS.botId });
  });

  it("a method the fake does not model answers unknown_method with HTTP 404, like a misspelt method on Slack, and is recorded", async () => {
    const web = client();
    // @slack/web-api turns any status but 200 and 429 into an HTTP error carrying the body.
    await expect(web.apiCall("chat.postMesage", { channel: "C1", text: "typo" })).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 404,
      body: { ok: false, error: "unknown_method", req_method: "chat.postMesage" },
    });
    expect(fake.callsTo("chat.postMesage")[0]?.args).toEqual({ channel: "C1", text: "typo" });
    expect(fake.messages).toHaveLength(0);
  });

  it("setResponse overrides a method for a number of calls, by value or by function", async () => {
    const web = client();
    fake.users.set("U2", { id: "U2", name: "grace" });
    fake.setResponse("conversations.invite", { ok: false, error: "restricted_action" }, { times: 1 });
    await expect(web.conversations.invite({ channel: "C1", users: "U2" })).rejects.toMatchObject({ data: { error: "restricted_action" } });
    expect((await web.conversations.invite({ channel: "C1", users: "U2" })).ok).toBe(true);
    fake.setResponse("conversations.kick", (args) => (args.user === "U2" ? { ok: false, error: "restricted_action" } : undefined));
    await expect(web.conversations.kick({ channel: "C1", user: "U2" })).rejects.toMatchObject({ data: { error: "restricted_action" } });
    expect((await web.conversations.kick({ channel: "C1", user: "U1" })).ok).toBe(true);
  });

  it("a 429 with Retry-After is retried by @slack/web-api, or rejected when it is told to", async () => {
    fake.setResponse("chat.postMessage", { ok: false, error: "ratelimited" }, { status: 429, headers: { "Retry-After": "0" }, times: 1 });
    const retrying = client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    expect((await retrying.chat.postMessage({ channel: "C1", text: "hi" })).ok).toBe(true);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);

    fake.setResponse("chat.postMessage", { ok: false, error: "ratelimited" }, { status: 429, headers: { "Retry-After": "7" }, times: 1 });
    const strict = client({ rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: "C1", text: "hi" })).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 7 });
  });

  it("token mistakes fail like Slack: no token, or an app token outside apps.connections.open", async () => {
    const anonymous = new webApi.WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    await expect(anonymous.auth.test()).rejects.toMatchObject({ data: { error: "not_authed" } });
    await expect(client().apps.connections.open()).rejects.toMatchObject({ data: { error: "not_allowed_token_type" } });
  });

  it("waitForCall times out listing what was recorded", async () => {
    await client().auth.test();
    await expect(fake.waitForCall((c) => c.method === "chat.delete", 50)).rejects.toThrow(/auth\.test/);
  });
});

describe("channels and membership, answered as Slack does", () => {
  const ADA = "U0ADA0001";
  const GRACE = "U0GRACE01";
  const client = (token = "xoxb-test") => new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
  const errorOf = (call: Promise<unknown>) => call.then(() => "ok", (e: { data?: { error?: string } }) => e.data?.error);

  beforeEach(() => {
    fake.users.set(ADA, { id: ADA, name: "ada" });
    fake.users.set(GRACE, { id: GRACE, name: "grace" });
    fake.addChannel({ id: "C0GENERAL1", general: true, members: [ADA] });
    fake.addChannel({ id: "G0PRIVATE1", private: true, members: [ADA] });
    fake.addChannel({ id: "G0HIDDEN01", private: true, members: [ADA], botIsMember: false });
    fake.addChannel({ id: "C0OUTSIDE1", members: [ADA], botIsMember: false });
    fake.addChannel({ id: "G0ARCHIVE1", private: true, archived: true });
  });

  it("conversations.invite adds a member once and refuses what Slack refuses", async () => {
    const web = client();
    expect((await web.conversations.invite({ channel: "G0PRIVATE1", users: GRACE })).channel).toMatchObject({ id: "G0PRIVATE1", is_private: true, is_member: true });
    expect(fake.channels.get("G0PRIVATE1")?.members.has(GRACE)).toBe(true);
    expect(await errorOf(web.conversations.invite({ channel: "G0PRIVATE1", users: GRACE }))).toBe("already_in_channel");
    expect(await errorOf(web.conversations.invite({ channel: "G0PRIVATE1", users: FAKE_IDS.botUserId }))).toBe("cant_invite_self");
    expect(await errorOf(web.conversations.invite({ channel: "G0PRIVATE1", users: "U0NOBODY1" }))).toBe("user_not_found");
    expect(await errorOf(web.conversations.invite({ channel: "G0PRIVATE1", users: "" }))).toBe("no_user");
    expect(await errorOf(web.conversations.invite({ channel: "C0MISSING1", users: GRACE }))).toBe("channel_not_found");
    // A private channel the bot is not in is invisible to it; a public one is visible but closed.
    expect(await errorOf(web.conversations.invite({ channel: "G0HIDDEN01", users: GRACE }))).toBe("channel_not_found");
    expect(await errorOf(web.conversations.invite({ channel: "C0OUTSIDE1", users: GRACE }))).toBe("not_in_channel");
    expect(await errorOf(web.conversations.invite({ channel: "G0ARCHIVE1", users: GRACE }))).toBe("is_archived");
    const dm = (await web.conversations.open({ users: ADA })).channel?.id ?? "";
    expect(await errorOf(web.conversations.invite({ channel: dm, users: GRACE }))).toBe("method_not_supported_for_channel_type");
    expect(fake.channels.get("G0HIDDEN01")?.members.has(GRACE)).toBe(false);
  });

  it("conversations.kick removes a member; not_in_channel once they are out; never from #general or the bot itself", async () => {
    const web = client();
    expect((await web.conversations.kick({ channel: "G0PRIVATE1", user: ADA })).ok).toBe(true);
    expect(fake.channels.get("G0PRIVATE1")?.members.has(ADA)).toBe(false);
    expect(await errorOf(web.conversations.kick({ channel: "G0PRIVATE1", user: ADA }))).toBe("not_in_channel");
    expect(await errorOf(web.conversations.kick({ channel: "G0PRIVATE1", user: FAKE_IDS.botUserId }))).toBe("cant_kick_self");
    expect(await errorOf(web.conversations.kick({ channel: "C0GENERAL1", user: ADA }))).toBe("cant_kick_from_general");
    expect(await errorOf(web.conversations.kick({ channel: "G0PRIVATE1", user: "U0NOBODY1" }))).toBe("user_not_found");
    expect(await errorOf(web.conversations.kick({ channel: "G0HIDDEN01", user: ADA }))).toBe("channel_not_found");
  });

  it("conversations.members and conversations.info see public channels from outside, private ones only from inside", async () => {
    const web = client();
    expect((await web.conversations.members({ channel: "C0OUTSIDE1" })).members).toEqual([ADA]);
    expect((await web.conversations.info({ channel: "C0OUTSIDE1" })).channel).toMatchObject({ id: "C0OUTSIDE1", is_member: false, is_private: false });
    expect(await errorOf(web.conversations.members({ channel: "G0HIDDEN01" }))).toBe("channel_not_found");
    expect(await errorOf(web.conversations.info({ channel: "G0HIDDEN01" }))).toBe("channel_not_found");
    expect((await web.conversations.info({ channel: "G0PRIVATE1", include_num_members: true })).channel).toMatchObject({ is_member: true, num_members: 2 });
    const first = await web.conversations.members({ channel: "G0PRIVATE1", limit: 1 });
    const second = await web.conversations.members({ channel: "G0PRIVATE1", limit: 1, cursor: first.response_metadata?.next_cursor ?? "" });
    expect([...(first.members ?? []), ...(second.members ?? [])].sort()).toEqual([ADA, FAKE_IDS.botUserId].sort());
    expect(second.response_metadata?.next_cursor).toBe("");
  });

  it("chat.postMessage: hidden private channels are channel_not_found, archived ones is_archived, public ones need chat:write.public from outside", async () => {
    const web = client();
    expect(await errorOf(web.chat.postMessage({ channel: "G0HIDDEN01", text: "hi" }))).toBe("channel_not_found");
    expect(await errorOf(web.chat.postMessage({ channel: "G0ARCHIVE1", text: "hi" }))).toBe("is_archived");
    expect(await errorOf(web.chat.postMessage({ channel: "C0MISSING1", text: "hi" }))).toBe("channel_not_found");
    expect((await web.chat.postMessage({ channel: "C0OUTSIDE1", text: "hi" })).ok).toBe(true);
    // A user id posts in the app's DM with that member.
    expect((await web.chat.postMessage({ channel: ADA, text: "psst" })).channel).toBe(`D${ADA}`);

    const narrow = await startFakeSlack({ scopes: ["chat:write"], channels: [{ id: "C0OUTSIDE1", botIsMember: false }] });
    try {
      const web2 = new webApi.WebClient("xoxb-test", { slackApiUrl: narrow.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
      expect(await errorOf(web2.chat.postMessage({ channel: "C0OUTSIDE1", text: "hi" }))).toBe("not_in_channel");
    } finally {
      await narrow.close();
    }
  });

  it("conversations.open opens one DM per member, says already_open the second time, and refuses unknown members", async () => {
    const web = client();
    const first = await web.conversations.open({ users: GRACE });
    expect(first.channel?.id).toBe(`D${GRACE}`);
    expect(first.already_open).toBeUndefined();
    expect(await web.conversations.open({ users: GRACE })).toMatchObject({ channel: { id: `D${GRACE}` }, already_open: true });
    expect(await errorOf(web.conversations.open({ users: "U0NOBODY1" }))).toBe("user_not_found");
    expect(await errorOf(web.apiCall("conversations.open", {}))).toBe("users_list_not_supplied");
    expect(await errorOf(web.conversations.open({ channel: "D0GONE0001" }))).toBe("channel_not_found");
  });
});

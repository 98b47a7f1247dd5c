// The Discord and Slack direct messengers against the fakes, through a real discord.js REST
// (createAccessRest, retries: 0) and real WebClients, so the messengers' own backoff is tested.
import { webApi } from "@slack/bolt";
import type { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../src/log/logger.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordDirectMessenger } from "../../src/platform/discord/direct-messenger.js";
import { createAccessWebClient } from "../../src/platform/slack/access-client.js";
import { SlackDirectMessenger } from "../../src/platform/slack/direct-messenger.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { memoryLogger } from "../support/logger.js";

const { LogLevel, WebClient } = webApi;
type WebClient = webApi.WebClient;

const NOTICE = {
  text: "Your **Pro** payment failed. Update your card to keep access.",
  links: [{ label: "Update payment method", url: "https://billing.example.com/portal/abc" }],
};

let nextId = 0;
/** A fresh id, so the calls of one test never mix with another's. */
const fresh = (prefix: string) => `${prefix}${(nextId += 1)}`;

/** Sleep that resolves at once and records what it was asked to wait. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { sleep: async (ms: number) => void delays.push(ms), delays };
}

describe("DiscordDirectMessenger", () => {
  let fake: FakeDiscord;
  let rest: REST;

  beforeAll(async () => {
    fake = await startFakeDiscord({ guilds: [{ id: "200000000000000001", name: "Guildhall Test", channels: [] }] });
    rest = createAccessRest({ token: "fake-token", apiUrl: fake.apiUrl });
  });
  afterAll(async () => {
    await fake?.close();
  });

  const user = () => String(600000000000000000n + BigInt((nextId += 1)));
  const opens = (userId: string) => fake.callsTo("POST", "/users/@me/channels").filter((c) => c.body?.recipient_id === userId);
  const dmChannel = (userId: string) => [...fake.state.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === userId)?.id;
  const posts = (userId: string) => fake.callsTo("POST", `/channels/${dmChannel(userId) ?? "none"}/messages`);

  function messenger(log: Logger = memoryLogger().log) {
    const { sleep, delays } = recordingSleep();
    return { messenger: new DiscordDirectMessenger(rest, log, { sleep }), delays };
  }

  it("opens the DM channel, then posts the text with links as buttons and no pings", async () => {
    const id = user();
    expect(await messenger().messenger.send(id, NOTICE)).toBe("sent");
    expect(opens(id)).toHaveLength(1);
    const [post] = posts(id);
    expect(post?.body).toMatchObject({
      content: expect.stringContaining("**Pro** payment failed"),
      allowed_mentions: { parse: [] },
      components: [{ type: 1, components: [{ type: 2, style: 5, label: "Update payment method", url: "https://billing.example.com/portal/abc" }] }],
    });
    expect(post?.body).not.toHaveProperty("allowedMentions");
  });

  it("with an idempotency key the post carries a nonce of at most 25 characters and enforce_nonce, so the same key sent again within Discord's window is one message", async () => {
    const id = user();
    const { messenger: m } = messenger();
    expect(await m.send(id, NOTICE, { idempotencyKey: "live:event-1:reminder-24h:member-1" })).toBe("sent");
    expect(await m.send(id, NOTICE, { idempotencyKey: "live:event-1:reminder-24h:member-1" })).toBe("sent");
    const [first, second] = posts(id);
    expect(first?.body).toMatchObject({ enforce_nonce: true, nonce: expect.any(String) });
    expect(String(first?.body?.nonce).length).toBeLessThanOrEqual(25);
    expect(second?.body?.nonce).toBe(first?.body?.nonce);
    expect(fake.state.channelMessages(dmChannel(id)!)).toHaveLength(1);
    // Another key is another message.
    expect(await m.send(id, NOTICE, { idempotencyKey: "live:event-1:reminder-24h:member-2" })).toBe("sent");
    expect(fake.state.channelMessages(dmChannel(id)!)).toHaveLength(2);
  });

  it("Cannot send messages to this user (50007) is closed, logged calmly and not retried", async () => {
    const id = user();
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${dmChannel(id)}/messages`, {
      status: 403,
      body: { message: "Cannot send messages to this user", code: 50007 },
    });
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("closed");
    expect(posts(id)).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(text()).toContain("member does not accept direct messages");
    expect(text()).not.toContain('"level":40');
  });

  it("a server error on the post is retried after a backoff, then sent", async () => {
    const id = user();
    fake.failNext((c) => c.method === "POST" && c.path === `/channels/${dmChannel(id)}/messages`, { status: 502 });
    const { messenger: m, delays } = messenger();
    expect(await m.send(id, NOTICE)).toBe("sent");
    expect(opens(id)).toHaveLength(1);
    expect(posts(id)).toHaveLength(2);
    expect(delays).toEqual([200]);
  });

  it("retries are bounded: three tries with growing waits, then failed with a log line", async () => {
    const id = user();
    fake.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === id, { status: 503 }, 5);
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("failed");
    expect(opens(id)).toHaveLength(3);
    expect(delays).toEqual([200, 400]);
    expect(text()).toContain("discord direct message failed");
  });

  it("Unknown User (10013) is failed at once, with a log line, and nothing is posted", async () => {
    const id = user();
    fake.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === id, {
      status: 404,
      body: { message: "Unknown User", code: 10013 },
    });
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("failed");
    expect(delays).toEqual([]);
    expect(dmChannel(id)).toBeUndefined();
    expect(text()).toContain("discord direct message failed");
    expect(text()).toContain("Unknown User");
    expect(text()).toContain(id);
  });
});

describe("SlackDirectMessenger", () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: "T0ACME" });
    // logLevel ERROR: the client's own notes about the 429s these tests provoke are noise here.
    client = new WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
  });
  afterAll(async () => {
    await fake?.close();
  });

  /** A fresh workspace member (Slack opens DMs only with members it knows). */
  const member = () => {
    const id = fresh("U0MEMBER");
    fake.users.set(id, { id, name: id.toLowerCase() });
    return id;
  };
  const opens = (userId: string) => fake.callsTo("conversations.open").filter((c) => c.args.users === userId);
  // The fake names a member's DM channel D<user id>.
  const posts = (userId: string) => fake.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${userId}`);
  /** Answers `method` with `answer` for calls about `userId` only. */
  const answerFor = (method: string, userId: string, answer: Record<string, unknown>) =>
    fake.setResponse(method, (args) => (args.users === userId || args.channel === `D${userId}` ? answer : undefined));

  function messenger(log: Logger = memoryLogger().log, webClient: WebClient = client) {
    const { sleep, delays } = recordingSleep();
    return { messenger: new SlackDirectMessenger(webClient, log, { sleep }), delays };
  }

  it("opens the DM, then posts mrkdwn text with a fallback and links as URL buttons", async () => {
    const id = member();
    expect(await messenger().messenger.send(id, NOTICE)).toBe("sent");
    expect(opens(id)).toHaveLength(1);
    const [post] = posts(id);
    expect(post?.args.text).toBe("Your Pro payment failed. Update your card to keep access.");
    expect(post?.args.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "Your *Pro* payment failed. Update your card to keep access." } },
      {
        type: "actions",
        elements: [{ type: "button", action_id: "link:0", text: { type: "plain_text", text: "Update payment method" }, url: "https://billing.example.com/portal/abc" }],
      },
    ]);
  });

  it.each(["user_disabled", "cannot_dm_bot"])("%s is closed, logged calmly and not retried", async (error) => {
    const id = member();
    answerFor("conversations.open", id, { ok: false, error });
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("closed");
    expect(opens(id)).toHaveLength(1);
    expect(posts(id)).toHaveLength(0);
    expect(delays).toEqual([]);
    expect(text()).toContain("member cannot receive direct messages");
  });

  it("a 429 is retried after Retry-After, then sent (client that rejects rate-limited calls)", async () => {
    const id = member();
    fake.setResponse("chat.postMessage", { ok: false, error: "ratelimited" }, { times: 1, status: 429, headers: { "Retry-After": "2" } });
    const strict = createAccessWebClient({ botToken: "xoxb-test", apiUrl: fake.apiUrl });
    const { messenger: m, delays } = messenger(memoryLogger().log, strict);
    expect(await m.send(id, NOTICE)).toBe("sent");
    expect(posts(id)).toHaveLength(2);
    expect(delays).toEqual([2000]);
  });

  it("server errors are retried a bounded number of times, then failed with a log line", async () => {
    const id = member();
    fake.setResponse("conversations.open", { ok: false, error: "internal_error" }, { times: 3, status: 503 });
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("failed");
    expect(opens(id)).toHaveLength(3);
    expect(delays).toEqual([200, 400]);
    expect(text()).toContain("slack direct message failed");
  });

  it("user_not_found is failed, not closed: an id from elsewhere deserves a look", async () => {
    const id = fresh("U0ELSEWHERE"); // not a member of this workspace: the fake answers user_not_found
    const { log, text } = memoryLogger();
    const { messenger: m, delays } = messenger(log);
    expect(await m.send(id, NOTICE)).toBe("failed");
    expect(delays).toEqual([]);
    expect(text()).toContain("slack direct message failed");
    expect(text()).toContain("user_not_found");
  });

  it("a disabled Messages tab is failed, and the log line says how to fix it", async () => {
    const id = member();
    answerFor("chat.postMessage", id, { ok: false, error: "messages_tab_disabled" });
    const { log, text } = memoryLogger();
    expect(await messenger(log).messenger.send(id, NOTICE)).toBe("failed");
    expect(posts(id)).toHaveLength(1);
    expect(text()).toContain("Turn on the Messages tab under App Home");
  });
});

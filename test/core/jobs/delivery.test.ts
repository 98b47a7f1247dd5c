// The DeliveryQueue through the real messengers and chat poster, over the paced transports
// production uses, against the Discord and Slack fakes; on every database backend.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DirectMessenger } from "../../../src/core/platform-services.js";
import { DirectChannelStore } from "../../../src/platform/direct-channels.js";
import { DiscordChatPoster } from "../../../src/platform/discord/chat-poster.js";
import { DiscordDirectMessenger } from "../../../src/platform/discord/direct-messenger.js";
import { createPacedRest } from "../../../src/platform/discord/paced-rest.js";
import { KeyedPacer, Pacer } from "../../../src/platform/pacing.js";
import { SlackDirectMessenger } from "../../../src/platform/slack/direct-messenger.js";
import { createPacedWebClient } from "../../../src/platform/slack/paced-client.js";
import { DeliveryQueue, type DirectDelivery, MAX_DELIVERY_ATTEMPTS } from "../../../src/core/jobs/delivery.js";
import { type FakeDiscord, startFakeDiscord } from "../../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack/index.js";
import { backends, freshDatabase, type TestDatabase } from "../../support/databases.js";
import { memoryLogger, quietLogger } from "../../support/logger.js";

const GUILD = "200000000000000001";
const EVENTS_CHANNEL = "300000000000000001";
const REMINDER = { text: "**Async Rust office hours** start in 15 minutes." };
/** Retries inside one run wait for nothing in tests. */
const instant = async () => undefined;

let discord: FakeDiscord;
let slack: FakeSlack;
beforeAll(async () => {
  [discord, slack] = await Promise.all([
    startFakeDiscord({ guilds: [{ id: GUILD, name: "Guildhall Test", channels: [{ id: EVENTS_CHANNEL, name: "events" }] }] }),
    startFakeSlack({ teamId: "T0DELIVER" }),
  ]);
});
afterAll(async () => {
  await Promise.all([discord?.close(), slack?.close()]);
});

let nextUser = 0;
const discordUser = () => String(800000000000000000n + BigInt((nextUser += 1)));
/** A fresh member of the fake Slack workspace (Slack opens DMs only with members). */
const slackUser = () => {
  const id = `U${String((nextUser += 1)).padStart(8, "0")}`;
  slack.users.set(id, { id, name: id.toLowerCase() });
  return id;
};

// Reads of what reached the fakes.
const dmChannel = (userId: string) => [...discord.state.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === userId)?.id;
const opens = (userId: string) => discord.callsTo("POST", "/users/@me/channels").filter((c) => c.body?.recipient_id === userId);
const dmPosts = (userId: string) => discord.callsTo("POST", `/channels/${dmChannel(userId) ?? "none"}/messages`);
const slackOpens = (userId: string) => slack.callsTo("conversations.open").filter((c) => c.args.users === userId);
const slackPosts = (userId: string) => slack.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${userId}`);

describe.each(backends())("DeliveryQueue (%s)", (kind) => {
  let database: TestDatabase;
  let communityId: string;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    communityId = (await database.prisma.community.create({ data: { slug: "deliver", name: "Deliver" } })).id;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** A member with these platform accounts, the first one oldest. */
  async function member(...accounts: { platform: "discord" | "slack"; id: string }[]): Promise<string> {
    const { id } = await database.prisma.member.create({ data: { communityId, displayName: "Member" } });
    for (const [i, account] of accounts.entries()) {
      await database.prisma.platformAccount.create({
        data: { communityId, memberId: id, platform: account.platform, externalId: account.id, displayName: "Member", createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) },
      });
    }
    return id;
  }

  /** The production transports (paced, fast enough for a test) and messengers, each with a fresh memory. */
  function queue(opts: { concurrency?: number } = {}) {
    const { log, text } = memoryLogger();
    const rest = createPacedRest({ token: "fake-token", apiUrl: discord.apiUrl }, new Pacer({ perSecond: 1000 }));
    const web = createPacedWebClient({ botToken: "xoxb-test", apiUrl: slack.apiUrl }, new KeyedPacer({ perSecond: 1000 }));
    const messengers = {
      discord: new DiscordDirectMessenger(rest, log, { sleep: instant, channels: new DirectChannelStore(database.prisma, "discord") }),
      slack: new SlackDirectMessenger(web, log, { sleep: instant, channels: new DirectChannelStore(database.prisma, "slack") }),
    };
    const delivery = new DeliveryQueue(database.prisma, messengers, { discord: new DiscordChatPoster(rest, log) }, log, opts);
    return { delivery, text, messengers };
  }

  const reminder = (key: string, memberId: string): DirectDelivery => ({ key: `${key}:${memberId}`, memberId, message: REMINDER });
  const record = (key: string, memberId: string) => database.prisma.delivery.findUnique({ where: { key: `${key}:${memberId}` } });

  it("sends each member their message once per key; a second run sends nothing", async () => {
    const users = [discordUser(), discordUser(), discordUser()];
    const members = await Promise.all(users.map((u) => member({ platform: "discord", id: u })));
    const { delivery } = queue();

    expect(await delivery.sendDirect(members.map((m) => reminder("live:e1:reminder-24h", m)))).toEqual({ sent: 3, closed: 0, failed: 0, skipped: 0 });
    expect(dmPosts(users[0]!)[0]?.body.content).toContain("**Async Rust office hours** start in 15 minutes.");
    expect(await record("live:e1:reminder-24h", members[0]!)).toMatchObject({ status: "sent", attempts: 1 });

    const calls = discord.calls.length;
    expect(await delivery.sendDirect(members.map((m) => reminder("live:e1:reminder-24h", m)))).toEqual({ sent: 0, closed: 0, failed: 0, skipped: 3 });
    expect(discord.calls.length).toBe(calls);
  });

  it("a member whose DMs are closed is recorded as closed and not tried again", async () => {
    const user = discordUser();
    const id = await member({ platform: "discord", id: user });
    discord.failNext((c) => c.method === "POST" && c.path === `/channels/${dmChannel(user)}/messages`, { status: 403, body: { message: "Cannot send messages to this user", code: 50007 } }, 5);
    const { delivery } = queue();

    expect(await delivery.sendDirect([reminder("live:e2:reminder-15m", id)])).toMatchObject({ closed: 1 });
    expect(await record("live:e2:reminder-15m", id)).toMatchObject({ status: "closed", attempts: 1 });
    expect(dmPosts(user)).toHaveLength(1); // a closed DM is not retried within the run either

    expect(await delivery.sendDirect([reminder("live:e2:reminder-15m", id)])).toMatchObject({ closed: 0, skipped: 1 });
    expect(opens(user)).toHaveLength(1);
    expect(dmPosts(user)).toHaveLength(1);
  });

  it(`a failed DM is tried again by later runs, ${MAX_DELIVERY_ATTEMPTS} attempts in all, then left as failed`, async () => {
    const user = discordUser();
    const id = await member({ platform: "discord", id: user });
    discord.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === user, { status: 503 }, 100);
    const { delivery, text } = queue();

    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await delivery.sendDirect([reminder("live:e3:reminder-15m", id)])).toMatchObject({ failed: 1, skipped: 0 });
      expect(await record("live:e3:reminder-15m", id)).toMatchObject({ status: "failed", attempts: attempt });
    }
    expect(text()).toContain("gave up on a direct message after its last attempt");
    const tried = opens(user).length;
    expect(await delivery.sendDirect([reminder("live:e3:reminder-15m", id)])).toEqual({ sent: 0, closed: 0, failed: 0, skipped: 1 });
    expect(opens(user)).toHaveLength(tried);
  });

  it("a failure that clears goes out on the next run", async () => {
    const user = discordUser();
    const id = await member({ platform: "discord", id: user });
    // Three 503s: the messenger's own three tries in the first run.
    discord.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === user, { status: 503 }, 3);
    const { delivery } = queue();

    expect(await delivery.sendDirect([reminder("live:e4:reminder-24h", id)])).toMatchObject({ failed: 1 });
    expect(await delivery.sendDirect([reminder("live:e4:reminder-24h", id)])).toMatchObject({ sent: 1 });
    expect(await record("live:e4:reminder-24h", id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("a remembered DM channel saves the open: the next message is one request, even after a restart", async () => {
    const user = discordUser();
    const id = await member({ platform: "discord", id: user });

    await queue().delivery.sendDirect([reminder("live:e5:reminder-24h", id)]);
    expect(opens(user)).toHaveLength(1);
    expect(await database.prisma.directChannel.findUnique({ where: { platform_userId: { platform: "discord", userId: user } } })).toMatchObject({ channelId: dmChannel(user) });

    // A new queue and messenger start with an empty memory: the channel comes from the database.
    expect(await queue().delivery.sendDirect([reminder("live:e5:reminder-15m", id)])).toMatchObject({ sent: 1 });
    expect(opens(user)).toHaveLength(1);
    expect(dmPosts(user)).toHaveLength(2);
  });

  it("a remembered DM channel that is gone is opened again, once, and remembered anew", async () => {
    const user = discordUser();
    const id = await member({ platform: "discord", id: user });
    const gone = String(390000000000000000n + BigInt((nextUser += 1)));
    await database.prisma.directChannel.create({ data: { platform: "discord", userId: user, channelId: gone } });

    expect(await queue().delivery.sendDirect([reminder("live:e6:reminder-15m", id)])).toMatchObject({ sent: 1 });
    expect(discord.callsTo("POST", `/channels/${gone}/messages`)).toHaveLength(1);
    expect(opens(user)).toHaveLength(1);
    expect(dmPosts(user)).toHaveLength(1);
    expect(await database.prisma.directChannel.findUnique({ where: { platform_userId: { platform: "discord", userId: user } } })).toMatchObject({ channelId: dmChannel(user) });
  });

  it("Slack: the DM is remembered too, and one Slack no longer knows is opened again", async () => {
    const user = slackUser();
    const id = await member({ platform: "slack", id: user });
    const { delivery } = queue();

    await delivery.sendDirect([reminder("live:e7:reminder-24h", id)]);
    await delivery.sendDirect([reminder("live:e7:reminder-1h", id)]);
    expect(slackOpens(user)).toHaveLength(1);
    expect(slackPosts(user)).toHaveLength(2);

    slack.channels.delete(`D${user}`); // the DM is gone: posting in it answers channel_not_found
    expect(await delivery.sendDirect([reminder("live:e7:reminder-15m", id)])).toMatchObject({ sent: 1 });
    expect(slackOpens(user)).toHaveLength(2);
    expect(slackPosts(user)).toHaveLength(4);
  });

  it("Slack: a deactivated member is closed and not tried again", async () => {
    const user = slackUser();
    const id = await member({ platform: "slack", id: user });
    slack.setResponse("conversations.open", (args) => (args.users === user ? { ok: false, error: "user_disabled" } : undefined));
    const { delivery } = queue();

    expect(await delivery.sendDirect([reminder("live:e8:reminder-15m", id)])).toMatchObject({ closed: 1 });
    expect(await delivery.sendDirect([reminder("live:e8:reminder-15m", id)])).toMatchObject({ skipped: 1 });
    expect(slackOpens(user)).toHaveLength(1);
  });

  it("a member closed on Discord still gets the message on Slack", async () => {
    const [onDiscord, onSlack] = [discordUser(), slackUser()];
    const id = await member({ platform: "discord", id: onDiscord }, { platform: "slack", id: onSlack });
    discord.failNext((c) => c.method === "POST" && c.path === `/channels/${dmChannel(onDiscord)}/messages`, { status: 403, body: { message: "Cannot send messages to this user", code: 50007 } });

    expect(await queue().delivery.sendDirect([reminder("live:e9:reminder-15m", id)])).toMatchObject({ sent: 1 });
    expect(slackPosts(onSlack)).toHaveLength(1);
  });

  it("keeps at most `concurrency` direct messages in flight", async () => {
    const members = await Promise.all(Array.from({ length: 12 }, () => member({ platform: "discord", id: discordUser() })));
    let inFlight = 0;
    let most = 0;
    // A stand-in at the messenger interface: only the queue's own scheduling is under test here.
    // Each send is held until three are in flight (or 200 ms, for the last ones): every message
    // is claimed in the database first, and a claim can take longer than a quick send.
    const slow: DirectMessenger = {
      platform: "discord",
      send: async () => {
        most = Math.max(most, ++inFlight);
        const started = Date.now();
        while (inFlight < 3 && Date.now() - started < 200) await new Promise((resolve) => setTimeout(resolve, 2));
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return "sent";
      },
    };
    const delivery = new DeliveryQueue(database.prisma, { discord: slow }, {}, quietLogger(), { concurrency: 3 });
    expect(await delivery.sendDirect(members.map((m) => reminder("live:e10:reminder-15m", m)))).toMatchObject({ sent: 12 });
    expect(most).toBe(3);
  });

  describe("claimed before sending", () => {
    it("the delivery record exists, as this process's claim, when the platform is asked to send", async () => {
      const members = await Promise.all([1, 2, 3].map(() => member({ platform: "discord", id: discordUser() })));
      const seen: unknown[] = [];
      // A stand-in at the messenger interface that reads the record at the moment of sending.
      const peek: DirectMessenger = {
        platform: "discord",
        send: async () => {
          seen.push(await database.prisma.delivery.findMany({ where: { key: { startsWith: "live:c1:" }, status: "sending" }, select: { claimedBy: true } }));
          return "sent";
        },
      };
      const delivery = new DeliveryQueue(database.prisma, { discord: peek }, {}, quietLogger(), { concurrency: 1, holder: "process-a" });
      expect(await delivery.sendDirect(members.map((m) => reminder("live:c1:reminder-24h", m)))).toMatchObject({ sent: 3 });
      expect(seen).toEqual([[{ claimedBy: "process-a" }], [{ claimedBy: "process-a" }], [{ claimedBy: "process-a" }]]);
      expect(await database.prisma.delivery.count({ where: { key: { startsWith: "live:c1:" }, status: "sent" } })).toBe(3);
    });

    it("two processes running the same fan-out at once send each member's message once", async () => {
      const users = Array.from({ length: 20 }, () => discordUser());
      const members = await Promise.all(users.map((u) => member({ platform: "discord", id: u })));
      const items = members.map((m) => reminder("live:c2:reminder-24h", m));
      const [a, b] = ["process-a", "process-b"].map((holder) => new DeliveryQueue(database.prisma, queue().messengers, {}, quietLogger(), { holder, concurrency: 4 }));
      const [ra, rb] = await Promise.all([a!.sendDirect(items), b!.sendDirect(items)]);
      expect(ra.sent + rb.sent).toBe(20);
      expect(ra.skipped + rb.skipped).toBe(20);
      for (const user of users) expect(dmPosts(user)).toHaveLength(1);
    });

    /** A Discord messenger over the paced REST whose turns at the pace the test hands out one by one. */
    function turnByTurn() {
      const turns: (() => void)[] = [];
      const rest = createPacedRest({ token: "fake-token", apiUrl: discord.apiUrl }, { wait: () => new Promise<void>((resolve) => turns.push(resolve)) });
      const messengers = { discord: new DiscordDirectMessenger(rest, quietLogger(), { sleep: instant }) };
      /** Waits for the next request to queue for its turn, then lets it go. */
      const nextTurn = async () => {
        await vi.waitFor(() => expect(turns.length).toBe(1));
        turns.shift()!();
      };
      return { messengers, nextTurn };
    }

    it("with the paced Discord REST a message is claimed after its post's turn at the pace, not while it waits for it", async () => {
      const user = discordUser();
      const id = await member({ platform: "discord", id: user });
      const { messengers, nextTurn } = turnByTurn();
      const run = new DeliveryQueue(database.prisma, messengers, {}, quietLogger(), { holder: "process-a" }).sendDirect([reminder("live:c7:reminder-24h", id)]);
      await nextTurn(); // opening the DM channel
      await vi.waitFor(() => expect(discord.callsTo("POST", `/channels/${dmChannel(user) ?? "none"}/messages`)).toHaveLength(0));
      expect(await record("live:c7:reminder-24h", id)).toBeNull();
      await nextTurn(); // the post
      expect(await run).toMatchObject({ sent: 1, skipped: 0 });
      expect(await record("live:c7:reminder-24h", id)).toMatchObject({ status: "sent", claimedBy: "process-a" });
      expect(dmPosts(user)).toHaveLength(1);
    });

    it("a message another process claimed while this one waited for its turn is dropped at the wire, not posted", async () => {
      const user = discordUser();
      const id = await member({ platform: "discord", id: user });
      const { messengers, nextTurn } = turnByTurn();
      const run = new DeliveryQueue(database.prisma, messengers, {}, quietLogger(), { holder: "process-a" }).sendDirect([reminder("live:c8:reminder-24h", id)]);
      await nextTurn(); // opening the DM channel
      await vi.waitFor(() => expect(dmChannel(user)).toBeDefined());
      await database.prisma.delivery.create({ data: { key: `live:c8:reminder-24h:${id}`, status: "sending", claimedBy: "process-b" } });
      await nextTurn(); // the post's turn: the claim fails, so the request never leaves
      expect(await run).toEqual({ sent: 0, closed: 0, failed: 0, skipped: 1 });
      expect(dmPosts(user)).toHaveLength(0);
      expect(await record("live:c8:reminder-24h", id)).toMatchObject({ status: "sending", claimedBy: "process-b" });
    });

    /** A claim left "sending" by a process that died `agoMs` ago. */
    const deadClaim = (key: string, agoMs: number) => database.prisma.delivery.create({ data: { key, status: "sending", claimedBy: "killed-process", updatedAt: new Date(Date.now() - agoMs) } });

    it("a message whose claim outlived the send deadline and is not in the member's DM channel is sent, once, by the next run", async () => {
      const user = discordUser();
      const id = await member({ platform: "discord", id: user });
      await deadClaim(`live:c3:reminder-15m:${id}`, 60_000);
      const { delivery, text } = queue();
      expect(await delivery.sendDirect([reminder("live:c3:reminder-15m", id)])).toEqual({ sent: 1, closed: 0, failed: 0, skipped: 0 });
      expect(dmPosts(user)).toHaveLength(1);
      expect(await record("live:c3:reminder-15m", id)).toMatchObject({ status: "sent", attempts: 1 });
      expect(text()).toContain("settled a direct message left unconfirmed");
      expect(await delivery.sendDirect([reminder("live:c3:reminder-15m", id)])).toMatchObject({ sent: 0, skipped: 1 });
      expect(dmPosts(user)).toHaveLength(1);
    });

    it("a message whose claim outlived the send deadline and did reach the member's DM channel is recorded as sent, not posted again", async () => {
      const user = discordUser();
      const id = await member({ platform: "discord", id: user });
      // The dead process's post arrived; its answer (and the record of it) did not.
      expect(await queue().messengers.discord.send(user, REMINDER)).toBe("sent");
      await deadClaim(`live:c5:reminder-15m:${id}`, 31_000);
      expect(await queue().delivery.sendDirect([reminder("live:c5:reminder-15m", id)])).toEqual({ sent: 0, closed: 0, failed: 0, skipped: 1 });
      expect(dmPosts(user)).toHaveLength(1);
      expect(discord.callsTo("GET", `/channels/${dmChannel(user)}/messages`)).toHaveLength(1);
      expect(await record("live:c5:reminder-15m", id)).toMatchObject({ status: "sent" });
    });

    it("a claim younger than the send deadline is waited for, then settled; one on Slack, which cannot be asked, stays unconfirmed and is not resent", async () => {
      const user = discordUser();
      const onSlack = slackUser();
      const [id, slackId] = await Promise.all([member({ platform: "discord", id: user }), member({ platform: "slack", id: onSlack })]);
      await deadClaim(`live:c6:reminder-15m:${id}`, 0);
      await deadClaim(`live:c6:reminder-15m:${slackId}`, 60_000);
      const { log, text } = memoryLogger();
      const delivery = new DeliveryQueue(database.prisma, queue().messengers, {}, log, { sendDeadlineMs: 300 });
      expect(await delivery.sendDirect([reminder("live:c6:reminder-15m", id), reminder("live:c6:reminder-15m", slackId)])).toEqual({ sent: 1, closed: 0, failed: 0, skipped: 1 });
      expect(dmPosts(user)).toHaveLength(1);
      expect(slackPosts(onSlack)).toHaveLength(0);
      expect(await record("live:c6:reminder-15m", slackId)).toMatchObject({ status: "sending", claimedBy: "killed-process" });
      expect(text()).toContain("cannot be asked whether they arrived");
    });

    it("the unsettled check logs, at warn, claims still unconfirmed past the send deadline, and says nothing when there are none", async () => {
      const { log, text } = memoryLogger();
      const delivery = new DeliveryQueue(database.prisma, {}, {}, log, { sendDeadlineMs: 60_000 });
      const before = (await delivery.unsettled()).count;
      await delivery.unsettledCheck().run(new Date());
      if (before === 0) expect(text()).not.toContain("never confirmed");
      await deadClaim("live:c9:reminder-24h:stuck", 120_000);
      await deadClaim("live:c9:reminder-24h:recent", 1_000);
      expect((await delivery.unsettled()).count).toBe(before + 1);
      await delivery.unsettledCheck().run(new Date());
      expect(text()).toContain("direct messages claimed and never confirmed");
      expect(text()).toContain('"level":40');
      await database.prisma.delivery.deleteMany({ where: { key: { startsWith: "live:c9:" } } });
    });

    it("a fan-out whose signal aborts starts no further message, and reports why", async () => {
      const members = await Promise.all(Array.from({ length: 6 }, () => member({ platform: "discord", id: discordUser() })));
      const stop = new AbortController();
      let sends = 0;
      const stopsAfterTwo: DirectMessenger = {
        platform: "discord",
        send: async () => {
          if (++sends === 2) stop.abort(new Error("lease lost"));
          return "sent";
        },
      };
      const delivery = new DeliveryQueue(database.prisma, { discord: stopsAfterTwo }, {}, quietLogger(), { concurrency: 1 });
      await expect(delivery.sendDirect(members.map((m) => reminder("live:c4:reminder-15m", m)), { signal: stop.signal })).rejects.toThrow("lease lost");
      expect(sends).toBe(2);
      expect(await database.prisma.delivery.count({ where: { key: { startsWith: "live:c4:" } } })).toBe(2);
      expect(delivery.pending).toBe(0);
    });
  });

  it("posts every message to every channel in order, and returns the channels it could not post to", async () => {
    const unknown = "300000000000000099";
    const { delivery } = queue();
    const failed = await delivery.post(
      [
        { platform: "discord", spaceId: GUILD, channelId: EVENTS_CHANNEL },
        { platform: "discord", spaceId: GUILD, channelId: unknown },
        { platform: "slack", spaceId: "T0DELIVER", channelId: "C0EVENTS" },
      ],
      [{ text: "**Office hours** on Thursday" }, { text: "RSVP with /live rsvp" }],
    );
    expect(failed.map((t) => t.channelId).sort()).toEqual([unknown, "C0EVENTS"]); // no Slack poster in this queue
    const posted = discord.state.channelMessages(EVENTS_CHANNEL).map((m) => m.content);
    expect(posted.slice(-2)).toEqual(["**Office hours** on Thursday", "RSVP with /live rsvp"]);
  });
});

// The Slack access gateway and admin log against the fake Slack, through a real WebClient.
import { webApi } from "@slack/bolt";

const { LogLevel, WebClient } = webApi;
type WebClient = webApi.WebClient;
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessWebClient } from "../../src/platform/slack/access-client.js";
import { SlackAccessGateway, type SlackAccessGatewayOptions } from "../../src/platform/slack/access-gateway.js";
import { SlackAdminLog } from "../../src/platform/slack/admin-log.js";
import { FAKE_IDS, type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { memoryLogger, quietLogger } from "../support/logger.js";

const TEAM = "T0ACME";
const LOG_CHANNEL = "G0ADMINLOG";

let fake: FakeSlack;
let client: WebClient;
let nextId = 0;

/** A fresh id, so the calls of one test never mix with another's. */
const fresh = (prefix: string) => `${prefix}${(nextId += 1)}`;

/** A fresh workspace member, already in `channels`. */
function member(...channels: string[]): string {
  const id = fresh("U0MEMBER");
  fake.users.set(id, { id, name: id.toLowerCase() });
  for (const channel of channels) fake.channels.get(channel)?.members.add(id);
  return id;
}

/** Paid channels are private, with Guildhall in them; C0NOBOT is public and Guildhall was never added. */
const PRIVATE_CHANNELS = ["G0PRO", "G0TALKS", "G0OLD", "G0NEW", "G0A", "G0B", LOG_CHANNEL];

/** A gateway with no spacing whose waits resolve at once and are recorded. */
function gateway(options: SlackAccessGatewayOptions = {}, webClient: WebClient = client): { gateway: SlackAccessGateway; delays: number[] } {
  const delays: number[] = [];
  const sleep = async (ms: number) => void delays.push(ms);
  return { gateway: new SlackAccessGateway(webClient, quietLogger(), { minIntervalMs: 0, sleep, ...options }), delays };
}

/**
 * Answers `method` with `answer` for calls about `user` only; the fake answers the rest
 * normally. (An HTTP status would apply to every call while the rule lasts, so status-bearing
 * answers are set directly, with exactly as many turns as the test uses.)
 */
function answerFor(method: string, user: string, answer: Record<string, unknown>): void {
  fake.setResponse(method, (args) => (args.users === user || args.user === user ? answer : undefined));
}

const callsAbout = (method: string, user: string) => fake.callsTo(method).filter((c) => c.args.users === user || c.args.user === user);

beforeAll(async () => {
  fake = await startFakeSlack({
    teamId: TEAM,
    channels: [...PRIVATE_CHANNELS.map((id) => ({ id, private: true })), { id: "C0NOBOT", botIsMember: false }],
  });
  // logLevel ERROR: the client's own notes about the 429s these tests provoke are noise here.
  client = new WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
});

afterAll(async () => {
  await fake?.close();
});

describe("SlackAccessGateway", () => {
  it("invites to each granted channel and removes from each revoked one", async () => {
    const user = member("G0OLD");
    const result = await gateway().gateway.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO", "G0TALKS"], revoke: ["G0OLD"] });
    expect(result).toEqual({ granted: ["G0PRO", "G0TALKS"], revoked: ["G0OLD"], notInSpace: false, failures: [] });
    expect(callsAbout("conversations.invite", user).map((c) => c.args)).toEqual([
      { channel: "G0PRO", users: user },
      { channel: "G0TALKS", users: user },
    ]);
    expect(callsAbout("conversations.kick", user).map((c) => c.args)).toEqual([{ channel: "G0OLD", user }]);
    expect(["G0PRO", "G0TALKS", "G0OLD"].map((c) => fake.channels.get(c)?.members.has(user))).toEqual([true, true, false]);
  });

  it("reads each channel's members once and sends only real changes", async () => {
    const user = member("G0PRO"); // in G0PRO already, never in G0OLD
    const g = gateway().gateway;
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO", "G0NEW"], revoke: ["G0OLD"] });
    expect(result).toEqual({ granted: ["G0NEW"], revoked: [], notInSpace: false, failures: [] });
    expect(callsAbout("conversations.invite", user).map((c) => c.args.channel)).toEqual(["G0NEW"]);
    expect(callsAbout("conversations.kick", user)).toEqual([]);
    const reads = fake.callsTo("conversations.members").length;
    await g.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO", "G0NEW"], revoke: ["G0OLD"] });
    expect(fake.callsTo("conversations.members")).toHaveLength(reads); // kept, not read again
    expect(callsAbout("conversations.invite", user)).toHaveLength(1);
  });

  it("a list gone stale without an event still converges: already_in_channel and not_in_channel (member out) count as done", async () => {
    const user = member("G0OLD");
    const g = gateway().gateway;
    await g.apply({ spaceId: TEAM, userId: user, grant: [], revoke: [] });
    await g.apply({ spaceId: TEAM, userId: user, grant: ["G0TALKS"], revoke: ["G0NEW"] }); // reads both lists: out of G0TALKS, out of G0NEW
    fake.channels.get("G0TALKS")!.members.delete(user);
    fake.channels.get("G0A")!.members.add(user);
    const before = await g.apply({ spaceId: TEAM, userId: user, grant: ["G0A"], revoke: ["G0OLD"] }); // G0A read now: in it
    expect(before).toEqual({ granted: [], revoked: ["G0OLD"], notInSpace: false, failures: [] });
    // Behind the gateway's back: joins G0B after its list was read, leaves G0OLD's kept list stale.
    await g.apply({ spaceId: TEAM, userId: user, grant: [], revoke: ["G0B"] });
    fake.channels.get("G0B")!.members.add(user);
    fake.channels.get("G0NEW")!.members.add(user);
    const stale = await g.apply({ spaceId: TEAM, userId: user, grant: ["G0NEW"], revoke: [] });
    expect(stale.failures).toEqual([]);
    expect(callsAbout("conversations.invite", user).map((c) => c.response?.body)).toContainEqual({ ok: false, error: "already_in_channel" });
  });

  it("a kick refused because Guildhall itself is out of the channel is reported, not taken for done", async () => {
    const user = member();
    fake.addChannel({ id: "C0PUBPAID", name: "paid-public", members: [user] });
    fake.addChannel({ id: "G0PAIDOUT", name: "paid-private", private: true, members: [user] });
    const g = gateway().gateway;
    await g.apply({ spaceId: TEAM, userId: user, grant: ["C0PUBPAID", "G0PAIDOUT"], revoke: [] }); // lists read while the bot is in
    fake.channels.get("C0PUBPAID")!.members.delete(FAKE_IDS.botUserId);
    fake.channels.get("G0PAIDOUT")!.members.delete(FAKE_IDS.botUserId);
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: [], revoke: ["C0PUBPAID", "G0PAIDOUT"] });
    expect(callsAbout("conversations.kick", user).map((c) => c.response?.body)).toEqual([
      { ok: false, error: "not_in_channel" },
      { ok: false, error: "channel_not_found" },
    ]);
    expect(result.failures).toEqual([
      { target: "C0PUBPAID", targetName: "#paid-public", action: "revoke", kind: "not_member", reason: "Guildhall is not in the channel (not_in_channel)", fix: "Invite @Guildhall to <#C0PUBPAID> first (type /invite @Guildhall in the channel)." },
      { target: "G0PAIDOUT", action: "revoke", kind: "not_member", reason: "Guildhall cannot see the channel (channel_not_found)", fix: expect.stringContaining("invite @Guildhall to it") },
    ]);
    expect(fake.channels.get("C0PUBPAID")!.members.has(user)).toBe(true);
  });

  it("a user who is not in the workspace is notInSpace, and nothing else is tried", async () => {
    const user = fresh("U0STRANGER"); // not a workspace member: the fake answers user_not_found
    const result = await gateway().gateway.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO", "G0TALKS"], revoke: ["G0OLD"] });
    expect(result).toEqual({ granted: [], revoked: [], notInSpace: true, failures: [] });
    expect(callsAbout("conversations.invite", user)).toHaveLength(1);
    expect(callsAbout("conversations.kick", user)).toHaveLength(0);
  });

  it("users_not_found is notInSpace too", async () => {
    const user = member();
    answerFor("conversations.invite", user, { ok: false, error: "users_not_found" });
    expect((await gateway().gateway.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO"], revoke: [] })).notInSpace).toBe(true);
  });

  it("not_in_channel on invite (Guildhall is not in the channel) is a failure telling the admin to invite it", async () => {
    const user = member();
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: ["C0NOBOT"], revoke: [] });
    expect(result.failures).toEqual([
      { target: "C0NOBOT", targetName: "#c0nobot", action: "grant", kind: "not_member", reason: "Guildhall is not in the channel (not_in_channel)", fix: "Invite @Guildhall to <#C0NOBOT> first (type /invite @Guildhall in the channel)." },
    ]);
    expect(result.granted).toEqual([]);
    expect(delays).toEqual([]);
  });

  it("missing_scope names the scope Slack says is needed; unknown errors point at the logs", async () => {
    const user = member("G0OLD");
    fake.setResponse("conversations.invite", (args) => (args.users === user ? { ok: false, error: "missing_scope", needed: "groups:write", provided: "chat:write" } : undefined));
    answerFor("conversations.kick", user, { ok: false, error: "something_new" });
    const result = await gateway().gateway.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO"], revoke: ["G0OLD"] });
    expect(result.failures).toEqual([
      { target: "G0PRO", targetName: "#g0pro", action: "grant", kind: "permission", reason: "Missing the groups:write scope (missing_scope)", fix: expect.stringContaining("Add the groups:write bot scope") },
      { target: "G0OLD", targetName: "#g0old", action: "revoke", kind: "other", reason: "something_new", fix: "Check Guildhall's logs." },
    ]);
  });

  it("a 429 with Retry-After is waited out and retried (client that rejects rate-limited calls)", async () => {
    const user = member();
    fake.setResponse("conversations.invite", { ok: false, error: "ratelimited" }, { times: 1, status: 429, headers: { "Retry-After": "1" } });
    const { gateway: g, delays } = gateway({}, createAccessWebClient({ botToken: "xoxb-test", apiUrl: fake.apiUrl }));
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO"], revoke: [] });
    expect(result).toEqual({ granted: ["G0PRO"], revoked: [], notInSpace: false, failures: [] });
    expect(callsAbout("conversations.invite", user)).toHaveLength(2);
    expect(delays).toEqual([1000]);
  });

  it("a 429 is retried with a plain WebClient too (it waits Retry-After itself, then fails the call)", async () => {
    const user = member();
    fake.setResponse("conversations.invite", { ok: false, error: "ratelimited" }, { times: 1, status: 429, headers: { "Retry-After": "0" } });
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: ["G0PRO"], revoke: [] });
    expect(result.granted).toEqual(["G0PRO"]);
    expect(callsAbout("conversations.invite", user)).toHaveLength(2);
    expect(delays).toEqual([200]);
  });

  it("server errors are retried a bounded number of times, then reported", async () => {
    const user = member("G0OLD");
    fake.setResponse("conversations.kick", { ok: false, error: "internal_error" }, { times: 3, status: 503 });
    const { gateway: g, delays } = gateway();
    const result = await g.apply({ spaceId: TEAM, userId: user, grant: [], revoke: ["G0OLD"] });
    expect(callsAbout("conversations.kick", user)).toHaveLength(3);
    expect(delays).toEqual([200, 400]);
    expect(result.failures).toEqual([{ target: "G0OLD", targetName: "#g0old", action: "revoke", kind: "outage", reason: expect.stringContaining("Slack unavailable"), fix: expect.stringContaining("retries by itself") }]);
  });

  it("calls for one workspace never overlap and are spaced out, even from concurrent applies", async () => {
    const [ada, grace] = [member("G0OLD"), member("G0OLD")];
    let inFlight = 0;
    let most = 0;
    const times: number[] = [];
    const track = async <T>(call: () => Promise<T>): Promise<T> => {
      times.push(Date.now()); // when the queue let the call start (arrival at the fake jitters with the member reads around it)
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        return await call();
      } finally {
        inFlight -= 1;
      }
    };
    const tracked = {
      conversations: {
        invite: (args: { channel: string; users: string }) => track(() => client.conversations.invite(args)),
        kick: (args: { channel: string; user: string }) => track(() => client.conversations.kick(args)),
        // Reading members is not a Tier 3 change: it is not queued.
        members: (args: { channel: string }) => client.conversations.members(args),
      },
    } as unknown as WebClient;
    const g = new SlackAccessGateway(tracked, quietLogger(), { minIntervalMs: 20 });
    const results = await Promise.all([
      g.apply({ spaceId: TEAM, userId: ada, grant: ["G0PRO", "G0TALKS"], revoke: ["G0OLD"] }),
      g.apply({ spaceId: TEAM, userId: grace, grant: ["G0PRO"], revoke: ["G0OLD"] }),
    ]);
    expect(results.map((r) => r.failures)).toEqual([[], []]);
    expect(most).toBe(1);
    expect(times).toHaveLength(5);
    // Timers may fire a millisecond early by Date.now()'s reckoning.
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(18);
  });

  it("different workspaces do not wait for each other", async () => {
    const g = new SlackAccessGateway(client, quietLogger(), { minIntervalMs: 150 });
    const started = Date.now();
    await Promise.all([
      g.apply({ spaceId: "T0ONE", userId: member(), grant: ["G0A", "G0B"], revoke: [] }),
      g.apply({ spaceId: "T0TWO", userId: member(), grant: ["G0A", "G0B"], revoke: [] }),
    ]);
    // Serialised across workspaces this would take three intervals (450 ms).
    expect(Date.now() - started).toBeLessThan(300);
  });
});

describe("SlackAdminLog", () => {
  it("posts the report to the workspace's admin channel", async () => {
    const { log } = memoryLogger();
    await new SlackAdminLog(client, new Map([[TEAM, LOG_CHANNEL]]), log).report("slack", TEAM, "Invite @Guildhall to <#G0PRO> first");
    expect(fake.callsTo("chat.postMessage").at(-1)?.args).toMatchObject({ channel: LOG_CHANNEL, text: "Invite @Guildhall to <#G0PRO> first" });
  });

  it("a workspace without a configured channel gets a warning in the log and no call", async () => {
    const { log, text } = memoryLogger();
    const before = fake.callsTo("chat.postMessage").length;
    await new SlackAdminLog(client, new Map(), log).report("slack", "T0OTHER", "Invite @Guildhall to <#G0PRO> first");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(before);
    expect(text()).toContain("no admin log channel configured");
    expect(text()).toContain("T0OTHER");
  });

  it("a failed post is logged, not thrown", async () => {
    const { log, text } = memoryLogger();
    fake.setResponse("chat.postMessage", { ok: false, error: "channel_not_found" }, { times: 1 });
    await expect(new SlackAdminLog(client, new Map([[TEAM, LOG_CHANNEL]]), log).report("slack", TEAM, "report")).resolves.toBeUndefined();
    expect(text()).toContain("could not post to the admin log channel");
  });
});

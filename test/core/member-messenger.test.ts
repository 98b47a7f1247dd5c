// The one MemberMessenger: which of a member's accounts gets a private message, through the
// real Discord and Slack direct messengers against the fakes. The rule under test (written in
// src/core/member-messenger.ts): the platform the message is about first, then the member's
// other accounts oldest first; the first that accepts it ends the search.
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformAccountRef } from "../../src/core/directory.js";
import { MemberMessenger } from "../../src/core/member-messenger.js";
import type { Messengers } from "../../src/core/platform-services.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { DiscordDirectMessenger } from "../../src/platform/discord/direct-messenger.js";
import { SlackDirectMessenger } from "../../src/platform/slack/direct-messenger.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { memoryLogger, quietLogger } from "../support/logger.js";

const { LogLevel, WebClient } = webApi;
const NOTE = { text: "Your reward **Sticker pack** has been fulfilled." };
const instantSleep = async () => undefined;

let discord: FakeDiscord;
let slack: FakeSlack;
let messengers: Messengers;
beforeAll(async () => {
  [discord, slack] = await Promise.all([startFakeDiscord({ guilds: [{ id: "200000000000000001", name: "Guildhall Test", channels: [] }] }), startFakeSlack({ teamId: "T0MEMBERS" })]);
  const log = quietLogger();
  messengers = {
    discord: new DiscordDirectMessenger(createAccessRest({ token: "fake-token", apiUrl: discord.apiUrl }), log, { sleep: instantSleep }),
    slack: new SlackDirectMessenger(new WebClient("xoxb-test", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR }), log, { sleep: instantSleep }),
  };
});
afterAll(async () => {
  await Promise.all([discord?.close(), slack?.close()]);
});

let next = 0;
const discordUser = () => String(700000000000000000n + BigInt((next += 1)));
const slackUser = () => {
  const id = `U0MM${String((next += 1)).padStart(6, "0")}`;
  slack.users.set(id, { id, name: id.toLowerCase() });
  return id;
};
const discordDms = (userId: string) => {
  const channel = [...discord.state.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === userId)?.id;
  return channel ? discord.callsTo("POST", `/channels/${channel}/messages`) : [];
};
const slackDms = (userId: string) => slack.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${userId}`);

/** A messenger over a directory that knows one member with `accounts` (oldest first, as the directory lists them). */
function messengerFor(accounts: readonly PlatformAccountRef[], over: Messengers = messengers) {
  const { log, text } = memoryLogger();
  return { members: new MemberMessenger(over, async (memberId) => (memberId === "member-1" ? accounts : []), log), text };
}

describe("MemberMessenger", () => {
  it("a member with Discord (older) and Slack accounts gets it on Discord, and only there, when no platform is preferred", async () => {
    const d = discordUser();
    const s = slackUser();
    const { members } = messengerFor([{ platform: "discord", externalId: d }, { platform: "slack", externalId: s }]);
    expect(await members.send("member-1", NOTE)).toBe("sent");
    expect(discordDms(d)).toHaveLength(1);
    expect(slackDms(s)).toHaveLength(0);
  });

  it("the same member gets it on Slack when the message is about Slack", async () => {
    const d = discordUser();
    const s = slackUser();
    const { members } = messengerFor([{ platform: "discord", externalId: d }, { platform: "slack", externalId: s }]);
    expect(await members.send("member-1", NOTE, { prefer: "slack" })).toBe("sent");
    expect(slackDms(s)).toHaveLength(1);
    expect(discordDms(d)).toHaveLength(0);
  });

  it("when Discord refuses (DMs closed), Slack is tried next and gets it", async () => {
    const d = discordUser();
    const s = slackUser();
    discord.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === d, { status: 403, body: { message: "Cannot send messages to this user", code: 50007 } });
    const { members } = messengerFor([{ platform: "discord", externalId: d }, { platform: "slack", externalId: s }]);
    expect(await members.send("member-1", NOTE)).toBe("sent");
    expect(slackDms(s)).toHaveLength(1);
  });

  it("a member with only a Slack account gets it on Slack even when Discord is preferred", async () => {
    const s = slackUser();
    const { members } = messengerFor([{ platform: "slack", externalId: s }]);
    expect(await members.send("member-1", NOTE, { prefer: "discord" })).toBe("sent");
    expect(slackDms(s)).toHaveLength(1);
  });

  it("a member whose only account is on a platform that is not running is unreachable", async () => {
    const d = discordUser();
    const { members } = messengerFor([{ platform: "discord", externalId: d }], { slack: messengers.slack! });
    expect(await members.send("member-1", NOTE)).toBe("unreachable");
    expect(discordDms(d)).toHaveLength(0);
  });

  it("a member with no account at all is unreachable, and the log says so", async () => {
    const { members, text } = messengerFor([]);
    expect(await members.send("member-1", NOTE)).toBe("unreachable");
    expect(text()).toContain("no running platform can reach this member");
  });

  it("closed only when every platform tried says closed; a failure anywhere is failed (a later try may pass)", async () => {
    const d = discordUser();
    const s = slackUser();
    discord.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === d, { status: 403, body: { message: "Cannot send messages to this user", code: 50007 } });
    slack.setResponse("conversations.open", (args) => (args.users === s ? { ok: false, error: "user_disabled" } : undefined));
    const both = [{ platform: "discord", externalId: d }, { platform: "slack", externalId: s }];
    expect(await messengerFor(both).members.send("member-1", NOTE)).toBe("closed");

    const d2 = discordUser();
    const s2 = slackUser();
    discord.failNext((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === d2, { status: 403, body: { message: "Missing Access", code: 50001 } });
    slack.setResponse("conversations.open", (args) => (args.users === s2 ? { ok: false, error: "user_disabled" } : undefined));
    expect(await messengerFor([{ platform: "discord", externalId: d2 }, { platform: "slack", externalId: s2 }]).members.send("member-1", NOTE)).toBe("failed");
  });
});

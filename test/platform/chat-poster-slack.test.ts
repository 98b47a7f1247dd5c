// SlackChatPoster against the fake Slack through a real WebClient (createAccessWebClient):
// threads are a channel message and its replies, solved questions get a ✅ reaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InternalError, UserFacingError } from "../../src/core/errors.js";
import { mention } from "../../src/core/markup.js";
import { createAccessWebClient } from "../../src/platform/slack/access-client.js";
import { SlackChatPoster } from "../../src/platform/slack/chat-poster.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { quietLogger } from "../support/logger.js";

const TEAM = "T0ACME";
const HELP = "C0HELP";

describe("SlackChatPoster", () => {
  let fake: FakeSlack;
  let poster: SlackChatPoster;

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: TEAM, channels: [{ id: HELP }, { id: "C0ANNOUNCE" }, { id: "G0SECRET", private: true, botIsMember: false }] });
    poster = new SlackChatPoster(createAccessWebClient({ botToken: "xoxb-fake", apiUrl: fake.apiUrl }), quietLogger(), { sleep: async () => undefined });
  });
  afterAll(async () => {
    await fake?.close();
  });

  const postsTo = (channel: string) => fake.callsTo("chat.postMessage").filter((c) => c.args.channel === channel);
  const sectionText = (args: { blocks?: { text?: { text?: string } }[] } | undefined) => args?.blocks?.map((b) => b.text?.text ?? "").join("\n");

  it("opens a thread as a channel message, title in bold first, with a permalink", async () => {
    const thread = await poster.openThread(TEAM, HELP, "Why does the borrow checker complain?", { text: "Here is my `code`" });
    const opener = postsTo(HELP).at(-1)?.args;
    expect(sectionText(opener)).toBe("*Why does the borrow checker complain?*\nHere is my `code`");
    expect(opener).not.toHaveProperty("thread_ts");
    expect(thread).toEqual({ platform: "slack", spaceId: TEAM, channelId: HELP, threadId: fake.messages.at(-1)?.ts, url: `https://fake-team.slack.com/archives/${HELP}/p${thread.threadId.replace(".", "")}` });
    expect(fake.callsTo("chat.getPermalink").at(-1)?.args).toMatchObject({ channel: HELP, message_ts: thread.threadId });
  });

  it("still opens the thread when the permalink cannot be had", async () => {
    fake.setResponse("chat.getPermalink", { ok: false, error: "internal_error" }, { times: 1 });
    const thread = await poster.openThread(TEAM, HELP, "No link", { text: "Body" });
    expect(thread.threadId).toBe(fake.messages.at(-1)?.ts);
    expect(thread).not.toHaveProperty("url");
  });

  it("writes in the thread (thread_ts) and posts in a channel", async () => {
    const thread = await poster.openThread(TEAM, HELP, "Reminders", { text: "Body" });
    await poster.postInThread(thread, { text: "Still open: can anyone help?" });
    await poster.post(TEAM, "C0ANNOUNCE", { text: "Ada earned **Helper**" });
    expect(fake.messages.at(-2)).toMatchObject({ channel: HELP, thread_ts: thread.threadId, text: "Still open: can anyone help?" });
    expect(fake.messages.at(-1)).toMatchObject({ channel: "C0ANNOUNCE", text: "Ada earned Helper" });
    expect(sectionText(postsTo("C0ANNOUNCE").at(-1)?.args)).toBe("Ada earned *Helper*");
  });

  it("marks solved with a ✅ reaction on the question, then the note in its thread; twice is fine", async () => {
    const thread = await poster.openThread(TEAM, HELP, "Solved soon", { text: "Body" });
    await poster.markSolved(thread, { text: "Grace's answer was accepted." });
    expect(fake.callsTo("reactions.add").at(-1)?.args).toMatchObject({ channel: HELP, timestamp: thread.threadId, name: "white_check_mark" });
    expect(fake.messages.at(-1)).toMatchObject({ channel: HELP, thread_ts: thread.threadId, text: "Grace's answer was accepted." });
    await poster.markSolved(thread, { text: "Accepted again." });
    expect(fake.messages.at(-1)).toMatchObject({ thread_ts: thread.threadId, text: "Accepted again." });
  });

  it("pings a user group with <!subteam^…>; user text cannot form a mention", async () => {
    await poster.post(TEAM, HELP, { text: `${mention.userGroup("S0HELPERS")} someone asked: <!channel> <@U0EVIL> @here`, pings: { slackUserGroupIds: ["S0HELPERS"] } });
    expect(sectionText(postsTo(HELP).at(-1)?.args)).toBe("<!subteam^S0HELPERS> someone asked: &lt;!channel&gt; &lt;@U0EVIL&gt; @here");
  });

  it("a channel Guildhall is not in becomes a message saying how to invite it", async () => {
    fake.setResponse("chat.postMessage", { ok: false, error: "not_in_channel" }, { times: 1 });
    const failure = await poster.post(TEAM, "C0PRIVATE", { text: "Hello" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as Error).message).toBe(`I couldn't post: I'm not in ${mention.channel("C0PRIVATE")}: invite me with \`/invite @Guildhall\` there.`);
  });

  it("a private channel Guildhall is not in is one it cannot see (Slack answers channel_not_found)", async () => {
    const failure = await poster.post(TEAM, "G0SECRET", { text: "Hello" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as Error).message).toBe(
      `I couldn't post: I can't see ${mention.channel("G0SECRET")}: invite me with \`/invite @Guildhall\` there, or ask an admin to update Guildhall's channel settings.`,
    );
  });

  it("a rate-limited post is retried after Retry-After; other failures are internal errors", async () => {
    fake.setResponse("chat.postMessage", { ok: false, error: "ratelimited" }, { status: 429, headers: { "retry-after": "1" }, times: 1 });
    const before = fake.messages.length;
    await poster.post(TEAM, HELP, { text: "After the wait" });
    expect(fake.messages.slice(before).map((m) => m.text)).toEqual(["After the wait"]);

    fake.setResponse("chat.postMessage", { ok: false, error: "fatal_error" }, { times: 1 });
    const failure = await poster.post(TEAM, HELP, { text: "Broken" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InternalError);
    expect((failure as InternalError).code).toBe("chat_post_failed");
  });
});

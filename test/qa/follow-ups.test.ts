import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { qaJobs } from "../../src/qa/qa-jobs.js";
import { HOUR, who } from "../support/community.js";
import { backends } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import { qaCommunity, type QaCommunity } from "./support.js";

const HELPERS = "223344556677889900";

describe.each(backends())("stale questions and reminders on %s", (kind) => {
  let c: QaCommunity;
  beforeAll(async () => {
    c = await qaCommunity(kind, { community: { qa: { ...DEFAULT_SETTINGS.qa, helpers: { discordRoleId: HELPERS } } } });
  });
  afterAll(() => c.dispose());

  const job = (name: string) => qaJobs(c.services, quietLogger()).find((j) => j.name === name)!;
  const postsIn = (threadId: string) => c.chat.posts.filter((p) => p.kind === "in-thread" && p.thread.threadId === threadId);

  it("re-posts a question nobody answered in 24 hours to the helpers, once, pinging only their role", async () => {
    const unanswered = (await c.ask("Ada", { title: "Nobody knows this one?" })).question!;
    const answered = (await c.ask("Grace")).question!;
    await c.replyIn(answered, "Ken");

    c.clock.advance(23 * HOUR);
    await job("qa-stale-questions").run(c.clock.now());
    expect(postsIn(unanswered.threadId)).toHaveLength(0);

    c.clock.advance(2 * HOUR);
    await job("qa-stale-questions").run(c.clock.now());
    await job("qa-stale-questions").run(c.clock.now());
    const [repost, ...more] = postsIn(unanswered.threadId);
    expect(more).toHaveLength(0);
    expect(repost!.message.pings).toEqual({ discordRoleIds: [HELPERS] });
    expect(repost!.message.text).toContain(`[[@&${HELPERS}]]`);
    expect(repost!.message.text).toContain("Nobody knows this one?");
    expect(postsIn(answered.threadId)).toHaveLength(0);
    expect(await c.question(unanswered.number)).toMatchObject({ helpersPingedAt: c.clock.now() });
  });

  it("tries a failed re-post again on the next run", async () => {
    const q = (await c.ask("Ada", { title: "Flaky platform question" })).question!;
    c.clock.advance(25 * HOUR);
    const post = c.chat.postInThread.bind(c.chat);
    c.chat.postInThread = async () => {
      throw new Error("platform down");
    };
    try {
      await job("qa-stale-questions").run(c.clock.now());
    } finally {
      c.chat.postInThread = post;
    }
    expect(await c.question(q.number)).toMatchObject({ helpersPingedAt: null });
    await job("qa-stale-questions").run(c.clock.now());
    expect(postsIn(q.threadId)).toHaveLength(1);
  });

  it("reminds the asker by direct message, once, three days after the first reply", async () => {
    const q = (await c.ask("Linus", { title: "Which allocator?" })).question!;
    const linus = await c.memberId("Linus");
    await c.db.platformAccount.create({ data: { communityId: c.communityId, memberId: linus, platform: "discord", externalId: "301234567890123456", displayName: "Linus" } });
    c.clock.advance(HOUR);
    await c.replyIn(q, "Ken");
    c.clock.advance(71 * HOUR);
    await job("qa-asker-reminders").run(c.clock.now());
    expect(c.dms.filter((d) => d.userId === "301234567890123456")).toHaveLength(0);

    c.clock.advance(2 * HOUR);
    await job("qa-asker-reminders").run(c.clock.now());
    await job("qa-asker-reminders").run(c.clock.now());
    const dms = c.dms.filter((d) => d.userId === "301234567890123456");
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({ platform: "discord", message: { links: [{ label: "Open the question", url: q.url }] } });
    expect(dms[0]!.message.text).toContain(`Your question **#${q.number}**`);
    expect(dms[0]!.message.text).toContain(`/solved ${q.number}`);
  });

  it("mentions the asker in the thread when no direct message reaches them", async () => {
    const q = (await c.ask("Barbara", { title: "Playground-only asker" })).question!;
    await c.replyIn(q, "Ken");
    c.clock.advance(73 * HOUR);
    await job("qa-asker-reminders").run(c.clock.now());
    await job("qa-asker-reminders").run(c.clock.now());
    const reminders = postsIn(q.threadId).filter((p) => p.message.text?.includes("Your question"));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.message.pings).toEqual({ userIds: [who("Barbara").id] });
  });

  it("leaves solved questions alone", async () => {
    const q = (await c.ask("Margaret", { title: "Solved quickly" })).question!;
    await c.accept("Margaret", await c.replyIn(q, "Ken"));
    c.clock.advance(100 * HOUR);
    for (const name of ["qa-stale-questions", "qa-asker-reminders", "qa-bounty-expiry"]) await job(name).run(c.clock.now());
    expect(postsIn(q.threadId)).toHaveLength(0);
    expect(await c.question(q.number)).toMatchObject({ helpersPingedAt: null, askerRemindedAt: null });
  });
});

// The admin log hears of held points with both links, on the platform of the question's thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { assemble } from "../../src/core/assemble.js";
import type { Actor } from "../../src/qa/qa-service.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";
import { RecordingChat } from "../support/recording-chat.js";
import { ManualClock } from "../support/community.js";

const ANSWER = "Collect the new elements into a second vector inside the loop, then call items.extend(extra) after it: the mutable borrow of the loop has ended by then.";

describe.each(backends())("held points in the admin log (%s)", (kind) => {
  let db: TestDatabase;
  const reports: string[] = [];
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(() => db.dispose());

  it.each(["discord", "slack"] as const)("on %s", async (platform) => {
    const clock = new ManualClock();
    const runtime = assemble({
      capabilities,
      db: db.prisma,
      communities: [{ slug: `acme-${platform}`, name: "Acme", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS }],
      log: quietLogger(),
      clock,
      chat: { [platform]: new RecordingChat(platform) },
      adminLog: { report: async (p, spaceId, message) => void reports.push(`${p}/${spaceId}: ${message}`) },
    });
    const { qa, identity } = runtime.services;
    const community = await identity.communityFor(platform, { id: `space-${platform}`, name: "Acme" });
    const actor = async (name: string): Promise<Actor> => {
      const { member } = await identity.memberFor(community.id, platform, { id: `u-${name}`, displayName: name });
      return { memberId: member.id, displayName: name, isCreator: false, platform, platformUserId: `u-${name}` };
    };
    const ask = async (asker: string, title: string) =>
      qa.ask({ communityId: community.id, spaceId: `space-${platform}`, channelId: "help", asker: await actor(asker), title, details: "Pushing inside a loop fails.", tags: [], bounty: 0, qa: DEFAULT_SETTINGS.qa, now: clock.now() });
    const accept = async (asker: string, thread: { channelId: string; threadId: string }, author: string, id: string) => {
      const message = { id, channelId: platform === "slack" ? thread.channelId : thread.threadId, ...(platform === "slack" ? { threadId: thread.threadId } : {}), author: { id: `u-${author}`, displayName: author }, text: ANSWER };
      return qa.accept({ communityId: community.id, spaceId: `space-${platform}`, message, actor: await actor(asker), now: clock.now() });
    };
    const first = await ask("Ada", "Cannot borrow as mutable in a loop");
    await accept("Ada", first.thread, "Linus", "m1");
    const second = await ask("Grace", "Mutable borrow twice in a loop");
    const solved = await accept("Grace", second.thread, "Ken", "m2");
    expect(solved.held?.share).toBe(1);
    expect(reports.at(-1)).toBe(
      `${platform}/space-${platform}: ⚠️ Points held: the answer by **Ken** accepted on ${second.question.url ? `[#2](${second.question.url})` : "#2"} matches 100% of an earlier answer by **Linus** (${first.question.url ? `[#1](${first.question.url})` : "#1"}). ` +
        "`/qa copied release 2` pays them; `/qa copied reverse 2` takes them back.",
    );
  });
});

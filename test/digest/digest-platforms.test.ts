import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/reply.js";
import { runDigests } from "../../src/digest/job.js";
import { ManualClock } from "../support/community.js";
import { CREATOR, DISCORD_CHANNELS, PLATFORMS, type PlatformCommunity, SLACK_CHANNELS } from "../support/platforms.js";
import { quietLogger } from "../support/logger.js";

const at = (iso: string) => new Date(iso);
const digestChannel = (platform: "discord" | "slack") => (platform === "discord" ? DISCORD_CHANNELS : SLACK_CHANNELS).announcements;
const LONG = "Why does the borrow checker reject this closure that captures a mutable reference inside an async block";

interface Embed { title?: string; description?: string; footer?: { text?: string }; fields?: { name: string; value: string }[] }
type Block = { type: string; text?: { text: string }; fields?: { text: string }[] };

/** What the platform would refuse, or cut, in a message the bot sent. */
function problems(platform: "discord" | "slack", raw: unknown): string[] {
  const found: string[] = [];
  if (platform === "discord") {
    const m = raw as { content: string; embeds: Embed[] };
    if (m.content.length > LIMITS.discordContent) found.push(`content of ${m.content.length}`);
    for (const e of m.embeds) {
      const total = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
      if (total > 6000) found.push(`embed of ${total}`);
      if ((e.description?.length ?? 0) > LIMITS.discordEmbedDescription) found.push("embed description");
      if (e.description?.endsWith("…")) found.push("embed description was cut");
    }
  } else {
    const blocks = ((raw as { blocks?: Block[] }).blocks ?? []);
    if (blocks.length > LIMITS.slackBlocks) found.push(`${blocks.length} blocks`);
    for (const b of blocks) if ((b.text?.text.length ?? 0) > LIMITS.slackSectionText) found.push(`section of ${b.text!.text.length}`);
  }
  return found;
}

describe.each(PLATFORMS)("a long digest through the %s fake", (platform, start) => {
  let c: PlatformCommunity;
  beforeAll(async () => {
    c = await start({
      kind: "pglite",
      clock: new ManualClock("2026-11-20T00:00:00Z"),
      community: {
        timezone: "Europe/Berlin",
        schedule: { announcementChannels: {}, digest: { cadence: "daily", weekday: 1, hour: 9, channels: { [platform]: digestChannel(platform) }, sections: ["solved", "waiting", "courses"], creatorSummary: false } },
      },
    });
  });
  afterAll(() => c.stop());

  it("arrives as several messages, every one within the platform's limits, with nothing lost", async () => {
    // A command makes the community and its space exist, as in production.
    await c.run(CREATOR, "digest", { subcommand: "settings" });
    const community = await c.db.community.findFirstOrThrow();
    const asker = await c.db.member.findFirstOrThrow();
    for (let n = 1; n <= 40; n++) {
      const solved = n <= 25;
      await c.db.question.create({
        data: {
          communityId: community.id, number: n, askerId: asker.id, title: `${LONG} <@everyone> & #${n}`, details: "", platform, spaceId: c.spaceId, channelId: c.channels.help,
          threadId: `thread-${n}`, url: `https://chat.invalid/questions/${n}`, status: solved ? "solved" : "open", createdAt: at("2026-11-30T10:00:00Z"), ...(solved ? { solvedAt: at("2026-12-01T12:00:00Z") } : {}),
        },
      });
    }
    for (let n = 1; n <= 25; n++) {
      await c.db.catalogItem.create({ data: { communityId: community.id, name: `course-${n}`, title: `${LONG} ${n}`, description: "", stripePriceId: `price_${n}`, stripeProductId: `prod_${n}`, mode: "payment", currency: "eur", unitAmount: 100, createdAt: at("2026-12-01T12:00:00Z") } });
    }
    const channel = digestChannel(platform);
    const before = c.posts(channel).length;
    c.clock.set("2026-12-02T08:00:00Z");
    expect(await runDigests(c.services, [c.community], quietLogger())).toMatchObject([{ outcome: "posted" }]);

    const sent = c.posts(channel).slice(before);
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.flatMap((m) => problems(platform, m.raw))).toEqual([]);
    const all = sent.map((m) => m.text).join("\n");
    const linked = (n: number) => new RegExp(`questions/${n}[)|]`);
    // Every solved question, the ten oldest waiting, and every new course.
    for (let n = 1; n <= 35; n++) expect(all).toMatch(linked(n));
    for (let n = 36; n <= 40; n++) expect(all).not.toMatch(linked(n));
    for (let n = 1; n <= 25; n++) expect(all).toContain(`/course course-${n}`);
    // Members' words never became a mention on Slack.
    if (platform === "slack") expect(all).not.toContain("<!everyone>");
  });
});

import { describe, expect, it } from "vitest";
import type { Post } from "../../src/core/chat.js";
import { LIMITS } from "../../src/core/reply.js";
import { renderDiscordMessage } from "../../src/platform/discord/render.js";
import { renderSlackMessage } from "../../src/platform/slack/render.js";
import type { DigestSection } from "../../src/digest/sections.js";
import { DIGEST_LIMITS, fitLine, splitDigest } from "../../src/digest/split.js";

const question = (n: number, length = 150) => `• [#${n} ${"why does my borrow checker complain ".repeat(8).slice(0, length)}](https://chat.invalid/t/${n}), waiting 3 days`;

/** Every limit the two platforms put on what a post renders to. */
function expectWithinPlatformLimits(post: Post) {
  expect(post.text!.length).toBeLessThanOrEqual(DIGEST_LIMITS.chars);
  expect(post.text!.split("\n").length).toBeLessThanOrEqual(DIGEST_LIMITS.lines);
  const discord = renderDiscordMessage(post);
  const embed = discord.embeds[0];
  const embedTotal = (embed?.title?.length ?? 0) + (embed?.description?.length ?? 0);
  expect(discord.content?.length ?? 0).toBeLessThanOrEqual(LIMITS.discordContent);
  expect(embedTotal).toBeLessThanOrEqual(6000);
  expect(embed?.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.discordEmbedDescription);
  // Nothing was cut by the renderer: what we split is what is shown.
  expect(embed?.description ?? discord.content).toBe(post.text);
  const slack = renderSlackMessage(post);
  expect(slack.blocks.length).toBeLessThanOrEqual(LIMITS.slackBlocks);
  const sections = slack.blocks.filter((b) => b.type === "section");
  expect(sections).toHaveLength(1);
  for (const block of sections) expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(LIMITS.slackSectionText);
}

describe("splitting a digest into messages", () => {
  it("keeps a short digest in one message with its title, sections separated by a blank line", () => {
    const sections: DigestSection[] = [
      { name: "courses", heading: "📚 New courses", lines: ["• **Async Rust**: `/course async-rust`"] },
      { name: "members", heading: "👋 New members", lines: ["**3** new members joined. Welcome!"] },
    ];
    const posts = splitDigest({ title: "Weekly digest", intro: "Since Mon.", sections });
    expect(posts).toEqual([{ title: "Weekly digest", text: "Since Mon.\n\n**📚 New courses**\n• **Async Rust**: `/course async-rust`\n\n**👋 New members**\n**3** new members joined. Welcome!" }]);
  });

  it("posts nothing when no section has anything to say", () => {
    expect(splitDigest({ title: "Weekly digest", intro: "Since Mon.", sections: [] })).toEqual([]);
  });

  it("splits many long questions into several messages, each within both platforms' limits, losing nothing", () => {
    const lines = Array.from({ length: 60 }, (_, i) => question(i + 1));
    const posts = splitDigest({ title: "Weekly digest", intro: "Since Mon.", sections: [{ name: "waiting", heading: "🙋 Waiting for help", lines }] });
    expect(posts.length).toBeGreaterThan(3);
    posts.forEach(expectWithinPlatformLimits);
    expect(posts.map((p) => p.title)).toEqual(posts.map((_, i) => `Weekly digest (${i + 1}/${posts.length})`));
    const shown = posts.flatMap((p) => p.text!.split("\n"));
    expect(shown.filter((l) => l.startsWith("• "))).toEqual(lines);
    // A message that goes on with a section says so.
    expect(posts.slice(1).every((p) => p.text!.startsWith("**🙋 Waiting for help (continued)**\n"))).toBe(true);
  });

  it("splits at 45 lines even when the lines are short", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `• ${i}`);
    const posts = splitDigest({ title: "Daily digest", sections: [{ name: "solved", heading: "✅ Solved questions", lines }] });
    expect(posts.map((p) => p.text!.split("\n").length)).toEqual([45, 45, 13]);
    expect(posts.flatMap((p) => p.text!.split("\n")).filter((l) => l.startsWith("• "))).toEqual(lines);
  });

  it("never leaves a heading at the end of a message: it moves on with its first line", () => {
    const first = Array.from({ length: 43 }, (_, i) => `• a${i}`);
    const posts = splitDigest({ title: "Digest", sections: [
      { name: "solved", heading: "Solved", lines: first },
      { name: "waiting", heading: "Waiting", lines: ["• b0", "• b1"] },
    ] });
    expect(posts).toHaveLength(2);
    expect(posts[0]!.text!.split("\n").at(-1)).toBe("• a42");
    expect(posts[1]!.text).toBe("**Waiting**\n• b0\n• b1");
  });

  it("counts Slack's escaping: text full of < and & is split sooner, so no Slack section passes 3,000 characters", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `• #${i} Vec<Option<&str>> and Box<dyn Fn() -> Result<(), &'static str>> <<<<<<<<<<<<<<<<<<<<<<<<`);
    const posts = splitDigest({ title: "Digest", sections: [{ name: "waiting", heading: "Waiting", lines }] });
    expect(posts.length).toBeGreaterThan(1);
    posts.forEach(expectWithinPlatformLimits);
    expect(posts.flatMap((p) => p.text!.split("\n")).filter((l) => l.startsWith("• "))).toEqual(lines);
  });

  it("shortens a single line too long for any message with an ellipsis, as plain text so no link is cut in half", () => {
    const long = `• [${"x".repeat(3000)}](https://chat.invalid/t/1)`;
    const posts = splitDigest({ title: "Digest", sections: [{ name: "waiting", heading: "Waiting", lines: [long, "• next"] }] });
    posts.forEach(expectWithinPlatformLimits);
    const line = posts[0]!.text!.split("\n")[1]!;
    expect(line.endsWith("…")).toBe(true);
    expect(line).not.toContain("](");
    expect(posts.flatMap((p) => p.text!.split("\n"))).toContain("• next");
    expect(fitLine("• short")).toBe("• short");
  });
});

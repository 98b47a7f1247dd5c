import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPlainText, toSlackMrkdwn } from "../../src/core/markup.js";
import { renderDiscordMessage } from "../../src/platform/discord/render.js";
import { renderReply } from "../../src/platform/playground/render.js";
import { renderSlackMessage } from "../../src/platform/slack/render.js";

describe("reply rendering", () => {
  const message = {
    title: "Async Rust",
    text: "Price **€49**, see [the syllabus](https://example.com/s)",
    fields: [{ name: "Grants", value: "Role @Rustaceans" }],
    links: [{ label: "Buy", url: "https://checkout.example.com/x" }],
    buttons: [{ label: "RSVP", action: "rsvp", value: "event-1", style: "primary" as const }],
    footer: "Prices from Stripe",
  };

  it("Discord: an embed with link and action buttons, and mentions never ping", () => {
    const out = renderDiscordMessage(message);
    expect(out.allowedMentions).toEqual({ parse: [] });
    expect(out.embeds[0]).toMatchObject({ title: "Async Rust", description: message.text, footer: { text: "Prices from Stripe" } });
    expect(out.components[0]!.components).toEqual([
      { type: 2, style: 5, label: "Buy", url: "https://checkout.example.com/x" },
      { type: 2, style: 1, label: "RSVP", custom_id: "gh:rsvp:event-1" },
    ]);
    expect(renderDiscordMessage({ text: "x".repeat(3000) }).content).toHaveLength(2000);
  });

  it("Slack: Block Kit with mrkdwn, escaped so user text cannot form mentions", () => {
    expect(toSlackMrkdwn("<!everyone> & **bold** [a](https://x.y)")).toBe("&lt;!everyone&gt; &amp; *bold* <https://x.y|a>");
    const out = renderSlackMessage(message);
    expect(out.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "actions", "context"]);
    expect(out.text).toBe("Async Rust: Price €49, see the syllabus (https://example.com/s)");
    const long = renderSlackMessage({ text: "line\n".repeat(1500) });
    expect(long.blocks.length).toBeGreaterThan(2);
    for (const b of long.blocks) expect(((b.text as { text: string }).text).length).toBeLessThanOrEqual(3000);
  });

  it("Slack: a tone's emoji is added only when the text does not open with its own (never \"✅ ✅ Accepted…\")", () => {
    const accepted = renderSlackMessage({ text: "✅ Accepted Bo's answer to #3.", tone: "success" });
    expect(accepted.text).toBe("✅ Accepted Bo's answer to #3.");
    expect((accepted.blocks[0]!.text as { text: string }).text).toBe("✅ Accepted Bo's answer to #3.");
    expect(renderSlackMessage({ text: "Saved.", tone: "success" }).text).toBe(":white_check_mark: Saved.");
    // Every tone, every opening emoji or shortcode: exactly one decoration before the words.
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const decoration = fc.constantFrom("✅", "⚠️", "❌", "🎉", "📣", "🏆", "🇪🇺", ":tada:", ":white_check_mark:", ":warning:");
    const tone = fc.constantFrom("info", "success", "warning", "error") as fc.Arbitrary<"info" | "success" | "warning" | "error">;
    fc.assert(
      fc.property(decoration, tone, fc.stringMatching(/^[A-Za-z][A-Za-z .,!]{0,30}$/), (emoji, t, words) => {
        const out = renderSlackMessage({ text: `${emoji} ${words}`, tone: t });
        expect(out.text).toBe(`${emoji} ${words}`);
        expect((out.blocks[0]!.text as { text: string }).text.startsWith(`${emoji} `)).toBe(true);
      }),
      { seed, numRuns: 200 },
    );
  });

  it("Playground: plain text that says who can see it", () => {
    const out = renderReply({ ...message, visibility: "ephemeral", directMessage: { text: "psst" } }, "Ada");
    expect(out).toContain("(only you can see this)");
    expect(out).toContain("Price €49, see the syllabus (https://example.com/s)");
    expect(out).toContain("[Buy] https://checkout.example.com/x");
    expect(out).toContain("🔒 to Ada (private):\n  psst");
    expect(toPlainText("`code` and _italic_")).toBe("code and italic");
  });
});

describe("mention tokens", () => {
  it("render natively per platform and never as raw tokens", async () => {
    const { mention, toDiscordMarkdown } = await import("../../src/core/markup.js");
    const text = `Grants ${mention.role("123456")} and ${mention.channel("C0RUST")} to ${mention.user("U0ADA")} <!here>`;
    expect(toDiscordMarkdown(text)).toBe("Grants <@&123456> and <#C0RUST> to <@U0ADA> <!here>");
    expect(toSlackMrkdwn(text)).toBe("Grants Discord role 123456 and <#C0RUST> to <@U0ADA> &lt;!here&gt;");
    expect(toPlainText(text)).toBe("Grants role 123456 and #C0RUST to @U0ADA <!here>");
  });
});

// Message commands end to end: Discord's Apps menu on a message and Slack's message
// shortcuts reach the same definition with the message they were run on, and answer privately.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreadRef } from "../../src/core/chat.js";
import { defineMessageCommand } from "../../src/core/message-command.js";
import { reply } from "../../src/core/reply.js";
import { discordCommandsPayload } from "../../src/platform/discord/command-payloads.js";
import { slackManifest } from "../../src/platform/slack/manifest.js";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, GRACE, PLATFORMS_AND_DISCORD_HTTP, type PlatformCommunity } from "../support/platforms.js";

const quote = defineMessageCommand({
  name: "Quote message",
  id: "quote_message",
  description: "Shows what Guildhall knows about a message",
  handler: ({ member, options: { message } }) =>
    reply.ephemeral(
      `${member.displayName} picked ${message.id} by ${message.author.id} (${message.author.displayName}) in ${message.channelId}` +
        `${message.threadId ? ` thread ${message.threadId}` : ""}: ${message.text}`,
    ),
});

const pin = defineMessageCommand({ name: "Pin for everyone", id: "pin_message", description: "Creators only", permission: "creator", handler: () => reply.public("Pinned.") });

const slow = defineMessageCommand({
  name: "Think about it",
  id: "think",
  description: "Answers after a while",
  handler: async () => {
    await new Promise((r) => setTimeout(r, 300));
    return reply.ephemeral("Thought about it.");
  },
});

describe("message command definitions on each platform", () => {
  it("Discord registers them as context-menu entries (type 3) in guilds, creator-only ones hidden from members", () => {
    const payload = discordCommandsPayload([], [quote, pin]);
    expect(payload).toEqual([
      { name: "Quote message", type: 3, contexts: [0] },
      { name: "Pin for everyone", type: 3, contexts: [0], default_member_permissions: "32" },
    ]);
  });

  it("Slack lists them as message shortcuts whose callback id is the command's id", () => {
    const manifest = slackManifest([], [quote]) as { features: { shortcuts: unknown[] } };
    expect(manifest.features.shortcuts).toEqual([{ name: "Quote message", type: "message", callback_id: "quote_message", description: "Shows what Guildhall knows about a message" }]);
  });
});

describe.each(backends())("message commands on %s", (kind) => {
  describe.each(PLATFORMS_AND_DISCORD_HTTP)("%s", (_name, start) => {
    let h: PlatformCommunity;
    let thread: ThreadRef;
    beforeAll(async () => {
      h = await start({ kind, ackAfterMs: 150, extra: { messageCommands: [quote, pin, slow] } });
      thread = await h.services.chat[h.platform]!.openThread(h.spaceId, h.channels.help, "Why does this borrow fail?", { text: "Question body" });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it("runs on a reply in a thread with the message it was picked on, answering only the member", async () => {
      const answer = await h.threadMessage(GRACE, thread, "Use a reference here");
      const seen = await h.messageCommand(ADA, "quote_message", answer);
      expect(seen.ephemeral).toBe(true);
      const where = h.platform === "discord" ? `in ${thread.threadId}:` : `in ${h.channels.help} thread ${thread.threadId}:`;
      expect(seen.text).toContain(`Ada picked ${answer.id} by ${h.idOf(GRACE)}`);
      expect(seen.text).toContain(`${where} Use a reference here`);
    });

    it("checks the command's permission on the server", async () => {
      const message = await h.threadMessage(GRACE, thread, "Another reply");
      expect((await h.messageCommand(ADA, "pin_message", message)).text).toContain("Only creators can use “Pin for everyone”.");
      expect((await h.messageCommand(CREATOR, "pin_message", message)).text).toContain("Pinned.");
    });

    it("acknowledges a slow one in time and still answers", async () => {
      const message = await h.threadMessage(GRACE, thread, "Slow one");
      const seen = await h.messageCommand(ADA, "think", message);
      expect(seen.text).toContain("Thought about it.");
      expect(seen.ephemeral).toBe(true);
    });
  });
});

import { readFileSync } from "node:fs";
import { PermissionFlagsBits } from "discord.js";
import { describe, expect, it } from "vitest";
import { BOT_PERMISSIONS, BOT_PERMISSIONS_INTEGER } from "../../src/platform/discord/bot-permissions.js";

/**
 * The README's Discord invite asks for the permissions the bot uses, no fewer (a step would be
 * refused) and no more. Among them Manage Threads: a question whose thread was opened but that
 * could not be recorded has its thread deleted (ChatPoster.removeThread), which Discord allows
 * only with Manage Threads; marking a question solved renames or tags and archives its thread.
 */
const readme = readFileSync("README.md", "utf8");
const connect = readme.slice(readme.indexOf("## Connect Discord"), readme.indexOf("## Connect Slack"));

describe("the README's Discord invite", () => {
  it("lists exactly the permissions the bot uses", () => {
    const listed = /scopes and the permissions\s+([^()]+?)\s+\(developer portal/.exec(connect)?.[1];
    expect(listed, "the invite step names its permissions").toBeDefined();
    const names = listed!.split(/,\s*/).map((n) => n.replace(/\s+/g, " ").trim());
    expect(names).toEqual(["View Channels", "Send Messages", "Embed Links", "Create Public Threads", "Send Messages in Threads", "Manage Threads", "Manage Roles"]);
    expect(names).toEqual(BOT_PERMISSIONS.map((p) => p.name));
  });

  it("gives an invite link whose permissions integer is those permissions' bits", () => {
    const bits = PermissionFlagsBits;
    const expected = bits.ViewChannel | bits.SendMessages | bits.EmbedLinks | bits.CreatePublicThreads | bits.SendMessagesInThreads | bits.ManageThreads | bits.ManageRoles;
    const linked = /oauth2\/authorize\?client_id=<application id>&scope=bot\+applications\.commands&permissions=(\d+)/.exec(connect)?.[1];
    expect(linked).toBe(expected.toString());
    expect(BOT_PERMISSIONS_INTEGER).toBe(expected.toString());
  });
});

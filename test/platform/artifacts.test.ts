import { describe, expect, it } from "vitest";
import { allCommands, allMessageCommands } from "../../src/capabilities.js";
import { renderArtifacts, staleArtifacts } from "../../src/platform/artifacts.js";

describe("generated platform artifacts in commands/", () => {
  it("match the registry (run `npm run commands` and commit when this fails)", () => {
    expect(staleArtifacts(allCommands, allMessageCommands)).toEqual([]);
  });

  it("mark creator-only commands with default_member_permissions on Discord", () => {
    const discord = JSON.parse(renderArtifacts(allCommands)[0]!.content) as { name: string; default_member_permissions?: string }[];
    expect(discord.find((c) => c.name === "community")?.default_member_permissions).toBe("32");
    expect(discord.find((c) => c.name === "help")).not.toHaveProperty("default_member_permissions");
  });

  it("declare every command in the Slack manifest with escaped mentions", () => {
    const manifest = JSON.parse(renderArtifacts(allCommands)[1]!.content) as { features: { slash_commands: { command: string; should_escape: boolean }[] } };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(allCommands.map((c) => `/${c.name}`));
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
  });
});

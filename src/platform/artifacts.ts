import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "../core/command.js";
import type { MessageCommand } from "../core/message-command.js";
import { discordCommandsPayload } from "./discord/command-payloads.js";
import { slackManifest } from "./slack/manifest.js";

/** Where the generated, committed platform artifacts live. */
export const ARTIFACTS_DIR = fileURLToPath(new URL("../../commands", import.meta.url));

/** Each artifact's file name and its expected content, rendered from the registry. */
export function renderArtifacts(commands: readonly Command[], messageCommands: readonly MessageCommand[] = []): { file: string; content: string }[] {
  return [
    { file: "discord-commands.json", content: `${JSON.stringify(discordCommandsPayload(commands, messageCommands), null, 2)}\n` },
    { file: "slack-manifest.json", content: `${JSON.stringify(slackManifest(commands, messageCommands), null, 2)}\n` },
  ];
}

export function writeArtifacts(commands: readonly Command[], messageCommands: readonly MessageCommand[] = [], dir = ARTIFACTS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  return renderArtifacts(commands, messageCommands).map(({ file, content }) => {
    writeFileSync(join(dir, file), content);
    return join(dir, file);
  });
}

/** Files whose committed content differs from what the registry produces now. */
export function staleArtifacts(commands: readonly Command[], messageCommands: readonly MessageCommand[] = [], dir = ARTIFACTS_DIR): string[] {
  return renderArtifacts(commands, messageCommands)
    .filter(({ file, content }) => {
      try {
        return readFileSync(join(dir, file), "utf8") !== content;
      } catch {
        return true;
      }
    })
    .map(({ file }) => file);
}

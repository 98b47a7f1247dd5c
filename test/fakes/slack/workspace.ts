// The workspace the fake pretends to be, shared by the method handlers, and the small helpers
// they all use.
import type { SlackAnswer, SlackChannel, SlackMessage, SlackUser } from "./types.js";

/** The workspace the fake pretends to be, and the counters behind its ids. */
export interface Workspace {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The bot token's scopes. */
  scopes: ReadonlySet<string>;
  users: Map<string, SlackUser>;
  userGroups: Map<string, string[]>;
  /** Channels and opened DMs by id. */
  channels: Map<string, SlackChannel>;
  /** Messages the bot posted with chat.postMessage, oldest first. */
  messages: SlackMessage[];
  /** Reactions added, as `channel ts name`. */
  reactions: Set<string>;
  /** A fresh Socket Mode URL on the fake. */
  socketUrl(): string;
  /** Next message timestamp: unique and increasing, like "1700000000.000100". */
  nextTs(): string;
  /** Next view id, like "V0000001". */
  nextViewId(): string;
  /** Files being uploaded (files.getUploadURLExternal), by file id, and where each was shared. */
  uploads: Map<string, FakeUpload>;
  /** The fake's URL that receives a file's bytes. */
  uploadUrl(fileId: string): string;
}

/** A file upload: announced, its bytes received, then completed (shared to a channel or not). */
export interface FakeUpload {
  filename: string;
  length: number;
  received?: number;
  completed?: { channelId: string | undefined; title: string | undefined };
}

/**
 * The fake workspace's default ids, shaped like Slack's (a letter and at least 8 more):
 * Slack's spec checks those patterns, and so do the contract tests.
 */
export const FAKE_IDS = { teamId: "T0FAKETEAM", botUserId: "U0GUILDBOT", botId: "B0GUILDBOT", appId: "A0FAKEAPP1" } as const;

/** The bot scopes Guildhall's manifest asks for (commands/slack-manifest.json). */
export const MANIFEST_SCOPES = [
  "commands",
  "chat:write",
  "chat:write.public",
  "im:write",
  "users:read",
  "usergroups:read",
  "groups:write",
  "channels:read",
  "groups:read",
  "reactions:write",
  "files:write",
  "channels:history",
  "groups:history",
];

/** Slack's failure answer. */
export const fail = (error: string): SlackAnswer => ({ ok: false, error });

/** A non-empty string argument, or undefined. */
export const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);

/** Slack's boolean arguments arrive as true, "true" or "1". */
export const truthy = (value: unknown): boolean => value === true || value === "true" || value === "1";

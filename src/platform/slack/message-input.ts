import type { MessageShortcut } from "@slack/bolt";
import type { MessageRef, ThreadMessage } from "../../core/chat.js";
import type { Invocation } from "../../core/invocation.js";
import type { ActorFacts } from "../../core/permissions.js";

/** A message shortcut as an invocation (named by its callback id) and the message it was run on. */
export function shortcutInput(shortcut: MessageShortcut, actor: ActorFacts, receivedAt: Date): { invocation: Invocation; message: MessageRef } {
  const target = shortcut.message;
  const threadTs = typeof target.thread_ts === "string" && target.thread_ts !== target.ts ? target.thread_ts : undefined;
  const authorId = target.user ?? (typeof target.bot_id === "string" ? target.bot_id : "");
  const invocation: Invocation = {
    platform: "slack",
    space: { id: shortcut.team?.id ?? shortcut.user.team_id ?? "", name: shortcut.team?.domain ?? "" },
    user: { id: shortcut.user.id, displayName: shortcut.user.username ?? shortcut.user.name ?? shortcut.user.id },
    channel: { id: shortcut.channel.id, ...(shortcut.channel.name ? { name: shortcut.channel.name } : {}) },
    command: shortcut.callback_id,
    subcommand: undefined,
    options: {},
    actor,
    receivedAt,
    ...(shortcut.trigger_id ? { id: `slack:${shortcut.trigger_id}` } : {}),
  };
  const message: MessageRef = {
    id: target.ts,
    channelId: shortcut.channel.id,
    ...(threadTs ? { threadId: threadTs } : {}),
    author: { id: authorId, displayName: profileName(target.user_profile) ?? authorId, ...(target.bot_id ? { bot: true } : {}) },
    text: target.text ?? "",
  };
  return { invocation, message };
}

/** Subtypes that are someone writing in the thread; edits, deletions and joins are not. */
const POSTED_SUBTYPES = new Set([undefined, "bot_message", "thread_broadcast", "file_share", "me_message"]);

interface MessageEventLike {
  subtype?: string;
  user?: string;
  bot_id?: string;
  ts?: string;
  thread_ts?: string;
  user_profile?: unknown;
}

/**
 * A reply posted in a thread, or undefined for anything else (a message in the channel
 * itself, the thread's parent, an edit). `at` is when Guildhall heard of it, on its clock.
 */
export function threadMessageFrom(event: object, teamId: string, at: Date): ThreadMessage | undefined {
  const e = event as MessageEventLike;
  if (!POSTED_SUBTYPES.has(e.subtype) || !e.ts || !e.thread_ts || e.thread_ts === e.ts) return undefined;
  const authorId = e.user ?? e.bot_id;
  if (!authorId) return undefined;
  const bot = e.bot_id !== undefined || e.subtype === "bot_message";
  return { platform: "slack", spaceId: teamId, threadId: e.thread_ts, messageId: e.ts, author: { id: authorId, displayName: profileName(e.user_profile) ?? authorId, bot }, at };
}

/** The name Slack shows for a message's author, when the payload carries their profile. */
function profileName(profile: unknown): string | undefined {
  const p = profile as { display_name?: unknown; real_name?: unknown } | undefined;
  const name = [p?.display_name, p?.real_name].find((n) => typeof n === "string" && n.length > 0);
  return typeof name === "string" ? name : undefined;
}

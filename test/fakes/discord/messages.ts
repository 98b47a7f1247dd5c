// Creating messages, shared by channel routes and interaction routes: attachments from
// uploaded files, channel bookkeeping, and the MESSAGE_CREATE event that real Discord sends.
import type { RouteContext } from "./router.js";
import { type ApiChannel, type ApiMessage, type ApiUser, type MessageBody, MessageFlag, apiMessage } from "./payloads.js";
import { snowflake } from "./ids.js";
import type { RecordedFile } from "./types.js";

const GUILD_MESSAGES_INTENT = 1 << 9;
const DIRECT_MESSAGES_INTENT = 1 << 12;
/** Flags a sender may set: suppress embeds, ephemeral, suppress notifications, components v2. */
const SETTABLE_FLAGS = 4 | 64 | 4096 | 32768;

/**
 * Attachment objects for uploaded files, as Discord returns them on the created message; a
 * file's description comes from the body's `attachments` entry naming its files[n] part.
 */
export function attachmentsFor(files: RecordedFile[], channelId: string, body?: unknown): unknown[] {
  const described = new Map<string, unknown>();
  const entries = (body as { attachments?: unknown } | undefined)?.attachments;
  if (Array.isArray(entries)) for (const entry of entries as { id?: unknown; description?: unknown }[]) described.set(String(entry.id), entry.description);
  return files.map((file) => {
    const id = snowflake();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    const description = described.get(/^files\[(\d+)\]$/.exec(file.field)?.[1] ?? "");
    return { id, filename: file.filename, ...(typeof description === "string" ? { description } : {}), size: file.size, url, proxy_url: url, content_type: file.contentType ?? "application/octet-stream" };
  });
}

/** The flags a create body asks for, limited to those Discord lets a sender set. */
export function requestedFlags(body: Record<string, unknown>): number {
  return typeof body.flags === "number" ? body.flags & SETTABLE_FLAGS : 0;
}

/** Creates, stores and announces a message in `channel`. */
export function createMessage(ctx: RouteContext, channel: ApiChannel, author: ApiUser, body: Record<string, unknown>, extra: Partial<ApiMessage> = {}): ApiMessage {
  const files = ctx.call.files;
  const message = apiMessage(channel, author, { ...(body as MessageBody), flags: requestedFlags(body) }, extra);
  if (files.length > 0) message.attachments = attachmentsFor(files, channel.id, body);
  ctx.state.messages.set(message.id, message);
  channel.last_message_id = message.id;
  if (channel.thread_metadata) {
    channel.message_count = (channel.message_count ?? 0) + 1;
    channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
  }
  announce(ctx, message);
  return message;
}

/** Queues MESSAGE_CREATE for sessions with the matching intent; ephemeral messages stay private. */
export function announce(ctx: RouteContext, message: ApiMessage): void {
  if ((message.flags & MessageFlag.Ephemeral) !== 0) return;
  const intent = message.guild_id ? GUILD_MESSAGES_INTENT : DIRECT_MESSAGES_INTENT;
  ctx.after(() => ctx.gateway.dispatch("MESSAGE_CREATE", message, intent));
}

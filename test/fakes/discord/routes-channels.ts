// Channel and message routes: send, read, edit and delete messages, reactions, typing, pins,
// channel edits, and opening DM channels.
import { apiError, formError, unknown } from "./api-errors.js";
import { attachmentsFor, createMessage } from "./messages.js";
import { type ApiChannel, type ApiMessage, type MessageBody, apiDmChannel, applyMessageEdit } from "./payloads.js";
import { type Route, type RouteContext, type RouteResult, bodyOf, noContent, ok, param } from "./router.js";
import { editChannel } from "./channel-edit.js";
import { validateMessage } from "./validate.js";
import { asRead, validateNonce } from "./nonces.js";

const GUILDS_INTENT = 1 << 0;
const GUILD_MESSAGES_INTENT = 1 << 9;
const DIRECT_MESSAGES_INTENT = 1 << 12;
/** Channel types that take messages: text, DM, announcement, threads, voice text chat. */
const TEXT_TYPES = new Set([0, 1, 2, 3, 5, 10, 11, 12, 13]);

function channelOf(ctx: RouteContext): ApiChannel | undefined {
  return ctx.state.channels.get(param(ctx, "channelId"));
}

/** The message named in the path, checked to be in the path's channel. */
function messageOf(ctx: RouteContext): ApiMessage | undefined {
  const message = ctx.state.messages.get(param(ctx, "messageId"));
  return message?.channel_id === param(ctx, "channelId") ? message : undefined;
}

function postMessage(ctx: RouteContext): RouteResult {
  const channel = channelOf(ctx);
  if (!channel) return unknown.channel();
  if (!TEXT_TYPES.has(channel.type)) return apiError(400, 50008, "Cannot send messages in a non-text channel");
  const meta = channel.thread_metadata;
  if (meta?.archived && meta.locked) return apiError(400, 50083, "Thread is archived");
  const body = bodyOf(ctx);
  const problem = validateMessage(body, [], ctx.call.files.length) ?? validateNonce(body.nonce);
  if (problem) return problem;
  const nonce = body.nonce as string | number | null | undefined;
  const enforced = body.enforce_nonce === true && nonce !== undefined && nonce !== null;
  const earlier = enforced ? ctx.state.messages.get(ctx.state.nonces.find(ctx.state.botUser.id, nonce) ?? "") : undefined;
  // The same nonce within the window: Discord hands back the first message and creates none.
  if (earlier) return ok(earlier);
  const reference = (body as MessageBody).message_reference;
  const referenced = reference?.message_id ? ctx.state.messages.get(reference.message_id) : undefined;
  if (reference?.message_id && !referenced) return formError(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
  if (meta?.archived) {
    // Sending to an archived (unlocked) thread unarchives it, as on Discord.
    meta.archived = false;
    ctx.after(() => ctx.gateway.dispatch("THREAD_UPDATE", channel, GUILDS_INTENT));
  }
  const message = createMessage(ctx, channel, ctx.state.botUser, body, referenced ? { referenced_message: referenced } : {});
  if (enforced) ctx.state.nonces.remember(ctx.state.botUser.id, nonce, message.id);
  return ok(message);
}

function listMessages(ctx: RouteContext): RouteResult {
  const channel = channelOf(ctx);
  if (!channel) return unknown.channel();
  const { before, after } = ctx.call.query;
  const limit = Math.min(Math.max(Number(ctx.call.query.limit ?? 50), 1), 100);
  const messages = ctx.state
    .channelMessages(channel.id)
    .filter((m) => (before ? BigInt(m.id) < BigInt(before) : true) && (after ? BigInt(m.id) > BigInt(after) : true))
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  return ok(messages.slice(0, limit).map(asRead));
}

function editMessage(ctx: RouteContext): RouteResult {
  const message = messageOf(ctx);
  if (!message) return ctx.state.channels.has(param(ctx, "channelId")) ? unknown.message() : unknown.channel();
  if (message.author.id !== ctx.state.botUser.id) return apiError(403, 50005, "Cannot edit a message authored by another user");
  const body = bodyOf(ctx);
  const problem = validateMessage(body, [], ctx.call.files.length, true);
  if (problem) return problem;
  applyMessageEdit(message, body as MessageBody);
  if (ctx.call.files.length > 0) message.attachments = [...message.attachments, ...attachmentsFor(ctx.call.files, message.channel_id, body)];
  ctx.after(() => ctx.gateway.dispatch("MESSAGE_UPDATE", message, message.guild_id ? GUILD_MESSAGES_INTENT : DIRECT_MESSAGES_INTENT));
  return ok(message);
}

function deleteMessage(ctx: RouteContext): RouteResult {
  const message = messageOf(ctx);
  if (!message) return unknown.message();
  ctx.state.messages.delete(message.id);
  const event = { id: message.id, channel_id: message.channel_id, ...(message.guild_id ? { guild_id: message.guild_id } : {}) };
  ctx.after(() => ctx.gateway.dispatch("MESSAGE_DELETE", event, message.guild_id ? GUILD_MESSAGES_INTENT : DIRECT_MESSAGES_INTENT));
  return noContent();
}

/** 204 when the path's message exists: reactions, pins and similar acknowledgements. */
function onExistingMessage(ctx: RouteContext): RouteResult {
  return messageOf(ctx) ? noContent() : unknown.message();
}

function openDm(ctx: RouteContext): RouteResult {
  const recipientId = bodyOf(ctx).recipient_id;
  if (typeof recipientId !== "string") return formError(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required");
  const existing = [...ctx.state.channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === recipientId);
  if (existing) return ok(existing);
  // Any user id can receive a DM channel; users the test never introduced get a placeholder name.
  const recipient = ctx.state.users.get(recipientId) ?? ctx.state.rememberUser({ id: recipientId, username: `user-${recipientId}` });
  const channel = apiDmChannel(recipient);
  ctx.state.channels.set(channel.id, channel);
  return ok(channel);
}

function deleteChannel(ctx: RouteContext): RouteResult {
  const channel = channelOf(ctx);
  if (!channel) return unknown.channel();
  ctx.state.channels.delete(channel.id);
  // Its messages go with it (a forum post's starter included); a thread's starter message in
  // the parent channel stays, no longer pointing at a thread.
  for (const message of ctx.state.channelMessages(channel.id)) ctx.state.messages.delete(message.id);
  const starter = ctx.state.messages.get(channel.id);
  if (starter?.thread) {
    delete starter.thread;
    starter.flags &= ~32;
  }
  const isThread = channel.thread_metadata !== undefined;
  const event = isThread ? { id: channel.id, type: channel.type, guild_id: channel.guild_id, parent_id: channel.parent_id } : channel;
  ctx.after(() => ctx.gateway.dispatch(isThread ? "THREAD_DELETE" : "CHANNEL_DELETE", event, GUILDS_INTENT));
  return ok(channel);
}

function orUnknownChannel(ctx: RouteContext, then: (channel: ApiChannel) => RouteResult): RouteResult {
  const channel = channelOf(ctx);
  return channel ? then(channel) : unknown.channel();
}

const reactionPath = "/channels/:channelId/messages/:messageId/reactions";

/** Routes under /channels and /users/@me/channels. */
export const channelRoutes: Route[] = [
  { method: "GET", pattern: "/channels/:channelId", handler: (ctx) => orUnknownChannel(ctx, ok) },
  { method: "PATCH", pattern: "/channels/:channelId", handler: (ctx) => orUnknownChannel(ctx, (channel) => editChannel(ctx, channel)) },
  { method: "DELETE", pattern: "/channels/:channelId", handler: deleteChannel },
  { method: "POST", pattern: "/channels/:channelId/messages", handler: postMessage },
  { method: "GET", pattern: "/channels/:channelId/messages", handler: listMessages },
  { method: "GET", pattern: "/channels/:channelId/messages/:messageId", handler: (ctx) => (messageOf(ctx) ? ok(asRead(messageOf(ctx)!)) : unknown.message()) },
  { method: "PATCH", pattern: "/channels/:channelId/messages/:messageId", handler: editMessage },
  { method: "DELETE", pattern: "/channels/:channelId/messages/:messageId", handler: deleteMessage },
  { method: "PUT", pattern: `${reactionPath}/:emoji/:user`, handler: onExistingMessage },
  { method: "DELETE", pattern: `${reactionPath}/:emoji/:user`, handler: onExistingMessage },
  { method: "DELETE", pattern: `${reactionPath}/:emoji`, handler: onExistingMessage },
  { method: "DELETE", pattern: reactionPath, handler: onExistingMessage },
  { method: "PUT", pattern: "/channels/:channelId/pins/:messageId", handler: onExistingMessage },
  { method: "DELETE", pattern: "/channels/:channelId/pins/:messageId", handler: onExistingMessage },
  { method: "PUT", pattern: "/channels/:channelId/messages/pins/:messageId", handler: onExistingMessage },
  { method: "DELETE", pattern: "/channels/:channelId/messages/pins/:messageId", handler: onExistingMessage },
  { method: "POST", pattern: "/channels/:channelId/typing", handler: (ctx) => (channelOf(ctx) ? noContent() : unknown.channel()) },
  { method: "POST", pattern: "/users/@me/channels", handler: openDm },
];

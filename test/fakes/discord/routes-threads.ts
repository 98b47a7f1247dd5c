// Thread creation: plain threads, threads on a message, and forum posts (a thread plus its
// starter message, answered together). THREAD_CREATE follows on the gateway, as on Discord.
import { apiError, formError, unknown } from "./api-errors.js";
import { snowflake } from "./ids.js";
import { createMessage } from "./messages.js";
import { type ApiChannel, apiThread } from "./payloads.js";
import { type Route, type RouteContext, type RouteResult, bodyOf, created, ok, param } from "./router.js";
import { validateAppliedTags, validateMessage, validateThreadName } from "./validate.js";

const GUILDS_INTENT = 1 << 0;
const FORUM_TYPES = new Set([15, 16]);
/** Parents that can hold threads: text, announcement, forum, media. */
const THREAD_PARENTS = new Set([0, 5, 15, 16]);
const HAS_THREAD_FLAG = 32;

function threadSettings(ctx: RouteContext, type: number, parent: ApiChannel) {
  const body = bodyOf(ctx);
  const duration = body.auto_archive_duration ?? parent.default_auto_archive_duration;
  return {
    name: String(body.name),
    type,
    ownerId: ctx.state.botUser.id,
    ...(typeof duration === "number" ? { autoArchive: duration } : {}),
    ...(Array.isArray(body.applied_tags) ? { appliedTags: body.applied_tags as string[] } : {}),
  };
}

function announceThread(ctx: RouteContext, thread: ApiChannel): void {
  ctx.after(() => ctx.gateway.dispatch("THREAD_CREATE", { ...thread, newly_created: true }, GUILDS_INTENT));
}

function startThread(ctx: RouteContext): RouteResult {
  const parent = ctx.state.channels.get(param(ctx, "channelId"));
  if (!parent) return unknown.channel();
  if (!THREAD_PARENTS.has(parent.type)) return apiError(400, 50024, "Cannot execute action on this channel type");
  const body = bodyOf(ctx);
  const problem = validateThreadName(body.name);
  if (problem) return problem;
  if (FORUM_TYPES.has(parent.type)) return startForumPost(ctx, parent, body);
  // Without a type Discord makes a private thread; discord.js always sends one.
  const requested = typeof body.type === "number" ? body.type : 12;
  const type = parent.type === 5 ? 10 : requested;
  const thread = apiThread(parent, snowflake(), threadSettings(ctx, type, parent));
  ctx.state.channels.set(thread.id, thread);
  announceThread(ctx, thread);
  return created(thread);
}

function startForumPost(ctx: RouteContext, parent: ApiChannel, body: Record<string, unknown>): RouteResult {
  const tagProblem = validateAppliedTags(parent, body.applied_tags);
  if (tagProblem) return tagProblem;
  const starter = body.message;
  if (typeof starter !== "object" || starter === null) return formError(["message"], "BASE_TYPE_REQUIRED", "This field is required");
  const problem = validateMessage(starter as Record<string, unknown>, ["message"], ctx.call.files.length);
  if (problem) return problem;
  const thread = apiThread(parent, snowflake(), threadSettings(ctx, 11, parent));
  ctx.state.channels.set(thread.id, thread);
  announceThread(ctx, thread);
  // The starter message shares the thread's id and does not count in message_count.
  const message = createMessage(ctx, thread, ctx.state.botUser, starter as Record<string, unknown>, { id: thread.id });
  thread.message_count = 0;
  return created({ ...thread, message });
}

function startThreadOnMessage(ctx: RouteContext): RouteResult {
  const parent = ctx.state.channels.get(param(ctx, "channelId"));
  if (!parent) return unknown.channel();
  if (parent.type !== 0 && parent.type !== 5) return apiError(400, 50024, "Cannot execute action on this channel type");
  const message = ctx.state.messages.get(param(ctx, "messageId"));
  if (!message || message.channel_id !== parent.id) return unknown.message();
  if (message.thread) return apiError(400, 160004, "A thread has already been created for this message");
  const problem = validateThreadName(bodyOf(ctx).name);
  if (problem) return problem;
  // A thread started from a message takes the message's id.
  const thread = apiThread(parent, message.id, threadSettings(ctx, parent.type === 5 ? 10 : 11, parent));
  ctx.state.channels.set(thread.id, thread);
  message.thread = thread;
  message.flags |= HAS_THREAD_FLAG;
  announceThread(ctx, thread);
  return created(thread);
}

function threadMember(ctx: RouteContext): RouteResult {
  const thread = ctx.state.channels.get(param(ctx, "channelId"));
  return thread?.thread_metadata ? { status: 204 } : unknown.channel();
}

/** Routes that create threads or change thread membership. */
export const threadRoutes: Route[] = [
  { method: "POST", pattern: "/channels/:channelId/threads", handler: startThread },
  { method: "POST", pattern: "/channels/:channelId/messages/:messageId/threads", handler: startThreadOnMessage },
  { method: "PUT", pattern: "/channels/:channelId/thread-members/:userId", handler: threadMember },
  { method: "DELETE", pattern: "/channels/:channelId/thread-members/:userId", handler: threadMember },
  {
    method: "GET",
    pattern: "/guilds/:guildId/threads/active",
    handler: (ctx) => {
      const threads = [...ctx.state.channels.values()].filter((c) => c.guild_id === param(ctx, "guildId") && c.thread_metadata && !c.thread_metadata.archived);
      return ctx.state.guild(param(ctx, "guildId")) ? ok({ threads, members: [] }) : unknown.guild();
    },
  },
];

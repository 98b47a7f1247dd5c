// PATCH /channels/{id}: renaming channels, archiving and locking threads. discord.js builds
// the updated channel from this answer; the gateway update follows as on Discord.
import { isoNow } from "./ids.js";
import type { ApiChannel } from "./payloads.js";
import { type RouteContext, type RouteResult, bodyOf, ok } from "./router.js";
import { validateAppliedTags, validateThreadName } from "./validate.js";

const GUILDS_INTENT = 1 << 0;
/** Fields a channel edit may set directly, for threads and other channels alike. */
const PLAIN_FIELDS = ["topic", "nsfw", "rate_limit_per_user", "position", "parent_id", "applied_tags", "flags"];

/** Applies an edit body to `channel` and answers with the updated channel. */
export function editChannel(ctx: RouteContext, channel: ApiChannel): RouteResult {
  const body = bodyOf(ctx);
  if (body.name !== undefined) {
    const problem = validateThreadName(body.name);
    if (problem) return problem;
    channel.name = String(body.name);
  }
  if (body.applied_tags !== undefined) {
    const tagProblem = validateAppliedTags(channel.parent_id ? ctx.state.channels.get(channel.parent_id) : undefined, body.applied_tags);
    if (tagProblem) return tagProblem;
  }
  for (const field of PLAIN_FIELDS) if (body[field] !== undefined) channel[field] = body[field];
  const meta = channel.thread_metadata;
  if (meta) {
    if (typeof body.archived === "boolean" && body.archived !== meta.archived) {
      meta.archived = body.archived;
      meta.archive_timestamp = isoNow();
    }
    if (typeof body.locked === "boolean") meta.locked = body.locked;
    if (typeof body.auto_archive_duration === "number") meta.auto_archive_duration = body.auto_archive_duration;
    if (typeof body.invitable === "boolean" && channel.type === 12) meta.invitable = body.invitable;
  }
  ctx.after(() => ctx.gateway.dispatch(meta ? "THREAD_UPDATE" : "CHANNEL_UPDATE", channel, GUILDS_INTENT));
  return ok(channel);
}

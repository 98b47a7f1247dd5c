// Posting outside a command's reply on Discord: threads for questions and reviews (a forum
// post when the channel is a forum), messages in them, announcements, and marking solved.
import {
  type APIChannel,
  type APIGuildForumTag,
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  DiscordAPIError,
  type REST,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import type { ChatPoster, Post, ThreadRef } from "../../core/chat.js";
import { LIMITS, truncate } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { type Retrier, retrier, type RetrySettings } from "../../core/retry.js";
import { TtlCache } from "../ttl-cache.js";
import { discordRetryDelay } from "./access-errors.js";
import { type DiscordChatStep, discordChatError } from "./chat-errors.js";
import { renderDiscordMessage } from "./render.js";

/** Options of {@link DiscordChatPoster}; every field has a production default. */
export type DiscordChatPosterOptions = RetrySettings;

/** What the poster needs to know about a channel: its kind and, for forums, its tags. */
interface ChannelFacts {
  readonly type: ChannelType;
  readonly tags: readonly APIGuildForumTag[];
}

/** Channel kinds rarely change and tags seldom do; a few minutes of staleness is fine. */
const CHANNEL_TTL_MS = 5 * 60_000;
/** Discord allows at most this many tags on a forum post. */
const MAX_APPLIED_TAGS = 5;
const SOLVED_PREFIX = "✅ ";
const AUDIT_REASON = "Guildhall: question or review thread";

/**
 * Posts through discord.js's REST (createAccessRest: no gateway connection needed). Only
 * reads and edits are retried here: a repeated thread or message is worse than a failed one,
 * which the caller hears about. 429s are waited out by the REST's buckets either way.
 */
export class DiscordChatPoster implements ChatPoster {
  readonly platform = "discord";
  readonly #retry: Retrier;
  readonly #channels = new TtlCache<Promise<ChannelFacts>>(CHANNEL_TTL_MS);

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    options: DiscordChatPosterOptions = {},
  ) {
    this.#retry = retrier(options, discordRetryDelay, (error, attempt, delayMs) => log.info({ err: error, attempt, delayMs }, "discord chat request failed; retrying"));
  }

  async openThread(spaceId: string, channelId: string, title: string, message: Post, opts: { tags?: readonly string[] } = {}): Promise<ThreadRef> {
    const name = truncate(title.replace(/\s+/g, " ").trim() || "Discussion", LIMITS.discordThreadName);
    const channel = await this.#attempt({ what: "open a thread in", channelId, permission: "View Channels" }, () => this.#channel(channelId));
    let threadId: string;
    if (isForum(channel.type)) {
      const appliedTags = tagIds(channel.tags, opts.tags ?? []);
      const step: DiscordChatStep = { what: "open a post in", channelId, permission: "Create Posts" };
      const thread = await this.#attempt(step, () =>
        this.rest.post(Routes.threads(channelId), {
          body: { name, message: postBody(message), ...(appliedTags.length > 0 ? { applied_tags: appliedTags } : {}) },
          reason: AUDIT_REASON,
        }),
      );
      threadId = (thread as APIThreadChannel).id;
    } else {
      const starter = await this.#attempt({ what: "post in", channelId, permission: "Send Messages" }, () =>
        this.rest.post(Routes.channelMessages(channelId), { body: postBody(message) }),
      );
      const step: DiscordChatStep = { what: "open a thread in", channelId, permission: "Create Public Threads" };
      const thread = await this.#attempt(step, () => this.rest.post(Routes.threads(channelId, (starter as APIMessage).id), { body: { name }, reason: AUDIT_REASON }));
      threadId = (thread as APIThreadChannel).id;
    }
    this.log.debug({ spaceId, channelId, threadId }, "opened a discord thread");
    return { platform: "discord", spaceId, channelId, threadId, url: `https://discord.com/channels/${spaceId}/${threadId}` };
  }

  async postInThread(thread: ThreadRef, message: Post): Promise<void> {
    // Posting in an archived (not locked) thread unarchives it, which is what a reminder wants.
    await this.#attempt({ what: "post in", channelId: thread.threadId, permission: "Send Messages in Threads" }, () =>
      this.rest.post(Routes.channelMessages(thread.threadId), { body: postBody(message) }),
    );
  }

  async post(_spaceId: string, channelId: string, message: Post): Promise<void> {
    await this.#attempt({ what: "post in", channelId, permission: "Send Messages" }, () => this.rest.post(Routes.channelMessages(channelId), { body: postBody(message) }));
  }

  async markSolved(thread: ThreadRef, note: Post): Promise<void> {
    await this.postInThread(thread, note);
    const step: DiscordChatStep = { what: "update the thread", channelId: thread.threadId, permission: "Manage Threads" };
    const current = (await this.#attempt(step, () => this.#retry(() => this.rest.get(Routes.channel(thread.threadId))))) as APIThreadChannel;
    const parent = await this.#attempt(step, () => this.#channel(current.parent_id ?? thread.channelId));
    const solvedTag = isForum(parent.type) ? parent.tags.find((t) => t.name.trim().toLowerCase() === "solved") : undefined;
    const body = solvedTag
      ? { applied_tags: withTag(current.applied_tags ?? [], solvedTag.id), archived: true }
      : { name: solvedName(current.name), archived: true };
    await this.#attempt(step, () => this.#retry(() => this.rest.patch(Routes.channel(thread.threadId), { body, reason: "Guildhall: marked solved" })));
  }

  async removeThread(thread: ThreadRef): Promise<void> {
    const step: DiscordChatStep = { what: "remove the thread in", channelId: thread.channelId, permission: "Manage Threads" };
    const parent = await this.#attempt(step, () => this.#channel(thread.channelId));
    await this.#attempt(step, () => this.#deleteIfThere(Routes.channel(thread.threadId)));
    // A thread in a text channel hangs off a starter message with the thread's id, which stays
    // behind when the thread goes; a forum post's starter is inside the thread and went with it.
    if (!isForum(parent.type)) {
      // The starter is the bot's own message, which it may delete without Manage Messages.
      await this.#attempt(step, () => this.#deleteIfThere(Routes.channelMessage(thread.channelId, thread.threadId)));
    }
    this.log.debug({ channelId: thread.channelId, threadId: thread.threadId }, "removed a discord thread");
  }

  /** Deletes what the route names; already gone (Unknown Channel or Message) is done, not a failure. */
  async #deleteIfThere(route: `/${string}`): Promise<void> {
    try {
      await this.#retry(() => this.rest.delete(route, { reason: "Guildhall: the question could not be recorded" }));
    } catch (error) {
      const code = error instanceof DiscordAPIError ? error.code : undefined;
      if (code === RESTJSONErrorCodes.UnknownChannel || code === RESTJSONErrorCodes.UnknownMessage) return;
      throw error;
    }
  }

  /** The channel's kind and tags, read once per few minutes; a failed read is not remembered. */
  #channel(channelId: string): Promise<ChannelFacts> {
    const facts = this.#channels.getOrSet(channelId, async () => {
      const channel = (await this.#retry(() => this.rest.get(Routes.channel(channelId)))) as APIChannel;
      return { type: channel.type, tags: "available_tags" in channel ? (channel.available_tags ?? []) : [] };
    });
    facts.catch(() => this.#channels.delete(channelId));
    return facts;
  }

  /** Runs one step, turning its failure into an error that says what an admin should do. */
  async #attempt<T>(step: DiscordChatStep, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.log.warn({ err: error, channel: step.channelId, step: step.what }, "discord chat request failed");
      throw discordChatError(error, step);
    }
  }
}

function isForum(type: ChannelType): boolean {
  return type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
}

/** Ids of the forum tags named (case-insensitively) in `names`; unknown names are skipped. */
function tagIds(available: readonly APIGuildForumTag[], names: readonly string[]): string[] {
  const wanted = new Set(names.map((n) => n.trim().toLowerCase()));
  return available.filter((t) => wanted.has(t.name.trim().toLowerCase())).map((t) => t.id).slice(0, MAX_APPLIED_TAGS);
}

/** The thread's tags plus `tag`, dropping the last others when the post already has the most Discord allows. */
function withTag(applied: readonly string[], tag: string): string[] {
  if (applied.includes(tag)) return [...applied];
  return [...applied.slice(0, MAX_APPLIED_TAGS - 1), tag];
}

function solvedName(name: string): string {
  return name.startsWith(SOLVED_PREFIX.trim()) ? name : truncate(`${SOLVED_PREFIX}${name}`, LIMITS.discordThreadName);
}

/**
 * The post in Discord's JSON shape. Nothing pings but the roles and users the post names in
 * `pings`; Discord only pings from a message's content, so when the post renders as an
 * embed those mentions go into the content as well.
 */
export function postBody(post: Post): RESTPostAPIChannelMessageJSONBody {
  const { allowedMentions: _none, ...rendered } = renderDiscordMessage(post);
  const roles = unique(post.pings?.discordRoleIds ?? []);
  const users = unique(post.pings?.userIds ?? []);
  const pinged = [...roles.map((id) => `<@&${id}>`), ...users.map((id) => `<@${id}>`)].join(" ");
  const content = rendered.content ?? (pinged || undefined);
  return {
    ...rendered,
    ...(content === undefined ? {} : { content }),
    allowed_mentions: { parse: [], ...(roles.length > 0 ? { roles } : {}), ...(users.length > 0 ? { users } : {}) },
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)].slice(0, 100);
}

// Builders for the JSON objects Discord sends. Field sets follow the real API closely because
// discord.js reads many of them without checks (embeds.map, thread_metadata.archived, ...).
import { isoNow, snowflake } from "./ids.js";
import type { FakeChannel, FakeRole, FakeUser } from "./types.js";

/** A Discord user object. */
export interface ApiUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot?: boolean;
  public_flags: number;
  flags: number;
  primary_guild: null;
}

/** A Discord role object. */
export interface ApiRole {
  id: string;
  name: string;
  color: number;
  colors: { primary_color: number; secondary_color: null; tertiary_color: null };
  hoist: boolean;
  icon: null;
  unicode_emoji: null;
  position: number;
  permissions: string;
  managed: boolean;
  mentionable: boolean;
  flags: number;
}

/** A channel (guild channel, thread or DM). Extra fields are kept as Discord sent or set them. */
export interface ApiChannel {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string | null;
  last_message_id: string | null;
  thread_metadata?: { archived: boolean; locked: boolean; auto_archive_duration: number; archive_timestamp: string; create_timestamp: string; invitable?: boolean };
  recipients?: ApiUser[];
  message_count?: number;
  total_message_sent?: number;
  [field: string]: unknown;
}

/** A message object. */
export interface ApiMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: ApiUser;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: unknown[];
  flags: number;
  type: number;
  timestamp: string;
  edited_timestamp: string | null;
  [field: string]: unknown;
}

/** A guild member as the fake stores it. */
export interface MemberState {
  user: ApiUser;
  roles: string[];
  nick: string | null;
  joined_at: string;
}

/** Message flags the fake acts on. */
export const MessageFlag = { Ephemeral: 64, Loading: 128 } as const;

/** Full user object from the short form tests use. */
export function apiUser(user: FakeUser): ApiUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: user.globalName ?? null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
    primary_guild: null,
  };
}

/** A role object; @everyone is the role whose id equals the guild id. */
export function apiRole(role: FakeRole, fallbackPosition: number): ApiRole {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? fallbackPosition,
    permissions: role.permissions ?? "0",
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** A guild channel (text, announcement, category or forum). */
export function apiGuildChannel(channel: FakeChannel, guildId: string, position: number): ApiChannel {
  const type = channel.type ?? 0;
  const base: ApiChannel = {
    id: channel.id,
    type,
    name: channel.name,
    guild_id: guildId,
    position,
    parent_id: channel.parentId ?? null,
    permission_overwrites: [],
    flags: 0,
    last_message_id: null,
  };
  if (type === 4) return base;
  const textish = { ...base, topic: channel.topic ?? null, nsfw: false, rate_limit_per_user: 0, default_auto_archive_duration: 4320 };
  if (type !== 15 && type !== 16) return textish;
  // Forum and media channels: discord.js maps available_tags without a null check.
  return {
    ...textish,
    available_tags: (channel.availableTags ?? []).map((t) => ({ id: t.id, name: t.name, moderated: t.moderated ?? false, emoji_id: null, emoji_name: null })),
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    default_thread_rate_limit_per_user: 0,
  };
}

/** A thread channel created under `parent` by the bot. */
export function apiThread(parent: ApiChannel, id: string, body: { name: string; type: number; autoArchive?: number; ownerId: string; appliedTags?: string[] }): ApiChannel {
  const now = isoNow();
  return {
    id,
    type: body.type,
    guild_id: parent.guild_id ?? "",
    parent_id: parent.id,
    owner_id: body.ownerId,
    name: body.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    applied_tags: body.appliedTags ?? [],
    thread_metadata: {
      archived: false,
      locked: false,
      auto_archive_duration: body.autoArchive ?? 4320,
      archive_timestamp: now,
      create_timestamp: now,
      ...(body.type === 12 ? { invitable: true } : {}),
    },
    member: { id, user_id: body.ownerId, join_timestamp: now, flags: 0 },
  };
}

/** A DM channel with one recipient. */
export function apiDmChannel(recipient: ApiUser): ApiChannel {
  return { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

/** A member object as REST and gateway send it. */
export function apiMember(member: MemberState, permissions?: string): Record<string, unknown> {
  return {
    user: member.user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joined_at,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

/** Fields a message takes from a create or edit body. */
export interface MessageBody {
  content?: string | null;
  embeds?: unknown[] | null;
  components?: unknown[] | null;
  attachments?: unknown[] | null;
  flags?: number | null;
  tts?: boolean;
  nonce?: string | number;
  message_reference?: { message_id?: string };
}

/** A new message in `channel` by `author`. */
export function apiMessage(channel: ApiChannel, author: ApiUser, body: MessageBody, extra: Partial<ApiMessage> = {}): ApiMessage {
  return {
    id: snowflake(),
    type: body.message_reference?.message_id ? 19 : 0,
    channel_id: channel.id,
    ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    author,
    content: body.content ?? "",
    embeds: storedEmbeds(body.embeds ?? []),
    components: withComponentIds(body.components ?? []),
    attachments: [], // only uploads make attachments (createMessage adds them)
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: body.tts ?? false,
    timestamp: isoNow(),
    edited_timestamp: null,
    flags: body.flags ?? 0,
    ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
    ...(body.message_reference ? { message_reference: { type: 0, channel_id: channel.id, ...body.message_reference } } : {}),
    ...extra,
  };
}

/** Applies an edit body to a stored message, as PATCH does: only the fields sent change. */
export function applyMessageEdit(message: ApiMessage, body: MessageBody): void {
  if (body.content !== undefined) message.content = body.content ?? "";
  if (body.embeds !== undefined) message.embeds = storedEmbeds(body.embeds ?? []);
  if (body.components !== undefined) message.components = withComponentIds(body.components ?? []);
  // On an edit, `attachments` lists what the message keeps (by id); new uploads are added by the route.
  if (body.attachments !== undefined) {
    const keep = new Set((body.attachments ?? []).map((a) => String((a as { id?: unknown }).id)));
    message.attachments = message.attachments.filter((a) => keep.has(String((a as { id?: unknown }).id)));
  }
  message.edited_timestamp = isoNow();
}

/** Embeds as Discord stores them: a bot can only send rich embeds, and Discord says so in `type`. */
export function storedEmbeds(embeds: unknown[]): unknown[] {
  return embeds.map((embed) => {
    if (typeof embed !== "object" || embed === null) return embed;
    const fields = (embed as { fields?: unknown }).fields;
    // Fields come back with `inline` spelled out (false unless the sender said true).
    const withInline = Array.isArray(fields) ? { fields: fields.map((f: Record<string, unknown>) => ({ ...f, inline: f.inline === true })) } : {};
    return { ...embed, ...withInline, type: "rich" };
  });
}

type Component = Record<string, unknown>;

/**
 * Components as Discord stores them: every component, nested ones included, carries a numeric
 * `id`. Ids the sender chose are kept; the others are numbered 1, 2, 3... in document order,
 * skipping numbers already taken.
 */
export function withComponentIds(components: unknown[]): unknown[] {
  const copy = structuredClone(components) as Component[];
  const all: Component[] = [];
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const item of list as unknown[]) {
      if (typeof item !== "object" || item === null) continue;
      const component = item as Component;
      all.push(component);
      walk(component.components);
      if (typeof component.accessory === "object" && component.accessory !== null) walk([component.accessory]);
    }
  };
  walk(copy);
  const taken = new Set(all.map((c) => c.id).filter((id): id is number => typeof id === "number" && id !== 0));
  let next = 1;
  for (const component of all) {
    if (typeof component.id === "number" && component.id !== 0) continue;
    while (taken.has(next)) next += 1;
    component.id = next;
    taken.add(next);
  }
  return copy;
}

// Channels and who is in them, and the conversations.* methods that read and change that.
// Slack hides a private channel from anyone outside it (the bot included): every method
// then answers channel_not_found, as if the channel did not exist. A public channel is
// visible to the bot from outside, but changing its membership needs the bot inside
// (not_in_channel).
import type { FakeSlackChannel, SlackAnswer, SlackArgs, SlackChannel } from "./types.js";
import { fail, str, type Workspace } from "./workspace.js";

/** Slack's page size for conversations.members when `limit` is not given, and its maximum. */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
/** conversations.invite takes at most this many users per call. */
const MAX_INVITES = 1000;
const FIRST_CREATED = 1_600_000_000;

/** The channel as the fake keeps it, from the way a test describes it. */
export function channelFrom(input: FakeSlackChannel, botUserId: string): SlackChannel {
  const members = new Set(input.members ?? []);
  // A bot is in a channel only once someone invited it; tests that want it outside say so.
  if (input.botIsMember ?? true) members.add(botUserId);
  return {
    id: input.id,
    name: input.name ?? input.id.toLowerCase(),
    isPrivate: input.private ?? false,
    isArchived: input.archived ?? false,
    isGeneral: input.general ?? false,
    isIm: false,
    members,
    created: FIRST_CREATED,
  };
}

/** The channel if the bot can see it: it exists, and the bot is in it when it is private or a DM. */
export function visibleChannel(ws: Workspace, id: string | undefined): SlackChannel | undefined {
  const channel = id === undefined ? undefined : ws.channels.get(id);
  if (!channel) return undefined;
  if ((channel.isPrivate || channel.isIm) && !channel.members.has(ws.botUserId)) return undefined;
  return channel;
}

/** A known workspace member (the bot counts as one). */
export function knownUser(ws: Workspace, id: string): boolean {
  return id === ws.botUserId || ws.users.has(id);
}

/** The DM between the app and `userId`, opened if needed (ids are "D" + the user id). */
export function openIm(ws: Workspace, userId: string): { channel: SlackChannel; existed: boolean } {
  const id = `D${userId}`;
  const existing = ws.channels.get(id);
  if (existing) return { channel: existing, existed: true };
  const channel: SlackChannel = {
    id,
    name: id,
    isPrivate: true,
    isArchived: false,
    isGeneral: false,
    isIm: true,
    user: userId,
    members: new Set([ws.botUserId, userId]),
    created: FIRST_CREATED + ws.channels.size,
  };
  ws.channels.set(id, channel);
  return { channel, existed: false };
}

/** A group DM between the app and `users`: a private conversation only they are in. */
function openGroupDm(ws: Workspace, users: string[]): { channel: SlackChannel; existed: boolean } {
  const key = [...users].sort().join(",");
  const existing = [...ws.channels.values()].find((c) => c.mpimKey === key);
  if (existing) return { channel: existing, existed: true };
  const id = `G${String(ws.channels.size + 1).padStart(9, "0")}M`;
  const channel: SlackChannel = { ...channelFrom({ id, name: `mpdm-${users.join("--")}`, private: true }, ws.botUserId), mpimKey: key };
  for (const user of users) channel.members.add(user);
  ws.channels.set(id, channel);
  return { channel, existed: false };
}

/** A conversation object with the fields Slack always sends (objs_conversation in Slack's spec). */
export function conversationObject(channel: SlackChannel, ws: Workspace, withCount = false): Record<string, unknown> {
  if (channel.isIm) {
    return { id: channel.id, created: channel.created, is_im: true, is_org_shared: false, user: channel.user ?? "", is_user_deleted: false, priority: 0 };
  }
  const emptyText = { value: "", creator: "", last_set: 0 };
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    created: channel.created,
    // Whoever made the channel; the fake does not say, so it names the bot.
    creator: ws.botUserId,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: channel.mpimKey !== undefined,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_general: channel.isGeneral,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    is_member: channel.members.has(ws.botUserId),
    topic: emptyText,
    purpose: emptyText,
    ...(withCount ? { num_members: channel.members.size } : {}),
  };
}

/**
 * Why the bot may not change who is in `channel`, if it may not: Slack checks that the
 * channel can be seen, can hold members, is not archived and has the bot in it.
 */
function membershipRefusal(ws: Workspace, id: string | undefined): SlackAnswer | SlackChannel {
  const channel = visibleChannel(ws, id);
  if (!channel) return fail("channel_not_found");
  if (channel.isIm) return fail("method_not_supported_for_channel_type");
  if (channel.isArchived) return fail("is_archived");
  if (!channel.members.has(ws.botUserId)) return fail("not_in_channel");
  return channel;
}

function isAnswer(value: SlackAnswer | SlackChannel): value is SlackAnswer {
  return "ok" in value;
}

function invite(args: SlackArgs, ws: Workspace): SlackAnswer {
  const channel = membershipRefusal(ws, str(args.channel));
  if (isAnswer(channel)) return channel;
  const users = (str(args.users) ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  if (users.length === 0) return fail("no_user");
  if (users.length > MAX_INVITES) return fail("too_many_users");
  // Slack refuses the whole call on the first bad user, and adds nobody.
  for (const user of users) {
    if (user === ws.botUserId) return fail("cant_invite_self");
    if (!knownUser(ws, user)) return fail("user_not_found");
    if (channel.members.has(user)) return fail("already_in_channel");
  }
  for (const user of users) channel.members.add(user);
  return { ok: true, channel: conversationObject(channel, ws) };
}

function kick(args: SlackArgs, ws: Workspace): SlackAnswer {
  const channel = membershipRefusal(ws, str(args.channel));
  if (isAnswer(channel)) return channel;
  const user = str(args.user);
  if (!user || !knownUser(ws, user)) return fail("user_not_found");
  if (user === ws.botUserId) return fail("cant_kick_self");
  if (channel.isGeneral) return fail("cant_kick_from_general");
  // About the member: they are not in the channel (the bot's own absence was checked above).
  if (!channel.members.has(user)) return fail("not_in_channel");
  channel.members.delete(user);
  return { ok: true };
}

function info(args: SlackArgs, ws: Workspace): SlackAnswer {
  const channel = visibleChannel(ws, str(args.channel));
  if (!channel) return fail("channel_not_found");
  return { ok: true, channel: conversationObject(channel, ws, args.include_num_members === true || args.include_num_members === "true") };
}

function members(args: SlackArgs, ws: Workspace): SlackAnswer {
  const channel = visibleChannel(ws, str(args.channel));
  if (!channel) return fail("channel_not_found");
  const limit = args.limit === undefined ? DEFAULT_PAGE : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return fail("invalid_limit");
  const start = args.cursor === undefined || args.cursor === "" ? 0 : cursorOffset(String(args.cursor));
  if (start === undefined) return fail("invalid_cursor");
  const all = [...channel.members];
  const page = all.slice(start, start + limit);
  const next = start + limit < all.length ? Buffer.from(`offset:${start + limit}`).toString("base64") : "";
  return { ok: true, members: page, response_metadata: { next_cursor: next } };
}

function cursorOffset(cursor: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : undefined;
}

function open(args: SlackArgs, ws: Workspace): SlackAnswer {
  const existing = str(args.channel);
  if (existing) {
    const channel = visibleChannel(ws, existing);
    return channel ? { ok: true, no_op: true, already_open: true, channel: { id: channel.id } } : fail("channel_not_found");
  }
  const users = (str(args.users) ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  if (users.length === 0) return fail("users_list_not_supplied");
  if (users.length > 8) return fail("too_many_users");
  if (users.some((u) => !knownUser(ws, u))) return fail("user_not_found");
  const { channel, existed } = users.length === 1 ? openIm(ws, users[0] ?? "") : openGroupDm(ws, users);
  return { ok: true, ...(existed ? { no_op: true, already_open: true } : {}), channel: { id: channel.id } };
}

/** The conversations.* methods the fake models. */
export const CONVERSATION_HANDLERS: Record<string, (args: SlackArgs, ws: Workspace) => SlackAnswer> = {
  "conversations.invite": invite,
  "conversations.kick": kick,
  "conversations.info": info,
  "conversations.members": members,
  "conversations.open": open,
};

// The fake's normal answers to Web API methods, shaped like Slack's. A method the fake does
// not model answers unknown_method, as Slack does for a misspelt one: a bot calling it would
// fail in production too, so it must fail in tests.
import { CONVERSATION_HANDLERS, knownUser, openIm, visibleChannel } from "./conversations.js";
import type { SlackAnswer, SlackArgs, SlackChannel, SlackUser } from "./types.js";
import { fail, str, truthy, type Workspace } from "./workspace.js";

type Handler = (args: SlackArgs, ws: Workspace) => SlackAnswer;

const HANDLERS: Record<string, Handler> = {
  "auth.test": (_args, ws) => ({
    ok: true,
    url: `https://${ws.teamDomain}.slack.com/`,
    team: "Fake Team",
    user: "guildhall",
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    is_enterprise_install: false,
  }),
  "apps.connections.open": (_args, ws) => ({ ok: true, url: ws.socketUrl() }),

  "chat.postMessage": (args, ws) => {
    const target = postTarget(ws, str(args.channel));
    if (!isChannel(target)) return target;
    if (!str(args.text) && args.blocks === undefined && args.attachments === undefined) return fail("no_text");
    const channel = target.id;
    const ts = ws.nextTs();
    const message = messageFrom(args, ts, ws);
    ws.messages.push({ channel, ts, text: String(args.text ?? ""), ...(args.blocks !== undefined ? { blocks: args.blocks } : {}), ...(str(args.thread_ts) ? { thread_ts: String(args.thread_ts) } : {}) });
    return { ok: true, channel, ts, message };
  },
  "chat.postEphemeral": (args, ws) => {
    const target = postTarget(ws, str(args.channel));
    if (!isChannel(target)) return target;
    if (!target.members.has(str(args.user) ?? "")) return fail("user_not_in_channel");
    return { ok: true, message_ts: ws.nextTs() };
  },
  "chat.update": (args, ws) => {
    const channel = visibleChannel(ws, str(args.channel))?.id;
    const ts = str(args.ts);
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    return { ok: true, channel, ts, text: args.text ?? "", message: messageFrom(args, ts, ws) };
  },
  "chat.delete": (args, ws) => {
    const channel = visibleChannel(ws, str(args.channel))?.id;
    const ts = str(args.ts);
    if (!channel) return fail("channel_not_found");
    const index = ws.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (index < 0) return fail("message_not_found");
    // A bot token deletes only the bot's own messages. Replies stay, as under Slack's tombstone.
    if ((ws.messages[index]!.user ?? ws.botUserId) !== ws.botUserId) return fail("cant_delete_message");
    ws.messages.splice(index, 1);
    return { ok: true, channel, ts };
  },
  "chat.getPermalink": (args, ws) => {
    const channel = visibleChannel(ws, str(args.channel))?.id;
    const ts = str(args.message_ts);
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    return { ok: true, channel, permalink: `https://${ws.teamDomain}.slack.com/archives/${channel}/p${ts.replace(".", "")}` };
  },

  ...CONVERSATION_HANDLERS,

  "users.info": (args, ws) => {
    const user = ws.users.get(str(args.user) ?? "");
    return user ? { ok: true, user: userObject(user, ws) } : fail("user_not_found");
  },
  "usergroups.users.list": (args, ws) => {
    const users = ws.userGroups.get(str(args.usergroup) ?? "");
    return users ? { ok: true, users: [...users] } : fail("no_such_subteam");
  },
  "usergroups.list": (args, ws) => ({
    ok: true,
    usergroups: [...ws.userGroups].map(([id, users]) => ({
      id,
      team_id: ws.teamId,
      is_usergroup: true,
      is_subteam: true,
      name: id,
      description: "",
      handle: id.toLowerCase(),
      is_external: false,
      date_create: 0,
      date_update: 0,
      date_delete: 0,
      auto_type: null,
      auto_provision: false,
      enterprise_subteam_id: "",
      created_by: ws.botUserId,
      updated_by: ws.botUserId,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      user_count: users.length,
      ...(truthy(args.include_users) ? { users: [...users] } : {}),
    })),
  }),

  "reactions.add": (args, ws) => {
    const [channel, ts, name] = [visibleChannel(ws, str(args.channel))?.id, str(args.timestamp), str(args.name)];
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    if (!name) return fail("invalid_name");
    const key = `${channel} ${ts} ${name}`;
    if (ws.reactions.has(key)) return fail("already_reacted");
    ws.reactions.add(key);
    return { ok: true };
  },
  "views.open": (args, ws) => viewAnswer(args, ws),
  "views.push": (args, ws) => viewAnswer(args, ws),
  "views.update": (args, ws) => viewAnswer(args, ws),
  "views.publish": (args, ws) => (str(args.user_id) ? viewAnswer(args, ws) : fail("user_not_found")),
  // Slack's external upload (what files.uploadV2 drives): a URL for the bytes, then completion.
  "files.getUploadURLExternal": (args, ws) => {
    if (!ws.scopes.has("files:write")) return fail("missing_scope");
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return fail("invalid_arguments");
    const id = `F${String(ws.uploads.size + 1).padStart(8, "0")}`;
    ws.uploads.set(id, { filename, length });
    return { ok: true, upload_url: ws.uploadUrl(id), file_id: id };
  },
  "files.completeUploadExternal": (args, ws) => {
    let files: { id?: string; title?: string }[];
    try {
      files = typeof args.files === "string" ? (JSON.parse(args.files) as { id?: string; title?: string }[]) : (args.files as { id?: string; title?: string }[]);
    } catch {
      return fail("invalid_arguments");
    }
    if (!Array.isArray(files) || files.length === 0) return fail("invalid_arguments");
    const channelId = str(args.channel_id);
    if (channelId && !ws.channels.has(channelId)) return fail("channel_not_found");
    const uploads = files.map((f) => ({ f, upload: ws.uploads.get(String(f.id)) }));
    // Slack refuses to complete a file whose bytes never arrived.
    if (uploads.some((u) => !u.upload || u.upload.received === undefined)) return fail("file_not_found");
    for (const { f, upload } of uploads) upload!.completed = { channelId: str(args.channel_id), title: f.title };
    return { ok: true, files: uploads.map(({ f, upload }) => ({ id: f.id, name: upload!.filename, title: f.title ?? upload!.filename })) };
  },
};

/** HTTP status of Slack's unknown_method answer: the method's URL does not exist. */
export const UNKNOWN_METHOD_STATUS = 404;

/** The normal answer for a method, or undefined when the fake does not model it (see {@link unknownMethod}). */
export function answerWebApi(method: string, args: SlackArgs, ws: Workspace): SlackAnswer | undefined {
  const handler = HANDLERS[method];
  return handler ? handler(args, ws) : undefined;
}

/** Slack's answer to a method it does not have, naming the method it was asked for. */
export function unknownMethod(method: string): SlackAnswer {
  return { ok: false, error: "unknown_method", req_method: method };
}

/** Whether the fake models `method` (a canned answer may still replace its normal one). */
export function isKnownMethod(method: string): boolean {
  return method in HANDLERS;
}

/**
 * Where chat.postMessage and chat.postEphemeral may write: a channel the bot can see that is
 * not archived; a public one it is not in only with chat:write.public. A user id posts in the
 * app's DM with that member, as Slack does.
 */
function postTarget(ws: Workspace, id: string | undefined): SlackChannel | SlackAnswer {
  if (id !== undefined && /^[UW]/.test(id)) return knownUser(ws, id) ? openIm(ws, id).channel : fail("channel_not_found");
  const channel = visibleChannel(ws, id);
  if (!channel) return fail("channel_not_found");
  if (channel.isArchived) return fail("is_archived");
  if (!channel.members.has(ws.botUserId) && !ws.scopes.has("chat:write.public")) return fail("not_in_channel");
  return channel;
}

function isChannel(value: SlackChannel | SlackAnswer): value is SlackChannel {
  return "members" in value;
}

/**
 * Slack's token rules that catch real configuration mistakes: every method needs a token, and
 * an app-level token (xapp-) only opens Socket Mode connections.
 */
export function tokenError(method: string, token: string | undefined): SlackAnswer | undefined {
  if (!token) return fail("not_authed");
  const appToken = token.startsWith("xapp-");
  if (method === "apps.connections.open" && !appToken) return fail("not_allowed_token_type");
  if (method !== "apps.connections.open" && appToken) return fail("not_allowed_token_type");
  return undefined;
}

function messageFrom(args: SlackArgs, ts: string, ws: Workspace): Record<string, unknown> {
  return {
    type: "message",
    text: args.text ?? "",
    ts,
    user: ws.botUserId,
    bot_id: ws.botId,
    ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    ...(args.thread_ts !== undefined ? { thread_ts: args.thread_ts } : {}),
  };
}

function userObject(user: SlackUser, ws: Workspace): Record<string, unknown> {
  const realName = user.real_name ?? user.name;
  return {
    id: user.id,
    team_id: ws.teamId,
    name: user.name,
    real_name: realName,
    deleted: false,
    is_bot: false,
    is_admin: user.is_admin ?? false,
    is_owner: false,
    is_app_user: false,
    updated: 1_600_000_000,
    tz: user.tz ?? "Europe/London",
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: user.name,
      display_name_normalized: user.name,
      avatar_hash: "",
      title: "",
      phone: "",
      skype: "",
      status_text: "",
      status_emoji: "",
      fields: null,
    },
  };
}

function viewAnswer(args: SlackArgs, ws: Workspace): SlackAnswer {
  const view: unknown = args.view;
  if (typeof view !== "object" || view === null) return fail("invalid_arguments");
  const id = str(args.view_id) ?? ws.nextViewId();
  return { ok: true, view: { ...(view as Record<string, unknown>), id, team_id: ws.teamId, app_id: ws.appId, bot_id: ws.botId } };
}

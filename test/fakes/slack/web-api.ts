// The fake's normal answers to Web API methods, shaped like Slack's (only the fields bots read).
// Unknown methods answer `{ ok: true }` so the bot under test never crashes on them.
import type { SlackAnswer, SlackArgs, SlackMessage, SlackUser } from "./types.js";

/** The workspace the fake pretends to be, and the counters behind its ids. */
export interface Workspace {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  users: Map<string, SlackUser>;
  userGroups: Map<string, string[]>;
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
}

type Handler = (args: SlackArgs, ws: Workspace) => SlackAnswer;

const fail = (error: string): SlackAnswer => ({ ok: false, error });
const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);
const truthy = (value: unknown): boolean => value === true || value === "true" || value === "1";

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
    const channel = str(args.channel);
    if (!channel) return fail("channel_not_found");
    if (!str(args.text) && args.blocks === undefined && args.attachments === undefined) return fail("no_text");
    const ts = ws.nextTs();
    const message = messageFrom(args, ts, ws);
    ws.messages.push({ channel, ts, text: String(args.text ?? ""), ...(args.blocks !== undefined ? { blocks: args.blocks } : {}), ...(str(args.thread_ts) ? { thread_ts: String(args.thread_ts) } : {}) });
    return { ok: true, channel, ts, message };
  },
  "chat.postEphemeral": (args, ws) => {
    if (!str(args.channel)) return fail("channel_not_found");
    if (!str(args.user)) return fail("user_not_in_channel");
    return { ok: true, message_ts: ws.nextTs() };
  },
  "chat.update": (args, ws) => {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    return { ok: true, channel, ts, text: args.text ?? "", message: messageFrom(args, ts, ws) };
  },
  "chat.delete": (args) => {
    const channel = str(args.channel);
    const ts = str(args.ts);
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    return { ok: true, channel, ts };
  },
  "chat.getPermalink": (args, ws) => {
    const channel = str(args.channel);
    const ts = str(args.message_ts);
    if (!channel) return fail("channel_not_found");
    if (!ts) return fail("message_not_found");
    return { ok: true, channel, permalink: `https://${ws.teamDomain}.slack.com/archives/${channel}/p${ts.replace(".", "")}` };
  },

  "conversations.open": (args) => {
    const existing = str(args.channel);
    if (existing) return { ok: true, channel: { id: existing } };
    const users = (str(args.users) ?? "").split(",").filter(Boolean);
    if (users.length === 0) return fail("users_list_not_supplied");
    return { ok: true, channel: { id: users.length === 1 ? `D${users[0]}` : `G${users.join("")}` } };
  },
  "conversations.invite": (args) => {
    const channel = str(args.channel);
    if (!channel) return fail("channel_not_found");
    if (!str(args.users)) return fail("no_user");
    return { ok: true, channel: channelInfo(channel) };
  },
  "conversations.kick": (args) => {
    if (!str(args.channel)) return fail("channel_not_found");
    if (!str(args.user)) return fail("user_not_found");
    return { ok: true };
  },
  "conversations.info": (args) => {
    const channel = str(args.channel);
    return channel ? { ok: true, channel: channelInfo(channel) } : fail("channel_not_found");
  },
  "conversations.members": (args, ws) => {
    if (!str(args.channel)) return fail("channel_not_found");
    return { ok: true, members: [...ws.users.keys()], response_metadata: { next_cursor: "" } };
  },

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
      handle: id.toLowerCase(),
      name: id,
      user_count: users.length,
      ...(truthy(args.include_users) ? { users: [...users] } : {}),
    })),
  }),

  "reactions.add": (args, ws) => {
    const [channel, ts, name] = [str(args.channel), str(args.timestamp), str(args.name)];
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
};

/** The normal answer for a method; `{ ok: true }` for methods the fake does not model. */
export function answerWebApi(method: string, args: SlackArgs, ws: Workspace): SlackAnswer {
  const handler = HANDLERS[method];
  return handler ? handler(args, ws) : { ok: true };
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

function channelInfo(id: string): Record<string, unknown> {
  return {
    id,
    name: `channel-${id.toLowerCase()}`,
    is_channel: id.startsWith("C"),
    is_group: id.startsWith("G"),
    is_im: id.startsWith("D"),
    is_private: id.startsWith("G"),
    is_member: true,
    is_archived: false,
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
    tz: user.tz ?? "Europe/London",
    profile: { real_name: realName, display_name: user.name },
  };
}

function viewAnswer(args: SlackArgs, ws: Workspace): SlackAnswer {
  const view: unknown = args.view;
  if (typeof view !== "object" || view === null) return fail("invalid_arguments");
  const id = str(args.view_id) ?? ws.nextViewId();
  return { ok: true, view: { ...(view as Record<string, unknown>), id, team_id: ws.teamId, app_id: ws.appId, bot_id: ws.botId } };
}

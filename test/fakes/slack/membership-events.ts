// Changes someone makes by hand in Slack (inviting a member or the bot, removing someone,
// unarchiving), each followed by the event Slack sends the app over Socket Mode, so the app
// hears of them as it would live. Without a connected client the change just happens.
import { randomBytes } from "node:crypto";
import type { SocketModeServer } from "./socket.js";
import type { FakeSlack } from "./types.js";
import type { Workspace } from "./workspace.js";

export function membershipEvents(ws: Workspace, socket: SocketModeServer): Pick<FakeSlack, "joinChannel" | "leaveChannel" | "unarchiveChannel"> {
  const channelOf = (id: string) => {
    const channel = ws.channels.get(id);
    if (!channel) throw new Error(`Fake Slack has no channel ${id}`);
    return channel;
  };
  const emit = async (event: Record<string, unknown>) => {
    if (socket.connected() === 0) return;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(6, "0")}`;
    const payload = {
      token: "fake-verification-token",
      team_id: ws.teamId,
      api_app_id: ws.appId,
      event: { ...event, event_ts: ts },
      type: "event_callback",
      event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    await socket.send({ type: "events_api", payload });
  };
  return {
    async joinChannel(id, user, inviter) {
      const channel = channelOf(id);
      channel.members.add(user);
      await emit({ type: "member_joined_channel", user, channel: id, channel_type: channel.isPrivate ? "G" : "C", team: ws.teamId, ...(inviter ? { inviter } : {}) });
    },
    async leaveChannel(id, user) {
      const channel = channelOf(id);
      channel.members.delete(user);
      await emit({ type: "member_left_channel", user, channel: id, channel_type: channel.isPrivate ? "G" : "C", team: ws.teamId });
    },
    async unarchiveChannel(id, user = "U0ADMIN") {
      const channel = channelOf(id);
      channel.isArchived = false;
      // Slack names the event after the channel's kind: group_unarchive for private channels.
      await emit({ type: channel.isPrivate ? "group_unarchive" : "channel_unarchive", channel: id, user });
    },
  };
}

import type { Command } from "../../core/command.js";
import type { MessageCommand } from "../../core/message-command.js";
import { usage } from "../../help/index.js";

/** Bot scopes Guildhall needs, each for a reason a workspace admin can read in the README. */
export const SLACK_BOT_SCOPES = [
  "commands", // slash commands
  "chat:write", // replies and announcements
  "chat:write.public", // post in public channels without joining first
  "im:write", // direct messages
  "users:read", // workspace admins count as Guildhall admins
  "usergroups:read", // creator and admin user groups
  "groups:write", // invite to and remove from private channels (paid access)
  "channels:read",
  "groups:read",
  "reactions:write", // mark solved questions
  "files:write", // the /stats chart
  "channels:history", // replies in question threads (public channels)
  "groups:history", // replies in question threads (private channels)
];

/**
 * Events Guildhall subscribes to: team_join so access someone is owed follows them into the
 * workspace; message.channels and message.groups so replies in question threads count;
 * member_joined_channel and member_left_channel to keep paid channels' member lists current
 * (and, when the bot itself is invited, to retry what it could not do there); channel_unarchive
 * and group_unarchive to retry what an archived channel refused.
 */
export const SLACK_BOT_EVENTS = ["team_join", "message.channels", "message.groups", "member_joined_channel", "member_left_channel", "channel_unarchive", "group_unarchive"];

/** The Slack app manifest for every registered command (Socket Mode, so no public URL needed). */
export function slackManifest(commands: readonly Command[], messageCommands: readonly MessageCommand[] = []): Record<string, unknown> {
  return {
    display_information: {
      name: "Guildhall",
      description: "Courses, memberships, Q&A, code review and points for your community",
      background_color: "#1f2937",
    },
    features: {
      bot_user: { display_name: "Guildhall", always_online: true },
      slash_commands: commands.map((c) => ({
        command: `/${c.name}`,
        description: c.description,
        usage_hint: c.kind === "leaf" ? usage(c.name, c).replace(`/${c.name}`, "").trim() || undefined : `${c.subcommands.map((s) => s.name).join(" | ")} …`,
        should_escape: true,
      })),
      ...(messageCommands.length > 0
        ? { shortcuts: messageCommands.map((m) => ({ name: m.name, type: "message", callback_id: m.id, description: m.description })) }
        : {}),
    },
    oauth_config: { scopes: { bot: SLACK_BOT_SCOPES } },
    settings: {
      event_subscriptions: { bot_events: SLACK_BOT_EVENTS },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

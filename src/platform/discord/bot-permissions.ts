import { PermissionFlagsBits } from "discord.js";

/**
 * Every Discord permission Guildhall's bot uses, as the developer portal's URL generator names
 * it, and what for. The README's invite instructions list exactly these (a test checks), and
 * the chat poster names them when Discord refuses a step.
 */
export const BOT_PERMISSIONS = [
  { name: "View Channels", flag: "ViewChannel", why: "see the channels it posts in, and the messages in question threads" },
  { name: "Send Messages", flag: "SendMessages", why: "post question and review threads' first message, announcements, digests, live events and admin reports; forum posts" },
  { name: "Embed Links", flag: "EmbedLinks", why: "posts are embeds" },
  { name: "Create Public Threads", flag: "CreatePublicThreads", why: "a thread for each question and review" },
  { name: "Send Messages in Threads", flag: "SendMessagesInThreads", why: "reminders, follow-ups and solved notes in those threads" },
  { name: "Manage Threads", flag: "ManageThreads", why: "mark a question solved (rename or tag, archive), and delete a thread whose question could not be recorded" },
  { name: "Manage Roles", flag: "ManageRoles", why: "give and take the roles courses, memberships and levels grant" },
] as const satisfies readonly { name: string; flag: keyof typeof PermissionFlagsBits; why: string }[];

/** A permission's name as Discord's settings show it; "Create Posts" is Send Messages in a forum. */
export type BotPermissionName = (typeof BOT_PERMISSIONS)[number]["name"] | "Create Posts";

/** The `permissions` value of the bot's invite link: every permission above. */
export const BOT_PERMISSIONS_INTEGER = BOT_PERMISSIONS.reduce((bits, p) => bits | PermissionFlagsBits[p.flag], 0n).toString();

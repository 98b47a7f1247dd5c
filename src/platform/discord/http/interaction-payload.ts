/**
 * Discord's raw interaction JSON (as POSTed to the Interactions Endpoint URL) turned into
 * platform-neutral invocations, the way interaction-input.ts does for discord.js's objects.
 */
import type { MessageRef } from "../../../core/chat.js";
import type { Invocation } from "../../../core/invocation.js";
import type { RawOptionValue } from "../../../core/options.js";

const ADMINISTRATOR = 1n << 3n;
const SUB_COMMAND = 1;
const USER_OPTION = 6;
const CHANNEL_OPTION = 7;

interface RawUser {
  readonly id: string;
  readonly username?: string;
  readonly global_name?: string | null;
  readonly bot?: boolean;
}

interface RawOption {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly options?: readonly RawOption[];
  readonly focused?: boolean;
}

/** The fields Guildhall reads from an interaction; everything else is ignored. */
export interface RawInteraction {
  readonly id: string;
  readonly application_id: string;
  readonly type: number;
  readonly token: string;
  readonly guild_id?: string;
  readonly channel_id?: string;
  readonly channel?: { readonly id: string; readonly name?: string };
  readonly member?: { readonly user: RawUser; readonly roles: readonly string[]; readonly permissions: string; readonly nick?: string | null };
  readonly data?: {
    readonly name?: string;
    readonly type?: number;
    readonly options?: readonly RawOption[];
    readonly custom_id?: string;
    readonly target_id?: string;
    readonly resolved?: {
      readonly users?: Readonly<Record<string, RawUser>>;
      readonly channels?: Readonly<Record<string, { readonly name?: string }>>;
      readonly messages?: Readonly<Record<string, { readonly id: string; readonly content?: string; readonly author: RawUser; readonly channel_id?: string }>>;
    };
  };
}

const nameOf = (u: RawUser) => u.global_name ?? u.username ?? u.id;

/** Who, where and when; undefined outside a guild (DMs), where Guildhall does not serve commands. */
export function originOf(i: RawInteraction, receivedAt: Date): Omit<Invocation, "command" | "subcommand" | "options"> | undefined {
  if (!i.guild_id || !i.member) return undefined;
  const channelId = i.channel?.id ?? i.channel_id ?? "";
  return {
    platform: "discord",
    space: { id: i.guild_id, name: i.guild_id },
    user: { id: i.member.user.id, displayName: i.member.nick ?? nameOf(i.member.user) },
    channel: { id: channelId, ...(i.channel?.name ? { name: i.channel.name } : {}) },
    actor: { platform: "discord", roleIds: i.member.roles, isAdministrator: (BigInt(i.member.permissions || "0") & ADMINISTRATOR) !== 0n },
    receivedAt,
    id: `discord:${i.id}`,
  };
}

/** The subcommand (if any) and the leaf's options of a slash command or autocomplete. */
export function commandInput(i: RawInteraction): { subcommand: string | undefined; options: readonly RawOption[] } {
  const top = i.data?.options ?? [];
  const sub = top.length === 1 && top[0]?.type === SUB_COMMAND ? top[0] : undefined;
  return { subcommand: sub?.name, options: sub ? (sub.options ?? []) : top };
}

export function optionValues(i: RawInteraction, options: readonly RawOption[]): Record<string, RawOptionValue> {
  return Object.fromEntries(options.map((o) => [o.name, optionValue(i, o)]));
}

function optionValue(i: RawInteraction, o: RawOption): RawOptionValue {
  const id = String(o.value ?? "");
  if (o.type === USER_OPTION) {
    const user = i.data?.resolved?.users?.[id];
    return { platform: "discord", id, displayName: user ? nameOf(user) : id };
  }
  if (o.type === CHANNEL_OPTION) {
    const name = i.data?.resolved?.channels?.[id]?.name;
    return { id, ...(name ? { name } : {}) };
  }
  return o.value ?? "";
}

/** The message a message command was run on. */
export function targetMessage(i: RawInteraction): MessageRef | undefined {
  const m = i.data?.target_id ? i.data.resolved?.messages?.[i.data.target_id] : undefined;
  if (!m) return undefined;
  return { id: m.id, channelId: m.channel_id ?? i.channel?.id ?? i.channel_id ?? "", author: { id: m.author.id, displayName: nameOf(m.author), ...(m.author.bot ? { bot: true } : {}) }, text: m.content ?? "" };
}

// Everything the fake remembers between requests: guilds, channels, members, messages,
// interactions and registered commands. Routes mutate it; tests may read it for assertions.
import { isoNow } from "./ids.js";
import { type ApiChannel, type ApiMessage, type ApiRole, type ApiUser, type MemberState, apiGuildChannel, apiRole, apiUser } from "./payloads.js";
import type { FakeGuild, FakeUser } from "./types.js";
import { NonceMemory } from "./nonces.js";

/** A guild as the fake holds it. */
export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: ApiRole[];
  members: Map<string, MemberState>;
  commands: Record<string, unknown>[];
}

/** An interaction the fake dispatched, and how the bot has answered it so far. */
export interface InteractionState {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete. */
  type: number;
  guildId: string;
  channelId: string;
  /** Callback type of the first response (4, 5, 6, 7, 8, 9), or null while unanswered. */
  responseType: number | null;
  /** Message behind @original, once there is one. */
  originalId: string | null;
  /** For component interactions: the message the component is on. */
  componentMessageId: string | null;
  /** Messages reachable through the interaction webhook (@original and follow-ups). */
  messageIds: string[];
  /** Who triggered the interaction. */
  userId: string;
}

/** The fake's world. Maps are public so tests can look at what the bot left behind. */
export class FakeState {
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ApiChannel>();
  readonly users = new Map<string, ApiUser>();
  readonly messages = new Map<string, ApiMessage>();
  /** Nonces of messages created with `enforce_nonce`, for the few minutes Discord checks them. */
  readonly nonces = new NonceMemory();
  readonly interactions = new Map<string, InteractionState>();
  /** Global commands, as last saved with PUT/POST. */
  globalCommands: Record<string, unknown>[] = [];
  readonly botUser: ApiUser;

  constructor(guilds: FakeGuild[], bot: { id: string; username: string }, readonly applicationId: string) {
    this.botUser = this.rememberUser({ ...bot, bot: true });
    for (const guild of guilds) this.addGuild(guild);
  }

  /** Stores (or refreshes) a user so later REST calls can find it. */
  rememberUser(user: FakeUser): ApiUser {
    const known = this.users.get(user.id);
    const fresh = apiUser({ ...user, ...(known?.bot ? { bot: true } : {}) });
    this.users.set(user.id, fresh);
    return fresh;
  }

  guild(id: string): GuildState | undefined {
    return this.guilds.get(id);
  }

  /** Guild, or an error naming the guilds that exist: used by the send* helpers. */
  requireGuild(id: string): GuildState {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`Fake Discord has no guild ${id}; known: ${[...this.guilds.keys()].join(", ")}`);
    return guild;
  }

  /** Adds or updates a member; roles are replaced only when given. */
  upsertMember(guildId: string, user: FakeUser, roles?: string[], nick?: string): MemberState {
    const guild = this.requireGuild(guildId);
    const apiU = this.rememberUser(user);
    const existing = guild.members.get(user.id);
    const member: MemberState = {
      user: apiU,
      roles: roles ? [...roles] : (existing?.roles ?? []),
      nick: nick ?? existing?.nick ?? null,
      joined_at: existing?.joined_at ?? isoNow(),
    };
    guild.members.set(user.id, member);
    return member;
  }

  member(guildId: string, userId: string): MemberState | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  /** Messages of one channel, oldest first. */
  channelMessages(channelId: string): ApiMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  interactionByToken(token: string): InteractionState | undefined {
    for (const interaction of this.interactions.values()) if (interaction.token === token) return interaction;
    return undefined;
  }

  /** The @original message of an interaction, if the bot created one and did not delete it. */
  originalMessage(token: string): ApiMessage | undefined {
    const originalId = this.interactionByToken(token)?.originalId;
    return originalId ? this.messages.get(originalId) : undefined;
  }

  /** Threads whose parent is `channelId`. */
  threadsOf(channelId: string): ApiChannel[] {
    return [...this.channels.values()].filter((c) => c.parent_id === channelId && c.thread_metadata !== undefined);
  }

  private addGuild(input: FakeGuild): void {
    const roles = (input.roles ?? []).map((r, i) => apiRole(r, i + 1));
    if (!roles.some((r) => r.id === input.id)) roles.unshift(apiRole({ id: input.id, name: "@everyone", position: 0 }, 0));
    const guild: GuildState = {
      id: input.id,
      name: input.name,
      // Without an owner given, the bot owns the guild: no test member silently gets owner powers.
      ownerId: input.ownerId ?? this.botUser.id,
      joinedAt: isoNow(),
      roles,
      members: new Map(),
      commands: [],
    };
    this.guilds.set(guild.id, guild);
    input.channels.forEach((c, i) => this.channels.set(c.id, apiGuildChannel(c, guild.id, i)));
    this.upsertMember(guild.id, { id: this.botUser.id, username: this.botUser.username, bot: true }, []);
    for (const m of input.members ?? []) this.upsertMember(guild.id, m.user, m.roles ?? [], m.nick);
  }
}

// Builds INTERACTION_CREATE payloads the way Discord sends them for a guild interaction and
// remembers each one so the callback and webhook routes can check tokens and answer order.
import { interactionToken, snowflake } from "./ids.js";
import { type ApiMessage, apiMember, apiMessage } from "./payloads.js";
import { resolveOptions } from "./interaction-options.js";
import { ALL_PERMISSIONS, memberPermissions } from "./permissions.js";
import type { GatewayHub } from "./gateway.js";
import type { InteractionsEndpoint } from "./interactions-endpoint.js";
import type { FakeState } from "./state.js";
import type { AutocompleteInput, ButtonInput, InteractionActor, MessageCommandInput, SentInteraction, SlashCommandInput } from "./types.js";

/** Sends interactions from the test to the connected bot: over the gateway, or to its Interactions Endpoint URL when one is set. */
export class InteractionSender {
  constructor(
    private readonly state: FakeState,
    private readonly gateway: GatewayHub,
    private readonly endpoint: InteractionsEndpoint,
  ) {}

  slash(input: SlashCommandInput): SentInteraction {
    const data = { id: this.commandId(input, 1), name: input.name, type: 1, ...this.commandGuild(input, 1), ...resolveOptions(this.state, input) };
    return this.send(input, 2, { data });
  }

  autocomplete(input: AutocompleteInput): SentInteraction {
    const data = { id: this.commandId(input, 1), name: input.name, type: 1, ...this.commandGuild(input, 1), ...resolveOptions(this.state, input, input.focused) };
    return this.send(input, 4, { data });
  }

  button(input: ButtonInput): SentInteraction {
    const message = this.componentMessage(input);
    return this.send(input, 3, { data: { custom_id: input.customId, component_type: 2 }, message }, message.id);
  }

  messageCommand(input: MessageCommandInput): SentInteraction {
    const channel = this.channelFor(input);
    const author = this.state.rememberUser(input.targetMessage.author);
    const target = { ...apiMessage(channel, author, { content: input.targetMessage.content }), id: input.targetMessage.id };
    this.state.messages.set(target.id, target);
    const data = {
      id: this.commandId(input, 3),
      name: input.name,
      type: 3,
      ...this.commandGuild(input, 3),
      target_id: target.id,
      resolved: { messages: { [target.id]: withoutGuildId(target) } },
    };
    return this.send(input, 2, { data });
  }

  private send(actor: InteractionActor, type: number, extra: Record<string, unknown>, componentMessageId: string | null = null): SentInteraction {
    if (!this.endpoint.active && this.gateway.identifiedClients() === 0) {
      throw new Error("Fake Discord: no bot is connected to the gateway yet; wait for the client's ready event first");
    }
    const channel = this.channelFor(actor);
    const guild = this.state.requireGuild(actor.guildId);
    const member = this.state.upsertMember(actor.guildId, actor.user, actor.memberRoles);
    const permissions = actor.memberPermissions ?? memberPermissions(guild, member.user.id, member.roles);
    const id = snowflake();
    const token = interactionToken();
    const locale = actor.locale ?? "en-US";
    this.state.interactions.set(id, { id, token, type, guildId: guild.id, channelId: channel.id, responseType: null, originalId: null, componentMessageId, messageIds: [], userId: member.user.id });
    const interaction = {
      id,
      application_id: this.state.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, features: [], locale: "en-US" },
      channel: { ...channel, permissions },
      channel_id: channel.id,
      member: apiMember(member, permissions),
      app_permissions: actor.appPermissions ?? ALL_PERMISSIONS,
      locale,
      guild_locale: "en-US",
      entitlements: [],
      // A guild-installed app: Discord keys the guild id under integration type 0.
      authorizing_integration_owners: { "0": guild.id },
      context: 0,
      attachment_size_limit: 26_214_400,
      ...extra,
    };
    if (this.endpoint.active) {
      const delivered = this.endpoint.deliver(interaction);
      // Tests usually wait for the callback instead: an endpoint gone at teardown must not be an unhandled rejection.
      delivered.catch(() => undefined);
      return { id, token, delivered };
    }
    this.gateway.dispatch("INTERACTION_CREATE", interaction);
    return { id, token };
  }

  private channelFor(actor: InteractionActor) {
    const channel = this.state.channels.get(actor.channelId);
    if (!channel || channel.guild_id !== actor.guildId) {
      const known = [...this.state.channels.values()].filter((c) => c.guild_id === actor.guildId).map((c) => `${c.id} (${c.name ?? "?"})`);
      throw new Error(`Fake Discord: guild ${actor.guildId} has no channel ${actor.channelId}; known: ${known.join(", ")}`);
    }
    return channel;
  }

  /** The id the fake gave this command on registration, so interaction.commandId matches. */
  private commandId(input: { name: string; guildId: string; commandId?: string }, type: number): string {
    if (input.commandId) return input.commandId;
    const registered = [...(this.state.guild(input.guildId)?.commands ?? []), ...this.state.globalCommands];
    const match = registered.find((c) => c.name === input.name && (c.type ?? 1) === type);
    return typeof match?.id === "string" ? match.id : snowflake();
  }

  private commandGuild(input: { name: string; guildId: string }, type: number): { guild_id?: string } {
    const guildCommand = this.state.guild(input.guildId)?.commands.some((c) => c.name === input.name && (c.type ?? 1) === type);
    return guildCommand ? { guild_id: input.guildId } : {};
  }

  /** The message a button sits on: a known one, or a made-up bot message carrying that button. */
  private componentMessage(input: ButtonInput): ApiMessage {
    const known = input.messageId ? this.state.messages.get(input.messageId) : undefined;
    if (known) return known;
    const button = { type: 2, style: 1, label: input.customId, custom_id: input.customId };
    const made = apiMessage(this.channelFor(input), this.state.botUser, { content: "", components: [{ type: 1, components: [button] }] }, input.messageId ? { id: input.messageId } : {});
    this.state.messages.set(made.id, made);
    return made;
  }
}

// Resolved messages come without guild_id, like Discord's.
function withoutGuildId(message: ApiMessage): ApiMessage {
  const { guild_id: _guildId, ...rest } = message;
  return rest;
}

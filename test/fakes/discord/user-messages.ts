// Messages members post, as the gateway delivers them: the bot under test never sends these,
// it only hears about them (MESSAGE_CREATE needs the Guild Messages intent).
import type { GatewayHub } from "./gateway.js";
import { type ApiMessage, apiMember, apiMessage } from "./payloads.js";
import type { FakeState } from "./state.js";
import type { UserMessageInput } from "./types.js";

const GUILDS_INTENT = 1 << 0;
const GUILD_MESSAGES_INTENT = 1 << 9;

/** Stores the message, keeps the channel's counters, and dispatches MESSAGE_CREATE. */
export function sendUserMessage(state: FakeState, gateway: GatewayHub, input: UserMessageInput): ApiMessage {
  const channel = state.channels.get(input.channelId);
  if (!channel?.guild_id) throw new Error(`Fake Discord: no guild channel ${input.channelId}`);
  const member = state.upsertMember(channel.guild_id, input.user, input.memberRoles);
  const message = apiMessage(channel, member.user, { content: input.content });
  state.messages.set(message.id, message);
  channel.last_message_id = message.id;
  const meta = channel.thread_metadata;
  if (meta) {
    channel.message_count = (channel.message_count ?? 0) + 1;
    channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
    if (meta.archived && !meta.locked) {
      meta.archived = false;
      gateway.dispatch("THREAD_UPDATE", channel, GUILDS_INTENT);
    }
  }
  // Guild messages carry the author's member object without its user, as on Discord.
  const { user: _user, ...memberFields } = apiMember(member);
  gateway.dispatch("MESSAGE_CREATE", { ...message, member: memberFields }, GUILD_MESSAGES_INTENT);
  return message;
}

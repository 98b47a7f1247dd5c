// READY and GUILD_CREATE bodies. discord.js waits for a GUILD_CREATE for every guild listed
// in READY before it emits "ready", and crashes without READY.application.
import { apiMember } from "./payloads.js";
import type { FakeState, GuildState } from "./state.js";

/** The READY dispatch body for a new session on `shard`, which serves `guilds`. */
export function readyPayload(state: FakeState, sessionId: string, resumeUrl: string, shard: readonly [number, number], guilds: readonly GuildState[]): Record<string, unknown> {
  return {
    v: 10,
    user: { ...state.botUser, bot: true, verified: true, mfa_enabled: false, flags: 0, email: null },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    session_type: "normal",
    resume_gateway_url: resumeUrl,
    shard,
    application: { id: state.applicationId, flags: 0 },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ["local"],
    user_settings: {},
    auth: {},
  };
}

/** The GUILD_CREATE dispatch body: the whole guild with channels, active threads, roles and members. */
export function guildCreatePayload(state: FakeState, guild: GuildState): Record<string, unknown> {
  const channels = [...state.channels.values()].filter((c) => c.guild_id === guild.id);
  return {
    ...guildObject(guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    channels: channels.filter((c) => !c.thread_metadata),
    threads: channels.filter((c) => c.thread_metadata && !c.thread_metadata.archived),
    members: [...guild.members.values()].map((m) => apiMember(m)),
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** The guild object REST returns for GET /guilds/{id}. */
export function guildObject(guild: GuildState): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    application_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    widget_enabled: false,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    features: [],
    roles: guild.roles,
    emojis: [],
    stickers: [],
    incidents_data: null,
  };
}

// The peer of the hot-path benchmark: the smallest bot that does /link's database work with
// discord.js and `pg`, written as such a bot usually is (defaults everywhere, no framework).
// /link upserts the member by platform id and a link code for them, then replies privately;
// /help replies privately without touching the database. Run as its own process:
// DISCORD_TOKEN, DISCORD_API_URL and DATABASE_URL as for Guildhall. PEER_REPLIES=embed (the
// default) answers with the message Guildhall sends, so both bots send the same work: /link's
// embed (title, text, colour), and for /help the message Guildhall answered /help with, which
// the benchmark passes over IPC ({ help }) once it has seen it; PEER_REPLIES=text answers both
// with plain text, as such a bot usually would.
import { randomInt } from "node:crypto";
import { Client, Events, GatewayIntentBits, MessageFlags } from "discord.js";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`
  CREATE TABLE IF NOT EXISTS peer_member (
    id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    platform_id text NOT NULL UNIQUE,
    display_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS peer_link_code (
    member_id text PRIMARY KEY REFERENCES peer_member(id),
    code text NOT NULL,
    expires_at timestamptz NOT NULL
  )`);

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const HELP = [
  "**Commands**",
  "`/help`: this list",
  "`/link`: link your Discord and Slack accounts",
  "`/whoami`: who Guildhall thinks you are",
  "`/points`: your points and rank",
  "`/leaderboard`: the community's top members",
].join("\n");

const embeds = process.env.PEER_REPLIES !== "text";
/** Guildhall's own /help answer, once the benchmark has passed it on. */
let guildhallHelp: Record<string, unknown> | undefined;
process.on("message", (message: unknown) => {
  const help = (message as { help?: Record<string, unknown> } | null)?.help;
  if (help) guildhallHelp = help;
});

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { ...(process.env.DISCORD_API_URL ? { api: process.env.DISCORD_API_URL } : {}) },
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  try {
    if (interaction.commandName === "help") {
      await interaction.reply(embeds && guildhallHelp ? { ...guildhallHelp, flags: MessageFlags.Ephemeral } : { content: HELP, flags: MessageFlags.Ephemeral });
      return;
    }
    if (interaction.commandName !== "link") return;
    const name = interaction.user.globalName ?? interaction.user.username;
    const member = await pool.query<{ id: string }>(
      `INSERT INTO peer_member (platform_id, display_name) VALUES ($1, $2)
       ON CONFLICT (platform_id) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
      [interaction.user.id, name],
    );
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    await pool.query(
      `INSERT INTO peer_link_code (member_id, code, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (member_id) DO UPDATE SET code = EXCLUDED.code, expires_at = EXCLUDED.expires_at`,
      [member.rows[0]!.id, code, new Date(Date.now() + 10 * 60 * 1000)],
    );
    const text = `Your link code is **${code}**. Within 10 minutes, run \`/link ${code}\` on your other platform. It works once.`;
    await interaction.reply(
      embeds
        ? { embeds: [{ title: "Link your accounts", description: text, color: 0x5865f2, fields: [] }], components: [], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral }
        : { content: text, flags: MessageFlags.Ephemeral },
    );
  } catch (error) {
    console.error(error);
  }
});
client.on(Events.Error, (error) => console.error(error));
client.once(Events.ClientReady, () => process.send?.("ready"));

process.once("SIGTERM", () => {
  void client.destroy().then(() => pool.end()).then(() => process.exit(0));
});
await client.login(process.env.DISCORD_TOKEN);

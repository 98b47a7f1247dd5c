import { CLOCK_FORMATS } from "./clock-input.js";

/**
 * The playground's own commands, explained: `/help` lists them after the bot's commands,
 * and `/help <name>` explains one (the bot's /help knows only the bot's commands).
 */
export const PLAYGROUND_TOPICS: Record<string, string> = {
  as: "/as <name> [--creator | --admin]\n  Act as another member, by name (any letters: /as zoë works). --creator or --admin acts with that role.\n  Members are made when they first act, so /as bob then /whoami shows Bob.",
  say: "Type without a slash to post a message where you are (#general at first, or the thread you opened), as the member you act as.\n  Each message gets a handle such as m3, for message commands: /accept m3.\n  In a question's thread, messages from anyone but the asker count as replies, as on Discord and Slack.",
  open: "/open <thread or #channel>\n  Go into a thread by its handle (t1), shown when it opens: “[#general new thread “…” · /open t1 to go there]”.\n  /open #announcements goes to a channel. /open alone lists the threads. What you type then is posted there,\n  and commands run there (so /solved and /thanks know the question). /back leaves the thread.",
  back: "/back\n  Leave the thread you are in, back to its channel (or back to #general from another channel).",
  press: "/press <button>\n  Press a button, as the member you act as. Buttons show their handle: “[ RSVP ] /press b2”.\n  /press RSVP (a label) presses the newest button with that label.\n  It runs exactly what clicking it on Discord or Slack runs (RSVP, Claim, Thank, …).",
  accept: "/accept <message>\n  Run “Accept answer” on a reply in your question's thread, as on Discord (Apps → Accept answer) or Slack\n  (the message's shortcut). Messages show their handle: “bob: Use a scoped borrow (m3)”.\n  /apps <message> lists every message command, and /apps <message> <command> runs one.",
  apps: "/apps <message> [command]\n  The message commands (Discord's Apps menu, Slack's message shortcuts) run on a message by its handle (m3).\n  Without a command, lists them; /apps m3 accept answer runs “Accept answer” on m3.",
  clock: `/clock [+amount | date time]\n  Show the playground's clock, or move it forward: ${CLOCK_FORMATS}.\n  Scheduled work happens as the clock passes it: reminders, go-live posts, digests, follow-ups, expiring access,\n  and waiting periods end. It never moves back, as on a real server, and stays moved after a restart.`,
  quit: "/quit (or /exit, or Ctrl-D)\n  Leave the playground. Everything stays in the database for next time.",
};
PLAYGROUND_TOPICS.exit = PLAYGROUND_TOPICS.quit!;
PLAYGROUND_TOPICS.messages = PLAYGROUND_TOPICS.say!;
PLAYGROUND_TOPICS.text = PLAYGROUND_TOPICS.say!;

export const PLAYGROUND_HELP = [
  "Playground commands (/help <name> explains one):",
  "  (text without a slash)             post a message where you are, as the member you act as",
  "  /as <name> [--creator | --admin]   act as another member (or as a creator or admin)",
  "  /open <thread or #channel>         go into a thread (t1) or a channel; /open alone lists threads",
  "  /back                              leave the thread, back to its channel",
  "  /press <button>                    press a button (b1, or its label: /press RSVP) as the member you act as",
  "  /accept <message>                  accept a reply (m3) as the answer; /apps <message> lists message commands",
  "  /clock [+1d | +2h | date time]     show the playground's clock, or move it forward: scheduled work fires",
  "  /quit                              leave (Ctrl-D works too)",
  "Private messages to anyone appear marked “🔒 to <name> (private)”.",
].join("\n");

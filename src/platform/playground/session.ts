import { randomUUID } from "node:crypto";
import type { ThreadMessage } from "../../core/chat.js";
import type { Dispatcher, Outcome } from "../../core/dispatch.js";
import type { Invocation } from "../../core/invocation.js";
import type { RawOptions } from "../../core/options.js";
import type { PermissionLevel } from "../../core/permissions.js";
import type { CommandRegistry } from "../../core/registry.js";
import type { Clock } from "../../core/services.js";
import { formatDate, formatDateTime } from "../../core/zoned-time.js";
import { where } from "./chat-poster.js";
import type { Place, PlaygroundChatState, PlaygroundMessage } from "./chat-state.js";
import { clockTarget, describeSpan } from "./clock-input.js";
import type { PlaygroundClock } from "./clock.js";
import type { PlaygroundScheduler } from "./scheduler.js";
import { playgroundText, renderReply } from "./render.js";

export const PLAYGROUND_SPACE = { id: "playground", name: "Playground" } as const;
const HOME: Place = { channelId: "general" };
const DAY_MS = 86_400_000;

export interface SessionDeps {
  readonly dispatcher: Dispatcher;
  readonly registry: CommandRegistry;
  readonly chat: PlaygroundChatState;
  readonly clock: Clock;
  /** Present when the clock can be moved (the app's playground). */
  readonly playgroundClock?: PlaygroundClock;
  readonly scheduler?: PlaygroundScheduler;
  /** The same hook the Discord and Slack adapters call for each message in a thread. */
  readonly onThreadMessage?: (message: ThreadMessage) => Promise<void>;
}

/**
 * One person at the playground's keyboard: who they act as, where they are, and what they
 * can do there besides slash commands: post, move between channels and threads, press
 * buttons, run message commands and move the clock. Everything goes through the dispatcher
 * and hooks the platforms use, so it behaves as it would on Discord or Slack.
 */
export class PlaygroundSession {
  name = "Ada";
  level: PermissionLevel = "member";
  place: Place = HOME;
  #hintedText = false;

  constructor(private readonly deps: SessionDeps) {
    deps.chat.rememberName(this.userId, this.name);
  }

  get userId(): string {
    return idFor(this.name);
  }

  /** "#general" or "#general › “How do I…”", for the prompt. */
  get here(): string {
    const t = this.place.thread;
    return t ? `#${this.place.channelId} › “${t.title.length > 28 ? `${t.title.slice(0, 27)}…` : t.title}”` : `#${this.place.channelId}`;
  }

  actAs(name: string, level: PermissionLevel): void {
    this.name = name;
    this.level = level;
    this.deps.chat.rememberName(this.userId, name);
  }

  /** Remembers how a mentioned member was written, unless they named themselves with /as. */
  noteMention<T extends { id: string; displayName: string } | undefined>(user: T): T {
    if (user && !this.deps.chat.knows(user.id)) this.deps.chat.rememberName(user.id, user.displayName);
    return user;
  }

  invocation(command: string, subcommand: string | undefined, options: RawOptions, place: Place = this.place): Invocation {
    return {
      platform: "playground",
      space: PLAYGROUND_SPACE,
      user: { id: this.userId, displayName: this.name },
      // Inside a thread, commands run in the thread, as on Discord (/solved finds its question).
      channel: place.thread ? { id: place.thread.id, name: place.thread.title } : { id: place.channelId, name: place.channelId },
      command,
      subcommand,
      options,
      actor: { platform: "playground", level: this.level },
      receivedAt: this.deps.clock.now(),
      id: `playground:${randomUUID()}`,
    };
  }

  /** A reply as the member sees it, its buttons pressable where the command ran. */
  render(outcome: Outcome, place: Place = this.place): string {
    return renderReply(outcome.reply, this.name, { handles: (b) => this.deps.chat.addButton(b, place).handle, nameOf: (id) => this.deps.chat.nameOf(id) });
  }

  /** Text without a slash: a message where the member is, reported like a platform message. */
  async say(text: string): Promise<string> {
    const message = this.deps.chat.addMessage(this.place, { id: this.userId, displayName: this.name }, text);
    const lines = [`[${where(this.place)}] ${this.name}: ${playgroundText(text)}  (${message.handle})`];
    if (!this.#hintedText) {
      this.#hintedText = true;
      lines.push("  (Text without a slash is posted as a message. Commands start with a slash: /help lists them.)");
    }
    const thread = this.place.thread;
    if (thread && this.deps.onThreadMessage) {
      await this.deps.onThreadMessage({
        platform: "playground",
        spaceId: PLAYGROUND_SPACE.id,
        threadId: thread.id,
        messageId: message.id,
        author: { id: this.userId, displayName: this.name, bot: false },
        at: this.deps.clock.now(),
      });
    }
    return lines.join("\n");
  }

  /** `/open t1`, `/open #announcements`, or `/open` to list the threads. */
  open(arg: string): string {
    const target = arg.trim();
    if (!target) {
      const threads = this.deps.chat.threads();
      if (threads.length === 0) return "No threads yet. /ask opens one for a question, /review request one for a review.";
      return ["Threads (newest first):", ...threads.slice(0, 15).map((t) => `  /open ${t.handle}  #${t.channelId} “${t.title}”`)].join("\n");
    }
    if (target.startsWith("#")) {
      const channel = target.slice(1).toLowerCase();
      if (!/^[\p{L}\p{N}_-]{1,80}$/u.test(channel)) return `“${target.slice(0, 40)}” cannot be a channel name: use letters, digits, - or _.`;
      this.place = { channelId: channel };
      return `You are in #${channel}. What you type is posted here.`;
    }
    const thread = this.deps.chat.thread(target);
    if (!thread) return `There is no thread “${target.slice(0, 40)}” in this playground run. /open alone lists them; handles look like t1.`;
    this.place = { channelId: thread.channelId, thread };
    return `You are in the thread “${thread.title}” in #${thread.channelId}. What you type is posted here; /back leaves.`;
  }

  back(): string {
    if (this.place.thread) {
      this.place = { channelId: this.place.channelId };
      return `You are back in #${this.place.channelId}.`;
    }
    if (this.place.channelId === HOME.channelId) return "You are in #general already, outside any thread.";
    this.place = HOME;
    return "You are back in #general.";
  }

  /** `/press b2`: the button's action, as the member acting now, where the button was shown. */
  async press(handle: string): Promise<string> {
    if (!handle.trim()) return "Which button? Give its handle, like /press b1 (buttons show it next to their label), or its label: /press RSVP.";
    const button = this.deps.chat.button(handle);
    if (!button) return `There is no button “${handle.trim().slice(0, 20)}” in this playground run. Buttons show their handle next to their label, like “[ RSVP ] /press b1”; /press RSVP presses the newest RSVP button.`;
    const outcome = await this.deps.dispatcher.runAction(this.invocation(button.action, undefined, {}, button.place), button.value);
    return `${this.name} pressed [ ${button.label} ]\n${this.render(outcome, button.place)}`;
  }

  /** `/accept m3`, `/apps m3`, `/apps m3 accept answer`: a message command on a member's message. */
  async messageCommand(handle: string, commandName: string | undefined): Promise<string> {
    const commands = this.deps.registry.messageCommands();
    const message = handle.trim() ? this.deps.chat.message(handle) : undefined;
    if (!message) {
      const which = handle.trim() ? `There is no message “${handle.trim().slice(0, 20)}” in this playground run.` : "Which message? Give its handle, like /accept m3.";
      return `${which} Messages show their handle after the text: “bob: Use a scoped borrow (m3)”.`;
    }
    if (!commandName) return [`Message commands for ${message.handle} (/apps ${message.handle} <command>):`, ...commands.map((c) => `  ${c.name}: ${c.description}`)].join("\n");
    const command = commands.find((c) => c.name.toLowerCase() === commandName.toLowerCase() || c.id === commandName.toLowerCase());
    if (!command) return `There is no message command “${commandName.slice(0, 40)}”. Try one of: ${commands.map((c) => c.name).join(", ")}.`;
    const outcome = await this.deps.dispatcher.runMessageCommand(this.invocation(command.id, undefined, {}, message.place), messageRef(message));
    return this.render(outcome, message.place);
  }

  /** `/clock` shows the time; `/clock +1d` or `/clock 2026-12-24 17:55` moves it, running what falls due. */
  async moveClock(arg: string, print: (text: string) => void): Promise<string> {
    const clock = this.deps.playgroundClock;
    const now = this.deps.clock.now();
    if (!arg.trim()) {
      return `Playground time: ${formatDateTime(now, "UTC")}. Move it forward with /clock +1d, /clock +2h or /clock 2026-12-24 17:55.`;
    }
    if (!clock || !this.deps.scheduler) return "This playground's clock is fixed (it was started with a clock of its own), so it cannot be moved.";
    const target = clockTarget(arg, now);
    if ("error" in target) return target.error;
    const span = target.at.getTime() - now.getTime();
    const slow = span > 2 * DAY_MS ? " Every hour on the way is run, so a long move takes a moment." : "";
    print(`Moving the clock forward ${describeSpan(span)}, to ${formatDateTime(target.at, "UTC")}…${slow}`);
    // A line for each new day, so what happens on the way reads like a chat's day separators.
    await this.deps.scheduler.runUntil(target.at, { onNewDay: (day) => print(`── ${formatDate(day, "UTC")} ──`) });
    return `Playground time: ${formatDateTime(this.deps.clock.now(), "UTC")}.`;
  }
}

export function idFor(name: string): string {
  return `pg-${name.toLowerCase()}`;
}

function messageRef(message: PlaygroundMessage) {
  // Discord's shape: the message's channel is its thread.
  return { id: message.id, channelId: message.place.thread?.id ?? message.place.channelId, author: message.author, text: message.text };
}

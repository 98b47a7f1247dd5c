import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ThreadMessage } from "../../core/chat.js";
import type { Dispatcher } from "../../core/dispatch.js";
import type { ReplyImage } from "../../core/reply.js";
import type { RawOptionValue } from "../../core/options.js";
import type { CommandRegistry } from "../../core/registry.js";
import { type Clock, systemClock } from "../../core/services.js";
import { parseCommandText, tokenize } from "../../core/text-args.js";
import type { Logger } from "../../log/logger.js";
import type { AnswerObserver } from "../adapter.js";
import { PlaygroundChatState } from "./chat-state.js";
import { PlaygroundClock } from "./clock.js";
import { PLAYGROUND_HELP, PLAYGROUND_TOPICS } from "./playground-help.js";
import type { PlaygroundScheduler } from "./scheduler.js";
import { idFor, PlaygroundSession } from "./session.js";
import { PlaygroundTerminal } from "./terminal.js";

export { PLAYGROUND_SPACE } from "./session.js";

export interface PlaygroundOptions {
  dispatcher: Dispatcher;
  registry: CommandRegistry;
  input: Readable;
  output: Writable;
  log: Logger;
  /** Shown once at start. */
  banner: string;
  onAnswered?: AnswerObserver;
  /** The time a command is stamped with (its `now`); a {@link PlaygroundClock} can be moved with /clock. */
  clock?: Clock;
  /** Runs scheduled work as the clock passes it (with /clock, and as real time goes by). */
  scheduler?: PlaygroundScheduler;
  /** How often real time is checked for scheduled work that fell due; 15 seconds by default. */
  tickMs?: number;
  /** Threads, messages and buttons, shared with the chat poster so posts can be answered and pressed. */
  chat?: PlaygroundChatState;
  /** The hook the platforms call for each message in a thread (Q&A counts replies). */
  onThreadMessage?: (message: ThreadMessage) => Promise<void>;
  /** Shared with the chat poster so posts between commands redraw the prompt; made from `output` if absent. */
  terminal?: PlaygroundTerminal;
  /** Where pictures replies carry (a /stats chart) are saved; `./data` by default. */
  imageDir?: string;
  /** Called after each line has been answered (tests wait for it). */
  onLineDone?: () => void;
}

/** A playground member's name: letters of any script, digits, `_`, `.` and `-`, up to 32. */
const NAME = /^[\p{L}\p{N}_.-]{1,32}$/u;

/** A member mentioned as @name in the playground. */
function mention(token: string): { platform: "playground"; id: string; displayName: string } | undefined {
  const m = /^@([\p{L}\p{N}_.-]{1,32})$/u.exec(token);
  return m ? { platform: "playground", id: idFor(m[1]!), displayName: m[1]! } : undefined;
}

/**
 * A terminal chat with the bot that needs no tokens. Lines are handled strictly in order,
 * so piped input (`printf '/help\n' | npm start`) behaves like typing; the returned promise
 * settles when input ends or `/quit` is typed. Scheduled work that falls due in real time
 * runs between lines, never in the middle of an answer.
 */
export function runPlayground(opts: PlaygroundOptions): { done: Promise<void>; close(): void } {
  const { output } = opts;
  const terminal = opts.terminal ?? new PlaygroundTerminal(output);
  const interactive = (opts.input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: opts.input, terminal: interactive, ...(interactive ? { output } : {}) });
  if (interactive) terminal.attach(rl);
  const clock = opts.clock ?? systemClock;
  const session = new PlaygroundSession({
    dispatcher: opts.dispatcher,
    registry: opts.registry,
    chat: opts.chat ?? new PlaygroundChatState(),
    clock,
    ...(clock instanceof PlaygroundClock ? { playgroundClock: clock } : {}),
    ...(opts.scheduler ? { scheduler: opts.scheduler } : {}),
    ...(opts.onThreadMessage ? { onThreadMessage: opts.onThreadMessage } : {}),
  });
  const write = (text: string) => output.write(`${text}\n`);
  const prompt = () => {
    if (interactive) {
      rl.setPrompt(`${session.name} (${session.level}) ${session.here} › `);
      rl.prompt();
    }
    terminal.setAtPrompt(true);
  };

  write(opts.banner);
  prompt();
  let queue = Promise.resolve();
  let quitting = false;
  const enqueue = (work: () => Promise<void>) => (queue = queue.then(work).catch((error: unknown) => opts.log.error({ err: error }, "playground line failed")));
  // Real time passes too: what falls due while nobody types runs between lines.
  const ticker = opts.scheduler && setInterval(() => enqueue(() => opts.scheduler!.runUntil(clock.now()).then(() => undefined)), opts.tickMs ?? 15_000);
  ticker?.unref();
  const done = new Promise<void>((resolve) => {
    rl.on("line", (line) => {
      enqueue(async () => {
        if (quitting) return;
        terminal.setAtPrompt(false);
        const result = await handleLine(line.trim(), session, opts, write);
        opts.onLineDone?.();
        if (result === "quit") {
          quitting = true;
          rl.close();
          return;
        }
        prompt();
      });
    });
    rl.on("close", () => {
      if (ticker) clearInterval(ticker);
      void queue.then(resolve);
    });
  });
  return { done, close: () => rl.close() };
}

async function handleLine(line: string, session: PlaygroundSession, opts: PlaygroundOptions, write: (t: string) => void): Promise<"quit" | void> {
  if (line === "") return;
  if (!line.startsWith("/")) return write(await session.say(line));
  const [head = "", ...restParts] = line.slice(1).split(/\s+/);
  const name = head.toLowerCase();
  const rest = line.slice(1 + head.length).trim();
  switch (name) {
    case "quit":
    case "exit":
      return "quit";
    case "as":
      return write(switchActor(session, restParts));
    case "open":
      return write(session.open(rest));
    case "back":
      return write(session.back());
    case "press":
      return write(await session.press(rest));
    case "accept":
      return write(await session.messageCommand(rest, "accept_answer"));
    case "apps": {
      const [handle = "", ...command] = restParts;
      return write(await session.messageCommand(handle, command.join(" ") || undefined));
    }
    case "clock":
      return write(await session.moveClock(rest, write));
  }
  // The playground's own commands are explained here; the bot's /help knows only the bot's.
  const topic = name === "help" ? rest.replace(/^\//, "").toLowerCase() : "";
  if (PLAYGROUND_TOPICS[topic]) return write(PLAYGROUND_TOPICS[topic]);

  const receivedAt = performance.now();
  const command = opts.registry.get(name);
  // A member mentioned before they ever act is still shown by the name typed (@Bob, not @bob).
  const mentioned = (token: string): RawOptionValue | undefined => session.noteMention(mention(token));
  const parsed = command ? parseCommandText(command, rest, mentioned) : { subcommand: undefined, options: {} };
  const outcome = await opts.dispatcher.run(session.invocation(name, parsed.subcommand, parsed.options));
  write(session.render(outcome));
  if (outcome.reply.image) write(`Chart saved to ${saveImage(opts.imageDir ?? "./data", outcome.reply.image, receivedAt)}`);
  opts.onAnswered?.({ platform: "playground", command: name, ms: performance.now() - receivedAt });
  if (name === "help" && !rest) write(PLAYGROUND_HELP);
}

function switchActor(session: PlaygroundSession, args: string[]): string {
  const words = tokenize(args.join(" ")).map((t) => t.raw);
  const name = words.find((w) => !w.startsWith("--"))?.replace(/^@/, "");
  const usage = "Usage: /as <name> [--creator | --admin], for example /as grace --creator";
  if (!name) return usage;
  if (!NAME.test(name)) return `“${name.slice(0, 40)}” cannot be a name here: use up to 32 letters, digits, _ . or - (no spaces). ${usage}`;
  session.actAs(name, words.includes("--admin") ? "admin" : words.includes("--creator") ? "creator" : "member");
  return `You are now ${session.name} (${session.level}).`;
}

/** Saves a reply's picture as `<dir>/stats-<time>.png` and returns its path. */
function saveImage(dir: string, image: ReplyImage, stamp: number): string {
  mkdirSync(dir, { recursive: true });
  const base = image.name.replace(/\.png$/i, "").replace(/[^\w.-]/g, "_");
  const path = join(dir, `${base}-${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.round(stamp) % 1000}.png`);
  writeFileSync(path, image.png);
  return path;
}

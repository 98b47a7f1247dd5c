import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Dispatcher } from "../../core/dispatch.js";
import type { ReplyImage } from "../../core/reply.js";
import type { RawOptionValue } from "../../core/options.js";
import type { PermissionLevel } from "../../core/permissions.js";
import type { CommandRegistry } from "../../core/registry.js";
import { type Clock, systemClock } from "../../core/services.js";
import { parseCommandText, tokenize } from "../../core/text-args.js";
import type { Logger } from "../../log/logger.js";
import type { AnswerObserver } from "../adapter.js";
import { renderReply } from "./render.js";
import { PlaygroundTerminal } from "./terminal.js";

export const PLAYGROUND_SPACE = { id: "playground", name: "Playground" } as const;

export interface PlaygroundOptions {
  dispatcher: Dispatcher;
  registry: CommandRegistry;
  input: Readable;
  output: Writable;
  log: Logger;
  /** Shown once at start. */
  banner: string;
  onAnswered?: AnswerObserver;
  /** The time a command is stamped with (its `now`); the system clock by default. */
  clock?: Clock;
  /** Shared with the chat poster so posts between commands redraw the prompt; made from `output` if absent. */
  terminal?: PlaygroundTerminal;
  /** Where pictures replies carry (a /stats chart) are saved; `./data` by default. */
  imageDir?: string;
}

interface Actor {
  name: string;
  level: PermissionLevel;
}

/** `/help as`, `/help quit`: the playground's own commands, explained. */
const META_TOPICS: Record<string, string> = {
  as: "/as <name> [--creator | --admin]\n  Act as another member, by name (any letters: /as zoë works). --creator or --admin acts with that role.\n  Members are made when they first act, so /as bob then /whoami shows Bob.",
  quit: "/quit (or /exit, or Ctrl-D)\n  Leave the playground. Everything stays in the database for next time.",
};
META_TOPICS.exit = META_TOPICS.quit!;

const META_HELP = [
  "Playground commands:",
  "  /as <name> [--creator | --admin]   act as another member (or as a creator or admin)",
  "  /quit                              leave (Ctrl-D works too)",
];

/** A playground member's name: letters of any script, digits, `_`, `.` and `-`, up to 32. */
const NAME = /^[\p{L}\p{N}_.-]{1,32}$/u;

/** A member mentioned as @name in the playground. */
function mention(token: string): RawOptionValue | undefined {
  const m = /^@([\p{L}\p{N}_.-]{1,32})$/u.exec(token);
  return m ? { platform: "playground", id: idFor(m[1]!), displayName: m[1]! } : undefined;
}

function idFor(name: string): string {
  return `pg-${name.toLowerCase()}`;
}

/**
 * A terminal chat with the bot that needs no tokens. Lines are handled strictly in order,
 * so piped input (`printf '/help\n' | npm start`) behaves like typing; the returned promise
 * settles when input ends or `/quit` is typed.
 */
export function runPlayground(opts: PlaygroundOptions): { done: Promise<void>; close(): void } {
  const { output } = opts;
  const terminal = opts.terminal ?? new PlaygroundTerminal(output);
  const interactive = (opts.input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: opts.input, terminal: interactive, ...(interactive ? { output } : {}) });
  if (interactive) terminal.attach(rl);
  const actor: Actor = { name: "Ada", level: "member" };
  const write = (text: string) => output.write(`${text}\n`);
  const prompt = () => {
    if (interactive) {
      rl.setPrompt(`${actor.name} (${actor.level}) › `);
      rl.prompt();
    }
    terminal.setAtPrompt(true);
  };

  write(opts.banner);
  prompt();
  let queue = Promise.resolve();
  let quitting = false;
  const done = new Promise<void>((resolve) => {
    rl.on("line", (line) => {
      queue = queue.then(async () => {
        if (quitting) return;
        terminal.setAtPrompt(false);
        const result = await handleLine(line.trim(), actor, opts, write);
        if (result === "quit") {
          quitting = true;
          rl.close();
          return;
        }
        prompt();
      });
    });
    rl.on("close", () => void queue.then(resolve));
  });
  return { done, close: () => rl.close() };
}

async function handleLine(line: string, actor: Actor, opts: PlaygroundOptions, write: (t: string) => void): Promise<"quit" | void> {
  if (line === "") return;
  if (!line.startsWith("/")) return write("Commands start with a slash. Type /help to see them.");
  const [head = "", ...restParts] = line.slice(1).split(/\s+/);
  const name = head.toLowerCase();
  const rest = line.slice(1 + head.length).trim();
  if (name === "quit" || name === "exit") return "quit";
  if (name === "as") return write(switchActor(actor, restParts));
  // The playground's own commands are explained here; the bot's /help knows only the bot's.
  const metaTopic = name === "help" ? rest.replace(/^\//, "").toLowerCase() : "";
  if (META_TOPICS[metaTopic]) return write(META_TOPICS[metaTopic]);

  const receivedAt = performance.now();
  const command = opts.registry.get(name);
  const parsed = command ? parseCommandText(command, rest, mention) : { subcommand: undefined, options: {} };
  const outcome = await opts.dispatcher.run({
    platform: "playground",
    space: PLAYGROUND_SPACE,
    user: { id: idFor(actor.name), displayName: actor.name },
    channel: { id: "general", name: "general" },
    command: name,
    subcommand: parsed.subcommand,
    options: parsed.options,
    actor: { platform: "playground", level: actor.level },
    receivedAt: (opts.clock ?? systemClock).now(),
  });
  write(renderReply(outcome.reply));
  if (outcome.reply.image) write(`Chart saved to ${saveImage(opts.imageDir ?? "./data", outcome.reply.image, receivedAt)}`);
  opts.onAnswered?.({ platform: "playground", command: name, ms: performance.now() - receivedAt });
  if (name === "help" && !rest) write(META_HELP.join("\n"));
}

function switchActor(actor: Actor, args: string[]): string {
  const words = tokenize(args.join(" ")).map((t) => t.raw);
  const name = words.find((w) => !w.startsWith("--"))?.replace(/^@/, "");
  const usage = "Usage: /as <name> [--creator | --admin], for example /as grace --creator";
  if (!name) return usage;
  if (!NAME.test(name)) return `“${name.slice(0, 40)}” cannot be a name here: use up to 32 letters, digits, _ . or - (no spaces). ${usage}`;
  actor.name = name;
  actor.level = words.includes("--admin") ? "admin" : words.includes("--creator") ? "creator" : "member";
  return `You are now ${actor.name} (${actor.level}).`;
}

/** Saves a reply's picture as `<dir>/stats-<time>.png` and returns its path. */
function saveImage(dir: string, image: ReplyImage, stamp: number): string {
  mkdirSync(dir, { recursive: true });
  const base = image.name.replace(/\.png$/i, "").replace(/[^\w.-]/g, "_");
  const path = join(dir, `${base}-${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.round(stamp) % 1000}.png`);
  writeFileSync(path, image.png);
  return path;
}

import { capabilities } from "../../src/capabilities.js";
import { type ActionDefinition, defineAction } from "../../src/core/action.js";
import type { Capability } from "../../src/core/capability.js";
import type { MessageCommand } from "../../src/core/message-command.js";
import { type Command, defineCommand } from "../../src/core/command.js";
import { option } from "../../src/core/options.js";
import { reply } from "../../src/core/reply.js";

/**
 * Commands that exist only in tests, to drive adapter behaviour the shipped commands do
 * not exercise yet: slow handlers, threads, direct messages, crashes and pings.
 */
export const slowCommand = defineCommand({
  name: "slow",
  description: "Answers after a delay",
  options: { ms: option.integer({ description: "Delay", min: 0, max: 10_000 }), public: option.boolean({ description: "Answer publicly" }) },
  visibility: "public",
  handler: async (ctx) => {
    await new Promise((r) => setTimeout(r, ctx.options.ms ?? 300));
    return ctx.options.public ? reply.public("slow and public") : reply.ephemeral("slow but private");
  },
});

export const threadCommand = defineCommand({
  name: "discuss",
  description: "Opens a thread and sends a direct message",
  options: { topic: option.string({ description: "Topic", required: true, maxLength: 80 }) },
  visibility: "public",
  handler: (ctx) =>
    reply.public(`Thread for ${ctx.options.topic}`, {
      thread: { name: ctx.options.topic, message: { text: `Discuss ${ctx.options.topic} here` } },
      directMessage: { text: "We opened your thread." },
    }),
});

export const crashCommand = defineCommand({
  name: "crash",
  description: "Fails unexpectedly",
  handler: () => {
    throw new Error("database on fire");
  },
});

export const echoCommand = defineCommand({
  name: "echo",
  description: "Echoes text back publicly",
  options: { text: option.string({ description: "Text", required: true, maxLength: 200 }) },
  visibility: "public",
  handler: (ctx) => reply.public(ctx.options.text),
});


/** A command whose reply has a button, and the action the button runs. */
export const pollCommand = defineCommand({
  name: "poll",
  description: "Asks a question with a button",
  visibility: "public",
  handler: () => reply.public("Ship it?", { buttons: [{ label: "Yes", action: "vote", value: "yes", style: "primary" }] }),
});

export const voteAction = defineAction({
  name: "vote",
  handler: (ctx) => reply.ephemeral(`${ctx.member.displayName} voted ${ctx.options.value}.`),
});

export const creatorOnlyAction = defineAction({ name: "close-poll", permission: "creator", handler: () => reply.public("Poll closed.") });

export const testOnlyActions = [voteAction, creatorOnlyAction];

export const testOnlyCommands = [slowCommand, threadCommand, crashCommand, echoCommand, pollCommand];

/**
 * Every capability's services with only `commands` (and the test-only actions) registered:
 * for adapter tests that are about how a platform carries commands, not about what they do.
 */
export function withOnly(commands: readonly Command[], actions: readonly ActionDefinition[] = testOnlyActions): Capability[] {
  const servicesOnly = capabilities.map(({ commands: _c, actions: _a, messageCommands: _m, ...rest }): Capability => rest);
  return [...servicesOnly, { name: "test", commands, actions }];
}

/** Every capability plus test-only definitions. */
export function withExtra(extra: { commands?: readonly Command[]; actions?: readonly ActionDefinition[]; messageCommands?: readonly MessageCommand[] } = {}): Capability[] {
  return [...capabilities, { name: "test", ...extra }];
}

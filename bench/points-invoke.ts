// How the points benchmark runs commands: as seeded members of the playground community,
// straight through the real Dispatcher (no adapter: the figures are the command's own
// cost, database included), timing each one and sorting its outcome.
import type { RawOptions, UserRef } from "../src/core/options.js";
import type { Invocation } from "../src/core/invocation.js";
import type { Runtime } from "../src/core/assemble.js";
import { memberName, memberUserId } from "./points-seed.js";

export const PLAYGROUND = { id: "playground", name: "Playground" };

/** The member option value for seeded member `n`, as the playground passes a mention. */
export function userRef(n: number): UserRef {
  return { platform: "playground", id: memberUserId(n), displayName: memberName(n) };
}

/** `/command options` typed by seeded member `n`, received now. */
export function asMember(n: number, command: string, options: RawOptions = {}): Invocation {
  return {
    platform: "playground",
    space: PLAYGROUND,
    user: { id: memberUserId(n), displayName: memberName(n) },
    channel: { id: "general", name: "general" },
    command,
    subcommand: undefined,
    options,
    actor: { platform: "playground", level: "member" },
    receivedAt: new Date(),
  };
}

/** Done; refused with a message for the member (a cap, a bad option); or failed on our side. */
export type Result = "ok" | "refused" | "failed";

export interface Timed {
  readonly ms: number;
  readonly result: Result;
  /** The reply's text, for refusals and failures. */
  readonly text: string;
}

/** Runs one invocation through the dispatcher and times it from start to reply. */
export async function timedRun(runtime: Runtime, inv: Invocation): Promise<Timed> {
  const started = performance.now();
  const { reply, errorId } = await runtime.dispatcher.run(inv);
  const ms = performance.now() - started;
  const result: Result = errorId ? "failed" : reply.tone === "error" ? "refused" : "ok";
  return { ms, result, text: reply.text ?? reply.title ?? "" };
}

/** The choices a command declares for a string option, or undefined when it takes free text. */
export function declaredChoices(runtime: Runtime, command: string, optionName: string): string[] | undefined {
  const leaf = runtime.registry.resolve(command, undefined)?.leaf;
  const spec = leaf?.options[optionName];
  return spec?.kind === "string" && spec.choices ? spec.choices.map((c) => c.value) : undefined;
}

/** Whether a command is registered (the points commands may not be yet). */
export function hasCommand(runtime: Runtime, command: string): boolean {
  return runtime.registry.resolve(command, undefined)?.leaf !== undefined;
}

/** A small seeded generator, so two runs ask the same questions of the same members. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Any of the `members` seeded members, each as likely. */
    anyMember: (members: number) => 1 + Math.floor(next() * members),
    /** A member picked with the seed's activity skew: the active ones far more often. */
    activeMember: (members: number, skew: number) => 1 + Math.floor(members * Math.pow(next(), skew)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof randomSource>;

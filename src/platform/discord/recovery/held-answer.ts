/**
 * How the gateway adapter takes one interaction to its answer: run it through the dispatcher,
 * defer it if it is slow (only once this process has won its claim), send the answer, and
 * keep the claim's state (claim-states.ts) so that, should this process die after deferring,
 * another one can answer in its place.
 */
import { MessageFlags, type RepliableInteraction } from "discord.js";
import { claimKey, type Outcome, type RunHooks } from "../../../core/dispatch.js";
import type { Reply } from "../../../core/reply.js";
import type { Logger } from "../../../log/logger.js";
import { type ClaimStates, type ResumeInfo, resumeInfo } from "./claim-states.js";
import type { Invocation } from "../../../core/invocation.js";

export interface HeldInteraction {
  readonly kind: ResumeInfo["kind"];
  readonly invocation: Invocation;
  /** Whether a deferral is private (a public command's deferral is public). */
  readonly ephemeralWhenDeferred: boolean;
}

export interface HeldAnswerOptions {
  readonly states: ClaimStates | undefined;
  readonly ackAfterMs: number;
  readonly log: Logger;
}

/**
 * Runs `start`, defers if slow, and sends the answer with `send` (told whether it deferred).
 * Returns the reply sent, or undefined when there was nothing for this process to send: another
 * delivery had the claim, or another process took the deferred interaction over.
 */
export async function answerHeld(
  interaction: RepliableInteraction,
  held: HeldInteraction,
  start: (hooks: RunHooks) => Promise<Outcome>,
  send: (reply: Reply, deferred: boolean) => Promise<void>,
  opts: HeldAnswerOptions,
): Promise<Reply | undefined> {
  const { states } = opts;
  const key = held.invocation.id === undefined ? undefined : claimKey(held.invocation.id);
  let onClaimed: () => void = () => undefined;
  const claimed = new Promise<void>((resolve) => (onClaimed = resolve));
  const work = start({ onClaimed, ...(states && key ? { holder: states.holder } : {}) });
  const record = async () => {
    if (!states || !key) return;
    const at = { applicationId: interaction.applicationId, token: interaction.token, ephemeral: held.ephemeralWhenDeferred };
    await states.deferred(key, new Date(), resumeInfo(held.kind, held.invocation, at)).catch((error: unknown) => opts.log.warn({ err: error, interaction: interaction.id }, "could not record a deferral; should this process stop, nobody answers it"));
  };
  const deferred = await ackIfSlow(interaction, work, claimed, opts.ackAfterMs, held.ephemeralWhenDeferred, record);
  const { reply, duplicate } = await work;
  if (duplicate) return undefined;
  if (deferred && states && key) {
    // Taken over: this process was thought dead (its lease lapsed); the other one answers.
    const mine = await states.finish(key).catch(() => true);
    if (!mine) return void opts.log.info({ interaction: interaction.id }, "another process took this deferred interaction over; it answers");
  }
  try {
    await send(reply, deferred);
  } finally {
    if (!deferred && states && key) states.answered(key);
  }
  return reply;
}

/**
 * Defers the interaction if `work` is still running after `afterMs`; returns whether it did.
 * Only once this process has won the interaction's claim: every session on the shard hears
 * it, Discord accepts one acknowledgement, and a process that deferred and then lost the
 * claim would leave the winner's answer refused ("already acknowledged") and the member
 * looking at "thinking…" for good. `record` runs beside the deferral (the 3 s do not wait for it).
 */
async function ackIfSlow(interaction: RepliableInteraction, work: Promise<unknown>, claimed: Promise<void>, afterMs: number, ephemeral: boolean, record: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = work.then(() => "done" as const);
  const slow = new Promise<"slow">((resolve) => (timer = setTimeout(() => resolve("slow"), afterMs)));
  const first = await Promise.race([done, slow]);
  clearTimeout(timer);
  if (first === "done" || (await Promise.race([done, claimed.then(() => "claimed" as const)])) === "done") return false;
  await Promise.all([interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}), record()]);
  return true;
}

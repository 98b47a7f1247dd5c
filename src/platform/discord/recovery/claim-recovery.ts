/**
 * Answers, from this process, the deferred interactions of a Guildhall process that died
 * before answering them (the rule is in pick-up-rule.ts). Every few seconds it reads the
 * claims other processes hold that still wait for an answer, and for each whose holder's
 * gateway lease has run out: takes over the deferred ones inside Discord's 15 minutes, runs
 * the command again where that is safe (a command marked `resumable`: its effects are keyed by
 * the interaction id, so a second run writes nothing the first one did) or otherwise says the
 * command was interrupted, and edits the deferred response; gives up, logged at info and
 * counted in guildhall_interactions_recovered_total, those that can no longer be answered.
 */
import { REST, Routes } from "discord.js";
import type { Dispatcher, Outcome } from "../../../core/dispatch.js";
import type { Invocation } from "../../../core/invocation.js";
import type { Metrics } from "../../../core/metrics.js";
import { type Reply, reply as replyOf } from "../../../core/reply.js";
import type { Logger } from "../../../log/logger.js";
import { renderDiscordMessage } from "../render.js";
import { type ClaimRow, type ClaimStates, type ResumeInfo } from "./claim-states.js";
import { pickUp, TOKEN_LIFETIME_MS } from "./pick-up-rule.js";

/** How often the claims are looked at: a dead holder is taken for dead 30 s after its last renewal anyway. */
export const RECOVERY_PASS_MS = 5_000;

export interface ClaimRecoveryOptions {
  readonly states: ClaimStates;
  readonly dispatcher: Dispatcher;
  readonly apiUrl?: string;
  readonly metrics: Metrics;
  readonly log: Logger;
}

const EPHEMERAL = 1 << 6;

export class ClaimRecovery {
  readonly #rest: REST;
  #timer: NodeJS.Timeout | undefined;
  #passing: Promise<void> | undefined;
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly opts: ClaimRecoveryOptions) {
    // Webhook requests carry the interaction token in their path and need no bot token.
    this.#rest = new REST(opts.apiUrl ? { api: opts.apiUrl } : {});
  }

  start(everyMs = RECOVERY_PASS_MS): void {
    this.#timer = setInterval(() => void this.pass(new Date()), everyMs).unref();
  }

  /** Stops looking; waits for the answers it is sending. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#passing;
    await Promise.all(this.#running);
  }

  /** One look at the waiting claims at `now` (one pass at a time). */
  async pass(now: Date): Promise<void> {
    if (this.#passing) return this.#passing;
    this.#passing = this.#pass(now)
      .catch((error: unknown) => this.opts.log.warn({ err: error }, "could not look for interactions a stopped process left unanswered"))
      .finally(() => (this.#passing = undefined));
    return this.#passing;
  }

  async #pass(now: Date): Promise<void> {
    const { states } = this.opts;
    const waiting = await states.waiting(new Date(now.getTime() - 2 * TOKEN_LIFETIME_MS));
    if (waiting.length === 0) return;
    const live = await states.liveHolders(now);
    for (const claim of waiting) {
      const decision = pickUp(claim, { now, self: states.holder, live });
      if (decision === "lost" || decision === "expired") await this.#giveUp(claim, decision);
      if (decision !== "resume") continue;
      const resume = await states.takeOver(claim);
      if (!resume) continue;
      const answering = this.#answer(claim, resume).catch((error: unknown) => this.opts.log.error({ err: error, interaction: claim.key }, "could not answer an interaction a stopped process left unanswered"));
      this.#running.add(answering);
      void answering.finally(() => this.#running.delete(answering));
    }
  }

  async #giveUp(claim: ClaimRow, as: "lost" | "expired"): Promise<void> {
    if (!(await this.opts.states.giveUp(claim, as))) return;
    this.opts.metrics.interactionRecovered(as);
    const why = as === "lost" ? "it was never deferred and Discord's 3 seconds have passed" : "Discord's 15 minutes for answering it have passed";
    this.opts.log.info({ interaction: claim.key, holder: claim.holder }, `an interaction a stopped process claimed cannot be answered: ${why}`);
  }

  /** Runs the command again if that is safe, else says it was interrupted; then edits the deferred response. */
  async #answer(claim: ClaimRow, resume: ResumeInfo): Promise<void> {
    const invocation = reviveInvocation(resume.invocation);
    const rerun = resume.kind === "command" && this.opts.dispatcher.leafFor(invocation)?.resumable === true;
    const outcome: Outcome | undefined = rerun ? await this.opts.dispatcher.run(invocation, { claimed: true }) : undefined;
    // A run that failed unexpectedly may have met what the first run left half done: say what is known.
    const answer = outcome && !outcome.errorId ? outcome.reply : interrupted(invocation.command);
    if (!(await this.opts.states.finish(claim.key))) return;
    await this.#send(resume, answer);
    const result = outcome && !outcome.errorId ? "answered" : "interrupted";
    this.opts.metrics.interactionRecovered(result);
    this.opts.log.info({ interaction: claim.key, holder: claim.holder, command: invocation.command, result }, "answered an interaction a stopped process had deferred");
  }

  /** Edits the deferral's message; when the answer's visibility differs, replaces it with a follow-up (Discord cannot change it). */
  async #send(resume: ResumeInfo, reply: Reply): Promise<void> {
    const { allowedMentions, ...payload } = renderDiscordMessage(reply);
    const body = { ...payload, allowed_mentions: allowedMentions };
    const ephemeral = reply.visibility === "ephemeral";
    const original = Routes.webhookMessage(resume.applicationId, resume.token, "@original");
    if (ephemeral === resume.ephemeral) return void (await this.#rest.patch(original, { body, auth: false }));
    await this.#rest.delete(original, { auth: false }).catch(() => undefined);
    await this.#rest.post(Routes.webhook(resume.applicationId, resume.token), { body: { ...body, ...(ephemeral ? { flags: EPHEMERAL } : {}) }, auth: false });
  }
}

/** The stored invocation as the dispatcher takes it. */
function reviveInvocation(stored: Record<string, unknown>): Invocation {
  return { ...(stored as unknown as Invocation), receivedAt: new Date(String(stored.receivedAt)) };
}

/** The answer when the command could not safely be run again. */
function interrupted(command: string): Reply {
  return replyOf.ephemeral(
    `Sorry: the Guildhall process running /${command} stopped before it could answer, so it may or may not have taken effect. Check (for example with /points or /questions), and run it again if it did not.`,
    { tone: "warning" },
  );
}

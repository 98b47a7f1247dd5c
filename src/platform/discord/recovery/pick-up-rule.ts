/**
 * Which interactions a dead process left unanswered can still be answered, and by whom.
 *
 * Discord accepts an interaction's first response within 3 seconds of it; after a deferral
 * (response type 5) the original response can be edited through the interaction's webhook for
 * 15 minutes. A Guildhall process records itself as the holder of each gateway interaction it
 * claims, and marks the claim deferred when it defers. When that holder's gateway lease
 * (`discord-gateway:<holder>` in JobLease, 15 s, renewed twice a second) has lapsed more than
 * LAPSE_GRACE_MS ago, or was handed back (SIGTERM), it is dead, and another process:
 * - picks up a deferred claim still inside the 15 minutes, with a minute to spare for running
 *   the command again and answering ("resume");
 * - gives up a deferred claim past that ("expired");
 * - gives up a claim never deferred: its 3 seconds have passed, nothing can answer it ("lost").
 * A claim is left alone while its holder is alive, when it is this process's own, and for
 * DRAIN_GRACE_MS after it was claimed or deferred: a process that received SIGTERM hands its
 * leases back at once but goes on answering what it runs for up to 10 s.
 */

/** How long after its lease lapsed a holder is still taken for alive: a renewal stuck behind an overloaded pool is not death. */
export const LAPSE_GRACE_MS = 15_000;
/** SIGTERM's 10 s drain, and two seconds more. */
export const DRAIN_GRACE_MS = 12_000;
/** How long Discord accepts edits of a deferred interaction's response. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** Time left for running a command again and sending its answer before the token expires. */
export const RERUN_ROOM_MS = 60_000;

export interface HeldClaim {
  readonly state: "claimed" | "deferred";
  readonly holder: string;
  /** When the interaction was received: Discord's windows start then. */
  readonly claimedAt: Date;
  readonly deferredAt: Date | null;
}

export type PickUp = "resume" | "expired" | "lost" | "leave";

/** What process `self` does with `claim` at `now`, given the holders whose gateway lease is live. */
export function pickUp(claim: HeldClaim, at: { readonly now: Date; readonly self: string; readonly live: ReadonlySet<string> }): PickUp {
  if (claim.holder === at.self || at.live.has(claim.holder)) return "leave";
  const now = at.now.getTime();
  const lastSign = Math.max(claim.claimedAt.getTime(), claim.deferredAt?.getTime() ?? 0);
  if (now - lastSign < DRAIN_GRACE_MS) return "leave";
  if (claim.state === "claimed") return "lost";
  return now - claim.claimedAt.getTime() < TOKEN_LIFETIME_MS - RERUN_ROOM_MS ? "resume" : "expired";
}

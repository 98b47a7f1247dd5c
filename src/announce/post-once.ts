/**
 * Posting that happens at most once, even when two processes (or a retried work item) try:
 * a conditional update in the database picks the single poster before anything is sent.
 */
import type { Post } from "../core/chat.js";
import type { ChannelTarget, DeliveryQueue } from "../core/jobs/delivery.js";

export interface OnceGuard {
  /** A conditional update; true for the one caller that wins it. */
  claim(): Promise<boolean>;
  /** Gives the claim back, so a later attempt may post (nothing reached any channel). */
  release(): Promise<void>;
}

export type PostOutcome =
  | { readonly kind: "posted"; readonly failed: readonly ChannelTarget[] }
  | { readonly kind: "already" }
  | { readonly kind: "failed"; readonly failed: readonly ChannelTarget[] };

/**
 * Claims, then posts to every target. When no channel at all took the post, the claim is
 * released and the outcome is `failed`, so a retry can try again; a partial failure keeps
 * the claim (a second post where it worked would be worse than a missing one).
 */
export async function postOnce(delivery: DeliveryQueue, targets: readonly ChannelTarget[], posts: readonly Post[], guard: OnceGuard): Promise<PostOutcome> {
  if (!(await guard.claim())) return { kind: "already" };
  const failed = await delivery.post(targets, posts);
  if (targets.length > 0 && failed.length === targets.length) {
    await guard.release();
    return { kind: "failed", failed };
  }
  return { kind: "posted", failed };
}

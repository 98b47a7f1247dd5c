/**
 * The life of a Discord gateway interaction's claim after it is won (see pick-up-rule.ts):
 * claimed → deferred → answered, or, when its holder dies, taken over by another process or
 * given up (lost, expired). Every change names the holder it expects, so two processes never
 * both answer: the one that finds the row no longer its own stays silent.
 */
import type { Invocation } from "../../../core/invocation.js";
import type { Db } from "../../../db/database.js";
import { sqlFor } from "../../../db/sql.js";
import { GATEWAY_MEMBER_PREFIX } from "../shards/shard-leases.js";
import { type HeldClaim, LAPSE_GRACE_MS } from "./pick-up-rule.js";

/**
 * What another process needs to answer a deferred interaction: what it was and where to answer.
 * Only slash commands are ever run again (those marked resumable); a button or message command
 * is answered as interrupted, so neither its value nor its message is kept.
 */
export interface ResumeInfo {
  readonly kind: "command" | "action" | "message";
  /** The Invocation, as JSON (receivedAt an ISO string). */
  readonly invocation: Record<string, unknown>;
  readonly applicationId: string;
  /** The interaction token: the webhook credential that edits its response (valid 15 minutes). */
  readonly token: string;
  /** Whether the deferral was private: the answer's visibility can only match it by editing. */
  readonly ephemeral: boolean;
}

export interface ClaimRow extends HeldClaim {
  readonly key: string;
}

/** Answers are marked in batches this often: one statement for all the interactions answered meanwhile. */
const SETTLE_EVERY_MS = 250;

export class ClaimStates {
  readonly #answered = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly holder: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The interaction was deferred: recorded with what another process needs to answer it. */
  async deferred(key: string, at: Date, resume: ResumeInfo): Promise<void> {
    await sqlFor(this.db)`
      UPDATE "InteractionClaim" SET "state" = 'deferred', "deferredAt" = ${at}::timestamp(3), "resume" = ${JSON.stringify(resume)}::jsonb
      WHERE "key" = ${key} AND "holder" = ${this.holder} AND "state" = 'claimed'`;
  }

  /**
   * Just before sending a deferred interaction's answer: marks it answered if it is still this
   * process's. False when another process has taken it over (this one was thought dead): that
   * one answers, this one must not.
   */
  async finish(key: string): Promise<boolean> {
    const rows = await sqlFor(this.db)<{ key: string }>`
      UPDATE "InteractionClaim" SET "state" = 'answered', "resume" = NULL
      WHERE "key" = ${key} AND "holder" = ${this.holder} AND "state" IN ('claimed', 'deferred')
      RETURNING "key"`;
    return rows.length === 1;
  }

  /**
   * An interaction answered without deferring: marked answered with the others of the next
   * quarter second, in one statement. (A process killed meanwhile leaves those claims looking
   * unanswered: they are counted as lost though their answers went out.)
   */
  answered(key: string): void {
    this.#answered.add(key);
    this.#timer ??= setTimeout(() => void this.flush(), SETTLE_EVERY_MS).unref();
  }

  /** Writes the pending answered marks now (also at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const keys = [...this.#answered];
    this.#answered.clear();
    if (keys.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(async () => {
      try {
        // Every burst of answers runs it: straight to the driver, like the claim it follows (sql.ts).
        await sqlFor(this.db)`
          UPDATE "InteractionClaim" SET "state" = 'answered'
          WHERE "key" = ANY(${keys}::text[]) AND "holder" = ${this.holder} AND "state" = 'claimed'`;
      } catch (error) {
        this.onError(error);
      }
    });
    return this.#flushing;
  }

  /**
   * Claims of other processes still waiting for an answer, received since `since`. Every
   * process runs this every few seconds, idle or not: straight to the driver (sqlFor), times
   * as epoch milliseconds.
   */
  async waiting(since: Date): Promise<ClaimRow[]> {
    const rows = await sqlFor(this.db)<{ key: string; state: "claimed" | "deferred"; holder: string; claimedMs: number; deferredMs: number | null }>`
      SELECT "key", "state", "holder", (extract(epoch FROM "claimedAt") * 1000)::float8 AS "claimedMs", (extract(epoch FROM "deferredAt") * 1000)::float8 AS "deferredMs"
      FROM "InteractionClaim"
      WHERE "state" IN ('claimed', 'deferred') AND "holder" IS NOT NULL AND "holder" <> ${this.holder} AND "claimedAt" > ${since}::timestamp(3)`;
    return rows.map((r) => ({ key: r.key, state: r.state, holder: r.holder, claimedAt: new Date(Number(r.claimedMs)), deferredAt: r.deferredMs === null ? null : new Date(Number(r.deferredMs)) }));
  }

  /**
   * Processes taken for alive at `now`: their gateway lease (ShardLeases renews it twice a
   * second, for 15 s) has not lapsed, or lapsed less than LAPSE_GRACE_MS ago. A process so
   * overloaded that a renewal waited past its lease is slow, not dead: running its commands
   * again meanwhile would only race it. A released lease (SIGTERM) is gone at once.
   */
  async liveHolders(now: Date): Promise<Set<string>> {
    const rows = await this.db.$queryRaw<{ holder: string }[]>`
      SELECT "holder" FROM "JobLease" WHERE "name" LIKE ${`${GATEWAY_MEMBER_PREFIX}%`} AND "expiresAt" > ${new Date(now.getTime() - LAPSE_GRACE_MS)}`;
    return new Set(rows.map((r) => r.holder));
  }

  /** Takes over a dead holder's deferred claim; its resume information, or undefined if another process was first. */
  async takeOver(claim: ClaimRow): Promise<ResumeInfo | undefined> {
    const [row] = await this.db.$queryRaw<{ resume: ResumeInfo | null }[]>`
      UPDATE "InteractionClaim" SET "holder" = ${this.holder}
      WHERE "key" = ${claim.key} AND "holder" = ${claim.holder} AND "state" = 'deferred'
      RETURNING "resume"`;
    return row?.resume ?? undefined;
  }

  /** Gives up a dead holder's claim as lost or expired; false if another process already did (so each is counted once). */
  async giveUp(claim: ClaimRow, as: "lost" | "expired"): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ key: string }[]>`
      UPDATE "InteractionClaim" SET "state" = ${as}, "resume" = NULL
      WHERE "key" = ${claim.key} AND "holder" = ${claim.holder} AND "state" = ${claim.state}
      RETURNING "key"`;
    return rows.length === 1;
  }
}

/** The resume information for an interaction being deferred. */
export function resumeInfo(kind: ResumeInfo["kind"], invocation: Invocation, at: { applicationId: string; token: string; ephemeral: boolean }): ResumeInfo {
  return { kind, invocation: { ...invocation, receivedAt: invocation.receivedAt.toISOString() } as unknown as Record<string, unknown>, ...at };
}

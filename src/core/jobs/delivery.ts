/**
 * Fan-out delivery: reminders, cancellations and other direct messages to many members, and
 * posts to many channels. Each direct message is claimed under its key (`Delivery`) before it
 * is sent, so a repeated run, or another process running the same fan-out, skips what went
 * out or is going out; a member whose DMs are closed is recorded as such and never retried; a
 * failed message is tried again by later runs, {@link MAX_DELIVERY_ATTEMPTS} times in all,
 * then left as failed. A claim whose send outlived its deadline (its process died, or gave the
 * send up) is settled by the next run: see delivery-settle.ts. Platform rate limits are kept
 * by the transports underneath: a paced REST for Discord (under its 50 requests a second in
 * all), posts paced per channel for Slack (src/platform/pacing.ts); this queue only bounds how
 * many are in flight.
 */
import { type DirectMessage, sendToAccounts } from "../member-messenger.js";
import type { Messengers } from "../platform-services.js";
import type { ChatPosters, Post } from "../chat.js";
import type { PlatformName } from "../context.js";
import type { Db } from "../../db/database.js";
import { PROCESS_HOLDER } from "../../db/lease.js";
import type { Logger } from "../../log/logger.js";
import { InternalError } from "../errors.js";
import { type Account, ClaimSettler, type SendOutcome } from "./delivery-settle.js";
import { eachLimited } from "./each-limited.js";
import type { Job } from "./jobs.js";

export interface DirectDelivery {
  /** Unique per message and member, e.g. `live:<event>:reminder-15m:<member>`. */
  readonly key: string;
  readonly memberId: string;
  readonly message: DirectMessage;
}

export interface ChannelTarget {
  readonly platform: PlatformName;
  readonly spaceId: string;
  readonly channelId: string;
}

export interface DeliveryReport {
  readonly sent: number;
  readonly closed: number;
  readonly failed: number;
  /**
   * Delivered, closed, given up or claimed by another run under the same key before (or
   * repeated within this call).
   */
  readonly skipped: number;
}

export interface SendOptions {
  /** Stops starting new messages when it aborts (the fan-out's work lost its lease); those in flight finish. */
  readonly signal?: AbortSignal;
}

export interface DeliveryOptions {
  /**
   * Direct messages (and channels) in flight at once. The transports pace below this; it
   * only keeps their queues short, so a message waits about a second for its turn and other
   * work on the same token (an access change) is not stuck behind a whole fan-out.
   */
  readonly concurrency?: number;
  /** Recorded on each claim (`Delivery.claimedBy`): which process took a message. */
  readonly holder?: string;
  /**
   * Longest one direct message may take from its claim to its last request, retries included;
   * a send still going then is given up (no further request starts). A claim this old that is
   * still "sending" is therefore finished one way or the other, and is settled. 30 s by default:
   * a turn at the pace (a second or two with the queue full), discord.js's 15 s request
   * timeout, and the messenger's retries.
   */
  readonly sendDeadlineMs?: number;
  /** Waits for unsettled claims to come of age; tests pass one that does not really sleep. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Tries in all, over successive runs, before a direct message that keeps failing is left as failed. */
export const MAX_DELIVERY_ATTEMPTS = 3;

export const DEFAULT_SEND_DEADLINE_MS = 30_000;

/** Keys and member ids per query: well under PostgreSQL's limit on bind parameters. */
const QUERY_CHUNK = 5000;

export class DeliveryQueue {
  readonly #concurrency: number;
  readonly #holder: string;
  readonly #deadlineMs: number;
  readonly #settler: ClaimSettler;
  /** Keys this queue is sending now: never taken for unsettled by a run beside the one sending them. */
  readonly #inFlight = new Set<string>();
  #pending = 0;

  /** Direct messages accepted by a running fan-out and not yet sent (the metrics' queue depth). */
  get pending(): number {
    return this.#pending;
  }

  constructor(
    private readonly db: Db,
    private readonly messengers: Messengers,
    private readonly chat: ChatPosters,
    private readonly log: Logger,
    opts: DeliveryOptions = {},
  ) {
    this.#concurrency = Math.max(1, opts.concurrency ?? 50);
    this.#holder = opts.holder ?? PROCESS_HOLDER;
    this.#deadlineMs = opts.sendDeadlineMs ?? DEFAULT_SEND_DEADLINE_MS;
    this.#settler = new ClaimSettler({
      db,
      messengers,
      log,
      holder: this.#holder,
      deadlineMs: this.#deadlineMs,
      concurrency: this.#concurrency,
      sleep: opts.sleep ?? abortableSleep,
      send: (item, accounts) => this.#sendOne(item, accounts),
    });
  }

  /**
   * Sends each member their message once per key, on the first platform that reaches them
   * (core/member-messenger.ts). A message is claimed before it is sent, never recorded after:
   * see {@link DeliveryQueue.#claim}. Claims left "sending" by a process that died (or by a
   * send given up at its deadline) are settled at the end of the run (delivery-settle.ts).
   */
  async sendDirect(items: readonly DirectDelivery[], opts: SendOptions = {}): Promise<DeliveryReport> {
    const unique = [...new Map(items.map((i) => [i.key, i] as const)).values()];
    // A cheap first pass over what earlier runs settled; the claim below is what decides.
    const previous = await this.#previous(unique.map((i) => i.key));
    const todo = unique.filter((i) => {
      const before = previous.get(i.key);
      return !before || (before.status === "failed" && before.attempts < MAX_DELIVERY_ATTEMPTS);
    });
    const unsettled = unique.filter((i) => previous.get(i.key)?.status === "sending" && !this.#inFlight.has(i.key));
    const accounts = await this.#accounts([...todo, ...unsettled].map((i) => i.memberId));
    const counts = { sent: 0, closed: 0, failed: 0, skipped: items.length - todo.length - unsettled.length };
    this.#pending += todo.length;
    let waiting = todo.length;
    const sent = eachLimited(todo, this.#concurrency, opts.signal, async (item) => {
      waiting -= 1;
      // Claimed at the wire, after the request's turn at the pace (the Discord messenger runs
      // this step there), so a message still waiting for its turn holds no claim.
      let claim: Promise<number | undefined> | undefined;
      const claimed = () => (claim ??= this.#claim(item.key));
      // A run told to stop (its work lost, or the process shutting down) lets no further
      // message through, not even one that already waited for its turn: it is not claimed, so
      // the run that continues the fan-out sends it.
      const atTheWire = async () => !opts.signal?.aborted && (await claimed()) !== undefined;
      this.#inFlight.add(item.key);
      let outcome: SendOutcome;
      try {
        outcome = await this.#sendOne(item, accounts.get(item.memberId) ?? [], atTheWire);
        if (!claim && opts.signal?.aborted && outcome !== "sent" && outcome !== "closed") {
          counts.skipped += 1;
          return;
        }
        // Never claimed: nothing went out (no platform reached, a failure before the delivering
        // request, or the deadline while it waited its turn), and the attempt is claimed now and
        // counted as failed, so a later run tries again and one that keeps failing is given up.
        // (A messenger over a REST that does not run the step would get here having sent: the
        // message is then recorded after the fact.)
        if (!claim) {
          if (outcome !== "sent" && outcome !== "closed") outcome = "failed";
          await claimed();
        }
      } finally {
        this.#pending -= 1;
        this.#inFlight.delete(item.key);
      }
      const attempts = await claim;
      if (attempts === undefined) {
        counts.skipped += 1;
        return;
      }
      if (outcome === "unknown") {
        // Given up at its deadline with a request perhaps on the wire: settled below, once it can be.
        unsettled.push(item);
        return;
      }
      counts[outcome] += 1;
      // A retryable failure gives the claim back as "failed", for a later run to claim again.
      await this.db.delivery.updateMany({ where: { key: item.key, status: "sending", claimedBy: this.#holder }, data: { status: outcome } });
      if (outcome === "failed" && attempts >= MAX_DELIVERY_ATTEMPTS) {
        this.log.warn({ key: item.key, member: item.memberId, attempts }, "gave up on a direct message after its last attempt");
      }
    });
    // Items a failed or stopped fan-out never started are no longer waiting either.
    await sent.finally(() => (this.#pending -= waiting));
    if (unsettled.length > 0) {
      const settled = await this.#settler.settle(unsettled, accounts, opts.signal);
      for (const outcome of ["sent", "closed", "failed", "skipped"] as const) counts[outcome] += settled[outcome];
    }
    if (todo.length + unsettled.length > 0) this.log.info(counts, "direct messages delivered");
    return counts;
  }

  /**
   * Claims still "sending" past the send deadline, across every process on the database: each
   * one a direct message whose outcome is unknown until a run of its fan-out settles it
   * (delivery-settle.ts), or for good when its platform cannot be asked. The metrics report
   * the count; {@link DeliveryQueue.unsettledCheck} logs them.
   */
  async unsettled(): Promise<{ count: number; oldest?: Date; sample: { key: string; claimedBy: string | null }[] }> {
    const where = { status: "sending", updatedAt: { lt: new Date(Date.now() - this.#deadlineMs) } };
    const [count, sample] = await Promise.all([
      this.db.delivery.count({ where }),
      this.db.delivery.findMany({ where, orderBy: { updatedAt: "asc" }, take: 5, select: { key: true, claimedBy: true, updatedAt: true } }),
    ]);
    return { count, ...(sample[0] ? { oldest: sample[0].updatedAt } : {}), sample: sample.map(({ key, claimedBy }) => ({ key, claimedBy })) };
  }

  /**
   * A job that logs unsettled claims at warn every 10 minutes while there are any: a fan-out
   * settles its own on its next run, so claims that stay are ones no run will settle (a
   * member reached only on a platform that cannot be asked, or a fan-out that has ended).
   */
  unsettledCheck(): Job {
    return {
      name: "delivery-unsettled",
      cron: "0 */10 * * * *",
      sweep: true,
      run: async () => {
        const { count, oldest, sample } = await this.unsettled();
        if (count > 0) this.log.warn({ count, oldest, sample }, "direct messages claimed and never confirmed: whether they reached their members is unknown, and they are not resent");
      },
    };
  }

  /** Posts each message to each channel, in order per channel; returns the targets that failed. */
  async post(targets: readonly ChannelTarget[], posts: readonly Post[]): Promise<ChannelTarget[]> {
    const failed: ChannelTarget[] = [];
    await eachLimited(targets, this.#concurrency, undefined, async (target) => {
      const poster = this.chat[target.platform];
      try {
        if (!poster) throw new InternalError("platform_not_running", `${target.platform} is not running`);
        for (const post of posts) await poster.post(target.spaceId, target.channelId, post);
      } catch (error) {
        this.log.warn({ err: error, ...target }, "could not post to a channel");
        failed.push(target);
      }
    });
    return failed;
  }

  /**
   * The member's message through {@link sendToAccounts}, given up at the deadline; "unreachable"
   * is a failure a later run may fix (a platform starts); "unknown" when the deadline cut it
   * off, since a request may have reached the platform.
   */
  async #sendOne(item: DirectDelivery, accounts: readonly Account[], beforeDelivery?: () => Promise<boolean>): Promise<SendOutcome> {
    const deadline = AbortSignal.timeout(this.#deadlineMs);
    // The key names the message on platforms that deduplicate (Discord's nonce): a retried post
    // whose first try did arrive is answered with that message, not a second one.
    const options = { idempotencyKey: item.key, signal: deadline, ...(beforeDelivery ? { beforeDelivery } : {}) };
    const outcome = await sendToAccounts(this.messengers, accounts, item.message, this.log, options);
    if (deadline.aborted && outcome !== "sent" && outcome !== "closed") {
      this.log.warn({ key: item.key, member: item.memberId, deadlineMs: this.#deadlineMs }, "a direct message outlived its deadline; it is settled once nothing of it can still arrive");
      return "unknown";
    }
    if (outcome !== "unreachable") return outcome;
    this.log.info({ key: item.key, member: item.memberId }, "no platform can reach this member for a direct message");
    return "failed";
  }

  /**
   * Claims the message under `key` for this process, in one statement: a new key, or one whose
   * last attempt failed with attempts left. Returns this attempt's number, or undefined when
   * the key is sent, closed, given up, or claimed by another run.
   *
   * The claim is written before the send, so a process killed between the two (or whose
   * request reached the platform but not its answer) leaves the row "sending". Nobody sends
   * it again blindly: once the claim is older than the send deadline, a later run settles it
   * (delivery-settle.ts), asking the platform whether it arrived. Its time is this process's
   * clock, as Prisma writes and reads it (UTC), whatever the database session's time zone.
   */
  async #claim(key: string): Promise<number | undefined> {
    const now = new Date();
    const rows = await this.db.$queryRaw<{ attempts: number }[]>`
      INSERT INTO "Delivery" ("key", "status", "attempts", "claimedBy", "createdAt", "updatedAt")
      VALUES (${key}, 'sending', 1, ${this.#holder}, ${now}, ${now})
      ON CONFLICT ("key") DO UPDATE SET "status" = 'sending', "attempts" = "Delivery"."attempts" + 1, "claimedBy" = EXCLUDED."claimedBy", "updatedAt" = EXCLUDED."updatedAt"
      WHERE "Delivery"."status" = 'failed' AND "Delivery"."attempts" < ${MAX_DELIVERY_ATTEMPTS}
      RETURNING "attempts"`;
    return rows[0]?.attempts;
  }

  async #previous(keys: readonly string[]): Promise<Map<string, { status: string; attempts: number }>> {
    const rows = await inChunks(keys, (chunk) => this.db.delivery.findMany({ where: { key: { in: chunk } }, select: { key: true, status: true, attempts: true } }));
    return new Map(rows.map((r) => [r.key, r]));
  }

  async #accounts(memberIds: readonly string[]): Promise<Map<string, Account[]>> {
    const rows = await inChunks([...new Set(memberIds)], (chunk) =>
      this.db.platformAccount.findMany({ where: { memberId: { in: chunk } }, orderBy: { createdAt: "asc" }, select: { memberId: true, platform: true, externalId: true } }),
    );
    const byMember = new Map<string, Account[]>();
    for (const row of rows) byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), row]);
    return byMember;
  }
}

/** Sleeps `ms`, or rejects with the abort reason as soon as `signal` aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

async function inChunks<T, R>(values: readonly T[], query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < values.length; i += QUERY_CHUNK) results.push(...(await query(values.slice(i, i + QUERY_CHUNK))));
  return results;
}

/**
 * Settling direct messages whose claim outlived its send: the process that claimed one died
 * mid-send, or gave the send up at its deadline with a request perhaps on the wire. Whether it
 * arrived is unknown, and Discord keeps no idempotency key for long (its enforced nonce lasts a
 * few minutes): sending again blindly could double it, leaving it loses it.
 *
 * Once a claim is older than the send deadline nothing of it can still start (a live holder
 * gives a send up at its deadline), so a run takes the claim over (compare-and-set on its
 * holder and time, so one run wins), asks the member's platforms whether the bot's DM channel
 * holds a message from the bot created while the claim was live (`findSent`), and sends the
 * message only if none does. That send carries the key's nonce, so a request of the dead
 * process that reached Discord after the look is answered with its message instead of making
 * a second. A member with an account on a platform that cannot be asked (Slack, today) keeps
 * the claim "sending": it is reported as unsettled (logged, and counted in the metrics), never
 * resent.
 */
import type { Db } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { accountOrder, type DirectMessage } from "../member-messenger.js";
import type { DirectMessenger, Messengers } from "../platform-services.js";
import { eachLimited } from "./each-limited.js";

export type Account = { readonly platform: string; readonly externalId: string };

/** How one send ended; "unknown" when it was given up at its deadline, perhaps on the wire. */
export type SendOutcome = "sent" | "closed" | "failed" | "unknown";

/** A direct message of a fan-out, as the settler needs it. */
export interface Unsettled {
  readonly key: string;
  readonly memberId: string;
  readonly message: DirectMessage;
}

export interface SettlerDeps {
  readonly db: Db;
  readonly messengers: Messengers;
  readonly log: Logger;
  readonly holder: string;
  readonly deadlineMs: number;
  readonly concurrency: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Sends the message (the queue's own send, with its deadline and nonce). */
  readonly send: (item: Unsettled, accounts: readonly Account[]) => Promise<SendOutcome>;
}

export interface SettleReport {
  /** Sent by this run after no earlier copy was found. */
  sent: number;
  closed: number;
  failed: number;
  /** Found already delivered, settled by another run meanwhile, or left unsettled. */
  skipped: number;
}

/**
 * How far the clocks involved (the claiming process's, this one's, the platform's) may
 * disagree: the look for an earlier copy starts this much before the claim and ends this much
 * after its deadline.
 */
const CLOCK_SKEW_MS = 10_000;

export class ClaimSettler {
  constructor(private readonly deps: SettlerDeps) {}

  /**
   * Settles `items` (claims seen "sending"), waiting for each to be older than the deadline;
   * stops waiting when `signal` aborts (the run lost its work), leaving the rest to a later run.
   */
  async settle(items: readonly Unsettled[], accounts: ReadonlyMap<string, readonly Account[]>, signal?: AbortSignal): Promise<SettleReport> {
    const { db, log, deadlineMs } = this.deps;
    const report: SettleReport = { sent: 0, closed: 0, failed: 0, skipped: 0 };
    const askable = items.filter((i) => this.#canAsk(accounts.get(i.memberId) ?? []));
    const unaskable = items.filter((i) => !askable.includes(i));
    report.skipped += unaskable.length;
    if (unaskable.length > 0) {
      log.warn({ count: unaskable.length, keys: unaskable.slice(0, 5).map((i) => i.key) }, "direct messages left unconfirmed by a stopped process are on a platform that cannot be asked whether they arrived; not resent");
    }
    let waiting = askable;
    let found = 0;
    while (waiting.length > 0) {
      const rows = await db.delivery.findMany({ where: { key: { in: waiting.map((i) => i.key) }, status: "sending" }, select: { key: true, claimedBy: true, updatedAt: true } });
      const claims = new Map(rows.map((r) => [r.key, r]));
      const now = Date.now();
      const ageOf = (i: Unsettled) => now - claims.get(i.key)!.updatedAt.getTime();
      // Gone from "sending": another run settled it meanwhile.
      report.skipped += waiting.filter((i) => !claims.has(i.key)).length;
      const due = waiting.filter((i) => claims.has(i.key) && ageOf(i) >= deadlineMs);
      const young = waiting.filter((i) => claims.has(i.key) && ageOf(i) < deadlineMs);
      await eachLimited(due, this.deps.concurrency, signal, async (item) => {
        const claim = claims.get(item.key)!;
        const outcome = await this.#settleOne(item, accounts.get(item.memberId) ?? [], claim);
        if (outcome === "found") found += 1;
        report[outcome === "found" || outcome === "taken" || outcome === "unknown" ? "skipped" : outcome] += 1;
      });
      if (young.length === 0) break;
      await this.deps.sleep(Math.max(1, deadlineMs - Math.max(...young.map(ageOf))), signal);
      waiting = young;
    }
    if (askable.length > 0) log.info({ found, ...report }, "settled direct messages whose send outlived its claim");
    return report;
  }

  /** Every account of the member is on a running platform that can be asked (and there is one). */
  #canAsk(accounts: readonly Account[]): boolean {
    return accounts.length > 0 && accounts.every((a) => this.#messenger(a.platform)?.findSent !== undefined);
  }

  #messenger(platform: string): DirectMessenger | undefined {
    return (this.deps.messengers as Partial<Record<string, DirectMessenger>>)[platform];
  }

  async #settleOne(item: Unsettled, accounts: readonly Account[], claim: { claimedBy: string | null; updatedAt: Date }): Promise<SendOutcome | "found" | "taken"> {
    const { db, log, holder, deadlineMs } = this.deps;
    const { count } = await db.delivery.updateMany({
      where: { key: item.key, status: "sending", claimedBy: claim.claimedBy, updatedAt: claim.updatedAt },
      data: { claimedBy: holder, updatedAt: new Date() },
    });
    if (count === 0) return "taken";
    const window = { from: new Date(claim.updatedAt.getTime() - CLOCK_SKEW_MS), to: new Date(claim.updatedAt.getTime() + deadlineMs + CLOCK_SKEW_MS) };
    let outcome: SendOutcome | "found";
    try {
      outcome = (await this.#foundSent(accounts, window)) ? "found" : await this.deps.send(item, accounts);
    } catch (error) {
      // The platform could not be asked: the claim (now ours, and fresh) waits for a later run.
      log.warn({ err: error, key: item.key }, "could not check whether an unconfirmed direct message arrived; a later run tries again");
      return "unknown";
    }
    if (outcome === "unknown") return outcome;
    await db.delivery.updateMany({ where: { key: item.key, status: "sending", claimedBy: holder }, data: { status: outcome === "found" ? "sent" : outcome } });
    log.info({ key: item.key, member: item.memberId, previousHolder: claim.claimedBy, outcome }, "settled a direct message left unconfirmed");
    return outcome;
  }

  async #foundSent(accounts: readonly Account[], window: { from: Date; to: Date }): Promise<boolean> {
    for (const account of accountOrder(accounts)) {
      if (await this.#messenger(account.platform)!.findSent!(account.externalId, window)) return true;
    }
    return false;
  }
}

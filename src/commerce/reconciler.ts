import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import type { Metrics } from "../core/metrics.js";
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import { acquireLease, PROCESS_HOLDER, releaseLease } from "../db/lease.js";
import type { Logger } from "../log/logger.js";
import type { AccessSync } from "./access-sync.js";
import type { BillingNotices } from "./billing-notices.js";
import { type Drift, findDrift } from "./drift.js";
import type { Sleep } from "../core/retry.js";
import { countStripeCalls } from "./stripe-call-count.js";
import { StripeLister } from "./stripe-listing.js";
import { HANDLED_EVENTS, type StripeEventApplier } from "./stripe-event-applier.js";

/** Stripe keeps events for 30 days; an older cursor means events may be gone: sweep everything. */
const EVENT_RETENTION_SECONDS = 29 * 86_400;
/** Re-read this much before the cursor: events and objects created at the boundary are not missed. */
const OVERLAP_SECONDS = 300;
const LEASE = "stripe-reconciliation";
const LEASE_TTL_MS = 15 * 60_000;

export interface RunReport {
  readonly skipped?: string;
  readonly dryRun: boolean;
  readonly fullSweep: boolean;
  readonly eventsSeen: number;
  readonly objectsSeen: number;
  readonly repairs: readonly string[];
  readonly stripeCalls: number;
}

/**
 * Compares Stripe with the database and repairs what webhooks missed: events since the
 * cursor that were never applied, then Checkout Sessions, subscriptions, refunds and disputes
 * created since the last sweep whose state is not reflected here. Every repair goes through
 * the webhook's own idempotent applier, which re-reads what it concerns. One run at a time
 * across processes (a lease). Every Stripe request the run makes is counted, repairs included.
 */
export class Reconciler {
  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe,
    private readonly applier: StripeEventApplier,
    private readonly accessSync: AccessSync,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly sleep?: Sleep,
    private readonly notices?: BillingNotices,
    /** Counts runs, repairs and Stripe calls. */
    private readonly metrics?: Pick<Metrics, "reconcileRun">,
  ) {}

  async run(options: { dryRun?: boolean } = {}): Promise<RunReport> {
    const dryRun = options.dryRun === true;
    const startedAt = this.clock.now();
    const holder = `${PROCESS_HOLDER}:${randomUUID().slice(0, 8)}`; // per run: two runs in one process exclude each other too
    if (!(await acquireLease(this.db, LEASE, holder, LEASE_TTL_MS, startedAt))) {
      this.metrics?.reconcileRun("skipped");
      return { skipped: "another process is reconciling", dryRun, fullSweep: false, eventsSeen: 0, objectsSeen: 0, repairs: [], stripeCalls: 0 };
    }
    const run = await this.db.reconciliationRun.create({ data: { startedAt, dryRun, fullSweep: false } });
    const lister = new StripeLister(this.sleep);
    return countStripeCalls(this.stripe, async (calls) => {
      try {
        const report = { ...(await this.#reconcile(lister, dryRun, startedAt)), stripeCalls: calls() };
        await this.db.reconciliationRun.update({
          where: { id: run.id },
          data: { finishedAt: this.clock.now(), fullSweep: report.fullSweep, eventsSeen: report.eventsSeen, objectsSeen: report.objectsSeen, repairs: report.repairs.length, stripeCalls: report.stripeCalls, details: [...report.repairs] },
        });
        // A dry run repairs nothing: what it lists are candidates.
        this.metrics?.reconcileRun("ok", dryRun ? 0 : report.repairs.length, report.stripeCalls);
        return report;
      } catch (error) {
        this.metrics?.reconcileRun("failed", 0, calls());
        await this.db.reconciliationRun.update({ where: { id: run.id }, data: { finishedAt: this.clock.now(), error: String((error as Error).message), stripeCalls: calls() } });
        throw error;
      } finally {
        await releaseLease(this.db, LEASE, holder);
      }
    });
  }

  /** A run that repaired something tells each affected community's admins what it fixed. */
  async #report(repairs: readonly string[], memberIds: readonly string[]): Promise<void> {
    const communities = await this.db.member.findMany({ where: { id: { in: [...memberIds] } }, select: { communityId: true }, distinct: ["communityId"] });
    const shown = repairs.slice(0, 20).map((r) => `• ${r}`);
    const more = repairs.length > 20 ? [`…and ${repairs.length - 20} more`] : [];
    const message = [`Reconciliation repaired ${repairs.length} thing(s) Stripe's webhooks had missed:`, ...shown, ...more].join("\n");
    for (const { communityId } of communities) {
      await this.accessSync.reportToAdmins(communityId, message).catch((error: unknown) => this.log.warn({ err: error }, "could not report a reconciliation run"));
    }
  }

  async #reconcile(lister: StripeLister, dryRun: boolean, startedAt: Date): Promise<Omit<RunReport, "stripeCalls">> {
    const nowSeconds = Math.floor(startedAt.getTime() / 1000);
    const cursor = await this.db.reconciliationCursor.findUnique({ where: { id: "stripe" } });
    const fullSweep = !cursor || cursor.sweptAt < nowSeconds - EVENT_RETENTION_SECONDS;
    const repairs: string[] = [];
    const members = new Set<string>();
    // A dry run lists what it would look at again; a real run, what actually changed.
    const repair = async (label: string, event: Stripe.Event) => {
      if (dryRun) return void repairs.push(label);
      const outcome = await this.applier.apply(event);
      if (outcome.status !== "applied") return;
      if (outcome.changed) repairs.push(label);
      outcome.members.forEach((m) => members.add(m));
      for (const notice of outcome.notices) await this.notices?.send(notice);
    };

    // 1. Events Stripe sent (or tried to) that we never applied.
    const eventsSince = Math.max(nowSeconds - EVENT_RETENTION_SECONDS, (cursor?.eventsCreated ?? 0) - OVERLAP_SECONDS);
    let eventsSeen = 0;
    const events = lister.all((page) => this.stripe.events.list({ ...page, types: [...HANDLED_EVENTS], created: { gte: eventsSince } }));
    const seen: Stripe.Event[] = [];
    for await (const event of events) {
      eventsSeen++;
      seen.push(event);
    }
    const known = new Set((await this.db.stripeEvent.findMany({ where: { id: { in: seen.map((e) => e.id) } }, select: { id: true } })).map((e) => e.id));
    for (const event of seen.reverse()) if (!known.has(event.id)) await repair(`applied missed event ${event.id} (${event.type})`, event);

    // 2. Objects whose state is not reflected here (events older than Stripe keeps, or never sent).
    const sweepSince = fullSweep ? undefined : cursor!.sweptAt - OVERLAP_SECONDS;
    const drift: Drift[] = [];
    const objectsSeen = await findDrift(this.db, this.stripe, lister, sweepSince, (d) => void drift.push(d));
    for (const d of drift) await repair(d.label, d.event);

    // 3. Re-sync access for repaired members, and for members whose entitlements changed
    //    since the last run (a process that died after storing an event but before syncing).
    if (!dryRun) {
      const changedSince = cursor ? new Date(cursor.updatedAt.getTime() - OVERLAP_SECONDS * 1000) : new Date(0);
      const changed = await this.db.entitlement.findMany({ where: { updatedAt: { gte: changedSince } }, select: { memberId: true }, distinct: ["memberId"] });
      changed.forEach((c) => members.add(c.memberId));
      await this.accessSync.syncMembers([...members]);
      // Everything created before this run started has been read; the next run re-reads
      // the last few minutes (the overlap) in case Stripe's clock and ours disagree.
      await this.db.reconciliationCursor.upsert({
        where: { id: "stripe" },
        create: { id: "stripe", eventsCreated: nowSeconds, sweptAt: nowSeconds },
        update: { eventsCreated: nowSeconds, sweptAt: nowSeconds },
      });
    }
    if (repairs.length > 0) {
      this.log.warn({ repairs: repairs.length, dryRun }, "reconciliation found drift");
      if (!dryRun) await this.#report(repairs, [...members]);
    }
    return { dryRun, fullSweep, eventsSeen, objectsSeen, repairs };
  }
}

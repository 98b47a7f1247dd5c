/**
 * Guildhall's Prometheus metrics (served as `GET /metrics`). Core owns one registry per app,
 * not prom-client's global one, so several apps in one process (tests) never mix their
 * counts. Capabilities and adapters record through the typed methods below; the series and
 * their labels are listed in the README.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PlatformName } from "./context.js";

/** How an interaction ended: answered, refused with a user-facing error, failed, or another process had it. */
export type InteractionOutcome = "ok" | "refused" | "error" | "duplicate";

/** A sampled figure that only its owner can read (a pool's counts), asked for at each scrape. */
export type Sampler = () => number | undefined;

export class Metrics {
  readonly registry = new Registry();
  readonly #interactions = new Counter({ name: "guildhall_interactions_total", help: "Commands, buttons and message commands by platform, command and outcome (ok, refused, error, duplicate)", labelNames: ["platform", "command", "outcome"], registers: [this.registry] });
  readonly #latency = new Histogram({
    name: "guildhall_interaction_duration_seconds",
    help: "Time from receiving an interaction to its reply being ready, by platform and command",
    labelNames: ["platform", "command"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #webhooks = new Counter({ name: "guildhall_stripe_webhook_events_total", help: "Stripe webhook deliveries by event type and outcome (applied, ignored, duplicate, rejected, failed)", labelNames: ["type", "outcome"], registers: [this.registry] });
  readonly #reconcileRuns = new Counter({ name: "guildhall_reconcile_runs_total", help: "Reconcile runs against Stripe by outcome (ok, failed, skipped)", labelNames: ["outcome"], registers: [this.registry] });
  readonly #reconcileRepairs = new Counter({ name: "guildhall_reconcile_repairs_total", help: "Differences a reconcile run found and repaired", registers: [this.registry] });
  readonly #reconcileStripeCalls = new Counter({ name: "guildhall_reconcile_stripe_calls_total", help: "Stripe API requests made by reconcile runs", registers: [this.registry] });
  readonly #jobs = new Counter({ name: "guildhall_job_runs_total", help: "Recurring job runs by job and outcome (ok, failed)", labelNames: ["job", "outcome"], registers: [this.registry] });
  readonly #requests = new Counter({ name: "guildhall_platform_requests_total", help: "Requests sent to a platform's API by the paced senders, per platform", labelNames: ["platform"], registers: [this.registry] });
  readonly #rateLimited = new Counter({ name: "guildhall_platform_rate_limited_total", help: "429 (rate limited) answers from a platform's API, per platform", labelNames: ["platform"], registers: [this.registry] });
  readonly #recovered = new Counter({
    name: "guildhall_interactions_recovered_total",
    help: "Discord interactions a stopped process left unanswered, by what this process did: answered (ran again), interrupted (said so), lost (never deferred, past 3 s) or expired (deferred, past 15 minutes)",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  #deliveryDepth: Sampler = () => undefined;
  #poolInUse: Sampler = () => undefined;
  #poolWaiting: Sampler = () => undefined;
  #shardLeases: Sampler = () => 0;
  #deliveryUnsettled: () => Promise<number | undefined> = async () => undefined;

  constructor() {
    const sampled = (name: string, help: string, read: () => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const value = read();
          if (value !== undefined) this.set(value);
        },
      });
    sampled("guildhall_delivery_queue_depth", "Direct messages and posts waiting in the delivery queue", () => this.#deliveryDepth());
    sampled("guildhall_db_pool_in_use", "Database connections checked out (PostgreSQL; PGlite has one connection and reports nothing)", () => this.#poolInUse());
    sampled("guildhall_db_pool_waiting", "Queries waiting for a database connection (PostgreSQL only)", () => this.#poolWaiting());
    const unsettled = () => this.#deliveryUnsettled();
    new Gauge({
      name: "guildhall_delivery_unsettled",
      help: "Direct messages claimed and still unconfirmed past their send deadline, in the whole database (their process died or gave up mid-send): settled by the fan-out's next run, or left when their platform cannot be asked",
      registers: [this.registry],
      async collect() {
        // Counted at each scrape (an indexed count); a database that cannot answer leaves the last figure.
        const value = await unsettled().catch(() => undefined);
        if (value !== undefined) this.set(value);
      },
    });
    sampled("guildhall_shard_leases_held", "Discord gateway shards this process holds (through leases on PostgreSQL; every shard on the embedded database)", () => this.#shardLeases());
  }

  interaction(platform: PlatformName, command: string, outcome: InteractionOutcome, seconds: number): void {
    this.#interactions.inc({ platform, command, outcome });
    if (outcome !== "duplicate") this.#latency.observe({ platform, command }, seconds);
  }

  interactionRecovered(outcome: "answered" | "interrupted" | "lost" | "expired"): void {
    this.#recovered.inc({ outcome });
  }

  stripeWebhook(type: string, outcome: "applied" | "ignored" | "duplicate" | "rejected" | "failed"): void {
    this.#webhooks.inc({ type, outcome });
  }

  reconcileRun(outcome: "ok" | "failed" | "skipped", repairs = 0, stripeCalls = 0): void {
    this.#reconcileRuns.inc({ outcome });
    if (repairs > 0) this.#reconcileRepairs.inc(repairs);
    if (stripeCalls > 0) this.#reconcileStripeCalls.inc(stripeCalls);
  }

  jobRun(job: string, outcome: "ok" | "failed"): void {
    this.#jobs.inc({ job, outcome });
  }

  platformRequest(platform: PlatformName, status: number): void {
    this.#requests.inc({ platform });
    if (status === 429) this.#rateLimited.inc({ platform });
  }

  /** Where the delivery queue's depth, the database pool's counts and the shards held are read at each scrape. */
  sample(what: { deliveryDepth?: Sampler; deliveryUnsettled?: () => Promise<number | undefined>; poolInUse?: Sampler; poolWaiting?: Sampler; shardLeases?: Sampler }): void {
    if (what.deliveryDepth) this.#deliveryDepth = what.deliveryDepth;
    if (what.deliveryUnsettled) this.#deliveryUnsettled = what.deliveryUnsettled;
    if (what.poolInUse) this.#poolInUse = what.poolInUse;
    if (what.poolWaiting) this.#poolWaiting = what.poolWaiting;
    if (what.shardLeases) this.#shardLeases = what.shardLeases;
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

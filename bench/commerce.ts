// npm run bench, commerce section (issue 3): verified Stripe webhook events applied per second
// with 50 deliveries in flight, on PGlite and PostgreSQL; and the Stripe calls one
// reconciliation run makes for 10,000 unchanged subscriptions. The fake Stripe and the
// webhook sender run on a thread of their own, so the measured event loop is the bot's.
import type { DatabaseTarget } from "../src/db/target.js";
import { createLogger } from "../src/log/logger.js";
import { createPostgresDatabase, dropPostgresDatabase, memoryTarget } from "../test/support/databases.js";
import { measureReconciliation, type ReconcileResult } from "./commerce-reconcile.js";
import { StripeThread } from "./commerce-setup.js";
import { measureWebhooks, type WebhookRow } from "./commerce-webhooks.js";
import { ms } from "./stats.js";
import { postgresAvailable } from "./worker-rpc.js";

const IN_FLIGHT = 50;
const TARGET_PER_SECOND = 200;
const MAX_QUIET_CALLS = 5;

interface Backend {
  readonly name: string;
  /** A fresh, empty database for one measurement; `dispose` drops it. */
  fresh(): Promise<{ target: DatabaseTarget; dispose: () => Promise<void> }>;
}

const pglite: Backend = { name: "PGlite", fresh: async () => ({ target: memoryTarget(), dispose: async () => undefined }) };
const postgres: Backend = {
  name: "PostgreSQL",
  async fresh() {
    const target = await createPostgresDatabase();
    return { target, dispose: () => dropPostgresDatabase(target.url) };
  },
};

/**
 * Runs the commerce benchmarks and returns their report as markdown lines; none when
 * `BENCH_ONLY` names an adapter. `BENCH_DATABASES` narrows the databases,
 * `BENCH_WEBHOOK_EVENTS` and `BENCH_SUBSCRIPTIONS` set the sizes.
 */
export async function commerceSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "commerce") return [];
  const events = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
  const subscriptions = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);
  const warmup = Math.min(200, Math.ceil(events / 10));
  const wanted = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
  const lines = ["", "## Commerce", ""];
  const backends: Backend[] = wanted.includes("pglite") ? [pglite] : [];
  if (wanted.includes("postgres")) {
    if (await postgresAvailable()) backends.push(postgres);
    else lines.push("PostgreSQL not reachable (set BENCH_DATABASE_URL).", "");
  }
  if (backends.length === 0) return lines;

  const thread = new StripeThread();
  try {
    const webhooks: WebhookRow[] = [];
    for (const backend of backends) {
      webhooks.push(await withDatabase(backend, (target) => measureWebhooks(backend.name, target, thread, { events, warmup, inFlight: IN_FLIGHT })));
    }
    // Stripe calls do not depend on the database: one run, on PostgreSQL when there is one.
    const backend = backends[backends.length - 1]!;
    const log = createLogger({ level: "error", secrets: [] });
    const reconciliation = await withDatabase(backend, (target) => measureReconciliation(backend.name, target, thread, log, { subscriptions }));
    return [...lines, ...webhookReport(webhooks, warmup), "", ...reconciliationReport(reconciliation)];
  } finally {
    await thread.close();
  }
}

async function withDatabase<T>(backend: Backend, measure: (target: DatabaseTarget) => Promise<T>): Promise<T> {
  const db = await backend.fresh();
  try {
    return await measure(db.target);
  } finally {
    await db.dispose();
  }
}

function webhookReport(rows: readonly WebhookRow[], warmup: number): string[] {
  const events = rows[0]!.events;
  const lines = [
    `Verified Stripe webhook events applied per second: ${events} distinct events (checkout.session.completed, customer.subscription.created and .updated, invoice.paid)`,
    `of ${Math.ceil(events / 4)} monthly subscriptions bought through /buy, signed and POSTed to /webhooks/stripe by the Stripe thread with ${IN_FLIGHT} in flight, after ${warmup} not counted.`,
    "Each is verified, re-read from the fake Stripe and applied in one transaction; access sync follows each answer as in src/app.ts (no platform gateways).",
    "The database pool is openDatabase's default, as in src/app.ts.",
    "",
    "| database | in flight | events | answers | applied per second | p50 per delivery | p99 per delivery | event loop per event |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const answers = Object.entries(r.outcomes).map(([outcome, n]) => `${n} ${outcome}`).join(", ");
    lines.push(`| ${r.backend} | ${r.inFlight} | ${r.events} | ${answers} | ${r.perSecond.toFixed(0)}/s | ${ms(r.p50)} | ${ms(r.p99)} | ${r.busy.toFixed(2)} ms |`);
  }
  const errors = rows.flatMap((r) => Object.entries(r.errors).map(([message, count]) => `- ${r.backend}: ${count} × ${message}`));
  if (errors.length > 0) lines.push("", "Errors the bot logged while answering (those deliveries got a 500; Stripe would retry them later):", ...errors);
  const onPostgres = rows.find((r) => r.backend === "PostgreSQL");
  if (onPostgres) {
    const failed = onPostgres.events - (onPostgres.outcomes.applied ?? 0);
    const met = onPostgres.perSecond >= TARGET_PER_SECOND && failed === 0;
    lines.push(
      "",
      `Target: at least ${TARGET_PER_SECOND} events applied per second on PostgreSQL with ${IN_FLIGHT} deliveries in flight: ${onPostgres.perSecond.toFixed(0)}/s` +
        ` (${(onPostgres.perSecond / TARGET_PER_SECOND).toFixed(2)}× the target${failed > 0 ? `, ${failed} deliveries not applied` : ""}) ${met ? "MET" : "MISSED"}.`,
    );
  }
  return lines;
}

function reconciliationReport(r: ReconcileResult): string[] {
  const lines = [
    `Stripe calls of one reconciliation run, ${r.subscriptions} unchanged subscriptions taken out a day earlier (${r.backend}). Seeding took ${seconds(r.seed.open + r.seed.complete + r.seed.record)}:`,
    `members and open Checkout Sessions in bulk ${seconds(r.seed.open)}, sessions completed on the fake (${r.events} handled events) ${seconds(r.seed.complete)}, stored as the webhook applier stores them ${seconds(r.seed.record)}.`,
    "",
    "| run | Stripe calls | limit | events seen | objects seen | repairs | time |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { label, report, ms: took } of r.runs) {
    const limit = report.fullSweep ? "—" : `${MAX_QUIET_CALLS}`;
    lines.push(`| ${label} | ${report.stripeCalls} | ${limit} | ${report.eventsSeen} | ${report.objectsSeen} | ${report.repairs.length} | ${seconds(took)} |`);
  }
  const quiet = r.runs[r.runs.length - 1]!.report;
  const met = !quiet.fullSweep && quiet.stripeCalls <= MAX_QUIET_CALLS;
  lines.push("", `Target: at most ${MAX_QUIET_CALLS} Stripe calls for a run over ${r.subscriptions} unchanged subscriptions: ${quiet.stripeCalls} calls ${met ? "MET" : "MISSED"}.`);
  return lines;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}


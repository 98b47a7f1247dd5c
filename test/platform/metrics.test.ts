// GET /metrics (issue 15): Prometheus text exposition format, checked line by line against
// the format's rules (prom-client has no parser), with counters that move after a command
// and a Stripe webhook, behind an optional bearer token (METRICS_TOKEN).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedWebhook } from "../fakes/stripe/index.js";
import { startPlaygroundApp, testConfig } from "../support/app.js";

const TOKEN = "metrics-token-for-tests-0123";
const WEBHOOK_SECRET = "whsec_metrics_test";

/** One sample: its metric name, labels and value. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

/**
 * Parses the text format 0.0.4 strictly: every line is a HELP, a TYPE or a sample; each
 * family has one TYPE, given before its samples; sample names belong to a typed family
 * (with _bucket, _sum, _count for histograms); label values are quoted with the format's
 * escapes; values are floats or +Inf, -Inf, NaN. Throws naming the first bad line.
 */
function parseExposition(text: string): Sample[] {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.slice(0, -1).split("\n").entries()) {
    const where = `line ${i + 1}: ${line}`;
    if (line === "") continue;
    if (line.startsWith("#")) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (!keyword || !name || !NAME.test(name)) throw new Error(`bad comment, ${where}`);
      if (keyword === "TYPE") {
        if (!TYPES.has(rest ?? "") || types.has(name)) throw new Error(`bad or repeated TYPE, ${where}`);
        types.set(name, rest!);
      }
      continue;
    }
    const [, name, , labelText, valueText] = SAMPLE.exec(line) ?? [];
    if (!name || valueText === undefined) throw new Error(`not a sample, ${where}`);
    const family = [name, name.replace(/_(bucket|sum|count)$/, "")].find((f) => types.has(f));
    if (!family) throw new Error(`sample before its TYPE, ${where}`);
    if (family !== name && types.get(family) !== "histogram" && types.get(family) !== "summary") throw new Error(`suffix on a ${types.get(family)}, ${where}`);
    const labels: Record<string, string> = {};
    let rest = labelText ?? "";
    while (rest.length > 0) {
      const m = LABEL.exec(rest);
      if (!m) throw new Error(`bad label, ${where}`);
      labels[m[1]!] = m[2]!.replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
      rest = rest.slice(m[0].length);
    }
    const value = valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : valueText === "NaN" ? NaN : Number(valueText);
    if (!/^(\+Inf|-Inf|NaN|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(valueText)) throw new Error(`bad value, ${where}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe("GET /metrics", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  let base: string;
  const scrape = async () => {
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    return parseExposition(await response.text());
  };
  const webhook = (event: unknown) => {
    const { payload, header } = signedWebhook(event, WEBHOOK_SECRET);
    return fetch(`${base}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": header }, body: payload });
  };

  beforeAll(async () => {
    const config = testConfig({ STRIPE_SECRET_KEY: "sk_test_metrics", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: "http://127.0.0.1:9", METRICS_TOKEN: TOKEN });
    pg = await startPlaygroundApp({ config: { ...config, http: { port: 0, explicit: true } }, httpHost: "127.0.0.1" });
    base = `http://127.0.0.1:${pg.app.http!.port}`;
  });
  afterAll(() => pg?.end());

  it("refuses a scrape without the bearer token, or with a wrong one, when METRICS_TOKEN is set", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer not-the-token-at-all-xx" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("guildhall_");
  });

  it("serves every series in the exposition format, the gauges with their starting values", async () => {
    const samples = await scrape();
    const names = new Set(samples.map((s) => s.name));
    for (const name of ["guildhall_shard_leases_held", "guildhall_delivery_queue_depth"]) expect(names).toContain(name);
    expect(valueOf(samples, "guildhall_shard_leases_held")).toBe(0);
    expect(valueOf(samples, "guildhall_delivery_queue_depth")).toBe(0);
  });

  it("reports direct messages claimed and unconfirmed past their send deadline, across the database", async () => {
    expect(valueOf(await scrape(), "guildhall_delivery_unsettled")).toBe(0);
    const db = pg.app.services.db;
    // A process died 2 minutes into a send (past the 30 s deadline), another only just claimed one.
    await db.delivery.create({ data: { key: "live:metrics:reminder-24h:m1", status: "sending", claimedBy: "dead-process", updatedAt: new Date(Date.now() - 120_000) } });
    await db.delivery.create({ data: { key: "live:metrics:reminder-24h:m2", status: "sending", claimedBy: "live-process" } });
    await db.delivery.create({ data: { key: "live:metrics:reminder-24h:m3", status: "sent", claimedBy: "dead-process", updatedAt: new Date(Date.now() - 120_000) } });
    expect(valueOf(await scrape(), "guildhall_delivery_unsettled")).toBe(1);
    await db.delivery.deleteMany({ where: { key: { startsWith: "live:metrics:" } } });
  });

  it("counts a command by platform, command and outcome, and times it", async () => {
    await pg.type("/help");
    await pg.type("/nosuchcommand");
    const samples = await scrape();
    expect(valueOf(samples, "guildhall_interactions_total", { platform: "playground", command: "help", outcome: "ok" })).toBe(1);
    expect(valueOf(samples, "guildhall_interactions_total", { platform: "playground", command: "unknown", outcome: "refused" })).toBe(1);
    expect(valueOf(samples, "guildhall_interaction_duration_seconds_count", { platform: "playground", command: "help" })).toBe(1);
    expect(valueOf(samples, "guildhall_interaction_duration_seconds_bucket", { platform: "playground", command: "help", le: "+Inf" })).toBe(1);
  });

  it("counts Stripe webhook deliveries by type and outcome, refused signatures included", async () => {
    const event = { id: "evt_metrics_1", object: "event", type: "customer.created", created: 1_765_000_000, data: { object: { id: "cus_1", object: "customer" } } };
    expect((await webhook(event)).status).toBe(200);
    const forged = await fetch(`${base}/webhooks/stripe`, { method: "POST", headers: { "stripe-signature": "t=1,v1=00" }, body: JSON.stringify(event) });
    expect(forged.status).toBe(400);
    const samples = await scrape();
    expect(valueOf(samples, "guildhall_stripe_webhook_events_total", { type: "customer.created", outcome: "ignored" })).toBe(1);
    expect(valueOf(samples, "guildhall_stripe_webhook_events_total", { type: "unknown", outcome: "rejected" })).toBe(1);
  });
});

// npm run bench, insights section (BENCH_ONLY=insights): the dashboard's overview page and
// /stats (chart included) over a seeded community on PostgreSQL: 10,000 members, two years
// of history, 100,000 payments and 1,000,000 ledger rows. Both read rollups only; the rebuild
// that makes them (the job's work) is timed separately.
import { cpus, loadavg } from "node:os";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../src/capabilities.js";
import { type CommunityConfig } from "../src/config/communities.js";
import { assemble } from "../src/core/assemble.js";
import { openDatabase } from "../src/db/database.js";
import type { Db } from "../src/db/database.js";
import { HttpServer } from "../src/http/http-server.js";
import { issueLoginToken } from "../src/insights/dashboard/sign-in.js";
import { createLogger } from "../src/log/logger.js";
import pg from "pg";
import { PLAYGROUND } from "./points-invoke.js";
import { seedLedger } from "./points-seed.js";
import { ms, percentile } from "./stats.js";
import { postgresAvailable } from "./worker-rpc.js";

const COMMUNITY: CommunityConfig = { slug: "playground", name: "Playground", timezone: "UTC", commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS };
const log = createLogger({ level: "error", secrets: [] });
const SAMPLES = Number(process.env.BENCH_INSIGHTS_SAMPLES ?? 200);

export async function insightsSection(): Promise<string[]> {
  const only = process.env.BENCH_ONLY;
  if (only && only !== "insights") return [];
  const lines = ["", "## Insights", "", `${cpus().length} cores; load average ${loadavg()[0]!.toFixed(1)} when this section started.`, ""];
  if (!(await postgresAvailable())) return [...lines, "PostgreSQL not reachable (set BENCH_DATABASE_URL)."];
  // A name of its own: CI runs drop leftover guildhall_test_* databases, and this one lives for minutes.
  const target = await benchDatabase();
  const database = await openDatabase(target, log, { onMigrated: (applied) => log.debug({ applied }, "migrated") });
  const tables = await database.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
  if (tables[0]!.n === 0) throw new Error(`the bench database ${target.url} has no tables after migrating`);
  try {
    const db = database.prisma;
    const server = new HttpServer(log);
    const port = await server.listen(0, "127.0.0.1");
    const base = `http://127.0.0.1:${port}`;
    const runtime = assemble({ capabilities, db, communities: [COMMUNITY], log, publicUrl: base });
    for (const mount of runtime.mounts()) server.mount(mount.prefix, mount.listener);
    const community = await runtime.services.identity.communityFor("playground", PLAYGROUND);
    let started = performance.now();
    await seedLedger(db, community.id, { members: 10_000, rows: 1_000_000 });
    const counts = await seedInsights(db, community.id);
    await db.$executeRawUnsafe(`VACUUM (ANALYZE)`);
    const seedSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await runtime.services.insights.rebuild(community.id, community.slug);
    const rebuildMs = performance.now() - started;
    const rollupRows = await db.insightRollup.count({ where: { communityId: community.id } });

    // Sign in as a creator would, then read the overview page again and again.
    const creator = await db.member.findFirstOrThrow({ where: { communityId: community.id } });
    const token = await issueLoginToken(db, community.id, creator.id, new Date());
    const login = await fetch(`${base}/dashboard/login?token=${token}`, { redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const page = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/dashboard/c/${community.slug}/`, { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200 || !html.includes("MRR")) throw new Error(`overview answered ${res.status}`);
      return performance.now() - t;
    };
    const stats = async () => {
      const t = performance.now();
      const { reply } = await runtime.dispatcher.run({
        platform: "playground", space: PLAYGROUND, user: { id: "pg-m1", displayName: "Member 1" }, channel: { id: "general" },
        command: "stats", subcommand: undefined, options: {}, actor: { platform: "playground", level: "creator" }, receivedAt: new Date(),
      });
      if (!reply.image) throw new Error(`/stats gave no chart: ${reply.text}`);
      return performance.now() - t;
    };
    for (let i = 0; i < 10; i++) await page(); // warm-up: JIT, pools
    for (let i = 0; i < 5; i++) await stats();
    const pages: number[] = [];
    for (let i = 0; i < SAMPLES; i++) pages.push(await page());
    const statsTimes: number[] = [];
    for (let i = 0; i < Math.min(SAMPLES, 100); i++) statsTimes.push(await stats());
    await server.close();
    const row = (what: string, samples: number[], target: number) => {
      const p95 = percentile(samples, 95);
      return `| ${what} | ${samples.length} | ${ms(percentile(samples, 50))} | ${ms(p95)} | ${ms(percentile(samples, 99))} | ${target} ms | ${p95 <= target ? "met" : "**not met**"} |`;
    };
    return [
      ...lines,
      `Seeded in ${seedSeconds.toFixed(0)} s: 10,000 members, ${counts.payments} payments (${counts.refunds} refunds, ${counts.disputes} disputes), ${counts.subscriptions} subscriptions, ${counts.activity} activity days, ${counts.questions} questions, ${counts.reviews} review requests, ${counts.checkouts} checkout sessions, 1,000,000 ledger rows, over two years.`,
      `Rollup rebuild (the job's work, every 10 minutes): ${(rebuildMs / 1000).toFixed(1)} s, ${rollupRows} rollup rows.`,
      "",
      "| request | samples | p50 | p95 | p99 | target (p95) | |",
      "|---|---|---|---|---|---|---|",
      row("overview page (GET, one at a time)", pages, 200),
      row("/stats (figures and PNG chart)", statsTimes, 500),
    ];
  } finally {
    await database.close();
    await admin(`DROP DATABASE IF EXISTS ${new URL(target.url).pathname.slice(1)} WITH (FORCE)`);
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function benchDatabase(): Promise<{ kind: "postgres"; url: string }> {
  const name = `guildhall_bench_insights_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { kind: "postgres", url: url.toString() };
}

/** Two years of money, subscriptions, activity, questions, reviews and checkouts, in SQL. */
async function seedInsights(db: Db, communityId: string) {
  const run = (sql: string) => db.$executeRawUnsafe(sql, communityId);
  // Members numbered 1..10,000 (a subquery, not a temporary table: statements may use different pooled connections).
  const members = `(SELECT (row_number() OVER (ORDER BY id))::int AS n, id FROM "Member" WHERE "communityId" = $1)`;
  // 8,000 subscriptions: a tenth yearly, a fifth in EUR, a tenth with a week's trial, 30% ended.
  await run(`INSERT INTO "InsightSubscription" ("id", "communityId", "memberId", "itemId", "amount", "currency", "interval", "intervalCount", "startedAt", "trialEndsAt", "endedAt")
    SELECT 'sub_' || n, $1, id, CASE WHEN n % 10 = 0 THEN 'item-yearly' ELSE 'item-monthly' END,
      CASE WHEN n % 10 = 0 THEN 12000 ELSE 1500 END, CASE WHEN n % 5 = 0 THEN 'eur' ELSE 'usd' END, CASE WHEN n % 10 = 0 THEN 'year' ELSE 'month' END, 1,
      s.start, CASE WHEN n % 10 = 3 THEN s.start + interval '7 days' END,
      CASE WHEN n % 10 IN (1, 4, 7) AND s.start + make_interval(days => 30 + (n * 37) % 400) < now() THEN s.start + make_interval(days => 30 + (n * 37) % 400) END
    FROM (SELECT n, id, now() - make_interval(days => (n * 7919) % 730) AS start FROM ${members} bm WHERE n <= 8000) s`);
  // 100,000 paid invoices of those subscriptions, spread over two years.
  await run(`INSERT INTO "InsightMoney" ("id", "communityId", "memberId", "itemId", "kind", "amount", "currency", "occurredAt", "subscriptionId")
    SELECT 'in_' || g, $1, s."memberId", s."itemId", 'payment', s."amount", s."currency", now() - make_interval(days => (g * 7907) % 730, secs => g % 86400), s."id"
    FROM generate_series(1, 100000) g JOIN "InsightSubscription" s ON s."id" = 'sub_' || (1 + g % 8000)`);
  await run(`INSERT INTO "InsightMoney" ("id", "communityId", "memberId", "itemId", "kind", "amount", "currency", "occurredAt", "subscriptionId", "chargeId")
    SELECT 'ch_' || g || ':refunded:' || (m."amount" / 2), $1, m."memberId", m."itemId", 'refund', m."amount" / 2, m."currency", m."occurredAt" + interval '3 days', m."subscriptionId", 'ch_' || g
    FROM generate_series(1, 100000, 50) g JOIN "InsightMoney" m ON m."id" = 'in_' || g`);
  await run(`INSERT INTO "InsightMoney" ("id", "communityId", "memberId", "itemId", "kind", "amount", "currency", "occurredAt", "subscriptionId", "chargeId")
    SELECT 'dp_' || g, $1, m."memberId", m."itemId", 'dispute', m."amount", m."currency", m."occurredAt" + interval '10 days', m."subscriptionId", 'ch_d' || g
    FROM generate_series(7, 100000, 200) g JOIN "InsightMoney" m ON m."id" = 'in_' || g`);
  // About 50 active days per member over two years.
  await run(`INSERT INTO "InsightActivity" ("communityId", "memberId", "day")
    SELECT $1, id, (now() - make_interval(days => (n * 31 + k * 13 + k * k) % 730))::date FROM ${members} bm, generate_series(1, 50) k ON CONFLICT DO NOTHING`);
  await run(`INSERT INTO "CheckoutSession" ("id", "communityId", "memberId", "itemId", "url", "status", "paymentStatus", "expiresAt", "createdAt")
    SELECT 'cs_' || g, $1, m.id, CASE WHEN g % 3 = 0 THEN 'item-yearly' ELSE 'item-monthly' END, 'https://example.com', CASE WHEN g % 4 = 0 THEN 'expired' ELSE 'complete' END,
      CASE WHEN g % 4 = 0 THEN 'unpaid' ELSE 'paid' END, now(), now() - make_interval(days => (g * 13) % 730)
    FROM generate_series(1, 12000) g JOIN ${members} m ON m.n = 1 + g % 10000`);
  await run(`INSERT INTO "Question" ("id", "communityId", "number", "askerId", "title", "details", "platform", "spaceId", "channelId", "threadId", "status", "createdAt", "firstReplyAt")
    SELECT 'q' || g, $1, g, m.id, 'Question ' || g, '', 'playground', 'playground', 'general', 'bench-' || g, CASE WHEN g % 3 = 0 THEN 'open' ELSE 'solved' END,
      now() - make_interval(days => (g * 11) % 730), now() - make_interval(days => (g * 11) % 730) + make_interval(mins => 5 + g % 600)
    FROM generate_series(1, 5000) g JOIN ${members} m ON m.n = 1 + g % 10000`);
  await run(`INSERT INTO "ReviewRequest" ("id", "communityId", "number", "requesterId", "link", "platform", "spaceId", "channelId", "status", "assigneeId", "createdAt", "claimedAt", "doneAt")
    SELECT 'r' || g, $1, g, m.id, 'https://example.com/pr/' || g, 'playground', 'playground', 'reviews', CASE WHEN g % 5 = 0 THEN 'waiting' ELSE 'done' END, r.id,
      now() - make_interval(days => (g * 17) % 730), now() - make_interval(days => (g * 17) % 730) + interval '2 hours', CASE WHEN g % 5 = 0 THEN NULL ELSE now() - make_interval(days => (g * 17) % 730) + interval '1 day' END
    FROM generate_series(1, 2000) g JOIN ${members} m ON m.n = 1 + g % 10000 JOIN ${members} r ON r.n = 1 + g % 40`);
  const count = async (table: string, where = "") => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "communityId" = $1 ${where}`, communityId))[0]!.n);
  return {
    subscriptions: await count("InsightSubscription"),
    payments: await count("InsightMoney", `AND "kind" = 'payment'`),
    refunds: await count("InsightMoney", `AND "kind" = 'refund'`),
    disputes: await count("InsightMoney", `AND "kind" = 'dispute'`),
    activity: await count("InsightActivity"),
    questions: await count("Question"),
    reviews: await count("ReviewRequest"),
    checkouts: await count("CheckoutSession"),
  };
}

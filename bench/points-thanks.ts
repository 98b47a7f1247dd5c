// /thanks throughput: many members giving kudos at the same moment, each one /thanks after
// another, to receivers drawn with the seed's skew (helpful members get thanked most). Then
// the checks that concurrency must not break: the ledger invariant, every cap, and one
// ledger row for every accepted /thanks.
import { type PointsConfig } from "../src/points/index.js";
import type { Db } from "../src/db/database.js";
import type { Runtime } from "../src/core/assemble.js";
import { asMember, type Random, timedRun, type Timed, userRef } from "./points-invoke.js";
import { checkLedger, SKEW } from "./points-seed.js";
import { percentile } from "./stats.js";

const DAY_MS = 24 * 3_600_000;

export interface ThanksOptions {
  readonly communityId: string;
  readonly members: number;
  readonly givers: number;
  readonly perGiver: number;
  readonly rules: PointsConfig["thanks"];
  readonly random: Random;
}

export interface ThanksResult {
  readonly givers: number;
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  readonly failed: number;
  /** Refusals by the rule that applied, and failures by their message. */
  readonly reasons: Map<string, number>;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly seconds: number;
  /** PASS/FAIL lines, one per check. */
  readonly checks: { readonly ok: boolean; readonly line: string }[];
}

/**
 * Givers are members who gave no kudos in the seeded last two days, so every refusal the run
 * sees comes from its own /thanks (or the receiver's seeded ones) and the giver cap can be
 * checked exactly. All members joined at least two days ago: old enough to give.
 */
export async function measureThanks(db: Db, runtime: Runtime, opts: ThanksOptions): Promise<ThanksResult> {
  const givers = await db.$queryRawUnsafe<{ n: number; id: string }[]>(
    `SELECT substr(a."externalId", 5)::int AS n, a."memberId" AS id FROM "PlatformAccount" a
     WHERE a."communityId" = $1 AND a."platform" = 'playground' AND NOT EXISTS (
       SELECT 1 FROM "PointEntry" e WHERE e."communityId" = $1 AND e."actorId" = a."memberId" AND e."category" = 'kudos'
         AND e."createdAt" > (now() AT TIME ZONE 'UTC') - interval '2 days')
     ORDER BY md5(a."externalId") LIMIT $2::int`,
    opts.communityId,
    opts.givers,
  );
  const started = new Date();
  const t0 = performance.now();
  const perGiver = await Promise.all(
    givers.map(async (giver) => {
      const results: Timed[] = [];
      for (let i = 0; i < opts.perGiver; i++) {
        let receiver = opts.random.activeMember(opts.members, SKEW);
        if (receiver === giver.n) receiver = (receiver % opts.members) + 1;
        results.push(await timedRun(runtime, asMember(giver.n, "thanks", { member: userRef(receiver), reason: `for the help with question ${i + 1}` })));
      }
      return results;
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const ended = new Date();
  const all = perGiver.flat();
  const accepted = all.filter((t) => t.result === "ok").length;
  const reasons = new Map<string, number>();
  for (const t of all.filter((t) => t.result !== "ok")) {
    const reason = t.result === "failed" ? `failed: ${t.text}` : refusalRule(t.text);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const checks = await verify(db, opts, { giverIds: givers.map((g) => g.id), accepted, started, ended });
  const ms = all.map((t) => t.ms);
  return {
    givers: givers.length,
    sent: all.length,
    accepted,
    refused: all.filter((t) => t.result === "refused").length,
    failed: all.filter((t) => t.result === "failed").length,
    reasons,
    perSecond: all.length / seconds,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    seconds,
    checks,
  };
}

/** Names the rule a refusal quotes; anything else is shown as it came, digits masked. */
function refusalRule(text: string): string {
  if (/the limit is .* a day/.test(text)) return "giver's daily cap";
  if (/the same person at most/.test(text)) return "same pair's weekly cap";
  if (/can receive at most/.test(text)) return "receiver's daily cap";
  if (/New members/.test(text)) return "giver too new";
  return text.replace(/\d+/g, "N").slice(0, 80);
}

interface RunFacts {
  readonly giverIds: readonly string[];
  readonly accepted: number;
  readonly started: Date;
  readonly ended: Date;
}

async function verify(db: Db, opts: ThanksOptions, run: RunFacts): Promise<ThanksResult["checks"]> {
  const { communityId, rules } = opts;
  const ledger = await checkLedger(db, communityId);
  // Rows the run wrote: kudos by the run's givers, who gave none in the two days before it.
  const written = await db.$queryRawUnsafe<{ giver: string; receiver: string }[]>(
    `SELECT "actorId" AS giver, "memberId" AS receiver FROM "PointEntry"
     WHERE "communityId" = $1 AND "category" = 'kudos' AND "reversesId" IS NULL AND "actorId" = ANY($2::text[])
       AND "createdAt" > $3::timestamp - interval '2 days'`,
    communityId,
    run.giverIds,
    run.ended,
  );
  const given = countBy(written.map((w) => w.giver));
  const received = countBy(written.map((w) => w.receiver));
  const mostGiven = Math.max(0, ...given.values());
  // Seeded kudos inside the receiver's 24-hour window for the whole run counted against the
  // cap at every /thanks; the last one accepted saw them plus the run's earlier ones.
  const seeded = await db.$queryRawUnsafe<{ id: string; n: number }[]>(
    `SELECT "memberId" AS id, count(*)::int AS n FROM "PointEntry"
     WHERE "communityId" = $1 AND "category" = 'kudos' AND "reversesId" IS NULL AND "createdAt" > $2::timestamp AND "createdAt" < $3::timestamp
     GROUP BY "memberId"`,
    communityId,
    new Date(run.ended.getTime() - DAY_MS),
    run.started,
  );
  const seededFor = new Map(seeded.map((r) => [r.id, r.n]));
  const overReceived = [...received].filter(([id, n]) => n + (seededFor.get(id) ?? 0) > rules.perReceiverPerDay).length;
  return [
    {
      ok: ledger.mismatches + ledger.categoryMismatches + ledger.periodMismatches === 0,
      line:
        `ledger invariant: ${ledger.balances} balances, their category totals and this week's and month's totals equal the sums of ${ledger.entries} rows` +
        ` (differing: ${ledger.mismatches} balances, ${ledger.categoryMismatches} category totals, ${ledger.periodMismatches} week or month totals)`,
    },
    {
      ok: mostGiven <= rules.perGiverPerDay,
      line: `giver's cap: no giver gave more than ${rules.perGiverPerDay} thanks in 24 hours (most by one giver: ${mostGiven})`,
    },
    {
      ok: overReceived === 0,
      line: `receiver's cap: no receiver got past ${rules.perReceiverPerDay} thanks in 24 hours, seeded ones included (${overReceived} did)`,
    },
    {
      ok: written.length === run.accepted,
      line: `one kudos row per accepted /thanks: ${run.accepted} accepted, ${written.length} rows written`,
    },
  ];
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

// The points section's report: markdown tables and one verdict line per target, in the
// style of the other sections.
import type { PointsRun, Settings } from "./points.js";
import { ms } from "./stats.js";

const TARGET_P99_MS = 50;
const TARGET_ROWS = 1_000_000;

const count = (n: number) => n.toLocaleString("en-US");

export function seedLine(run: PointsRun): string {
  const s = run.seeded;
  const extra = s.corrections > 0 ? ` (${count(s.corrections)} of them opening balances for members whose random history went below zero)` : "";
  const trial = run.trial.length > 0 ? ` Then, from BENCH_POINTS_SQL: ${run.trial.map((t) => `\`${t}\``).join("; ")}.` : "";
  const kept = run.kept?.reused ? ` (the kept seeded database, copied in ${(run.kept.copyMs / 1000).toFixed(1)} s)` : run.kept ? ` (kept for the next run; copied in ${(run.kept.copyMs / 1000).toFixed(1)} s)` : "";
  return `${run.backend}: ${count(s.entries)} ledger rows${extra} for ${count(run.members)} members over the last 365 days, seeded with SQL in ${(s.ms / 1000).toFixed(1)} s${kept}; ${count(s.balances)} balances equal their ledger sums.${trial}`;
}

export function readReport(runs: readonly PointsRun[], settings: Settings): string[] {
  const lines = [
    `/leaderboard and /points through the Dispatcher as random seeded members (playground platform, no adapter), ${settings.samples} samples per case,`,
    `one at a time and then ${settings.inFlight} in flight; the member looked up with /points @member is drawn with the seed's activity skew.`,
    "Event loop per command is the bot's own CPU time (Prisma included); on PGlite it includes the database, which runs in the same thread.",
    "",
    "| database | ledger rows | command | in flight | p50 | p95 | p99 | event loop per command | samples | refused | failed |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const run of runs) {
    for (const r of run.reads) {
      lines.push(
        `| ${run.backend} | ${count(run.seeded.entries)} | ${r.label} | ${r.inFlight} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.busy.toFixed(2)} ms | ${r.n} | ${r.refused} | ${r.failed} |`,
      );
    }
  }
  const problems = runs.flatMap((run) => run.reads.filter((r) => r.example).map((r) => `- ${run.backend} ${r.label}: ${r.example}`));
  if (problems.length > 0) lines.push("", "Refused or failed (first of each case):", ...problems);
  const missing = [...new Set(runs.flatMap((r) => r.missing))];
  if (missing.length > 0) lines.push("", `Not measured: ${missing.map((c) => `/${c}`).join(", ")} not registered in src/commands.ts.`);
  const onPostgres = runs.find((r) => r.backend === "PostgreSQL");
  if (onPostgres && onPostgres.reads.length > 0) {
    const worst = onPostgres.reads.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const errors = onPostgres.reads.reduce((n, r) => n + r.refused + r.failed, 0);
    const full = onPostgres.seeded.entries >= TARGET_ROWS;
    const met = worst.p99 < TARGET_P99_MS && errors === 0;
    const verdict = !full ? "NOT SHOWN at this size" : met ? "MET" : "MISSED";
    lines.push(
      "",
      `Target: p99 under ${TARGET_P99_MS} ms for /leaderboard and /points on PostgreSQL with ${count(TARGET_ROWS)} ledger rows: worst ${worst.label} with ${worst.inFlight} in flight,` +
        ` ${ms(worst.p99)} (${(worst.p99 / TARGET_P99_MS).toFixed(2)}× the target${errors > 0 ? `, ${errors} replies refused or failed` : ""}` +
        `${full ? "" : `, measured on ${count(onPostgres.seeded.entries)} rows only`}) ${verdict}.`,
    );
  }
  return lines;
}

export function thanksReport(runs: readonly PointsRun[], settings: Settings): string[] {
  const measured = runs.filter((r) => r.thanks);
  if (measured.length === 0) return [];
  const lines = [
    `/thanks from ${settings.givers} givers at once (members for more than a day who gave no kudos in the seeded last two days), each sending`,
    `${settings.perGiver} in a row to receivers drawn with the seed's skew; every /thanks is a transaction that locks both members' balances.`,
    "",
    "| database | givers | in flight | sent | accepted | refused | failed | thanks/s | p50 | p99 | wall time |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const run of measured) {
    const t = run.thanks!;
    lines.push(
      `| ${run.backend} | ${t.givers} | ${t.givers} | ${t.sent} | ${t.accepted} | ${t.refused} | ${t.failed} | ${t.perSecond.toFixed(0)}/s | ${ms(t.p50)} | ${ms(t.p99)} | ${t.seconds.toFixed(1)} s |`,
    );
  }
  for (const run of measured) {
    const t = run.thanks!;
    const reasons = [...t.reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} × ${reason}`);
    lines.push("", `${run.backend}: ${reasons.length > 0 ? `refused or failed: ${reasons.join(", ")}` : "none refused"}.`);
    for (const c of t.checks) lines.push(`${c.ok ? "PASS" : "FAIL"} ${c.line}`);
  }
  const onPostgres = measured.find((r) => r.backend === "PostgreSQL") ?? measured[0]!;
  const t = onPostgres.thanks!;
  const held = t.checks.every((c) => c.ok) && t.failed === 0;
  lines.push(
    "",
    `Verdict (${onPostgres.backend}): ${t.perSecond.toFixed(0)} /thanks per second with ${t.givers} givers at once, p99 ${ms(t.p99)};` +
      ` ledger, caps and writes ${held ? "all held" : "did NOT all hold"} ${held ? "PASS" : "FAIL"}.`,
  );
  return lines;
}

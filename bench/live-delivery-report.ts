// The delivery benchmark's report: requests, the floor they set at Discord's global limit,
// the measured time beside it, and the 429s the fake answered.
import type { DeliveryReport } from "../src/core/jobs/delivery.js";
import type { FakeStats } from "./live-delivery-fake.js";

export interface DeliveryRun {
  readonly backend: string;
  readonly members: number;
  readonly ms: number;
  readonly phases: { name: string; requests: number; ms: number; outcome: DeliveryReport | number }[];
  readonly stats: FakeStats;
  /** The pacer's rate and the fake's limit, requests per second. */
  readonly pacedAt: number;
  readonly limit: number;
}

/** Measured time may be at most this many times the floor. */
const TARGET_RATIO = 1.1;

export function deliveryReport(run: DeliveryRun): string[] {
  const requests = Object.values(run.stats.ok).reduce((a, b) => a + b, 0);
  const floorS = requests / run.limit;
  const seconds = run.ms / 1000;
  const ratio = seconds / floorS;
  const rateLimited = run.stats.globalRateLimited + run.stats.routeRateLimited;
  const pass = ratio <= TARGET_RATIO && rateLimited === 0 && run.stats.otherErrors === 0;
  const outcome = (o: DeliveryReport | number) => (typeof o === "number" ? `${o} posted` : `${o.sent} sent, ${o.closed} closed, ${o.failed} failed, ${o.skipped} skipped`);
  return [
    "",
    "## Delivery",
    "",
    `One live event announced in a channel, then its 24-hour and 15-minute reminders sent privately to ${run.members} RSVPed members, through the real DeliveryQueue, DiscordDirectMessenger and paced REST (${run.pacedAt} requests a second), against a fake Discord that allows ${run.limit} requests in any sliding second (database: ${run.backend}).`,
    "",
    "| members | requests | per member | floor at 50/s | measured | ratio to floor | 429s | most in any second |",
    "|---|---|---|---|---|---|---|---|",
    `| ${run.members} | ${requests} | ${(requests / run.members).toFixed(2)} | ${floorS.toFixed(1)} s | ${seconds.toFixed(1)} s | ${ratio.toFixed(3)} | ${rateLimited} | ${run.stats.peakPerSecond} |`,
    "",
    "| phase | requests | time | outcome |",
    "|---|---|---|---|",
    ...run.phases.map((p) => `| ${p.name} | ${p.requests} | ${(p.ms / 1000).toFixed(1)} s | ${outcome(p.outcome)} |`),
    "",
    `Requests by route: ${Object.entries(run.stats.ok).map(([route, n]) => `${route} ${n}`).join(", ")}; other errors: ${run.stats.otherErrors}.`,
    `Target: within ${Math.round((TARGET_RATIO - 1) * 100)}% of the floor (ratio ≤ ${TARGET_RATIO.toFixed(2)}) with zero 429s: ${pass ? "PASS" : "FAIL"} (ratio ${ratio.toFixed(3)}, ${rateLimited} 429s).`,
  ];
}

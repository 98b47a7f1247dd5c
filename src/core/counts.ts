/**
 * A hook between capabilities that keep records (questions, reviews, events, kudos,
 * checkouts) and insights, which reports on them: each capability counts its own records and
 * insights stores and shows the counts, so insights never reads another capability's tables.
 */
import type { CommunityConfig } from "../config/communities.js";
import type { Db } from "../db/database.js";

/**
 * One count, as insights keeps it among its figures: a metric ("qa.asked"), a period ("month:2026-11",
 * "day:2026-11-02", "week:2026-11-30", "now", "event") and a key (a currency, a reviewer's
 * member id, an event id; "" when there is none).
 */
export interface Count {
  readonly metric: string;
  readonly period: string;
  readonly key: string;
  readonly value: number;
}

/** Which community to count, as of when, with its settings (absent for an unconfigured one). */
export interface CountQuery {
  readonly communityId: string;
  readonly now: Date;
  readonly community: CommunityConfig | undefined;
}

/** Counts a capability's records for one community. */
export type CountSource = (db: Db, query: CountQuery) => Promise<readonly Count[]>;

/** The counts of every source, one after another (an embedded database runs one statement at a time anyway). */
export function allCounts(sources: readonly (CountSource | undefined)[]): CountSource {
  return async (db, query) => {
    const out: Count[] = [];
    for (const source of sources) if (source) out.push(...(await source(db, query)));
    return out;
  };
}

/** A helper for sources: collects counts with `put`. */
export function countList(): { readonly counts: Count[]; put(metric: string, period: string, key: string, value: number): void } {
  const counts: Count[] = [];
  return { counts, put: (metric, period, key, value) => void counts.push({ metric, period, key, value }) };
}

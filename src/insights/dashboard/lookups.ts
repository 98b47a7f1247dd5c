/**
 * The few names and titles the dashboard shows beside the rollups' ids, asked of the
 * capabilities that own them through their services (never their tables).
 */
export interface DashboardLookups {
  /** Catalog items' titles by id, archived ones included (old revenue names them). */
  itemTitles(communityId: string): Promise<Map<string, string>>;
  /** Members' display names by id. */
  memberNames(communityId: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** The latest live events, newest first. */
  recentEvents(communityId: string, take: number): Promise<readonly { id: string; number: number; title: string; startsAt: Date }[]>;
  /** The top helpers of the calendar month containing `now`, from the points leaderboard. */
  topHelpers(communityId: string, now: Date): Promise<readonly { name: string; total: number }[]>;
}

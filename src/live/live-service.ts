import type { Db } from "../db/database.js";

/** What other capabilities may ask of live events (the dashboard lists them). */
export class LiveService {
  constructor(private readonly db: Db) {}

  /** The community's latest events by start, newest first. */
  recent(communityId: string, take: number): Promise<{ id: string; number: number; title: string; startsAt: Date }[]> {
    return this.db.liveEvent.findMany({ where: { communityId }, orderBy: { startsAt: "desc" }, take, select: { id: true, number: true, title: true, startsAt: true } });
  }
}

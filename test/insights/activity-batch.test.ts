// Activity rows (src/insights/activity-recorder.ts): one row per member per UTC day, however
// the writes are grouped. Rows that arrive while a statement runs go together in the next
// one; here the first call is written alone and the rest arrive while it runs, so they take
// the multi-row statement: several members, a repeat, a member already written, two days and
// two communities in one batch. The expected rows follow from the rule, not from the code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordActivity } from "../../src/insights/activity-recorder.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

describe.each(backends())("activity rows written together on %s", (backend) => {
  let db: TestDatabase;
  const rows = async () =>
    (await db.prisma.insightActivity.findMany({ orderBy: [{ communityId: "asc" }, { day: "asc" }, { memberId: "asc" }] })).map((r) => [r.communityId, r.day.toISOString().slice(0, 10), r.memberId]);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    for (const id of ["c-one", "c-two"]) await db.prisma.community.create({ data: { id, slug: id, name: id } });
  });
  afterAll(() => db?.dispose());

  it("writes one row per member per UTC day when many arrive at once", async () => {
    const late = new Date("2026-12-07T23:59:59.999Z");
    const nextDay = new Date("2026-12-08T00:00:00.000Z");
    await Promise.all([
      recordActivity(db.prisma, "c-one", "m-1", late), // written alone; the others arrive while it runs
      recordActivity(db.prisma, "c-one", "m-2", late),
      recordActivity(db.prisma, "c-one", "m-3", late),
      recordActivity(db.prisma, "c-one", "m-2", late), // twice in the same batch
      recordActivity(db.prisma, "c-one", "m-1", late), // already written by the first statement
      recordActivity(db.prisma, "c-two", "m-2", late), // the same member id in another community
      recordActivity(db.prisma, "c-one", "m-4", late),
      recordActivity(db.prisma, "c-one", "m-5", late),
    ]);
    expect(await rows()).toEqual([
      ["c-one", "2026-12-07", "m-1"],
      ["c-one", "2026-12-07", "m-2"],
      ["c-one", "2026-12-07", "m-3"],
      ["c-one", "2026-12-07", "m-4"],
      ["c-one", "2026-12-07", "m-5"],
      ["c-two", "2026-12-07", "m-2"],
    ]);

    // A new UTC day is a new row for the same members; the day before keeps its own.
    await Promise.all([
      recordActivity(db.prisma, "c-one", "m-6", nextDay),
      recordActivity(db.prisma, "c-one", "m-1", nextDay),
      recordActivity(db.prisma, "c-one", "m-2", nextDay),
      recordActivity(db.prisma, "c-one", "m-1", nextDay),
    ]);
    const byDay = new Map<string, number>();
    for (const [community, day] of await rows()) if (community === "c-one") byDay.set(day!, (byDay.get(day!) ?? 0) + 1);
    expect(Object.fromEntries(byDay)).toEqual({ "2026-12-07": 5, "2026-12-08": 3 });
  });

  it("writes nothing more for members already recorded that day", async () => {
    const before = (await rows()).length;
    await Promise.all(["m-1", "m-2", "m-6", "m-1"].map((m) => recordActivity(db.prisma, "c-one", m, new Date("2026-12-08T18:00:00Z"))));
    expect((await rows()).length).toBe(before);
  });
});

import { capabilities } from "../../src/capabilities.js";
import { assemble } from "../../src/core/assemble.js";
import { allCounts } from "../../src/core/counts.js";
import type { RollupSources } from "../../src/insights/rollups.js";
import type { Invocation } from "../../src/core/invocation.js";
import type { Reply } from "../../src/core/reply.js";
import type { Db } from "../../src/db/database.js";
import { HttpServer } from "../../src/http/http-server.js";
import { ManualClock, playgroundCommunity } from "../support/community.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";

/** What the app gives a rebuild: every capability's counts, for a community with default settings (stale after 24 hours). */
export const ROLLUP_SOURCES: RollupSources = { counts: allCounts(capabilities.map((c) => c.counts)), community: undefined };

/** "Today" for the seeded history. */
export const INSIGHTS_NOW = "2026-04-15T12:00:00Z";
const at = (day: string) => new Date(`${day}T12:00:00Z`);

/**
 * The figures the seeded history must show, worked out by hand from the README's definitions
 * (see the comments in seedHistory): what the dashboard tests compare the pages with.
 */
export const SEEDED = {
  /** sub_2 (yearly 120.00 → 10.00) + sub_4 (10.00) paying on 15 April. */
  mrrUsd: "$20.00",
  /** B (sub_2), C (sub_3), A (sub_4). */
  payingMembers: "3",
  /** 17 March – 15 April: sub_4's 10.00 on 20 March. */
  netRevenueUsd30: "$10.00",
  /** March in USD: gross 10.00 + 49.00, refunds 9.00, disputes 10.00 → 40.00. */
  marchNetUsd: 40,
  /** March in EUR: sub_3's 20.00. */
  marchNetEur: 20,
};

/** Writes the hand-built history (as the recorders would have) for the community. */
export async function seedHistory(db: Db, communityId: string): Promise<void> {
  const joined: Record<string, string> = { A: "2026-01-05", B: "2026-01-20", C: "2026-02-15", D: "2026-03-01" };
  const ids: Record<string, string> = {};
  for (const [name, day] of Object.entries(joined)) {
    ids[name] = (await db.member.create({ data: { communityId, displayName: name, createdAt: at(day) } })).id;
  }
  const sub = (id: string, member: string, amount: number, currency: string, interval: string, startedAt: string, extra: { trialEndsAt?: string; endedAt?: string } = {}) =>
    db.insightSubscription.create({
      data: { id, communityId, memberId: ids[member]!, itemId: "item-pro", amount, currency, interval, startedAt: at(startedAt), trialEndsAt: extra.trialEndsAt ? at(extra.trialEndsAt) : null, endedAt: extra.endedAt ? at(extra.endedAt) : null },
    });
  await sub("sub_1", "A", 1000, "usd", "month", "2026-01-10", { endedAt: "2026-03-05" });
  await sub("sub_2", "B", 12000, "usd", "year", "2026-02-01");
  await sub("sub_3", "C", 2000, "eur", "month", "2026-02-20", { trialEndsAt: "2026-03-01" });
  await sub("sub_4", "A", 1000, "usd", "month", "2026-03-20");
  const money = (id: string, kind: string, amount: number, currency: string, day: string, chargeId: string | null = null) =>
    db.insightMoney.create({ data: { id, communityId, kind, amount, currency, occurredAt: at(day), itemId: "item-pro", chargeId } });
  await money("in_1", "payment", 1000, "usd", "2026-01-10");
  await money("in_2", "payment", 1000, "usd", "2026-02-10");
  await money("in_3", "payment", 12000, "usd", "2026-02-01");
  await money("in_5", "payment", 2000, "eur", "2026-03-01");
  await money("in_7", "payment", 1000, "usd", "2026-03-20");
  await money("cs_1", "payment", 4900, "usd", "2026-03-12");
  await money("ch_1:refunded:900", "refund", 900, "usd", "2026-03-14", "ch_1");
  await money("dp_1", "dispute", 1000, "usd", "2026-03-03", "ch_2");
  for (const [member, day] of [["A", "2026-04-10"], ["B", "2026-04-14"], ["C", "2026-03-20"]] as const) {
    await db.insightActivity.create({ data: { communityId, memberId: ids[member]!, day: new Date(`${day}T00:00:00Z`) } });
  }
}

/** The runtime with the dashboard mounted on a real HTTP server, a manual clock and a seeded history. */
export async function startDashboard(kind: "pglite" | "postgres") {
  const database: TestDatabase = await freshDatabase(kind);
  const clock = new ManualClock(INSIGHTS_NOW);
  // The server listens first, so the capability is built knowing its public URL, as in production.
  const server = new HttpServer(quietLogger());
  const port = await server.listen(0, "127.0.0.1");
  const publicUrl = `http://127.0.0.1:${port}`;
  const runtime = assemble({ capabilities, db: database.prisma, communities: [playgroundCommunity()], log: quietLogger(), clock, publicUrl });
  for (const mount of runtime.mounts()) server.mount(mount.prefix, mount.listener);

  const invoke = async (space: "playground" | "elsewhere", level: "member" | "creator", options: Record<string, string> = {}, command = "dashboard"): Promise<Reply> => {
    const inv: Invocation = space === "playground"
      ? { platform: "playground", space: { id: "playground", name: "Playground" }, user: { id: "pg-grace", displayName: "Grace" }, channel: { id: "general" }, command, subcommand: undefined, options, actor: { platform: "playground", level }, receivedAt: clock.now() }
      : { platform: "discord", space: { id: "900000000000000009", name: "Elsewhere" }, user: { id: "900000000000000001", displayName: "Eve" }, channel: { id: "900000000000000002" }, command, subcommand: undefined, options, actor: { platform: "discord", roleIds: [], isAdministrator: level === "creator" }, receivedAt: clock.now() };
    return (await runtime.dispatcher.run(inv)).reply;
  };
  const community = await runtime.services.identity.communityFor("playground", { id: "playground", name: "Playground" });
  await seedHistory(database.prisma, community.id);
  await runtime.services.insights.rebuild(community.id, community.slug);
  return {
    database,
    runtime,
    clock,
    baseUrl: publicUrl,
    community,
    /** Runs /dashboard as a creator (or member) of the playground community or of another one, and returns the link. */
    async link(space: "playground" | "elsewhere" = "playground"): Promise<string> {
      const r = await invoke(space, "creator");
      const url = r.links?.[0]?.url;
      if (!url) throw new Error(`/dashboard gave no link: ${r.text}`);
      return url;
    },
    invoke,
    async close() {
      await server.close();
      await database.dispose();
    },
  };
}

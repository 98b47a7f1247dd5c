/**
 * A capability reads and writes its own tables and core's shared ones; what belongs to
 * another capability it asks of that capability's service (issue 11). The lint rule keeps
 * imports in line; this scan keeps the database in line, through Prisma's model accessors
 * (`db.catalogItem`) and raw SQL (`FROM "CatalogItem"`). Ownership is written here, from
 * the rule, not read from the code.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { capabilities } from "../../src/capabilities.js";

/** Core's tables: the members and spaces every capability serves, and the job and delivery machinery. */
const SHARED = [
  "Community", "PlatformSpace", "Member", "PlatformAccount",
  "JobLease", "JobRun", "ScheduledWork", "Delivery", "DirectChannel", "PostedMessage", "InteractionClaim", "PaceTimeline",
];

const OWNED: Record<string, readonly string[]> = {
  help: [],
  identity: ["LinkCode"],
  commerce: ["CatalogItem", "StripeCustomer", "CheckoutSession", "Subscription", "Entitlement", "StripeEvent", "ReconciliationRun", "ReconciliationCursor", "MemberNotice", "AccessProblem"],
  points: ["PointEntry", "PointBalance", "PointCategoryTotal", "PointPeriodTotal", "MemberLevel", "BadgeAward", "Reward", "Redemption"],
  qa: ["Question", "QuestionReply", "AnswerFingerprint", "CopiedAnswerHold"],
  review: ["Reviewer", "ReviewRequest", "CopiedReviewHold"],
  ratings: ["ItemRating", "ReviewRating"],
  recommend: [],
  digest: ["DigestSettings", "DigestRun"],
  announce: ["Announcement"],
  live: ["LiveEvent", "LiveRsvp"],
  insights: ["InsightMoney", "InsightSubscription", "InsightActivity", "InsightRollup", "InsightRollupState", "DashboardLoginToken", "DashboardSession"],
};

const PRISMA_CALLS = "findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy";

const schema = readFileSync("prisma/schema.prisma", "utf8");
const models = [...schema.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
const accessor = (model: string) => model[0]!.toLowerCase() + model.slice(1);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every table `code` touches, by accessor (`tx.liveEvent.`) or by quoted name in SQL. */
function tablesTouched(code: string): Set<string> {
  const touched = new Set<string>();
  for (const model of models) {
    if (new RegExp(`\\.${accessor(model)}\\.(${PRISMA_CALLS})\\(`).test(code)) touched.add(model);
    if (new RegExp(`(FROM|JOIN|UPDATE|INTO|TABLE)\\s+"${model}"`).test(code)) touched.add(model);
  }
  return touched;
}

/** The capability folder a capability's name lives in (recommendations lives in src/recommend). */
function folderOf(name: string): string {
  return Object.keys(OWNED).find((folder) => name.startsWith(folder))!;
}

describe("table ownership", () => {
  it("gives every table one owner, core's shared tables included", () => {
    const owned = [...SHARED, ...Object.values(OWNED).flat()];
    expect([...owned].sort()).toEqual([...models].sort());
    expect(new Set(owned).size).toBe(owned.length);
    expect(capabilities.map((c) => folderOf(c.name)).sort()).toEqual(Object.keys(OWNED).sort());
  });

  it("lets each capability touch only its own tables and core's", () => {
    const trespasses: string[] = [];
    for (const folder of Object.keys(OWNED)) {
      const allowed = new Set([...SHARED, ...OWNED[folder]!]);
      for (const file of sourceFiles(join("src", folder))) {
        for (const table of tablesTouched(readFileSync(file, "utf8"))) if (!allowed.has(table)) trespasses.push(`${file} touches ${table}`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it("catches a trespass in either form", () => {
    expect([...tablesTouched("await db.catalogItem.findMany({})")]).toEqual(["CatalogItem"]);
    expect([...tablesTouched('tx.$queryRaw`SELECT 1 FROM "Question" q JOIN "LiveRsvp" r ON true`')].sort()).toEqual(["LiveRsvp", "Question"]);
    expect([...tablesTouched("result.question.countedForAnswer")]).toEqual([]);
  });
});

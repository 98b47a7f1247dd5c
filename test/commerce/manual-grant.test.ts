import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCommerce } from "./support.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";

const GRACE = { id: "400000000000000002", name: "Grace", creator: true, subcommand: "grant" } as const;
const ADA = { platform: "discord", id: "400000000000000001", displayName: "Ada" } as const;
const BOB = { platform: "discord", id: "400000000000000003", displayName: "Bob" } as const;

describe("manual grants are keyed by the interaction that asked", () => {
  // A clock that never moves: every grant below happens in the same millisecond.
  const instant = new Date("2026-12-07T15:30:00.000Z");
  let db: TestDatabase;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
    c = await startCommerce(db.prisma, { clock: { now: () => instant } });
    const product = c.stripeFake.createProduct({ name: "Async Rust" });
    const price = c.stripeFake.createPrice({ product: product.id, unit_amount: 4900, currency: "eur" }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price }, { ...GRACE, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await db?.close();
  });

  it("two grants of one item by the same creator in the same millisecond both count", async () => {
    const [toAda, toBob] = await Promise.all([c.run("access", { member: ADA, item: "async-rust" }, GRACE), c.run("access", { member: BOB, item: "async-rust" }, GRACE)]);
    expect(toAda.text).toBe("Ada now has **Async Rust**.");
    expect(toBob.text).toBe("Bob now has **Async Rust**.");
    const grants = await db.prisma.entitlement.findMany({ where: { source: "manual" } });
    const members = await db.prisma.member.findMany({ where: { id: { in: grants.map((g) => g.memberId) } } });
    expect(grants).toHaveLength(2);
    expect(members.map((m) => m.displayName).sort()).toEqual(["Ada", "Bob"]);
    expect(grants.every((g) => g.startsAt.getTime() === instant.getTime())).toBe(true);
  });

  it("the same interaction delivered twice grants once", async () => {
    const item = await db.prisma.catalogItem.findFirstOrThrow({ where: { name: "async-rust" } });
    const cora = await c.runtime.services.identity.memberFor(item.communityId, "discord", { id: "400000000000000004", displayName: "Cora" });
    const grant = { communityId: item.communityId, memberId: cora.member.id, item, days: 7, now: instant, grantedBy: "Grace", interactionId: "1300000000000000001" };
    const first = await c.runtime.services.entitlements.grantManual(grant);
    const again = await c.runtime.services.entitlements.grantManual(grant);
    expect(again.id).toBe(first.id);
    expect(await db.prisma.entitlement.count({ where: { memberId: cora.member.id } })).toBe(1);
    expect(first.sourceRef).toBe("manual:1300000000000000001");
  });
});

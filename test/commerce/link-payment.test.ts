// A checkout begun on one account and paid after /link folded that account into another: the
// purchase reaches the member that remains (Stripe's metadata still names the merged member).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { acmeCommunity } from "../support/discord.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";

const ADA_DISCORD = { id: "400000000000000001", name: "Ada" };
const ADA_SLACK = { id: "U0ADA", name: "Ada", platform: "slack" } as const;

describe.each(backends())("a purchase paid after /link, on %s", (backend) => {
  let db: TestDatabase;
  let fake: FakeStripe;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    fake = await startFakeStripe();
    const community = { ...acmeCommunity(), slack: { teamId: "TACME01", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] } };
    c = await startCommerce(db.prisma, { community, stripeFake: fake });
    const course = fake.createProduct({ name: "Async Rust" });
    const price = fake.createPrice({ product: course.id, unit_amount: 4900, currency: "eur" }).id;
    await c.run("catalog", { name: "async-rust", title: "Async Rust", price }, { creator: true, subcommand: "add" });
  });
  afterAll(async () => {
    await c?.close();
    await fake?.close();
    await db?.dispose();
  });

  it("goes to the member that remains", async () => {
    const bought = await c.run("buy", { item: "async-rust" }, ADA_SLACK);
    const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(bought.links?.[0]?.url ?? "")?.[1];
    expect(session).toBeDefined();
    // Ada links the accounts before paying: the Slack account enters the Discord account's code.
    const code = /\*\*([A-Z0-9]{8})\*\*/.exec((await c.run("link", {}, ADA_DISCORD)).text ?? "")?.[1];
    expect((await c.run("link", { code: code! }, ADA_SLACK)).text).toContain("Linked");
    for (const event of fake.completeCheckout(session!)) expect((await deliverWebhook(c.webhookUrl, event, WEBHOOK_SECRET)).status).toBe(200);
    const account = (externalId: string) => db.prisma.platformAccount.findFirstOrThrow({ where: { externalId } });
    const ada = (await account(ADA_DISCORD.id)).memberId;
    expect((await account(ADA_SLACK.id)).memberId).toBe(ada);
    const purchases = await db.prisma.entitlement.findMany({ where: { source: "purchase" } });
    expect(purchases.map((p) => p.memberId)).toEqual([ada]);
  });
});

// A purchase's burst of webhooks makes one platform sync, through the webhook route as
// production wires it (runtime.routes()); a lone webhook is synced within about a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { REST } from "discord.js";
import { BurstCoalescer } from "../../src/commerce/access-burst.js";
import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import { HttpServer } from "../../src/http/http-server.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { SlackAccessGateway } from "../../src/platform/slack/access-gateway.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/index.js";
import { deliverWebhook } from "../fakes/stripe/index.js";
import { startCommerce, WEBHOOK_SECRET } from "./support.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { CREATOR_ROLE, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

const PRO_ROLE = "500000000000000002";
const ADA = { id: "400000000000000001", username: "ada" };
const GRACE = { id: "400000000000000002", name: "Grace" };

describe.each(backends())("a burst of webhooks makes one sync, on %s", (backend) => {
  let db: TestDatabase;
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let c: Awaited<ReturnType<typeof startCommerce>>;
  let http: HttpServer;
  let webhookUrl: string;
  let price: string;

  /** Requests that read or change Ada's access: her member, her roles, the paid channel's members. */
  const discordCalls = () => discord.calls.filter((call) => call.path.startsWith(`/guilds/${GUILD}/members/${ADA.id}`)).map((call) => `${call.method} ${call.path}`);
  const slackCalls = () => slack.calls.filter((call) => call.method.startsWith("conversations.")).map((call) => call.method);
  const accessSync = () => c.runtime.services.accessSync;
  /** Waits until neither fake has seen a call for half a second (a sync started some other way would show). */
  const platformsQuiet = async () => {
    for (let seen = -1; seen !== discord.calls.length + slack.calls.length; ) {
      seen = discord.calls.length + slack.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  beforeAll(async () => {
    db = await freshDatabase(backend);
    discord = await startFakeDiscord({
      guilds: [{ id: GUILD, name: "Acme", channels: [{ id: GENERAL, name: "general" }], roles: [{ id: PRO_ROLE, name: "Pro" }], members: [{ user: ADA }] }],
    });
    slack = await startFakeSlack({ teamId: "TACME01", users: [{ id: "U0ADA", name: "ada" }], channels: [{ id: "C0PRO", private: true }] });
    const log = quietLogger();
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken("fake.discord.token");
    const web = new webApi.WebClient("xoxb-fake", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    c = await startCommerce(db.prisma, {
      community: {
        slug: "acme",
        name: "Acme Academy",
        timezone: "UTC",
        commerce: DEFAULT_COMMERCE,
        ...DEFAULT_SETTINGS,
        discord: { guildId: GUILD, creatorRoleIds: [CREATOR_ROLE], adminRoleIds: [] },
        slack: { teamId: "TACME01", creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [] },
      },
      gateways: { discord: new DiscordAccessGateway(rest, log), slack: new SlackAccessGateway(web, log, { minIntervalMs: 0 }) },
    });
    const tier = c.stripeFake.createProduct({ name: "Pro" });
    price = c.stripeFake.createPrice({ product: tier.id, unit_amount: 1900, currency: "eur", recurring: { interval: "month" } }).id;
    await c.run("catalog", { name: "pro", title: "Pro", price, discord_roles: PRO_ROLE, slack_channels: "C0PRO" }, { creator: true, subcommand: "add", ...GRACE });
    await c.run("whoami", {}, { platform: "slack", id: "U0ADA", name: "ada" });
    const code = /\*\*([A-Z2-9]{8})\*\*/.exec((await c.run("link", {}, { id: ADA.id, name: "Ada" })).text ?? "")![1]!;
    expect((await c.run("link", { code }, { platform: "slack", id: "U0ADA", name: "ada" })).text).toContain("Linked");

    // The webhook route exactly as src/app.ts mounts it.
    http = new HttpServer(log);
    for (const route of c.runtime.routes()) http.route(route.method, route.path, route.handler);
    const port = await http.listen(0, "127.0.0.1");
    webhookUrl = `http://127.0.0.1:${port}/webhooks/stripe`;
  });
  afterAll(async () => {
    await http?.close();
    await c?.close();
    await discord?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("a membership purchase's webhooks, delivered at once as Stripe does, cost the platform calls of one sync", async () => {
    const session = await c.buy("pro", { id: ADA.id, name: "Ada" });
    const events = c.stripeFake.completeCheckout(session);
    // The typical burst: the session, the subscription, its first invoice and payment.
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["checkout.session.completed", "customer.subscription.created", "invoice.paid"]));
    expect(events.length).toBeGreaterThanOrEqual(4);
    const discordBefore = discordCalls().length;
    const slackBefore = slackCalls().length;

    const answers = await Promise.all(events.map((event) => deliverWebhook(webhookUrl, event, WEBHOOK_SECRET)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await accessSync().settled();
    await platformsQuiet();

    // One sync: Discord reads Ada once and adds the role once; Slack reads the channel's
    // members once and invites her once.
    expect(discordCalls().slice(discordBefore)).toEqual([`GET /guilds/${GUILD}/members/${ADA.id}`, `PUT /guilds/${GUILD}/members/${ADA.id}/roles/${PRO_ROLE}`]);
    expect(slackCalls().slice(slackBefore)).toEqual(["conversations.members", "conversations.invite"]);
    expect(discord.state.member(GUILD, ADA.id)?.roles).toEqual([PRO_ROLE]);
    expect(slack.channels.get("C0PRO")?.members.has("U0ADA")).toBe(true);
  });

  it("a lone webhook is synced about a second later, not held back", async () => {
    // A refund of the membership's payment: one charge.refunded, access ends at once.
    const charge = c.stripeFake.events.find((e) => e.type === "charge.succeeded")!.data.object.id as string;
    const ended = c.stripeFake.refundCharge(charge);
    expect(ended.map((e) => e.type)).toContain("charge.refunded");
    const discordBefore = discordCalls().length;
    const sentAt = Date.now();
    for (const event of ended) await deliverWebhook(webhookUrl, event, WEBHOOK_SECRET);
    await expect.poll(() => discord.state.member(GUILD, ADA.id)?.roles, { timeout: 10_000, interval: 20 }).toEqual([]);
    const waited = Date.now() - sentAt;
    await accessSync().settled();
    expect(discordCalls().slice(discordBefore)).toEqual([`GET /guilds/${GUILD}/members/${ADA.id}`, `DELETE /guilds/${GUILD}/members/${ADA.id}/roles/${PRO_ROLE}`]);
    // One second of quiet, plus the sync itself (generous for a loaded machine).
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(5000);
  });
});

describe("burst coalescing", () => {
  it("a steady stream of requests for one member is still synced, at the latest maxWaitMs after the first", async () => {
    const runs: number[] = [];
    const start = performance.now();
    const bursts = new BurstCoalescer({ quietMs: 100, maxWaitMs: 250 }, async () => void runs.push(performance.now() - start));
    // A request every 30 ms for 600 ms: never 100 ms of quiet.
    for (let t = 0; t < 600; t += 30) {
      bursts.request("ada");
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await bursts.settled();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toBeLessThan(600);
  });

  it("while a webhook is still being applied (a hold), the burst waits for it, and is run once when it is done", async () => {
    const runs: number[] = [];
    const start = performance.now();
    const bursts = new BurstCoalescer({ quietMs: 50, maxWaitMs: 5000 }, async () => void runs.push(performance.now() - start));
    const release = bursts.hold(); // a slow webhook of the same purchase, its member not known yet
    bursts.request("ada");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toEqual([]);
    bursts.request("ada"); // the slow webhook names Ada too, then is done
    release();
    release(); // a second call changes nothing
    await bursts.settled();
    expect(runs).toHaveLength(1);
  });

  it("a hold never released delays a burst by maxWaitMs at most", async () => {
    const runs: number[] = [];
    const start = performance.now();
    const bursts = new BurstCoalescer({ quietMs: 20, maxWaitMs: 200 }, async () => void runs.push(performance.now() - start));
    bursts.hold();
    bursts.request("ada");
    await bursts.settled();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toBeGreaterThanOrEqual(190);
  });

  it("different members are synced separately, each once per burst", async () => {
    const runs: string[] = [];
    const bursts = new BurstCoalescer({ quietMs: 50, maxWaitMs: 500 }, async (key) => void runs.push(key));
    for (const key of ["ada", "bea", "ada", "bea", "ada"]) bursts.request(key);
    await bursts.settled();
    expect(runs.sort()).toEqual(["ada", "bea"]);
  });
});

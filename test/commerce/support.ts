import type Stripe from "stripe";
import { capabilities } from "../../src/capabilities.js";
import { Reconciler } from "../../src/commerce/reconciler.js";
import { createStripeClient } from "../../src/commerce/stripe-client.js";
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from "../../src/commerce/stripe-webhook.js";
import type { AccessGateways, AdminLog, Messengers } from "../../src/core/platform-services.js";
import type { Notice } from "../../src/commerce/billing-notices.js";
import type { CommunityConfig } from "../../src/config/communities.js";
import type { Invocation } from "../../src/core/invocation.js";
import type { Clock } from "../../src/core/services.js";
import type { RawOptions } from "../../src/core/options.js";
import { HttpServer } from "../../src/http/http-server.js";
import type { Db } from "../../src/db/database.js";
import { assemble } from "../../src/core/assemble.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { acmeCommunity, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";

export const WEBHOOK_SECRET = "whsec_test_guildhall";

/** The commerce stack over a database and the fake Stripe, driven through the real dispatcher. */
export async function startCommerce(
  db: Db,
  opts: { gateways?: AccessGateways; adminLog?: AdminLog; messengers?: Messengers; community?: CommunityConfig; clock?: Clock; stripeFake?: FakeStripe } = {},
) {
  const community = opts.community ?? acmeCommunity();
  const ownsFake = opts.stripeFake === undefined;
  const stripeFake: FakeStripe = opts.stripeFake ?? (await startFakeStripe());
  const stripe: Stripe = createStripeClient({ secretKey: "sk_test_guildhall", apiUrl: stripeFake.url });
  const log = quietLogger();
  const runtime = assemble({
    capabilities,
    db,
    communities: [community],
    log,
    stripe,
    checkoutReturnUrl: "https://example.com/back",
    // runtime.routes() then holds the webhook route wired as in production (access-burst.test.ts).
    stripeWebhookSecret: WEBHOOK_SECRET,
    ...(opts.gateways ? { gateways: opts.gateways } : {}),
    ...(opts.adminLog ? { adminLog: opts.adminLog } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.messengers ? { messengers: opts.messengers } : {}),
  });
  const applier = runtime.services.stripeEvents!;
  const synced: string[][] = [];
  let syncing: Promise<void> = Promise.resolve();
  const onMembersChanged = (members: string[]) => {
    synced.push(members);
    syncing = syncing.then(() => runtime.services.accessSync.syncMembers(members));
  };
  const onNotices = (notices: Notice[]) => {
    syncing = syncing.then(async () => {
      for (const notice of notices) await runtime.services.billingNotices.send(notice);
    });
  };
  const http = new HttpServer(log).route("POST", STRIPE_WEBHOOK_PATH, stripeWebhookRoute({ secret: WEBHOOK_SECRET, applier, log, onMembersChanged, onNotices }));
  const port = await http.listen(0, "127.0.0.1");
  const webhookUrl = `http://127.0.0.1:${port}${STRIPE_WEBHOOK_PATH}`;

  /** Runs a command as a member (or creator), on Discord unless told otherwise, and returns what they were shown. */
  async function run(command: string, options: RawOptions = {}, as: { id?: string; name?: string; creator?: boolean; subcommand?: string; platform?: "discord" | "slack" } = {}) {
    const onSlack = as.platform === "slack";
    const invocation: Invocation = {
      platform: onSlack ? "slack" : "discord",
      space: onSlack ? { id: community.slack!.teamId, name: "acme" } : { id: GUILD, name: "Acme" },
      user: { id: as.id ?? "400000000000000001", displayName: as.name ?? "Ada" },
      channel: { id: "200000000000000001" },
      command,
      subcommand: as.subcommand,
      options,
      actor: onSlack
        ? { platform: "slack", userId: as.id ?? "U0ADA", inUserGroup: async () => false, isWorkspaceAdmin: async () => as.creator === true }
        : { platform: "discord", roleIds: as.creator ? [community.discord!.creatorRoleIds[0]!] : [], isAdministrator: false },
      receivedAt: opts.clock?.now() ?? new Date(),
    };
    return (await runtime.dispatcher.run(invocation)).reply;
  }

  /** Runs /buy as a member and returns the Checkout Session id from the link they were given. */
  async function buy(item: string, as: { id: string; name: string }): Promise<string> {
    const reply = await run("buy", { item }, as);
    const session = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(reply.links?.[0]?.url ?? "")?.[1];
    if (!session) throw new Error(`/buy ${item} gave no checkout link: ${reply.text}`);
    return session;
  }

  return {
    stripeFake,
    buy,
    /** A reconciler wired as production wires it, over this stack; it never waits on 429s. */
    reconciler: (clock: Clock = runtime.services.clock) =>
      new Reconciler(db, stripe, applier, runtime.services.accessSync, clock, log, async () => undefined, runtime.services.billingNotices),
    stripe,
    runtime,
    applier,
    webhookUrl,
    synced,
    run,
    /** Waits for the access syncs that webhooks started. */
    settled: () => syncing,
    async close() {
      await http.close();
      if (ownsFake) await stripeFake.close();
    },
  };
}

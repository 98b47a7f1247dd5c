// The pieces both commerce benchmarks share: the thread that plays Stripe, and the bot's
// side wired as src/app.ts wires it (database, Stripe client, runtime, webhook applier) for
// one community that sells one monthly membership, bought through /buy as members do.
import type Stripe from "stripe";
import { capabilities, DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../src/capabilities.js";
import type { CatalogItem } from "../src/commerce/catalog-service.js";
import { createStripeClient } from "../src/commerce/stripe-client.js";
import type { StripeEventApplier } from "../src/commerce/stripe-event-applier.js";
import { type CommunityConfig } from "../src/config/communities.js";
import { type Database, openDatabase } from "../src/db/database.js";
import type { DatabaseTarget } from "../src/db/target.js";
import type { CommunityInfo } from "../src/identity/identity-service.js";
import type { Logger } from "../src/log/logger.js";
import { assemble, type Runtime } from "../src/core/assemble.js";
import type { Started, StripeRequest } from "./commerce-worker.js";
import { WorkerRpc } from "./worker-rpc.js";

const GUILD = "100000000000000007";
export const COMMUNITY: CommunityConfig = {
  slug: "bench-academy",
  name: "Bench Academy",
  timezone: "UTC",
  commerce: DEFAULT_COMMERCE,
  ...DEFAULT_SETTINGS,
  discord: { guildId: GUILD, creatorRoleIds: [], adminRoleIds: [] },
};
const ITEM = "pro";

/** The thread that runs the fake Stripe and delivers its webhooks; `call` waits for the answer. */
export class StripeThread extends WorkerRpc<StripeRequest> {
  constructor() {
    super(new URL("./commerce-worker.ts", import.meta.url), "Stripe thread");
  }
}

/** The bot's side of one benchmark run. */
export interface Shop {
  readonly database: Database;
  readonly runtime: Runtime;
  readonly stripe: Stripe;
  readonly applier: StripeEventApplier;
  readonly community: CommunityInfo;
  readonly item: CatalogItem;
  /** Runs `/buy pro` as Discord user `userId` (a new member on first sight); returns the Checkout Session id. */
  buy(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the fake Stripe on `thread` (its clock at `now` seconds, if given) and opens the bot's side over `target`. */
export async function openShop(target: DatabaseTarget, thread: StripeThread, log: Logger, now?: number): Promise<Shop> {
  const fake = await thread.call<Started>(now === undefined ? { kind: "start" } : { kind: "start", now });
  // The pool size src/app.ts gets: openDatabase's default.
  const database = await openDatabase(target, log);
  const stripe = createStripeClient({ secretKey: "sk_test_bench", apiUrl: fake.url });
  const runtime = assemble({ capabilities, db: database.prisma, communities: [COMMUNITY], log, stripe, checkoutReturnUrl: "https://example.com/back" });
  const applier = runtime.services.stripeEvents!;
  const community = await runtime.services.identity.communityFor("discord", { id: GUILD, name: COMMUNITY.name });
  const item = await runtime.services.catalog.add(community.id, ITEM, { title: "Pro", description: "Monthly membership", priceId: fake.priceId, discordRoleIds: [], slackChannelIds: [] });

  async function buy(userId: string): Promise<string> {
    const { reply } = await runtime.dispatcher.run({
      platform: "discord",
      space: { id: GUILD, name: COMMUNITY.name },
      user: { id: userId, displayName: `member ${userId.slice(-6)}` },
      channel: { id: "200000000000000007" },
      command: "buy",
      subcommand: undefined,
      options: { item: ITEM },
      actor: { platform: "discord", roleIds: [], isAdministrator: false },
      receivedAt: new Date(),
    });
    const session = /\/pay\/(cs_\w+)/.exec(reply.links?.[0]?.url ?? "")?.[1];
    if (!session) throw new Error(`/buy gave no checkout link: ${reply.text ?? JSON.stringify(reply)}`);
    return session;
  }

  return { database, runtime, stripe, applier, community, item, buy, close: () => database.close() };
}

/** Discord user ids for `count` members. */
export function discordUserIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `7000${String(i).padStart(14, "0")}`);
}

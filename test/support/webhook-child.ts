// A Guildhall webhook receiver in its own process, for the test that kills it mid-way.
// Settings come from the environment the test passes; it prints READY <port> when listening.
import { capabilities } from "../../src/capabilities.js";
import { commerceRuntime } from "../../src/commerce/commerce-runtime.js";
import { createStripeClient } from "../../src/commerce/stripe-client.js";
import { STRIPE_WEBHOOK_PATH, stripeWebhookRoute } from "../../src/commerce/stripe-webhook.js";
import { openDatabase } from "../../src/db/database.js";
import { resolveDatabaseTarget } from "../../src/db/target.js";
import { HttpServer } from "../../src/http/http-server.js";
import { createLogger } from "../../src/log/logger.js";
import { DiscordAccessGateway } from "../../src/platform/discord/access-gateway.js";
import { createAccessRest } from "../../src/platform/discord/access-rest.js";
import { assemble } from "../../src/core/assemble.js";

const env = process.env;
const log = createLogger({ level: "warn", secrets: [] });
const database = await openDatabase(resolveDatabaseTarget(env.DATABASE_URL || undefined, env.GUILDHALL_DATA_DIR!), log);
const stripe = createStripeClient({ secretKey: "sk_test_child", apiUrl: env.STRIPE_API_URL! });
const community = JSON.parse(env.CHILD_COMMUNITY!);
const { services } = assemble({
  capabilities,
  db: database.prisma,
  communities: [community],
  log,
  stripe,
  gateways: { discord: new DiscordAccessGateway(createAccessRest({ token: "child.token", apiUrl: env.DISCORD_API_URL! }), log) },
});
const { applier } = commerceRuntime(database.prisma, stripe, services, log);
const http = new HttpServer(log).route(
  "POST",
  STRIPE_WEBHOOK_PATH,
  stripeWebhookRoute({ secret: env.STRIPE_WEBHOOK_SECRET!, applier, log, onMembersChanged: (m) => void services.accessSync.syncMembers(m) }),
);
const port = await http.listen(0, "127.0.0.1");
process.stdout.write(`READY ${port}\n`);

// A Guildhall process that runs stored work (event reminders) as a bot does, for the test that
// kills one mid-fan-out: the production assembly, access gateways with the pace shared through
// PostgreSQL, the delivery queue, over a fake Discord. Settings come from the environment the
// test passes (a lease of seconds, so a take-over happens within the test); it prints
// READY <holder> once it polls for work.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capabilities, settingsSections } from "../../src/capabilities.js";
import { loadConfig } from "../../src/config/config.js";
import { assemble } from "../../src/core/assemble.js";
import { openDatabase } from "../../src/db/database.js";
import { PROCESS_HOLDER } from "../../src/db/lease.js";
import { createLogger } from "../../src/log/logger.js";
import { accessGateways } from "../../src/platform/access-gateways.js";

const env = process.env;
const log = createLogger({ level: "warn", secrets: [] });
const loaded = loadConfig(
  { GUILDHALL_DATA_DIR: mkdtempSync(join(tmpdir(), "gh-fanout-child-")), DATABASE_URL: env.DATABASE_URL!, DISCORD_TOKEN: env.DISCORD_TOKEN!, DISCORD_API_URL: env.DISCORD_API_URL!, DISCORD_REQUESTS_PER_SECOND: env.DISCORD_REQUESTS_PER_SECOND },
  settingsSections,
);
const config = { ...loaded, communities: [JSON.parse(env.CHILD_COMMUNITY!)] };
const database = await openDatabase(config.database, log, { migrate: false });
const { messengers, chat } = accessGateways(config, log, database.prisma, undefined, { sharedPace: database.kind === "postgres" });
const { services } = assemble({ capabilities, db: database.prisma, communities: config.communities, log, messengers, chat, work: { leaseMs: Number(env.LEASE_MS), batch: 1 }, ...(env.SEND_DEADLINE_MS ? { delivery: { sendDeadlineMs: Number(env.SEND_DEADLINE_MS) } } : {}) });

process.stdout.write(`READY ${PROCESS_HOLDER}\n`);
const pollMs = Number(env.POLL_MS ?? 200);
for (;;) {
  await services.work.runDue().catch((error: unknown) => log.error({ err: error }, "running due work failed"));
  await new Promise((resolve) => setTimeout(resolve, pollMs));
}

// Exactly once (issue 15), as a property: however many times each interaction is delivered,
// to whichever of three instances sharing one database, in whatever order and all at once,
// its handler runs once, and every other delivery comes back as a duplicate.
// Replay with the seed it prints: `FC_SEED=… npx vitest run test/core/exactly-once.property.test.ts`;
// `FC_RUNS` sets how many delivery stories it tells (15 per backend).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { defineCommand } from "../../src/core/command.js";
import type { Invocation } from "../../src/core/invocation.js";
import { reply } from "../../src/core/reply.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { ADA, acmeCommunity, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";
import { withExtra } from "../support/test-commands.js";

const RUNS = Number(process.env.FC_RUNS ?? 15);
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);

/** How many times each interaction's handler ran, by interaction id: the effect under test. */
const ran = new Map<string, number>();
const effectCommand = defineCommand({
  name: "effect",
  description: "Counts the interaction it ran for",
  handler: (ctx) => {
    ran.set(ctx.interactionId, (ran.get(ctx.interactionId) ?? 0) + 1);
    return reply.ephemeral("done");
  },
});

const delivery = (id: string): Invocation => ({
  platform: "discord",
  space: { id: GUILD, name: "Acme" },
  user: { id: ADA.id, displayName: "Ada" },
  channel: { id: GENERAL },
  command: "effect",
  subcommand: undefined,
  options: {},
  actor: { platform: "discord", roleIds: [], isAdministrator: false },
  receivedAt: new Date(),
  id,
});

describe.each(backends())("exactly once across three instances (%s)", (kind) => {
  let database: TestDatabase;
  const extra: Database[] = [];
  let instances: Runtime[];
  beforeAll(async () => {
    database = await freshDatabase(kind);
    // On PostgreSQL each instance has its own pool, as separate processes would; an in-memory
    // PGlite can be opened once, so there the three share its client.
    for (let i = 0; i < 2 && database.target.kind === "postgres"; i++) extra.push(await openDatabase(database.target, quietLogger()));
    const dbs = [database.prisma, ...extra.map((d) => d.prisma)];
    instances = [0, 1, 2].map((i) => assemble({ capabilities: withExtra({ commands: [effectCommand] }), db: dbs[i % dbs.length]!, communities: [acmeCommunity()], log: quietLogger() }));
  });
  afterAll(async () => {
    for (const d of extra) await d.close();
    await database?.dispose();
  });

  it("runs each interaction's handler once, whatever the duplicates, instances and order", { timeout: 120_000 }, async () => {
    console.info(`exactly-once property test (${kind}): FC_SEED=${SEED}, ${RUNS} runs`);
    let story = 0;
    const deliveries = fc.array(fc.record({ interaction: fc.nat(5), instance: fc.nat(2), delayMs: fc.nat(3) }), { minLength: 1, maxLength: 18 });
    await fc.assert(
      fc.asyncProperty(deliveries, async (plan) => {
        story++;
        const idOf = (n: number) => `discord:${kind}-story${story}-${n}`;
        const outcomes = await Promise.all(
          plan.map(async ({ interaction, instance, delayMs }) => {
            await new Promise((r) => setTimeout(r, delayMs));
            return instances[instance]!.dispatcher.run(delivery(idOf(interaction)));
          }),
        );
        const distinct = new Set(plan.map((d) => d.interaction));
        for (const n of distinct) expect(ran.get(idOf(n)), `interaction ${n}`).toBe(1);
        expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(distinct.size);
        expect(outcomes.filter((o) => o.duplicate)).toHaveLength(plan.length - distinct.size);
        expect(outcomes.every((o) => o.duplicate || o.reply.text === "done")).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});

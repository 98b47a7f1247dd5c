/**
 * The README's worked example ("Develop → Adding a capability"), step by step: a capability
 * with a database-backed service and a command, added to the list, shows up in /help and
 * its command dispatches. Nothing outside the capability and the list is touched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capabilities } from "../../src/capabilities.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { defineCapability } from "../../src/core/capability.js";
import { defineCommand } from "../../src/core/command.js";
import { reply } from "../../src/core/reply.js";
import type { Db } from "../../src/db/database.js";
import { freshDatabase, type TestDatabase } from "../support/databases.js";
import { quietLogger } from "../support/logger.js";

// src/headcount/headcount-service.ts
class HeadcountService {
  constructor(private readonly db: Db) {}
  count(communityId: string): Promise<number> {
    return this.db.member.count({ where: { communityId } });
  }
}

// src/headcount/index.ts
declare module "../../src/core/services.js" {
  interface Services {
    readonly headcount: HeadcountService;
  }
}
const headcountCommand = defineCommand({
  name: "headcount",
  description: "How many members this community has",
  handler: async (ctx) => reply.ephemeral(`${await ctx.services.headcount.count(ctx.community.id)} member(s)`),
});
const headcount = defineCapability({
  name: "headcount",
  provide: (services) => ({ headcount: new HeadcountService(services.db) }),
  commands: [headcountCommand],
});

describe("adding a capability (README worked example)", () => {
  let database: TestDatabase;
  let runtime: Runtime;
  const invocation = (command: string, options: Record<string, string> = {}) => ({
    platform: "playground" as const,
    space: { id: "playground", name: "Playground" },
    user: { id: "pg-ada", displayName: "Ada" },
    channel: { id: "general", name: "general" },
    command,
    subcommand: undefined,
    options,
    actor: { platform: "playground" as const, level: "member" as const },
    receivedAt: new Date("2026-12-07T12:00:00Z"),
  });

  beforeAll(async () => {
    database = await freshDatabase("pglite");
    // src/capabilities.ts: the new capability appended to the list.
    runtime = assemble({ capabilities: [...capabilities, headcount], db: database.prisma, communities: [], log: quietLogger() });
  });
  afterAll(async () => database?.dispose());

  it("is listed last in /help, as the list orders it", async () => {
    const help = await runtime.dispatcher.run(invocation("help"));
    const text = help.reply.text ?? "";
    expect(text).toContain("/headcount");
    expect(text.indexOf("/headcount")).toBeGreaterThan(text.indexOf("/help"));
    expect(runtime.registry.all().at(-1)?.name).toBe("headcount");
  });

  it("dispatches its command to its service", async () => {
    const outcome = await runtime.dispatcher.run(invocation("headcount"));
    // Ada ran /help and /headcount: the dispatcher made her the community's one member.
    expect(outcome.reply.text).toBe("1 member(s)");
  });
});

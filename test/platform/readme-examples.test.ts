import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCommands } from "../../src/capabilities.js";
import { parseDiscordRoles, parseSlackChannels } from "../../src/commerce/access-targets.js";
import { simulatedPaymentCommands } from "../../src/commerce/simulated/index.js";
import { CommandRegistry } from "../../src/core/registry.js";
import { parseCommandText } from "../../src/core/text-args.js";
import { validateOptions } from "../../src/core/validate-options.js";
import { PLAYGROUND_TOPICS } from "../../src/platform/playground/playground-help.js";
import { startPlaygroundApp } from "../support/app.js";

/**
 * Issue 10, defect 7: every command example in the README is run. Inline code that starts
 * with a slash and a command name is an example; one with placeholders (`<item>`, `[days]`,
 * `a|b`) is a usage line, whose command and subcommands must exist.
 */
const readme = readFileSync("README.md", "utf8");
/** The playground without STRIPE_SECRET_KEY also has the simulated payments' /pay and /refund. */
const registry = new CommandRegistry([...allCommands, ...simulatedPaymentCommands]);
/** The playground's own commands; /clock moves are checked by test/platform/walkthrough.test.ts. */
const PLAYGROUND_ONLY = new Set(["as", "quit", "exit", "open", "back", "press", "accept", "apps", "clock"]);
/** The "Develop" section's worked example adds this command; test/core/capability-example.test.ts runs it. */
const WORKED_EXAMPLE = new Set(["headcount"]);

const spans = [...readme.matchAll(/`(\/[a-z][^`]*)`/g)]
  .map((m) => m[1]!.replace(/\s*\n\s*/g, " ").trim())
  .filter((s) => !/^\/[a-z]+\//.test(s) && !WORKED_EXAMPLE.has(s.slice(1).split(" ")[0]!));
const usage = (s: string) => /<[^@#>][^>]*>|\[[^\]]*\]|\|/.test(s.replace(/<[@#][^>]*>/g, ""));
const examples = spans.filter((s) => !usage(s));
const usages = spans.filter(usage);

const mention = (t: string) => (/^@[\w.-]+$/.test(t) ? { platform: "playground", id: `pg-${t.slice(1)}`, displayName: t.slice(1) } : undefined);

describe("the README's command examples", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
  });
  afterAll(() => pg?.end());

  it("there are examples and usage lines to check", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    expect(examples).toContain('/catalog add name:async-rust title:"Async Rust" price:price_123 discord_roles:<@&112233445566778899> slack_channels:<#C0RUST01>');
  });

  it.each(usages)("usage %s names commands that exist", (line) => {
    const [name = "", sub] = line.slice(1).split(" ");
    const command = registry.get(name);
    expect(command, line).toBeDefined();
    if (command?.kind === "group" && sub && !sub.startsWith("[") && !sub.startsWith("<")) {
      for (const s of sub.split("|")) expect(command.subcommands.map((c) => c.name), line).toContain(s);
    }
  });

  it.each(examples)("%s runs in the playground", async (line) => {
    const name = line.slice(1).split(" ")[0]!;
    if (PLAYGROUND_ONLY.has(name)) {
      expect(PLAYGROUND_TOPICS[name], line).toBeDefined();
      if (name === "clock" || name === "quit" || name === "exit") return;
      const out = await pg.type(line);
      expect(out).not.toContain("went wrong");
      expect(out).not.toMatch(/There is no \//);
      return;
    }
    const command = registry.get(name);
    expect(command, line).toBeDefined();
    // Its options must be valid, including lists the handler reads itself.
    const parsed = parseCommandText(command!, line.slice(1 + name.length), mention);
    const specs = command!.kind === "group" ? command!.subcommands.find((s) => s.name === parsed.subcommand)?.options : command!.options;
    expect(specs, line).toBeDefined();
    // A bare name that needs options (`/thanks`, `/access revoke`) names the command in prose.
    const required = Object.values(specs!).some((o) => o.required);
    if (Object.keys(parsed.options).length === 0 && required) return;
    expect(() => validateOptions(specs!, parsed.options)).not.toThrow();
    const roles = parsed.options.discord_roles;
    if (typeof roles === "string") expect(() => parseDiscordRoles(roles)).not.toThrow();
    const channels = parsed.options.slack_channels;
    if (typeof channels === "string") expect(() => parseSlackChannels(channels)).not.toThrow();
    await pg.type("/as grace --creator");
    const out = await pg.type(line);
    expect(out).not.toContain("went wrong");
    expect(out).not.toContain("is not an option");
    expect(out).not.toMatch(/There is no \//);
    await pg.type("/as ada");
  });
});

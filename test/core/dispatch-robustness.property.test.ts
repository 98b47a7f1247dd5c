import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCommands } from "../../src/capabilities.js";
import type { LeafCommand } from "../../src/core/command.js";
import type { OptionSpec, RawOptionValue } from "../../src/core/options.js";
import { startCommunity, who } from "../support/community.js";

/**
 * Issue 10, robustness: every command and subcommand, driven through the dispatcher with
 * generated values for every option (empty, huge, negative, non-ASCII, right-to-left
 * overrides, control characters, mention tokens, markup, SQL-looking text), as members and
 * as creators, on PGlite. Only user-facing answers may come back: an internal error is the
 * apology with an error id. Afterwards the community still has its data.
 *
 * Replay with the seed it prints: `FC_SEED=… npx vitest run test/core/dispatch-robustness.property.test.ts`;
 * `FC_RUNS` sets the number of invocations (400).
 */
const RUNS = Number(process.env.FC_RUNS ?? 400);
const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);

const leaves: { command: string; subcommand?: string; leaf: LeafCommand }[] = allCommands.flatMap((c) =>
  c.kind === "leaf" ? [{ command: c.name, leaf: c }] : c.subcommands.map((s) => ({ command: c.name, subcommand: s.name, leaf: s })),
);

const nasty = fc.constantFrom(
  "",
  " ",
  "x".repeat(5000),
  "-1",
  "0",
  "99999999999",
  "-99999999999",
  "1e309",
  "NaN",
  "zoë 日本語 مرحبا",
  "\u202Egnp.exe",
  "\u0000\u0007\u001b[31mred",
  "[[@pg-ada]]",
  "<@U123>",
  "<@&123456789012345678>",
  "@everyone",
  "**bold** [link](https://evil.example) `code`",
  "'; DROP TABLE \"Member\"; --",
  "1 OR 1=1",
  "https://github.com/a/b/pull/1",
  "tomorrow 18:00",
  "in 2 hours",
  "2026-12-24 17:55",
  "1h30m",
  "rust, async",
  "price_123",
  "async-rust",
  "week",
  "#3",
  "3",
);
const text = fc.oneof(nasty, fc.string({ maxLength: 60 }), fc.string({ unit: "grapheme", maxLength: 30 }));
const integer = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 3, 2_147_483_647, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER), text);
const member = fc.oneof(
  fc.constantFrom("Ada", "Bob", "Grace", "zoë", "\u202Eevil").map((n): RawOptionValue => who(n)),
  fc.record({ platform: fc.constant("playground"), id: fc.string({ minLength: 1, maxLength: 40 }), displayName: text }),
  text,
);

function valueFor(spec: OptionSpec): fc.Arbitrary<RawOptionValue> {
  switch (spec.kind) {
    case "integer":
    case "number":
      return integer;
    case "boolean":
      return fc.oneof(fc.boolean(), text);
    case "user":
      return member;
    case "channel":
      return fc.oneof(fc.record({ id: fc.string({ minLength: 1, maxLength: 30 }) }), text);
    case "string":
      return spec.choices ? fc.oneof(fc.constantFrom(...spec.choices.map((c) => c.value)), text) : text;
  }
}

const invocation = fc.constantFrom(...leaves).chain((target) =>
  fc.record({
    target: fc.constant(target),
    as: fc.constantFrom("Ada", "Bob", "Grace"),
    level: fc.constantFrom("member" as const, "creator" as const),
    options: fc.record(Object.fromEntries(Object.entries(target.leaf.options).map(([name, spec]) => [name, valueFor(spec)])), { requiredKeys: [] }),
  }),
);

describe("every command through the dispatcher, with generated option values", () => {
  let c: Awaited<ReturnType<typeof startCommunity>>;
  beforeAll(async () => {
    c = await startCommunity("pglite");
    // Some data to keep: a question with a reply, points, a reviewer, an event.
    await c.run("Ada", "ask", { title: "How do I pin a future?", details: "I keep getting Unpin errors." });
    await c.run("Cleo", "award", { member: who("Bob"), points: 50, reason: "Welcome gift" }, { level: "creator" });
    await c.run("Grace", "reviewer", { languages: "rust" }, { subcommand: "join" });
  });
  afterAll(() => c.dispose());

  it("answers every invocation with a user-facing reply and keeps the data", { timeout: 120_000 }, async () => {
    const before = { questions: await c.db.question.count(), pointEntries: await c.db.pointEntry.count(), members: await c.db.member.count() };
    let invocations = 0;
    const started = Date.now();
    console.info(`dispatcher property test: FC_SEED=${SEED}, ${RUNS} invocations over ${leaves.length} commands and subcommands`);
    await fc.assert(
      fc.asyncProperty(invocation, async ({ target, as, level, options }) => {
        invocations++;
        const answer = await c.run(as, target.command, options as Record<string, RawOptionValue>, { ...(target.subcommand ? { subcommand: target.subcommand } : {}), level });
        const where = `/${target.command} ${target.subcommand ?? ""} as ${as} (${level}) with ${JSON.stringify(options).slice(0, 300)}`;
        expect(answer.text ?? "", where).not.toContain("something went wrong");
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.info(`dispatcher property test: ${invocations} invocations in ${Date.now() - started} ms`);
    expect(await c.db.question.count()).toBeGreaterThanOrEqual(before.questions);
    expect(await c.db.pointEntry.count()).toBeGreaterThanOrEqual(before.pointEntries);
    expect(await c.db.member.count()).toBeGreaterThanOrEqual(before.members);
    expect(await c.db.question.findFirst({ where: { number: 1 } })).toMatchObject({ title: "How do I pin a future?" });
  });
});

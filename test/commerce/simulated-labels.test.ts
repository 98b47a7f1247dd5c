import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commerce } from "../../src/commerce/index.js";
import { simulatedPaymentCommands } from "../../src/commerce/simulated/index.js";
import type { Command, LeafCommand } from "../../src/core/command.js";
import type { OptionSpec, RawOptionValue } from "../../src/core/options.js";
import type { PermissionLevel } from "../../src/core/permissions.js";
import type { MessageContent } from "../../src/core/reply.js";
import { startPlaygroundApp } from "../support/app.js";

/** A line's answer may take long on a loaded machine (the first command starts the app's work). */
const LINE_MS = 60_000;

/**
 * Issue 10: "without STRIPE_SECRET_KEY, commerce runs against a built-in simulated payment
 * provider, clearly labelled as simulated in every reply". Every command the running
 * playground's registry holds is run, as a member and as a creator, with and without its
 * optional options: each reply of a commerce command, and each reply, post or private message
 * of any command that speaks of money or Stripe's objects (prices, checkouts, promotion codes,
 * the billing portal, revenue), carries the label. A command added later is run too.
 */
const LABEL = "(simulated payment — no real money)";
/** What speaks of money or of Stripe's objects. */
const MONEY = /Stripe|checkout|promotion code|single-use code|billing portal|refund(ed)? €|revenue|[€$£]\s?\d|\b\d+(\.\d+)?\s?(EUR|USD|GBP)\b/i;
/** /help describes every command, those that sell included; it is not a commerce reply. */
const NOT_COMMERCE = new Set(["help"]);

const ada = { platform: "playground", id: "pg-ada", displayName: "Ada" } as const;

/** A value each option can take in this community, so commands get past validation. */
function goodValue(name: string, spec: OptionSpec, command: string): RawOptionValue | undefined {
  if (spec.kind === "user") return ada;
  if (spec.kind === "boolean") return true;
  if (spec.kind === "channel") return { id: "general" };
  if (spec.kind === "integer" || spec.kind === "number") return spec.min ?? 1;
  if (spec.choices?.length) return spec.choices[0]!.value;
  const byName: Record<string, string> = {
    item: "async-rust", course: "async-rust", tier: "gold", reward: "half", price: "12eur", title: "Something new",
    name: command === "catalog" ? "async-rust" : command === "reward" ? "half" : "something-new",
  };
  return byName[name] ?? "https://github.com/ada/borrow/pull/1";
}

function leaves(all: readonly Command[]): { command: string; subcommand?: string; leaf: LeafCommand }[] {
  return all.flatMap((c) => (c.kind === "leaf" ? [{ command: c.name, leaf: c }] : c.subcommands.map((s) => ({ command: c.name, subcommand: s.name, leaf: s }))));
}

describe("every commerce reply in the simulated playground", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
    await pg.type("/as grace --creator", LINE_MS);
    await pg.type('/catalog add async-rust "Async Rust" 49eur', LINE_MS);
    await pg.type('/catalog add gold "Gold tier" 19eur/month', LINE_MS);
    await pg.type('/reward add name:half title:"Half off" cost:1 kind:stripe_promotion item:async-rust percent_off:50', LINE_MS);
    await pg.type("/award @Ada 50 Welcome gift", LINE_MS);
    await pg.type("/as Ada", LINE_MS);
    await pg.type("/buy gold", LINE_MS);
    await pg.type("/pay gold", LINE_MS);
  }, 300_000);
  afterAll(() => pg?.end());

  it("a reward that is a Stripe promotion code: offered, listed, redeemed and sent privately, each labelled", { timeout: 300_000 }, async () => {
    await pg.type("/as Grace --creator", LINE_MS);
    const added = await pg.type('/reward add name:tenoff title:"Ten off" cost:1 kind:stripe_promotion item:async-rust amount_off:10', LINE_MS);
    expect(added).toContain("a single-use code for €10.00 off Async Rust");
    expect(added).toContain(LABEL);
    expect(await pg.type("/reward list", LINE_MS)).toContain(LABEL);
    await pg.type("/as Ada", LINE_MS);
    expect(await pg.type("/redeem", LINE_MS)).toContain(LABEL);
    const redeemed = await pg.type("/redeem tenoff", LINE_MS);
    const reply = redeemed.slice(redeemed.indexOf("(only you can see this)"));
    expect(reply).toMatch(/Redeemed Ten off: your code is \S+, a single-use code for €10\.00 off Async Rust/);
    expect(reply).toContain(LABEL);
    const dm = redeemed.slice(redeemed.indexOf("🔒 to Ada (private):"), redeemed.indexOf("(only you can see this)"));
    expect(dm).toContain("Your code for Ten off");
    expect(dm).toContain(LABEL);
  });

  it("carries the label", { timeout: 600_000 }, async () => {
    const registry = pg.app.services.registry;
    const commerceNames = new Set([...(commerce.commands ?? []), ...simulatedPaymentCommands].map((c) => c.name));
    // The commerce commands are all there, /pay and /refund included (they exist only while simulated).
    for (const name of commerceNames) expect(registry.get(name), `/${name}`).toBeDefined();
    const unlabelled: string[] = [];
    let runs = 0;
    for (const { command, subcommand, leaf } of leaves(registry.all())) {
      if (NOT_COMMERCE.has(command)) continue;
      // A member running a creators' command is refused before it runs, in words about permissions only.
      const levels: PermissionLevel[] = leaf.permission === "member" ? ["member", "creator"] : ["creator"];
      for (const level of levels) {
        for (const withOptional of [false, true]) {
          const options: Record<string, RawOptionValue> = {};
          for (const [name, spec] of Object.entries(leaf.options)) {
            if (!spec.required && !withOptional) continue;
            const value = goodValue(name, spec, command);
            if (value !== undefined) options[name] = value;
          }
          const printedBefore = pg.printed().length;
          const { reply } = await pg.app.dispatcher.run({
            platform: "playground",
            space: { id: "playground", name: "Playground" },
            user: level === "creator" ? { id: "pg-grace", displayName: "Grace" } : { id: "pg-ada", displayName: "Ada" },
            channel: { id: "general", name: "general" },
            command,
            subcommand,
            options,
            actor: { platform: "playground", level },
            receivedAt: pg.app.services.clock.now(),
          });
          runs++;
          const shown = shownOf(reply);
          const where = `/${command}${subcommand ? ` ${subcommand}` : ""} as ${level}${withOptional ? " with its options" : ""}`;
          if ((commerceNames.has(command) || MONEY.test(shown)) && !shown.includes(LABEL)) unlabelled.push(`${where}: ${shown.slice(0, 200)}`);
          // What the reply sends along (a private message, a thread's first post), and the posts
          // and private messages the command sent meanwhile, block by block.
          for (const sent of [reply.directMessage, reply.thread?.message]) {
            if (sent && MONEY.test(shownOf(sent)) && !shownOf(sent).includes(LABEL)) unlabelled.push(`${where} sent along: ${shownOf(sent).slice(0, 200)}`);
          }
          for (const block of blocks(pg.printed().slice(printedBefore))) {
            if (MONEY.test(block) && !block.includes(LABEL)) unlabelled.push(`${where} sent: ${block.slice(0, 200)}`);
          }
        }
      }
    }
    console.info(`simulated labels: ${runs} invocations`);
    expect(unlabelled).toEqual([]);
  });
});

/** Everything a member reads in a reply or message. */
function shownOf(m: MessageContent): string {
  return [m.title, m.text, ...(m.fields ?? []).flatMap((f) => [f.name, f.value]), ...(m.links ?? []).map((l) => `${l.label} ${l.url}`), m.footer].filter(Boolean).join("\n");
}

/** A transcript's posts and private messages: a heading line, then its indented lines. */
function blocks(transcript: string): string[] {
  return transcript.split(/\n(?=\S)/).filter((b) => b.trim() !== "");
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCommands } from "../../src/capabilities.js";
import { toPlainText } from "../../src/core/markup.js";
import type { OptionSpecs } from "../../src/core/options.js";
import { startCommunity } from "../support/community.js";

/** PostgreSQL's `integer` holds up to 2147483647; the examples go past it. */
const TOO_BIG = "99999999999";
const APOLOGY = "something went wrong";

/** Every (command, subcommand, integer option) the bot ships. */
function integerOptions(): { command: string; subcommand?: string; option: string }[] {
  const found: { command: string; subcommand?: string; option: string }[] = [];
  const scan = (command: string, subcommand: string | undefined, options: OptionSpecs) => {
    for (const [name, spec] of Object.entries(options)) if (spec.kind === "integer") found.push({ command, ...(subcommand ? { subcommand } : {}), option: name });
  };
  for (const c of allCommands) {
    if (c.kind === "leaf") scan(c.name, undefined, c.options);
    else for (const s of c.subcommands) scan(c.name, s.name, s.options);
  }
  return found;
}

describe("integer options stay within what the database holds (issue 10, defect 2)", () => {
  let community: Awaited<ReturnType<typeof startCommunity>>;
  beforeAll(async () => {
    community = await startCommunity("pglite");
  });
  afterAll(() => community.dispose());

  const text = async (command: string, subcommand: string | undefined, options: Record<string, string>) =>
    toPlainText((await community.run("Cleo", command, options, { ...(subcommand ? { subcommand } : {}), level: "creator" })).text ?? "");

  it.each([
    ["live", "rsvp", "event"],
    ["live", "edit", "event"],
    ["live", "cancel", "event"],
    ["solved", undefined, "question"],
    ["review", "pass", "request"],
    ["review", "withdraw", "request"],
    ["review", "cancel", "request"],
  ] as const)("/%s %s with %s 99999999999 says the number is too large", async (command, subcommand, option) => {
    const answer = await text(command, subcommand, { [option]: TOO_BIG });
    expect(answer).toBe(`${option} is too large: the largest it takes is 2147483647 (you gave “${TOO_BIG}”).`);
  });

  it("/review done with a huge request number names the option", async () => {
    const answer = await text("review", "done", { practicality: "4", coverage: "4", clarity: "4", summary: "Clear and well tested.", request: TOO_BIG });
    expect(answer).toBe(`request is too large: the largest it takes is 2147483647 (you gave “${TOO_BIG}”).`);
  });

  it("every integer option of every command answers a huge or hugely negative number with an option error, never an apology", async () => {
    const all = integerOptions();
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const { command, subcommand, option } of all) {
      for (const value of [TOO_BIG, `-${TOO_BIG}`]) {
        const answer = await text(command, subcommand, { [option]: value });
        expect(answer, `/${command} ${subcommand ?? ""} ${option}:${value}`).toMatch(new RegExp(`\\b${option} (is|must)`));
        expect(answer.toLowerCase(), `/${command} ${subcommand ?? ""} ${option}:${value}`).not.toContain(APOLOGY);
      }
    }
  });
});

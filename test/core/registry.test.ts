import { describe, expect, it } from "vitest";
import { allCommands } from "../../src/capabilities.js";
import { defineCommand, defineGroup } from "../../src/core/command.js";
import { option } from "../../src/core/options.js";
import { CommandRegistry } from "../../src/core/registry.js";
import { reply } from "../../src/core/reply.js";

const ok = () => reply.ephemeral("ok");

describe("command registry", () => {
  it("accepts every command Guildhall ships", () => {
    expect(new CommandRegistry(allCommands).all().map((c) => c.name)).toContain("help");
  });

  it("refuses definitions Discord would reject, at start rather than on first use", () => {
    const r = new CommandRegistry();
    expect(() => r.register(defineCommand({ name: "Bad Name", description: "x", handler: ok }))).toThrow("names must be 1 to 32 lowercase");
    expect(() => r.register(defineCommand({ name: "x", description: "d".repeat(101), handler: ok }))).toThrow("descriptions must be 1 to 100");
    expect(() =>
      r.register(defineCommand({ name: "y", description: "y", options: { a: option.string({ description: "a" }), b: option.string({ description: "b", required: true }) }, handler: ok })),
    ).toThrow("required option b comes after an optional one");
    expect(() => r.register(defineCommand({ name: "z", description: "z", options: { n: option.integer({ description: "n", min: 5, max: 1 }) }, handler: ok }))).toThrow("min is above max");
  });

  it("refuses duplicates, and resolves subcommands", () => {
    const group = defineGroup({ name: "catalog", description: "c", subcommands: [defineCommand({ name: "list", description: "l", handler: ok })] });
    const r = new CommandRegistry([group]);
    expect(() => r.register(group)).toThrow("registered twice");
    expect(r.resolve("catalog", "list")).toMatchObject({ path: "catalog list" });
    expect(r.resolve("catalog", "nope")).toMatchObject({ leaf: undefined });
    expect(r.resolve("missing", undefined)).toBeUndefined();
  });
});

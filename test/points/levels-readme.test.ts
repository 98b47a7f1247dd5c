// The README's levels example (the JSON under "### Levels") is loaded as a communities file
// and run: its levels parse, and a member reaches them as the README says.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommunityConfig, loadCommunities } from "../../src/config/communities.js";
import { settingsSections } from "../../src/capabilities.js";
import type { Reply } from "../../src/core/reply.js";
import { who } from "../support/community.js";
import { startPoints, type PointsCommunity } from "./support.js";

function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("### Levels"));
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!json) throw new Error("README: no JSON example under ### Levels");
  return json;
}

function loadExample(): CommunityConfig {
  const dir = mkdtempSync(join(tmpdir(), "guildhall-levels-"));
  const file = join(dir, "communities.json");
  writeFileSync(file, readmeExample());
  const loaded = loadCommunities(file, settingsSections);
  if ("problems" in loaded) throw new Error(loaded.problems.join("\n"));
  return loaded.communities[0]!;
}

const text = (r: Reply) => {
  if (r.tone === "error") throw new Error(`command failed: ${r.text}`);
  return r.text ?? "";
};

describe("the README's levels example", () => {
  let c: PointsCommunity;
  const example = loadExample();
  beforeAll(async () => {
    c = await startPoints("pglite", ["Ada", "Cleo"], { community: { points: example.points } });
  });
  afterAll(() => c.dispose());

  it("parses as the README describes it", () => {
    expect(example.points.levels).toEqual([
      { name: "Helper", minPoints: 50, discordRoles: ["112233445566778801"], slackChannels: ["C0HELPERS"], items: [] },
      { name: "Mentor", minPoints: 250, discordRoles: ["112233445566778802"], slackChannels: [], items: ["async-rust"] },
    ]);
    expect(example.points.levelUpChannels).toEqual({ discord: "112233445566778899", slack: "C0WINS" });
  });

  it("a member with 50 points earned is a Helper, 200 from Mentor", async () => {
    expect(text(await c.run("Cleo", "award", { member: who("Ada"), points: 50, reason: "workshop" }, { level: "creator" }))).toContain("reached the **Helper** level (50 points earned)");
    expect(text(await c.run("Ada", "points"))).toContain("Level **Helper** · 50 points earned · 200 points more to **Mentor**");
    expect(await c.services.entitlements.desiredAccess(c.id("Ada"), c.clock.now())).toEqual({ discordRoleIds: ["112233445566778801"], slackChannelIds: ["C0HELPERS"] });
  });

  it("levels listed out of order are refused with one line naming the setting", () => {
    const dir = mkdtempSync(join(tmpdir(), "guildhall-levels-"));
    const file = join(dir, "communities.json");
    const wrong = JSON.parse(readmeExample()) as { communities: { points: { levels: { minPoints: number }[] } }[] };
    wrong.communities[0]!.points.levels[1]!.minPoints = 10;
    writeFileSync(file, JSON.stringify(wrong));
    expect(loadCommunities(file, settingsSections)).toEqual({
      problems: [`${file}: communities.0.points.levels.1.minPoints: should be more than the level before it (Helper: 50); list levels from the fewest points up`],
    });
  });
});

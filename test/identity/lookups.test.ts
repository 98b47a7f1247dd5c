import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPlainText } from "../../src/core/markup.js";
import { startCommunity, who } from "../support/community.js";

/** Issue 10, defect 6: only people who act, or are granted something, become members. */
describe("looking someone up does not make them a member", () => {
  let community: Awaited<ReturnType<typeof startCommunity>>;
  const names = async () => (await community.db.member.findMany({ orderBy: { displayName: "asc" } })).map((m) => m.displayName);
  beforeAll(async () => {
    community = await startCommunity("pglite");
  });
  afterAll(() => community.dispose());

  it("/points @neverseen shows no points and creates nobody", async () => {
    const answer = await community.run("Ada", "points", { member: who("neverseen") });
    expect(toPlainText(answer.text ?? "")).toContain("0 points");
    expect(answer.title).toBe("neverseen's points");
    expect(await names()).toEqual(["Ada"]);
  });

  it("a creator's /access show @nobody reports nothing and creates nobody", async () => {
    const answer = await community.run("Cleo", "access", { member: who("nobody") }, { subcommand: "show", level: "creator" });
    expect(toPlainText(answer.text ?? "")).toBe("nobody has not used Guildhall here yet, so they have no access.");
    expect(await names()).toEqual(["Ada", "Cleo"]);
  });

  it("/award with a reason grants points, so the receiver becomes a member", async () => {
    await community.run("Cleo", "award", { member: who("Bob"), points: 5, reason: "Great talk" }, { level: "creator" });
    expect(await names()).toEqual(["Ada", "Bob", "Cleo"]);
    expect(toPlainText((await community.run("Ada", "points", { member: who("Bob") })).text ?? "")).toContain("5 points");
  });

  it("/award refused by validation creates nobody", async () => {
    await community.run("Cleo", "award", { member: who("nobody"), points: 5 }, { level: "creator" });
    expect(await names()).toEqual(["Ada", "Bob", "Cleo"]);
  });
});

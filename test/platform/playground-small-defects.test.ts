import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPlainText } from "../../src/core/markup.js";
import { points } from "../../src/points/format.js";
import { startCommunity } from "../support/community.js";
import { startPlaygroundApp } from "../support/app.js";

/** Issue 10, defect 8: the smaller things found living the story in the playground. */
describe("the playground's smaller defects", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    pg = await startPlaygroundApp();
  });
  afterAll(() => pg?.end());

  it("/help as and /help quit explain the playground's own commands", async () => {
    expect(await pg.type("/help as")).toContain("Act as another member, by name");
    expect(await pg.type("/help quit")).toContain("Leave the playground");
  });

  it("/help live rsvp explains that subcommand alone", async () => {
    const out = await pg.type("/help live rsvp");
    expect(out).toContain("== /live rsvp ==");
    expect(out).toContain("/live rsvp <event>");
    expect(out).not.toContain("/live schedule");
    expect(await pg.type("/help live dance")).toContain("/live has no dance: it has schedule, edit, cancel, list, rsvp.");
  });

  it("/as takes names in any script, and says why a name is refused", async () => {
    expect(await pg.type("/as zoë")).toContain("You are now zoë (member).");
    expect(await pg.type("/as jo/hn")).toContain("“jo/hn” cannot be a name here: use up to 32 letters, digits, _ . or - (no spaces).");
    await pg.type("/as ada");
  });
});

describe("wording", () => {
  let c: Awaited<ReturnType<typeof startCommunity>>;
  beforeAll(async () => {
    c = await startCommunity("pglite");
  });
  afterAll(() => c.dispose());

  it("point counts are grouped the same way everywhere: 20,049 points like 1,000 points", () => {
    expect(points(20049)).toBe("20,049 points");
    expect(points(1)).toBe("1 point");
    expect(points(-1000)).toBe("-1,000 points");
  });

  it("one review that waited is 'is now yours', several 'are now yours'", async () => {
    await c.run("Ada", "review", { link: "https://github.com/ada/one/pull/1", language: "rust" }, { subcommand: "request" });
    const joined = toPlainText((await c.run("Grace", "reviewer", { languages: "rust" }, { subcommand: "join" })).text ?? "");
    expect(joined).toMatch(/Review #1 waited for a reviewer and is now yours\./);
  });

  it("a weekday given to a daily digest is not ignored silently", async () => {
    await c.run("Cleo", "digest", { cadence: "daily" }, { subcommand: "settings", level: "creator" });
    const answer = await c.run("Cleo", "digest", { weekday: "friday" }, { subcommand: "settings", level: "creator" });
    expect(answer.tone).toBe("warning");
    expect(toPlainText(answer.text ?? "")).toContain("The weekday (Friday) is kept for when the digest is weekly; it is daily now, so add cadence:weekly to post on Fridays.");
  });

});

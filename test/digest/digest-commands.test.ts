import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { time } from "../../src/core/markup.js";
import { backends } from "../support/databases.js";
import { ManualClock } from "../support/community.js";
import { type DigestCommunity, digestCommunity } from "./support.js";

const at = (iso: string) => new Date(iso);

describe.each(backends())("/digest on %s", (kind) => {
  let c: DigestCommunity;
  const digest = (subcommand: "preview" | "settings", options: Record<string, string | number> = {}, level: "member" | "creator" = "creator") =>
    c.run(level === "creator" ? "Creator" : "Ada", "digest", options, { subcommand, level });

  beforeAll(async () => {
    c = await digestCommunity(kind, { clock: new ManualClock("2026-11-20T00:00:00Z") });
    // Wednesday 2 December, 12:00 in Berlin: the last daily digest was at 09:00.
    c.clock.set("2026-12-02T11:00:00Z");
  });
  afterAll(() => c.dispose());

  it("refuses members: only creators preview or change the digest", async () => {
    for (const sub of ["preview", "settings"] as const) {
      const r = await digest(sub, {}, "member");
      expect(r).toMatchObject({ visibility: "ephemeral", tone: "error" });
      expect(r.text).toMatch(/Only creators/);
    }
  });

  it("says when nothing has happened since the last digest, and when the next one posts", async () => {
    const r = await digest("preview");
    expect(r.visibility).toBe("ephemeral");
    expect(r.text).toBe(`The next digest posts ${time(at("2026-12-03T08:00:00Z"))} in #general. Nothing has happened since ${time(at("2026-12-02T08:00:00Z"))} yet, so as it stands it would not be posted.`);
    expect(c.chat.posts).toEqual([]);
  });

  it("shows the next digest privately, as it stands, without posting it", async () => {
    await c.course("Async Rust", at("2026-12-02T09:00:00Z"), { name: "async-rust" });
    await c.question("Why is my iterator lazy?", at("2026-12-02T10:00:00Z"));
    const r = await digest("preview");
    expect(r).toMatchObject({ visibility: "ephemeral", title: "📬 Daily digest: Playground" });
    expect(r.text).toContain(`_The next digest posts ${time(at("2026-12-03T08:00:00Z"))} in #general, in one message. So far:_`);
    expect(r.text).toContain("**📚 New courses**\n• **Async Rust**: `/course async-rust`");
    expect(r.text).toContain("Why is my iterator lazy?");
    expect(c.chat.posts).toEqual([]);
  });

  it("shows the settings in force when given no options", async () => {
    const r = await digest("settings");
    expect(r.title).toBe("Digest settings");
    expect(r.text).toContain("**Daily** at 09:00 (Europe/Berlin), with `courses`, `solved`, `waiting`, `reviews`, `helpers`, `events`, `members`.");
    expect(r.text).toContain(`Next digest: ${time(at("2026-12-03T08:00:00Z"))}.`);
  });

  it("changes the schedule and the sections, and answers with when the next digest posts", async () => {
    const r = await digest("settings", { cadence: "weekly", weekday: "friday", hour: 18, sections: "Waiting, courses" });
    expect(r.tone).toBe("success");
    expect(r.text).toBe(`Saved. **Weekly** on Friday at 18:00 (Europe/Berlin), with \`waiting\`, \`courses\`.\nNext digest: ${time(at("2026-12-04T17:00:00Z"))}.`);
    expect(await c.db.digestSettings.findUnique({ where: { communityId: c.communityId } })).toMatchObject({ cadence: "weekly", weekday: 5, hour: 18, sections: ["waiting", "courses"] });
    // The preview follows them: waiting comes first now.
    const preview = await digest("preview");
    expect(preview.title).toBe("📬 Weekly digest: Playground");
    expect(preview.text!.indexOf("Waiting for help")).toBeLessThan(preview.text!.indexOf("New courses"));
    // Options left out keep their values; `all` brings every section back.
    const all = await digest("settings", { sections: "all" });
    expect(all.text).toContain("**Weekly** on Friday at 18:00 (Europe/Berlin), with `courses`, `solved`, `waiting`, `reviews`, `helpers`, `levels`, `events`, `members`.");
  });

  it("refuses an unknown section with a friendly message naming the valid ones, and changes nothing", async () => {
    const before = await c.db.digestSettings.findUnique({ where: { communityId: c.communityId } });
    const r = await digest("settings", { hour: 7, sections: "courses, gossip, memes" });
    expect(r.tone).toBe("error");
    expect(r.text).toBe("“gossip”, “memes” are not digest sections. The sections are `courses`, `solved`, `waiting`, `reviews`, `helpers`, `levels`, `events`, `members`, or `all`.");
    expect(await c.db.digestSettings.findUnique({ where: { communityId: c.communityId } })).toEqual(before);
  });

  it("refuses an hour outside 0 to 23 and a day that is not a weekday", async () => {
    expect((await digest("settings", { hour: 24 })).text).toContain("`hour` must be a whole number from 0 to 23");
    expect((await digest("settings", { weekday: "someday" })).text).toContain("`weekday` must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday");
  });

  it("turns digests off, and the preview says how to turn them back on", async () => {
    expect((await digest("settings", { cadence: "off" })).text).toBe("Saved. Digests are **off**.");
    expect((await digest("preview")).text).toBe("Digests are off. `/digest settings cadence:weekly` (or `daily`) turns them on.");
  });
});

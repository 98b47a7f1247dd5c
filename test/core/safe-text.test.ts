import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCommunity } from "../support/community.js";

/** Issue 10: control and bidirectional-override characters never reach a post. */
const RLO = "\u202E";
const BELL = "\u0007";
const ESC = "\u001B";
// eslint-disable-next-line no-control-regex -- these characters are what the test looks for
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe("titles and names are neutralised before they are posted", () => {
  let c: Awaited<ReturnType<typeof startCommunity>>;
  beforeAll(async () => {
    c = await startCommunity("pglite");
  });
  afterAll(() => c.dispose());

  it("a question title with a right-to-left override and control characters is posted without them", async () => {
    await c.run("Ada", "ask", { title: `Why does ${RLO}gnp.exe${BELL} fail?`, details: `It fails.${ESC}[31m\nLine two\tstays.` });
    const thread = c.chat.posts.find((p) => p.kind === "thread");
    expect(thread).toBeDefined();
    expect(thread!.kind === "thread" && thread!.title).toBe("Why does gnp.exe fail?");
    expect(thread!.message.text).not.toMatch(UNSAFE);
    expect(thread!.message.text).toContain("It fails.[31m\nLine two\tstays.");
  });

  it("a member's display name is stored and shown without them", async () => {
    await c.join(`Eve${RLO}lyn${BELL}`);
    const names = (await c.db.member.findMany()).map((m) => m.displayName);
    expect(names).toContain("Evelyn");
    for (const name of names) expect(name).not.toMatch(UNSAFE);
  });

  it("a mentioned member's name in an option is neutralised too", async () => {
    const answer = await c.run("Ada", "points", { member: { platform: "playground", id: "pg-mallory", displayName: `Mal${RLO}lory` } });
    expect(answer.title).toBe("Mallory's points");
  });
});

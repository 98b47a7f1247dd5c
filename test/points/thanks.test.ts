import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY, HOUR, who } from "../support/community.js";
import { backends } from "../support/databases.js";
import { type PointsCommunity, startPoints } from "./support.js";

const GIVERS = Array.from({ length: 21 }, (_, i) => `Giver${i + 1}`);
/** Each test uses members of its own, so they share one community (and its clock). */
const MEMBERS = ["Ada", "Ben", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal", "B1", "B2", "B3", "B4", "B5", "B6", "Asker", "Ivy", "Jo", "Kim", "Lee", "Max", ...GIVERS];

describe.each(backends())("/thanks rules on %s", (kind) => {
  let c: PointsCommunity;
  beforeAll(async () => {
    c = await startPoints(kind, MEMBERS);
  });
  afterAll(() => c.dispose());

  it("gives the receiver a point with the reason, and says so in the channel", async () => {
    const r = await c.thank("Ada", "Ben", { reason: "great explanation of lifetimes" });
    expect(r).toMatchObject({ visibility: "public", tone: "success" });
    expect(r.text).toBe("🙏 **Ada** thanked **Ben**: “great explanation of lifetimes” (+1 point)\n🤝 **Ben** earned the **First thanks** badge for being thanked by another member for the first time!");
    expect(await c.balance("Ben")).toBe(1);
    const entry = await c.db.pointEntry.findFirstOrThrow({ where: { memberId: c.id("Ben") } });
    expect(entry).toMatchObject({ category: "kudos", amount: 1, actorId: c.id("Ada"), reason: "Thanks from Ada: great explanation of lifetimes" });
  });

  it("refuses thanking yourself", async () => {
    const r = await c.thank("Cat", "Cat");
    expect(r).toMatchObject({ visibility: "ephemeral", tone: "error", text: "You can't thank yourself: thanks are for the members who helped you." });
    expect(await c.balance("Cat")).toBe(0);
  });

  it("refuses members who joined less than 24 hours ago, saying when they can give", async () => {
    c.clock.set("2026-12-03T09:00:00Z");
    await c.join("Newbie");
    c.clock.advance(3 * HOUR);
    const r = await c.thank("Newbie", "Dan");
    expect(r.text).toBe("New members can give thanks once they have been here 1 day. You can give thanks in 21 hours (Fri 4 Dec, 09:00 UTC).");
    c.clock.advance(21 * HOUR);
    expect((await c.thank("Newbie", "Dan")).tone).toBe("success");
  });

  it("caps a giver at 5 a day, naming the cap and when the oldest leaves the 24 hours", async () => {
    c.clock.set("2026-12-05T09:00:00Z");
    for (let i = 1; i <= 5; i++) {
      expect((await c.thank("Eve", `B${i}`)).tone).toBe("success");
      c.clock.advance(HOUR);
    }
    const r = await c.thank("Eve", "B6");
    expect(r.tone).toBe("error");
    expect(r.text).toBe("You have given 5 thanks in the last 24 hours: the limit is 5 thanks a day. You can thank someone again in 19 hours (Sun 6 Dec, 09:00 UTC).");
    c.clock.advance(19 * HOUR);
    expect((await c.thank("Eve", "B6")).tone).toBe("success");
    expect(await c.db.pointEntry.count({ where: { actorId: c.id("Eve") } })).toBe(6);
  });

  it("caps the same pair at 3 a week", async () => {
    c.clock.set("2026-12-07T09:00:00Z");
    for (let i = 0; i < 3; i++) {
      expect((await c.thank("Fay", "Gus")).tone).toBe("success");
      c.clock.advance(DAY);
    }
    const r = await c.thank("Fay", "Gus");
    expect(r.text).toBe(
      "You have thanked **Gus** 3 times in the last 7 days: one member can thank the same person at most 3 times a week. You can thank them again in 4 days (Mon 14 Dec, 09:00 UTC).",
    );
    c.clock.advance(4 * DAY);
    expect((await c.thank("Fay", "Gus")).tone).toBe("success");
  });

  it("caps a receiver at 20 thanks a day", async () => {
    c.clock.set("2026-12-15T09:00:00Z");
    for (const giver of GIVERS.slice(0, 20)) expect((await c.thank(giver, "Hal")).tone).toBe("success");
    c.clock.advance(30 * 60_000);
    const r = await c.thank("Giver21", "Hal");
    expect(r.text).toBe(
      "**Hal** has received 20 thanks in the last 24 hours: a member can receive at most 20 thanks a day. You can thank them again in 23 hours 30 minutes (Wed 16 Dec, 09:00 UTC).",
    );
    expect(await c.balance("Hal")).toBe(20);
  });

  it("counts a thanks in a question's thread, or naming its number, for the answerer", async () => {
    const question = await c.db.question.create({
      data: { communityId: c.communityId, number: 7, askerId: c.id("Asker"), title: "Why?", details: "...", platform: "playground", spaceId: "playground", channelId: "help", threadId: "t1" },
    });
    const inThread = await c.run("Asker", "thanks", { member: who("Ivy") }, { channelId: "t1" });
    expect(inThread.text).toContain("thanked **Ivy** for their answer on #7 (+1 point)");
    expect((await c.thank("Asker", "Ivy", { question: "#7", reason: "spot on" })).text).toContain("for their answer on #7: “spot on”");
    expect((await c.thank("Jo", "Asker", { question: "7" })).text).toMatch(/^🙏 \*\*Jo\*\* thanked \*\*Asker\*\* on #7 \(\+1 point\)/);
    const replies = await c.db.questionReply.findMany({ where: { questionId: question.id } });
    expect(replies).toEqual([expect.objectContaining({ authorId: c.id("Ivy"), thanks: 2, messageId: "" })]);
    expect((await c.thank("Asker", "Jo", { question: "99" })).text).toBe("There is no question #99 here. Leave `question` out to thank them for something else.");
  });

  it("reads a first word that is not a question number as part of the reason, as Slack's text arrives", async () => {
    const r = await c.thank("Kim", "Lee", { question: "great", reason: "answer, thanks" });
    expect(r.text).toContain("“great answer, thanks”");
  });

  it("echoes the reason without letting it ping or format", async () => {
    const r = await c.thank("Max", "Lee", { reason: "hey [[@U999]] **bold** [x](https://evil.example) @everyone" });
    expect(r.text).not.toContain("[[@U999]]");
    expect(r.text).not.toContain("**bold**");
    expect(r.text).not.toContain("](https://");
  });

  it("refuses a reason longer than the limit", async () => {
    const r = await c.thank("Max", "Kim", { reason: "x".repeat(201) });
    expect(r.text).toBe("`reason` is too long: 201 characters, the limit is 200.");
  });
});

describe.each(backends())("/thanks settings on %s", (kind) => {
  let c: PointsCommunity;
  afterAll(() => c.dispose());

  it("takes every rule from the community's settings", async () => {
    c = await startPoints(kind, ["Ada", "Ben", "Cy"], {
      community: { timezone: "Europe/Berlin", points: { thanks: { points: 3, perGiverPerDay: 1, perReceiverPerDay: 20, perPairPerWeek: 3, minMemberAgeHours: 0 }, announceChannels: {}, levels: [], levelUpChannels: {} } },
    });
    expect((await c.thank("Ada", "Ben")).text).toContain("(+3 points)");
    const r = await c.thank("Ada", "Cy");
    expect(r.text).toBe("You have given 1 thanks in the last 24 hours: the limit is 1 thanks a day. You can thank someone again in 24 hours (Wed 2 Dec, 10:00 CET).");
    await c.join("Fresh");
    expect((await c.thank("Fresh", "Ben")).tone).toBe("success");
  });
});

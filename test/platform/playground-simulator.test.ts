import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { Dispatcher } from "../../src/core/dispatch.js";
import { CommandRegistry } from "../../src/core/registry.js";
import type { Services } from "../../src/core/services.js";
import { PlaygroundChatState } from "../../src/platform/playground/chat-state.js";
import { clockTarget } from "../../src/platform/playground/clock-input.js";
import { runPlayground } from "../../src/platform/playground/playground.js";
import { quietLogger } from "../support/logger.js";
import { PlaygroundClock } from "../../src/platform/playground/clock.js";
import { startPlaygroundApp, waitFor } from "../support/app.js";

/**
 * Issue 10, "the playground becomes a complete simulator": text is posted where you are,
 * threads can be entered and left, buttons pressed, message commands run on messages,
 * private messages shown to whoever they are for, and the clock moved forward.
 */
describe("the playground as a simulator", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  // Monday 7 December 2026, 08:30 UTC: the weekly digest (Mondays 09:00 UTC) is half an hour away.
  const start = new Date("2026-12-07T08:30:00Z");
  beforeAll(async () => {
    // Real time stands still here: at load, the seconds between start and /clock made “9 hours 35 minutes” read 34.
    pg = await startPlaygroundApp({ clock: new PlaygroundClock({ start, realNow: () => 0 }) });
  });
  afterAll(() => pg?.end());

  it("the banner says where you are, that text is posted, and where the walkthrough is", () => {
    expect(pg.printed()).toContain("You are Ada, a member, in #general: text without a slash is posted there");
    expect(pg.printed()).toContain("follow “Try it in ten minutes” at the top of the README");
    expect(pg.printed()).toContain("Payments are simulated: no STRIPE_SECRET_KEY is set");
  });

  it("posts text without a slash in the current channel, as the current member", async () => {
    const out = await pg.type("Hello everyone!");
    expect(out).toContain("[#general] Ada: Hello everyone!  (m1)");
    expect(out).not.toContain("Commands start with a slash. Type /help");
  });

  it("after /ask, the asker is told how to go to the thread; /open enters it and the prompt place changes", async () => {
    const asked = await pg.type("/ask Why does this borrow fail? It says E0502 when I push inside the loop");
    expect(asked).toContain("[#general new thread “Why does this borrow fail?” · /open t1 to go there]");
    await pg.type("/as Bob");
    expect(await pg.type("/open t1")).toContain("You are in the thread “Why does this borrow fail?” in #general. What you type is posted here; /back leaves.");
    expect(await pg.type("Collect the items first, then push after the loop.")).toContain("[#general thread “Why does this borrow fail?”] Bob: Collect the items first, then push after the loop.  (m2)");
  });

  it("a message in a question's thread counts as a reply, as on the platforms", async () => {
    expect(await pg.type("/questions")).toContain("open, 1 reply");
  });

  it("/accept runs “Accept answer” on a message, as the asker", async () => {
    await pg.type("/as Ada");
    const out = await pg.type("/accept m2");
    expect(out).toContain("✅ Accepted Bob's answer to #1 “Why does this borrow fail?”. They earn 15 points; you earn 2 for asking.");
    expect(out).toContain("✅ solved]");
  });

  it("/apps lists the message commands for a message, and refuses unknown handles with the way to find them", async () => {
    expect(await pg.type("/apps m2")).toContain("Accept answer: Accept this reply as the answer to your question");
    expect(await pg.type("/accept m99")).toContain("There is no message “m99” in this playground run.");
    expect(await pg.type("/accept")).toContain("Which message? Give its handle, like /accept m3.");
  });

  it("/back leaves the thread; /open #channel and /back again", async () => {
    await pg.type("/open t1");
    expect(await pg.type("/back")).toContain("You are back in #general.");
    expect(await pg.type("/open #announcements")).toContain("You are in #announcements.");
    expect(await pg.type("/back")).toContain("You are back in #general.");
    expect(await pg.type("/open t9")).toContain("There is no thread “t9” in this playground run.");
  });

  it("buttons show a handle, and /press presses one as the current member", async () => {
    await pg.type("/as Grace --creator");
    const scheduled = await pg.type("/live schedule \"Office hours\" 2026-12-08 18:00 1h");
    const handle = /\[ RSVP \] \/press (b\d+)/.exec(scheduled)?.[1];
    expect(handle, scheduled).toBeDefined();
    await pg.type("/as Ada");
    const pressed = await pg.type(`/press ${handle!}`);
    expect(pressed).toContain("Ada pressed [ RSVP ]");
    expect(pressed).toContain("You're in for Office hours (#1)");
    expect(await pg.type("/press b999")).toContain("There is no button “b999”");
    // A label presses the newest button with it: RSVP again cancels, and once more is back in.
    expect(await pg.type("/press RSVP")).toContain("RSVP cancelled for Office hours (#1).");
    expect(await pg.type("/press rsvp")).toContain("You're in for Office hours (#1)");
  });

  it("/clock shows the playground's time and refuses to go back", async () => {
    expect(await pg.type("/clock")).toContain("Playground time: Mon 7 Dec 2026, 08:30 (UTC)");
    expect(await pg.type("/clock -1d")).toContain("The playground's clock only moves forward, as time does on a real server.");
    expect(await pg.type("/clock 2026-12-01 10:00")).toContain("is not after the playground's time");
    expect(await pg.type("/clock next week")).toContain("“next week” is not a time I can read.");
  });

  it("moving the clock runs what falls due: the digest at 09:00, then the RSVP reminder as a private message to Ada", async () => {
    const out = await pg.type("/clock 2026-12-07 18:05", 60_000);
    expect(out).toContain("Moving the clock forward 9 hours 35 minutes, to Mon 7 Dec 2026, 18:05 (UTC)…");
    expect(out).not.toContain("── ");
    expect(out).toContain("== 📬 Weekly digest: Playground ==");
    expect(out).toContain("🔒 to Ada (private):\n  Reminder: Office hours (#1) starts in 24 hours, at 2026-12-08 18:00 UTC.");
    expect(out.indexOf("Weekly digest")).toBeLessThan(out.indexOf("🔒 to Ada"));
    expect(out).toContain("Playground time: Mon 7 Dec 2026, 18:05 (UTC).");
  });

  it("the event goes live when the clock passes its start", async () => {
    const out = await pg.type("/clock +1d", 60_000);
    // A separator for the new day, before what happens on it.
    expect(out).toContain("── Tue 8 Dec 2026 ──");
    expect(out.indexOf("── Tue 8 Dec 2026 ──")).toBeLessThan(out.indexOf("Reminder: Office hours (#1) starts in 15 minutes"));
    expect(out).toContain("🔒 to Ada (private):\n  Reminder: Office hours (#1) starts in 15 minutes");
    expect(out).toMatch(/\[#general\]\n {2}== 🔴 Live now: Office hours/);
  });

  it("a member mentioned before they ever act is shown by the name as typed", async () => {
    await pg.type("/as Ada");
    await pg.type("/ask How do I read a file lazily? I tried read_to_string and it loads it all");
    await pg.type("/as Grace --creator");
    const out = await pg.type("/solved 2 @Zoë");
    expect(out).toContain("@Zoë");
    expect(out).not.toContain("@zoë");
  });

  it("/help lists the playground's commands, and /help <name> explains each", async () => {
    const help = await pg.type("/help");
    for (const line of ["/open <thread or #channel>", "/back", "/press <button>", "/accept <message>", "/clock [+1d | +2h | date time]", "(text without a slash)"]) expect(help).toContain(line);
    expect(await pg.type("/help clock")).toContain("Scheduled work happens as the clock passes it");
    expect(await pg.type("/help press")).toContain("Press a button, as the member you act as.");
    expect(await pg.type("/help open")).toContain("Go into a thread by its handle (t1)");
    expect(await pg.type("/help accept")).toContain("Run “Accept answer” on a reply in your question's thread");
    expect(await pg.type("/help back")).toContain("Leave the thread you are in");
    expect(await pg.type("/help messages")).toContain("Type without a slash to post a message where you are");
  });
});

describe("the playground's clock", () => {
  const now = new Date("2026-12-07T08:30:00Z");

  it.each([
    ["+1d", "2026-12-08T08:30:00.000Z"],
    ["+2h", "2026-12-07T10:30:00.000Z"],
    ["+1d 6h", "2026-12-08T14:30:00.000Z"],
    ["+90m", "2026-12-07T10:00:00.000Z"],
    ["+1w", "2026-12-14T08:30:00.000Z"],
    ["+2 days", "2026-12-09T08:30:00.000Z"],
    // A month is a calendar month, as a monthly membership's period is.
    ["+1 month", "2027-01-07T08:30:00.000Z"],
    ["+2mo 1d", "2027-02-08T08:30:00.000Z"],
    ["2026-12-24 17:55", "2026-12-24T17:55:00.000Z"],
    ["2026-12-24", "2026-12-24T00:00:00.000Z"],
  ])("/clock %s moves it to %s", (text, expected) => {
    expect(clockTarget(text, now)).toEqual({ at: new Date(expected) });
  });

  it.each([
    ["-1h", "only moves forward"],
    ["+0h", "Moving the clock by nothing"],
    ["+2y", "is not an amount of time I can read"],
    ["2026-02-30 10:00", "is not a time I can read"],
    ["2026-12-07 08:00", "is not after the playground's time"],
    ["+400d", "more than a year"],
    ["+13 months", "more than a year"],
  ])("/clock %s is refused: %s", (text, why) => {
    const result = clockTarget(text, now);
    expect("error" in result && result.error).toContain(why);
  });

  it("keeps its lead over real time in its file, so a restart does not turn it back", () => {
    const file = join(mkdtempSync(join(tmpdir(), "gh-clock-")), "playground-clock.json");
    let real = Date.parse("2026-12-07T08:00:00Z");
    const clock = new PlaygroundClock({ file, realNow: () => real });
    clock.runFrom(new Date("2026-12-09T08:00:00Z"));
    real += 60_000;
    const restarted = new PlaygroundClock({ file, realNow: () => real });
    expect(restarted.now().toISOString()).toBe("2026-12-09T08:01:00.000Z");
  });
});

describe("the playground's prompt", () => {
  it("shows who you are and where: the channel, and the thread once you open one", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let text = "";
    output.on("data", (c) => (text += String(c)));
    const chat = new PlaygroundChatState();
    chat.openThread("general", "Why does this borrow fail?");
    // Moving between places never reaches the dispatcher, so none is needed here.
    const run = runPlayground({ dispatcher: new Dispatcher({} as Services, quietLogger()), registry: new CommandRegistry(), input, output, log: quietLogger(), banner: "hi", chat });
    expect(text).toContain("Ada (member) #general › ");
    input.write("/open t1\r");
    await waitFor(() => text.includes("“Why does this borrow fail?” › "), 5_000);
    expect(text).toContain("Ada (member) #general › “Why does this borrow fail?” › ");
    input.write("/back\r");
    await waitFor(() => text.includes("You are back in #general."), 5_000);
    run.close();
    await run.done;
  });
});

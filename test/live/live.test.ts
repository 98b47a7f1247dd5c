import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { time } from "../../src/core/markup.js";
import type { ScheduledWork } from "../../src/generated/prisma/client.js";
import type { RawOptions } from "../../src/core/options.js";
import { ManualClock } from "../support/community.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { RecordingChat } from "../support/recording-chat.js";
import { clearSchedule, dmsTo, everywhere, memberWithDm, type Process, startProcess } from "./support.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = new Date("2026-12-03T18:00:00Z");

const live = (p: Process, as: string, subcommand: string, options: RawOptions = {}, level: "member" | "creator" = "creator") => p.run(as, "live", options, { subcommand, level });
const officeHours = (p: Process, options: RawOptions = {}) =>
  live(p, "Cleo", "schedule", { title: "Office hours", start: "2026-12-03 18:00", duration: "1h30m", link: "https://meet.example.com/office", ...options });

describe.each(backends())("live events (%s)", (kind) => {
  let database: TestDatabase;
  const clock = new ManualClock();
  const db = () => database.prisma;
  const event = (number = 1) => db().liveEvent.findFirstOrThrow({ where: { number } });
  /** An event's work items by the last part of their key ("reminder-24h", "go-live"). */
  const work = async (eventId: string): Promise<Record<string, ScheduledWork>> =>
    Object.fromEntries((await db().scheduledWork.findMany({ where: { key: { startsWith: `live:${eventId}:` } } })).map((w) => [w.key.split(":")[2]!, w]));

  beforeAll(async () => {
    database = await freshDatabase(kind);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    clock.set("2026-12-01T09:00:00Z");
    await clearSchedule(db());
  });

  it("schedules an event: an announcement with an RSVP button, two reminders and the go-live, all stored", async () => {
    const p = startProcess(db(), clock);
    const answer = await officeHours(p, { description: "Bring your questions." });
    const e = await event();
    expect(answer.tone).toBe("success");
    expect(answer.text).toContain(`Live #1 **Office hours** is scheduled for ${time(START)} (Thu 3 Dec 2026, 18:00 (UTC)), 1 h 30 min.`);
    expect(answer.text).toContain("No announcement channel is configured");

    expect(p.chat.posts).toHaveLength(1);
    const post = p.chat.posts[0]!;
    expect(post).toMatchObject({ kind: "post", channelId: "general" });
    expect(post.message.title).toBe("Live #1: Office hours");
    expect(post.message.text).toContain("Bring your questions.");
    expect(post.message.text).toContain(`**When:** ${time(START)} · 1 h 30 min`);
    expect(post.message.text).not.toContain("meet.example.com"); // the link comes at the start
    expect(post.message.buttons).toEqual([{ label: "RSVP", action: "live-rsvp", value: e.id, style: "primary" }]);

    const items = await work(e.id);
    expect(Object.keys(items).sort()).toEqual(["go-live", "reminder-15m", "reminder-24h"]);
    expect(items["reminder-24h"]!.runAt).toEqual(new Date(START.getTime() - 24 * HOUR));
    expect(items["reminder-15m"]!.runAt).toEqual(new Date(START.getTime() - 15 * MINUTE));
    expect(items["go-live"]!.runAt).toEqual(START);
  });

  it("toggles an RSVP with the button and answers privately", async () => {
    const p = startProcess(db(), clock);
    await officeHours(p);
    const e = await event();
    const going = await p.click("Ada", "live-rsvp", e.id);
    expect(going.visibility).toBe("ephemeral");
    expect(going.text).toContain("You're in for **Office hours** (#1)");
    expect(going.text).toContain("I'll remind you 24 hours and 15 minutes before");
    expect(await db().liveRsvp.count({ where: { eventId: e.id } })).toBe(1);
    const cancelled = await p.click("Ada", "live-rsvp", e.id);
    expect(cancelled.text).toContain("RSVP cancelled");
    expect(await db().liveRsvp.count({ where: { eventId: e.id } })).toBe(0);
    // Where there are no buttons (the playground, an old message scrolled away), by number.
    expect((await live(p, "Ada", "rsvp", { event: 1 }, "member")).text).toContain("You're in");
    expect((await live(p, "Ada", "rsvp", { event: 7 }, "member")).text).toContain("There is no live event #7");
  });

  it("reminds everyone who RSVPed 24 hours and 15 minutes before, once each, then posts the link when it starts", async () => {
    const p = startProcess(db(), clock);
    await officeHours(p);
    const e = await event();
    for (const name of ["Ada", "Grace", "Linus"]) await memberWithDm(p, name);
    await p.click("Ada", "live-rsvp", e.id);
    await p.click("Grace", "live-rsvp", e.id);

    clock.set(new Date(START.getTime() - 24 * HOUR - MINUTE));
    await p.services.work.runDue();
    expect(p.dms).toHaveLength(0);

    clock.set(new Date(START.getTime() - 24 * HOUR));
    await p.services.work.runDue();
    expect(dmsTo(p, "Ada")).toEqual([`Reminder: **Office hours** (#1) starts in 24 hours, at ${time(START)}.\nJoin here: https://meet.example.com/office`]);
    expect(dmsTo(p, "Grace")).toHaveLength(1);
    expect(dmsTo(p, "Linus")).toHaveLength(0);

    // A second process whose claim on the same item ran out must not remind anyone again.
    await db().scheduledWork.updateMany({ where: { key: `live:${e.id}:reminder-24h` }, data: { status: "pending" } });
    await startProcess(db(), clock).services.work.runDue();
    expect(p.dms).toHaveLength(2);

    clock.set(new Date(START.getTime() - 15 * MINUTE));
    await p.services.work.runDue();
    expect(dmsTo(p, "Ada").at(-1)).toContain("starts in 15 minutes");
    expect(p.dms).toHaveLength(4);

    const before = p.chat.posts.length;
    clock.set(START);
    await p.services.work.runDue();
    const wentLive = p.chat.posts.slice(before);
    expect(wentLive).toHaveLength(1);
    expect(wentLive[0]!.message.title).toBe("🔴 Live now: Office hours");
    expect(wentLive[0]!.message.text).toContain("Join here: https://meet.example.com/office");
    expect(wentLive[0]!.message.links).toEqual([{ label: "Join", url: "https://meet.example.com/office" }]);
    expect(await event()).toMatchObject({ status: "live", wentLiveAt: START });
  });

  it("posts 'live now' once even when two processes run the go-live at the same moment", async () => {
    const first = startProcess(db(), clock);
    const second = startProcess(db(), clock);
    await live(first, "Cleo", "schedule", { title: "Launch stream", start: "2026-12-01 10:00", duration: "1h" });
    const e = await event();
    clock.set("2026-12-01T10:00:00Z");
    await Promise.all([first.services.work.runDue(), second.services.work.runDue()]);
    // And again as if a crashed holder's lease had run out after it posted.
    await db().scheduledWork.updateMany({ where: { key: `live:${e.id}:go-live` }, data: { status: "pending" } });
    await Promise.all([first.services.work.runDue(), second.services.work.runDue()]);
    const posts = [...first.chat.texts(), ...second.chat.texts()].filter((t) => t.includes("Live now"));
    expect(posts).toEqual(["🔴 Live now: Launch stream | Join us now.\nUntil " + time(new Date("2026-12-01T11:00:00Z")) + "."]);
  });

  it("cancels an event: members who RSVPed are told, a notice is posted, and no reminder or go-live follows", async () => {
    const p = startProcess(db(), clock);
    await officeHours(p);
    const e = await event();
    await memberWithDm(p, "Ada");
    await p.click("Ada", "live-rsvp", e.id);

    const answer = await live(p, "Cleo", "cancel", { event: 1, reason: "The host is ill" });
    expect(answer.text).toContain("Cancelled #1 **Office hours**");
    expect(answer.text).toContain("Told 1 member who RSVPed");
    expect(dmsTo(p, "Ada")).toEqual([`**Office hours** (#1), planned for ${time(START)}, is cancelled. You will get no reminders for it.\nReason: The host is ill`]);
    expect(p.chat.texts().at(-1)).toContain("Cancelled: Office hours");
    expect(Object.values(await work(e.id)).map((w) => w.status)).toEqual(["cancelled", "cancelled", "cancelled"]);

    const posts = p.chat.posts.length;
    clock.set(new Date(START.getTime() + MINUTE));
    expect(await p.services.work.runDue()).toBe(0);
    expect(p.dms).toHaveLength(1);
    expect(p.chat.posts).toHaveLength(posts);
    expect((await p.click("Grace", "live-rsvp", e.id)).text).toContain("was cancelled");
    expect((await live(p, "Cleo", "cancel", { event: 1 })).text).toContain("was cancelled");
  });

  it("edits an event: the reminders move with the start, and members who RSVPed are told what changed", async () => {
    const p = startProcess(db(), clock);
    await officeHours(p);
    const e = await event();
    await memberWithDm(p, "Ada");
    await p.click("Ada", "live-rsvp", e.id);

    const moved = new Date("2026-12-05T18:00:00Z");
    const answer = await live(p, "Cleo", "edit", { event: 1, start: "2026-12-05 18:00", duration: "2h" });
    expect(answer.text).toContain("Told 1 member who RSVPed");
    expect(dmsTo(p, "Ada")[0]).toContain(`• Starts: ${time(START)} → ${time(moved)}`);
    expect(dmsTo(p, "Ada")[0]).toContain("• Length: 1 h 30 min → 2 h");
    expect(p.chat.posts.at(-1)!.message.text).toContain("**Updated:**");
    expect(p.chat.posts.at(-1)!.message.buttons?.[0]?.value).toBe(e.id);
    const items = await work(e.id);
    expect(items["reminder-24h"]!.runAt).toEqual(new Date(moved.getTime() - 24 * HOUR));
    expect(items["go-live"]!.runAt).toEqual(moved);

    clock.set(START); // the old start: nothing happens
    await p.services.work.runDue();
    expect(dmsTo(p, "Ada")).toHaveLength(1);
    clock.set(new Date(moved.getTime() - 24 * HOUR));
    await p.services.work.runDue();
    expect(dmsTo(p, "Ada").at(-1)).toContain(`starts in 24 hours, at ${time(moved)}`);

    expect((await live(p, "Cleo", "edit", { event: 1 })).text).toContain("Give at least one thing to change");
    expect((await live(p, "Ada", "edit", { event: 1, title: "Mine now" }, "member")).text).toContain("Only creators");
  });

  it("skips the 24-hour reminder of an event that starts sooner, and says which reminder is left", async () => {
    const p = startProcess(db(), clock);
    await live(p, "Cleo", "schedule", { title: "Quick Q&A", start: "2026-12-01 20:00", duration: "45m" });
    const e = await event();
    expect(Object.keys(await work(e.id)).sort()).toEqual(["go-live", "reminder-15m"]);
    expect((await p.click("Ada", "live-rsvp", e.id)).text).toContain("I'll remind you 15 minutes before");
  });

  it("takes RSVPs to a tier-restricted event only from members with access, and says so in the announcement", async () => {
    const p = startProcess(db(), clock);
    const community = await p.services.identity.communityFor("playground", { id: "playground", name: "Playground" });
    const item = await db().catalogItem.create({
      data: { communityId: community.id, name: "async-rust", title: "Async Rust", description: "", stripePriceId: "price_1", stripeProductId: "prod_1", mode: "subscription", currency: "eur", unitAmount: 2900, interval: "month", discordRoleIds: [], slackChannelIds: [] },
    });
    const answer = await officeHours(p, { tier: "async-rust" });
    expect(answer.text).toContain("Only members with **Async Rust** can RSVP.");
    expect(p.chat.posts[0]!.message.text).toContain("Only members with **Async Rust** can RSVP (get it with `/buy async-rust`).");
    const e = await event();

    const refused = await p.click("Ada", "live-rsvp", e.id);
    expect(refused.tone).toBe("error");
    expect(refused.text).toContain("is for members with **Async Rust**");
    expect(refused.text).toContain("/buy async-rust");

    const ada = await memberWithDm(p, "Ada");
    await db().entitlement.create({ data: { communityId: community.id, memberId: ada, itemId: item.id, source: "manual", sourceRef: "test", startsAt: clock.now() } });
    expect((await p.click("Ada", "live-rsvp", e.id)).text).toContain("You're in");
    expect((await p.click("Cleo", "live-rsvp", e.id, "creator")).text).toContain("You're in");
    expect((await live(p, "Cleo", "schedule", { title: "x", start: "2026-12-03 18:00", duration: "1h", tier: "nope" })).text).toContain("nothing called “nope”");
  });

  it("numbers events per community, also when several are scheduled at once", async () => {
    const p = startProcess(db(), clock);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => live(p, "Cleo", "schedule", { title: `Session ${i}`, start: `2026-12-0${i + 1} 18:00`, duration: "1h" })));
    const numbers = (await db().liveEvent.findMany({ select: { number: true } })).map((e) => e.number).sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("lists upcoming events with their times, RSVP counts and the member's own RSVP", async () => {
    const p = startProcess(db(), clock);
    expect((await live(p, "Ada", "list", {}, "member")).text).toContain("No live events are coming up.");
    await officeHours(p);
    await live(p, "Cleo", "schedule", { title: "Launch stream", start: "2026-12-02 12:00", duration: "30m" });
    await live(p, "Cleo", "schedule", { title: "Gone", start: "2026-12-04 12:00", duration: "30m" });
    await live(p, "Cleo", "cancel", { event: 3 });
    await p.click("Ada", "live-rsvp", (await event(1)).id);
    await p.click("Grace", "live-rsvp", (await event(1)).id);

    const list = await live(p, "Ada", "list", {}, "member");
    expect(list.text).toBe(
      [`**#2 Launch stream**: ${time(new Date("2026-12-02T12:00:00Z"))} · 30 min\n0 going`, `**#1 Office hours**: ${time(START)} · 1 h 30 min\n2 going · you're going ✅`].join("\n\n"),
    );
    expect(list.buttons?.map((b) => b.label)).toEqual(["RSVP #2", "Cancel RSVP #1"]);

    clock.set("2026-12-02T12:10:00Z");
    expect((await live(p, "Ada", "list", {}, "member")).text).toContain("🔴 **live now**");
    clock.set("2026-12-02T12:30:00Z");
    expect((await live(p, "Ada", "list", {}, "member")).text).not.toContain("Launch stream");
  });

  it("reads the start in the community's zone across a daylight-saving change, moves a skipped time past the jump and refuses what cannot be", async () => {
    const p = startProcess(db(), clock, { timezone: "Europe/Berlin" });
    clock.set("2026-03-27T12:00:00Z");
    const answer = await live(p, "Cleo", "schedule", { title: "Spring", start: "2026-03-29 18:00", duration: "1h" });
    expect(answer.text).toContain("Sun 29 Mar 2026, 18:00 (Europe/Berlin)");
    const e = await event();
    expect(e.startsAt).toEqual(new Date("2026-03-29T16:00:00Z"));
    // 24 real hours before: 17:00 on Saturday in Berlin, still winter time.
    expect((await work(e.id))["reminder-24h"]!.runAt).toEqual(new Date("2026-03-28T16:00:00Z"));

    const skipped = await live(p, "Cleo", "schedule", { title: "Night owl", start: "2026-03-29 02:30", duration: "1h" });
    expect(skipped.text).toContain("does not exist in Europe/Berlin");
    expect(skipped.text).toContain("so I took 03:30, just after the change");
    expect(skipped.text).toContain("Sun 29 Mar 2026, 03:30 (Europe/Berlin)");
    const past = await live(p, "Cleo", "schedule", { title: "Yesterday", start: "2026-03-26 18:00", duration: "1h" });
    expect(past.text).toContain("has already passed");
    const long = await live(p, "Cleo", "schedule", { title: "Marathon", start: "2026-03-30 18:00", duration: "13h" });
    expect(long.text).toContain("between 5 minutes and 12 hours");
    expect((await live(p, "Ada", "schedule", { title: "Mine", start: "2026-03-30 18:00", duration: "1h" }, "member")).text).toContain("Only creators");
    expect(await db().liveEvent.count()).toBe(2);
  });

  it("announces in the announcement channels of every platform and goes live in the same places", async () => {
    const discord = new RecordingChat("discord");
    const slack = new RecordingChat("slack");
    const p = startProcess(db(), clock, everywhere(), { discord, slack });
    const answer = await officeHours(p);
    expect(answer.text).toContain("Announced in the Discord announcement channel and the Slack announcement channel");
    clock.set(START);
    await p.services.work.runDue();
    for (const chat of [discord, slack]) expect(chat.texts().map((t) => t.split(" | ")[0])).toEqual(["Live #1: Office hours", "🔴 Live now: Office hours"]);
    expect(p.chat.posts).toHaveLength(0);
  });
});

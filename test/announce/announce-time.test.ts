import { describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/core/errors.js";
import { time, toDiscordMarkdown, toPlainText, toSlackMrkdwn } from "../../src/core/markup.js";
import { formatDateTime } from "../../src/core/zoned-time.js";
import { expandInlineTimes, parseDuration, parseTime } from "../../src/announce/time-input.js";

const NOW = new Date("2026-03-20T12:00:00Z");
const at = (text: string, zone: string, now = NOW) => parseTime(text, zone, now, "start").at.toISOString();

function refusal(work: () => unknown): UserFacingError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("reading a start time in the community's time zone", () => {
  it("reads the same wall time on either side of Berlin's spring-forward day", () => {
    expect(at("2026-03-28 18:00", "Europe/Berlin")).toBe("2026-03-28T17:00:00.000Z"); // CET, UTC+1
    expect(at("2026-03-29 18:00", "Europe/Berlin")).toBe("2026-03-29T16:00:00.000Z"); // CEST, UTC+2
    expect(at("2026-03-29 01:59", "Europe/Berlin")).toBe("2026-03-29T00:59:00.000Z");
    expect(at("2026-03-29 03:00", "Europe/Berlin")).toBe("2026-03-29T01:00:00.000Z");
  });

  it("moves a time the clocks skip forward by the jump, saying why", () => {
    const berlin = parseTime("2026-03-29 02:30", "Europe/Berlin", NOW, "start");
    expect(berlin.at.toISOString()).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    expect(berlin.note).toContain("does not exist in Europe/Berlin");
    expect(berlin.note).toContain("1 hour");
    expect(berlin.note).toContain("I took 03:30");
    const newYork = parseTime("2026-03-08 02:30", "America/New_York", new Date("2026-03-01T00:00:00Z"), "start");
    expect(newYork.at.toISOString()).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
  });

  it("names a half-hour jump as such (Lord Howe Island)", () => {
    // Lord Howe goes from UTC+10:30 to UTC+11 at 02:00 on 4 October 2026: 02:15 is 02:45, 15:45 UTC the day before.
    const parsed = parseTime("2026-10-04 02:15", "Australia/Lord_Howe", new Date("2026-09-01T00:00:00Z"), "start");
    expect(parsed.note).toContain("30 minutes");
    expect(parsed.at.toISOString()).toBe("2026-10-03T15:45:00.000Z");
  });

  it("takes the first of a repeated time when the clocks go back, and says so", () => {
    const before = new Date("2026-10-01T00:00:00Z");
    const berlin = parseTime("2026-10-25 02:30", "Europe/Berlin", before, "start");
    expect(berlin.at.toISOString()).toBe("2026-10-25T00:30:00.000Z"); // still CEST; the second 02:30 is 01:30Z
    expect(berlin.note).toContain("happens twice");
    const newYork = parseTime("2026-11-01 01:30", "America/New_York", before, "start");
    expect(newYork.at.toISOString()).toBe("2026-11-01T05:30:00.000Z"); // EDT, before the change
    expect(parseTime("2026-10-25 04:00", "Europe/Berlin", before, "start").note).toBeUndefined();
  });

  it("reads tomorrow as the community's tomorrow, across midnight and a DST change", () => {
    // 23:30 UTC on the 28th is already 00:30 on the 29th in Berlin: tomorrow is the 30th (CEST).
    expect(at("tomorrow 18:00", "Europe/Berlin", new Date("2026-03-28T23:30:00Z"))).toBe("2026-03-30T16:00:00.000Z");
    expect(at("tomorrow 18:00", "UTC", new Date("2026-03-28T23:30:00Z"))).toBe("2026-03-29T18:00:00.000Z");
    expect(at("today 23:00", "Asia/Tokyo", new Date("2026-03-20T00:00:00Z"))).toBe("2026-03-20T14:00:00.000Z");
  });

  it("takes an ISO time with its own offset as it is", () => {
    expect(at("2026-03-29T18:00+02:00", "America/New_York")).toBe("2026-03-29T16:00:00.000Z");
    expect(at("2026-03-29T16:00:00Z", "Europe/Berlin")).toBe("2026-03-29T16:00:00.000Z");
    expect(at("2026-03-29T18:00+0200", "UTC")).toBe("2026-03-29T16:00:00.000Z");
  });

  it("refuses times in the past, impossible dates, more than a year ahead, and what it cannot read", () => {
    expect(refusal(() => parseTime("2026-03-20 11:59", "UTC", NOW, "start")).code).toBe("time_in_past");
    expect(refusal(() => parseTime("2026-03-20 12:00", "UTC", NOW, "start")).code).toBe("time_in_past");
    expect(refusal(() => parseTime("2026-02-30 10:00", "UTC", NOW, "start")).code).toBe("unreadable_time");
    expect(refusal(() => parseTime("2026-04-01 24:00", "UTC", NOW, "start")).code).toBe("unreadable_time");
    expect(refusal(() => parseTime("2027-06-01 10:00", "UTC", NOW, "start")).code).toBe("time_too_far");
    const unreadable = refusal(() => parseTime("next friday", "UTC", NOW, "at"));
    expect(unreadable.message).toContain("`at`");
    expect(unreadable.message).toContain("tomorrow 18:00");
  });

  it("describes an instant in the community's zone for confirmations", () => {
    expect(formatDateTime(new Date("2026-03-29T16:00:00Z"), "Europe/Berlin")).toBe("Sun 29 Mar 2026, 18:00 (Europe/Berlin)");
  });
});

describe("reading a duration", () => {
  it("reads minutes, hours and both", () => {
    expect(parseDuration("90m")).toBe(90);
    expect(parseDuration("1h30m")).toBe(90);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("2h")).toBe(120);
    expect(parseDuration("45min")).toBe(45);
  });

  it("keeps events between 5 minutes and 12 hours", () => {
    expect(parseDuration("5m")).toBe(5);
    expect(parseDuration("12h")).toBe(720);
    expect(refusal(() => parseDuration("4m")).code).toBe("duration_out_of_range");
    expect(refusal(() => parseDuration("12h1m")).code).toBe("duration_out_of_range");
    expect(refusal(() => parseDuration("an hour")).code).toBe("unreadable_duration");
    expect(refusal(() => parseDuration("90")).code).toBe("unreadable_duration");
  });
});

describe("time tokens", () => {
  const moment = new Date("2026-03-29T16:00:00Z");
  const unix = moment.getTime() / 1000;

  it("render in each reader's zone on Discord and Slack, and in UTC as plain text", () => {
    const text = `**Starts:** ${time(moment)} <b>`;
    expect(toDiscordMarkdown(text)).toBe(`**Starts:** <t:${unix}:F> <b>`);
    expect(toSlackMrkdwn(text)).toBe(`*Starts:* <!date^${unix}^{date_long_pretty} at {time}|2026-03-29 16:00 UTC> &lt;b&gt;`);
    expect(toPlainText(text)).toBe("Starts: 2026-03-29 16:00 UTC <b>");
  });

  it("are written into announcements from times in braces, in the community's zone", () => {
    const text = expandInlineTimes("Doors open {2026-03-29 18:00}; bring {snacks}.", "Europe/Berlin", NOW, "message");
    expect(text).toBe(`Doors open ${time(moment)}; bring {snacks}.`);
    // 02:30 is skipped in Berlin that night: moved forward by the jump, to 03:30 CEST (01:30 UTC).
    expect(expandInlineTimes("See you {2026-03-29 02:30}", "Europe/Berlin", NOW, "message")).toBe(`See you ${time(new Date("2026-03-29T01:30:00Z"))}`);
  });
});

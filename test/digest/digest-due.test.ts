import { describe, expect, it } from "vitest";
import { type DigestSchedule, lastDueSlot, nextDueSlot, previousSlot } from "../../src/digest/due.js";

const iso = (d: Date | undefined) => d?.toISOString();
const daily = (hour: number): DigestSchedule => ({ cadence: "daily", weekday: 1, hour });
const weekly = (weekday: number, hour: number): DigestSchedule => ({ cadence: "weekly", weekday, hour });

describe("when a daily digest is due", () => {
  it("is the community's hour in its own time zone: 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer", () => {
    expect(iso(lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-12-02T10:30:00Z")))).toBe("2026-12-02T08:00:00.000Z");
    expect(iso(lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-07-02T10:30:00Z")))).toBe("2026-07-02T07:00:00.000Z");
    // Before today's hour, the due slot is yesterday's.
    expect(iso(lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-12-02T07:59:59Z")))).toBe("2026-12-01T08:00:00.000Z");
    // Exactly at the hour it is due.
    expect(iso(lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-12-02T08:00:00Z")))).toBe("2026-12-02T08:00:00.000Z");
  });

  it("keeps its wall-clock hour across Berlin's spring-forward night (29 March 2026)", () => {
    // 28 March 09:00 CET is 08:00 UTC; 29 March 09:00 CEST is 07:00 UTC: the day between is 23 hours.
    const sunday = lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-03-29T12:00:00Z"));
    expect(iso(sunday)).toBe("2026-03-29T07:00:00.000Z");
    expect(iso(previousSlot(daily(9), "Europe/Berlin", sunday!))).toBe("2026-03-28T08:00:00.000Z");
    // At 07:30 UTC on the 29th it is 09:30 in Berlin: today's digest is already due.
    expect(iso(lastDueSlot(daily(9), "Europe/Berlin", new Date("2026-03-29T07:30:00Z")))).toBe("2026-03-29T07:00:00.000Z");
  });

  it("is due just after the jump when its hour does not exist that night (02:00 in Berlin on 29 March)", () => {
    // 02:00 to 03:00 is skipped: the slot is 03:00 CEST, 01:00 UTC.
    expect(iso(lastDueSlot(daily(2), "Europe/Berlin", new Date("2026-03-29T06:00:00Z")))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(nextDueSlot(daily(2), "Europe/Berlin", new Date("2026-03-28T12:00:00Z")))).toBe("2026-03-29T01:00:00.000Z");
  });

  it("is due once, at the earlier occurrence, when its hour happens twice (02:00 in Berlin on 25 October)", () => {
    // 02:00 CEST (00:00 UTC) comes first; the clocks go back at 03:00 CEST and show 02:00 again at 01:00 UTC.
    const slot = lastDueSlot(daily(2), "Europe/Berlin", new Date("2026-10-25T06:00:00Z"));
    expect(iso(slot)).toBe("2026-10-25T00:00:00.000Z");
    expect(iso(previousSlot(daily(2), "Europe/Berlin", slot!))).toBe("2026-10-24T00:00:00.000Z");
    expect(iso(nextDueSlot(daily(2), "Europe/Berlin", slot!))).toBe("2026-10-26T01:00:00.000Z");
  });

  it("follows New York's own change dates (8 March and 1 November 2026), not Europe's", () => {
    expect(iso(lastDueSlot(daily(8), "America/New_York", new Date("2026-03-07T15:00:00Z")))).toBe("2026-03-07T13:00:00.000Z");
    expect(iso(lastDueSlot(daily(8), "America/New_York", new Date("2026-03-08T15:00:00Z")))).toBe("2026-03-08T12:00:00.000Z");
    // On 29 March Berlin has changed and New York had changed three weeks before: still 12:00 UTC.
    expect(iso(lastDueSlot(daily(8), "America/New_York", new Date("2026-03-29T15:00:00Z")))).toBe("2026-03-29T12:00:00.000Z");
    expect(iso(lastDueSlot(daily(8), "America/New_York", new Date("2026-11-01T15:00:00Z")))).toBe("2026-11-01T13:00:00.000Z");
  });

  it("is never due when digests are off", () => {
    const off: DigestSchedule = { cadence: "off", weekday: 1, hour: 9 };
    expect(lastDueSlot(off, "UTC", new Date("2026-12-02T10:00:00Z"))).toBeUndefined();
    expect(nextDueSlot(off, "UTC", new Date("2026-12-02T10:00:00Z"))).toBeUndefined();
  });
});

describe("when a weekly digest is due", () => {
  it("is the last Monday 09:00 in Berlin, and the period before it is a week", () => {
    // Wednesday 2 December 2026: the last Monday was 30 November.
    const slot = lastDueSlot(weekly(1, 9), "Europe/Berlin", new Date("2026-12-02T10:00:00Z"));
    expect(iso(slot)).toBe("2026-11-30T08:00:00.000Z");
    expect(iso(previousSlot(weekly(1, 9), "Europe/Berlin", slot!))).toBe("2026-11-23T08:00:00.000Z");
    expect(iso(nextDueSlot(weekly(1, 9), "Europe/Berlin", new Date("2026-12-02T10:00:00Z")))).toBe("2026-12-07T08:00:00.000Z");
    // Monday before 09:00 Berlin: still the previous Monday.
    expect(iso(lastDueSlot(weekly(1, 9), "Europe/Berlin", new Date("2026-12-07T07:59:00Z")))).toBe("2026-11-30T08:00:00.000Z");
  });

  it("spans Berlin's autumn change: a week of 169 hours from Monday 19 to Monday 26 October", () => {
    const slot = lastDueSlot(weekly(1, 9), "Europe/Berlin", new Date("2026-10-26T09:00:00Z"));
    expect(iso(slot)).toBe("2026-10-26T08:00:00.000Z");
    const before = previousSlot(weekly(1, 9), "Europe/Berlin", slot!);
    expect(iso(before)).toBe("2026-10-19T07:00:00.000Z");
    expect((slot!.getTime() - before!.getTime()) / 3_600_000).toBe(169);
  });

  it("spans New York's spring change: Sunday 08:00 on 1 and 8 March is 13:00 then 12:00 UTC", () => {
    const slot = lastDueSlot(weekly(0, 8), "America/New_York", new Date("2026-03-10T00:00:00Z"));
    expect(iso(slot)).toBe("2026-03-08T12:00:00.000Z");
    expect(iso(previousSlot(weekly(0, 8), "America/New_York", slot!))).toBe("2026-03-01T13:00:00.000Z");
  });

  it("uses the community's calendar day: late Sunday in New York is already Monday in UTC", () => {
    // 23:30 on Sunday 6 December in New York is 04:30 UTC on Monday: a Sunday 23:00 digest is due.
    expect(iso(lastDueSlot(weekly(0, 23), "America/New_York", new Date("2026-12-07T04:30:00Z")))).toBe("2026-12-07T04:00:00.000Z");
    // A Monday 00:00 digest in New York is not due yet then.
    expect(iso(lastDueSlot(weekly(1, 0), "America/New_York", new Date("2026-12-07T04:30:00Z")))).toBe("2026-11-30T05:00:00.000Z");
  });
});

import { describe, expect, it } from "vitest";
import { addBusinessHours } from "../../src/review/business-hours.js";
import { instantAt, monthAround } from "../../src/core/zoned-time.js";

const add = (start: string, hours: number, zone: string) => addBusinessHours(new Date(start), hours, zone).toISOString();

describe("business hours", () => {
  it("counts weekday time and skips the weekend whole (Friday to Monday)", () => {
    // Friday 10:00 UTC: 14 hours left on Friday, then Monday from midnight.
    expect(add("2026-12-04T10:00:00Z", 14, "UTC")).toBe("2026-12-05T00:00:00.000Z");
    expect(add("2026-12-04T10:00:00Z", 15, "UTC")).toBe("2026-12-07T01:00:00.000Z");
    expect(add("2026-12-04T10:00:00Z", 48, "UTC")).toBe("2026-12-08T10:00:00.000Z");
  });

  it("starts counting on Monday when started at the weekend", () => {
    expect(add("2026-12-05T15:00:00Z", 1, "UTC")).toBe("2026-12-07T01:00:00.000Z");
    expect(add("2026-12-06T23:59:00Z", 24, "UTC")).toBe("2026-12-08T00:00:00.000Z");
  });

  it("uses the community's weekend, not UTC's", () => {
    // Friday 18:00 in New York is 23:00 UTC; 6 hours of its Friday remain, though UTC's ends in 1.
    expect(add("2026-12-04T23:00:00Z", 6, "America/New_York")).toBe("2026-12-05T05:00:00.000Z");
    expect(add("2026-12-04T23:00:00Z", 7, "America/New_York")).toBe("2026-12-07T06:00:00.000Z");
  });

  it("skips a weekend with a daylight-saving change exactly (Europe/Berlin, autumn: 49 hours long)", () => {
    // Friday 23 Oct 2026 18:00 CEST = 16:00Z. 6 hours end Friday; 2 more are Monday 00:00–02:00 CET.
    expect(add("2026-10-23T16:00:00Z", 8, "Europe/Berlin")).toBe("2026-10-26T01:00:00.000Z");
    // 6 on Friday, 24 on Monday, 18 on Tuesday: Tuesday 18:00 CET.
    expect(add("2026-10-23T16:00:00Z", 48, "Europe/Berlin")).toBe("2026-10-27T17:00:00.000Z");
  });

  it("skips a weekend with a daylight-saving change exactly (America/New_York, spring: 47 hours long)", () => {
    // Friday 6 Mar 2026 22:00 EST = 7 Mar 03:00Z. 2 hours end Friday; Monday starts at 04:00Z (EDT).
    expect(add("2026-03-07T03:00:00Z", 2, "America/New_York")).toBe("2026-03-07T05:00:00.000Z");
    expect(add("2026-03-07T03:00:00Z", 3, "America/New_York")).toBe("2026-03-09T05:00:00.000Z");
    // And in autumn (1 Nov 2026): Friday 23:00 EDT, 1 hour left; Monday starts at 05:00Z (EST).
    expect(add("2026-10-31T03:00:00Z", 3, "America/New_York")).toBe("2026-11-02T07:00:00.000Z");
  });

  it("works in time zones far from UTC", () => {
    // Kiritimati is UTC+14: Friday 20:00 there is Friday 06:00Z; 4 hours end its Friday.
    expect(add("2026-12-04T06:00:00Z", 5, "Pacific/Kiritimati")).toBe("2026-12-06T11:00:00.000Z");
    // Pago Pago is UTC−11: Friday 20:00 there is Saturday 07:00Z.
    expect(add("2026-12-05T07:00:00Z", 5, "Pacific/Pago_Pago")).toBe("2026-12-07T12:00:00.000Z");
    // Kathmandu is UTC+5:45: Friday 18:00 there is 12:15Z; 6 hours end its Friday exactly.
    expect(add("2026-12-04T12:15:00Z", 6, "Asia/Kathmandu")).toBe("2026-12-04T18:15:00.000Z");
    expect(add("2026-12-04T12:15:00Z", 7, "Asia/Kathmandu")).toBe("2026-12-06T19:15:00.000Z");
  });

  it("finds wall-clock times on either side of a daylight-saving jump, and months in the zone", () => {
    // 02:30 does not exist in Berlin on 29 Mar 2026: it reads as 03:30 CEST.
    expect(instantAt({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(instantAt({ year: 2026, month: 3, day: 29, hour: 4, minute: 0 }, "Europe/Berlin").toISOString()).toBe("2026-03-29T02:00:00.000Z");
    const month = monthAround(new Date("2026-12-31T12:00:00Z"), "Pacific/Auckland");
    expect([month.start.toISOString(), month.next.toISOString()]).toEqual(["2026-12-31T11:00:00.000Z", "2027-01-31T11:00:00.000Z"]);
  });
});

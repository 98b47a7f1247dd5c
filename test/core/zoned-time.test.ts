// The one rule for wall-clock times at daylight-saving edges (src/core/zoned-time.ts): a time
// that happens twice is its earlier occurrence; a skipped time is moved forward by the jump.
// Expected instants are worked out by hand from the zones' 2026 change dates.
import { describe, expect, it } from "vitest";
import { instantAt, resolveLocalTime } from "../../src/core/zoned-time.js";

const at = (year: number, month: number, day: number, hour: number, minute: number, zone: string) => instantAt({ year, month, day, hour, minute }, zone).toISOString();

describe("Europe/Berlin (CET UTC+1, CEST UTC+2)", () => {
  it("spring forward, 29 March 2026: 02:00 CET jumps to 03:00 CEST at 01:00 UTC", () => {
    expect(at(2026, 3, 29, 1, 59, "Europe/Berlin")).toBe("2026-03-29T00:59:00.000Z");
    // 02:00 and 02:30 never happen: moved forward one hour, to 03:00 and 03:30 CEST.
    expect(at(2026, 3, 29, 2, 0, "Europe/Berlin")).toBe("2026-03-29T01:00:00.000Z");
    expect(at(2026, 3, 29, 2, 30, "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    expect(at(2026, 3, 29, 3, 0, "Europe/Berlin")).toBe("2026-03-29T01:00:00.000Z");
    expect(resolveLocalTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Berlin")).toMatchObject({ kind: "skipped", jumpMinutes: 60 });
  });

  it("fall back, 25 October 2026: 03:00 CEST goes back to 02:00 CET at 01:00 UTC", () => {
    expect(at(2026, 10, 25, 1, 59, "Europe/Berlin")).toBe("2026-10-24T23:59:00.000Z");
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET): the earlier one.
    expect(at(2026, 10, 25, 2, 30, "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z");
    expect(resolveLocalTime({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, "Europe/Berlin")).toEqual({
      kind: "ambiguous",
      earlier: new Date("2026-10-25T00:30:00.000Z"),
      later: new Date("2026-10-25T01:30:00.000Z"),
    });
    expect(at(2026, 10, 25, 3, 0, "Europe/Berlin")).toBe("2026-10-25T02:00:00.000Z");
  });
});

describe("America/New_York (EST UTC-5, EDT UTC-4)", () => {
  it("spring forward, 8 March 2026: 02:00 EST jumps to 03:00 EDT at 07:00 UTC", () => {
    expect(at(2026, 3, 8, 1, 59, "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(at(2026, 3, 8, 2, 30, "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(at(2026, 3, 8, 3, 0, "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
  });

  it("fall back, 1 November 2026: 02:00 EDT goes back to 01:00 EST at 06:00 UTC", () => {
    expect(at(2026, 11, 1, 0, 59, "America/New_York")).toBe("2026-11-01T04:59:00.000Z");
    // 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST): the earlier one.
    expect(at(2026, 11, 1, 1, 30, "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(resolveLocalTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, "America/New_York")).toMatchObject({ kind: "ambiguous" });
    expect(at(2026, 11, 1, 2, 0, "America/New_York")).toBe("2026-11-01T07:00:00.000Z");
  });
});

import { describe, expect, it } from "vitest";
import { parseAwayUntil } from "../../src/review/away.js";
import { normaliseLanguage, parseLanguages } from "../../src/review/languages.js";

describe("languages", () => {
  it("normalises case and common aliases", () => {
    expect(["TS", "ts", "TypeScript"].map(normaliseLanguage)).toEqual(["typescript", "typescript", "typescript"]);
    expect(["js", "py", "golang", "C#", "c++", "rs"].map(normaliseLanguage)).toEqual(["javascript", "python", "go", "csharp", "cpp", "rust"]);
  });

  it("parses a list with commas or spaces, without repeats", () => {
    expect(parseLanguages("ts, Rust py typescript")).toEqual(["typescript", "rust", "python"]);
  });

  it("refuses junk, empty lists and too many languages", () => {
    expect(() => parseLanguages(" , ")).toThrow("List the languages");
    expect(() => normaliseLanguage("<@U123>")).toThrow("A language is a name");
    expect(() => parseLanguages(Array.from({ length: 21 }, (_, i) => `lang${i}`).join(" "))).toThrow("list up to 20");
  });
});

describe("away until", () => {
  const now = new Date("2026-12-01T09:00:00Z");

  it("reads a date as the start of that day in the community's time zone", () => {
    expect(parseAwayUntil("2026-12-24", now, "Europe/Berlin").toISOString()).toBe("2026-12-23T23:00:00.000Z");
    expect(parseAwayUntil("2026-12-24", now, "America/New_York").toISOString()).toBe("2026-12-24T05:00:00.000Z");
  });

  it("reads durations from now", () => {
    expect(parseAwayUntil("3d", now, "UTC").toISOString()).toBe("2026-12-04T09:00:00.000Z");
    expect(parseAwayUntil("12 hours", now, "UTC").toISOString()).toBe("2026-12-01T21:00:00.000Z");
    expect(parseAwayUntil("2w", now, "UTC").toISOString()).toBe("2026-12-15T09:00:00.000Z");
  });

  it("refuses the past, impossible dates, junk and absences over a year", () => {
    expect(() => parseAwayUntil("2026-12-01", now, "UTC")).toThrow("has already begun");
    expect(() => parseAwayUntil("2026-02-30", now, "UTC")).toThrow("is not a date");
    expect(() => parseAwayUntil("next tuesday", now, "UTC")).toThrow("Give a date like");
    expect(() => parseAwayUntil("0d", now, "UTC")).toThrow("at least an hour");
    expect(() => parseAwayUntil("400d", now, "UTC")).toThrow("/reviewer leave");
  });
});

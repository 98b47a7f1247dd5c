import { describe, expect, it } from "vitest";
import { excerpt, inline, mentionsAsWords, oneLine, quoted } from "../../src/core/member-text.js";
import { announcementPost, goLivePost } from "../../src/live/live-posts.js";
import type { LiveEvent } from "../../src/generated/prisma/client.js";

const ZWSP = "\u200b";

describe("member text (one escaper for every capability)", () => {
  it("breaks the [[ that would open a mention token, and nothing else", () => {
    expect(quoted("hi [[@U123]] and [[#C1]] and [[@&R1]]")).toBe(`hi [${ZWSP}[@U123]] and [${ZWSP}[#C1]] and [${ZWSP}[@&R1]]`);
    expect(quoted("a [[link]] and `code`")).toBe("a [[link]] and `code`");
  });

  it("inline text stays on one line and cannot open bold, a link or code", () => {
    expect(inline("  **loud**\n[x](https://e.invalid) `rm -rf` [[@U1]] ")).toBe(`*${ZWSP}*loud*${ZWSP}* [x]${ZWSP}(https://e.invalid) ʼrm -rfʼ [${ZWSP}[@U1]]`);
  });

  it("one line and excerpts cut with an ellipsis", () => {
    expect(oneLine("a\n\nb [[@U1]]", 100)).toBe(`a b [${ZWSP}[@U1]]`);
    expect(excerpt("abcdef", 4)).toBe("abc…");
  });

  it("mention tokens read as words in a direct message", () => {
    expect(mentionsAsWords("ask [[@U1]] in [[#C2]] or [[@&R3]]")).toBe("ask someone in someone or someone");
  });

  it("a creator's event title and description cannot ping from a live post", () => {
    const event = { id: "e1", number: 3, title: "Office hours [[@&R1]]", description: "Bring [[@U9]]", startsAt: new Date("2026-12-07T18:00:00Z"), durationMin: 60, link: null } as unknown as LiveEvent;
    const announced = announcementPost(event, null);
    expect(announced.text).toContain(`Bring [${ZWSP}[@U9]]`);
    expect(announced.title).toContain(`Office hours [${ZWSP}[@&R1]]`);
    expect(goLivePost(event, null).title).toBe(`🔴 Live now: Office hours [${ZWSP}[@&R1]]`);
  });
});

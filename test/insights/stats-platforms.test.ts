// /stats on the real Discord and Slack adapters against the fakes: the chart goes with the
// private reply on Discord, and into the member's direct messages on Slack (a Slack file
// cannot be ephemeral).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { ADA, CREATOR, type DiscordCommunity, type SlackCommunity, startDiscordCommunity, startSlackCommunity } from "../support/platforms.js";

const kind = backends()[0]!;

describe("/stats on Discord", () => {
  let h: DiscordCommunity;
  beforeAll(async () => {
    h = await startDiscordCommunity({ kind });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses members and attaches a PNG chart to the creator's private reply", async () => {
    expect((await h.run(ADA, "stats")).text).toContain("Only creators can use /stats.");
    const seen = await h.run(CREATOR, "stats", { options: { period: "week" } });
    expect(seen.ephemeral).toBe(true);
    expect(seen.text).toContain("Paying members");
    const files = h.fake.calls.flatMap((c) => c.files);
    expect(files).toEqual([expect.objectContaining({ filename: "stats.png" })]);
    expect(files[0]!.size).toBeGreaterThan(1000);
  });
});

describe("/stats on Slack", () => {
  let h: SlackCommunity;
  beforeAll(async () => {
    h = await startSlackCommunity({ kind });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("uploads the PNG chart to the creator's direct messages with files.uploadV2", async () => {
    const seen = await h.run(CREATOR, "stats");
    expect(seen.text).toContain("Paying members");
    const fake = h.fake;
    await expect.poll(() => [...fake.uploads.values()].find((u) => u.completed)).toBeTruthy();
    const upload = [...fake.uploads.values()][0]!;
    expect(upload.filename).toBe("stats.png");
    expect(upload.received).toBeGreaterThanOrEqual(upload.length); // the SDK posts the bytes as a multipart form
    expect(upload.completed?.channelId).toMatch(/^D/);
  });
});

// The fan-out fake's global limit, against Discord's documented behaviour: beyond the token's
// limit in a sliding second, a 429 whose body fits Discord's RatelimitedResponse (message, code,
// retry_after, global: true) with the global-scope headers; a raised limit is a setting.
import { afterEach, expect, it } from "vitest";
import { DiscordSpec } from "../contracts/discord-spec.js";
import { dmChannelOf, RateLimitedDiscord } from "./rate-limited-discord.js";

const USER = "810000000000000001";
let fake: RateLimitedDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function burst(limit: number, requests: number) {
  fake = new RateLimitedDiscord(limit);
  const api = await fake.listen();
  const path = `/channels/${dmChannelOf(USER)}/messages`;
  const requestBody = { content: "Office hours in 24 hours" };
  const answers = await Promise.all(
    Array.from({ length: requests }, async () => {
      const response = await fetch(`${api}/v10${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requestBody) });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    }),
  );
  return { answers, path, requestBody };
}

it("answers requests beyond the limit in a sliding second as Discord's global limit does, in the spec's shape", async () => {
  const { answers, path, requestBody } = await burst(5, 8);
  // A burst of 8 within well under a second against a limit of 5: 5 taken, 3 refused.
  expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
  const limited = answers.filter((a) => a.status === 429);
  expect(limited).toHaveLength(3);
  expect(fake!.rateLimited).toBe(3);
  expect(fake!.messages).toHaveLength(5);
  const spec = new DiscordSpec();
  for (const { body, headers } of limited) {
    expect(body).toMatchObject({ message: "You are being rate limited.", code: 0, global: true });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(1);
    expect(headers.get("x-ratelimit-global")).toBe("true");
    expect(headers.get("x-ratelimit-scope")).toBe("global");
    expect(Number(headers.get("retry-after"))).toBeGreaterThan(0);
    expect(spec.check({ method: "POST", path, query: {}, requestBody, status: 429, responseBody: body })).toEqual([]);
  }
});

it("takes a raised limit: 60 at once against 100 a second are all accepted", async () => {
  const { answers } = await burst(100, 60);
  expect(answers.map((a) => a.status)).toEqual(Array(60).fill(200));
  expect(fake!.accepted).toHaveLength(60);
  expect(fake!.rateLimited).toBe(0);
});

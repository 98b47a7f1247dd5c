import { DefaultRestOptions, REST, type RESTOptions } from "discord.js";
import type { PaceGate } from "../pacing.js";
import type { AccessRestConfig } from "./access-rest.js";
import { NotSentByChoice, takeBeforeWire } from "./before-wire.js";

/**
 * A REST like createAccessRest (`retries: 0`, no gateway needed) whose every request, retries
 * of 429s included, waits for its turn at `pacer` right before it goes on the wire: after
 * discord.js's per-route buckets have let it through, so what the pacer spaces is what
 * Discord sees (a Pacer in one process, or a SharedPacer per token across processes).
 * discord.js's own global limiter is switched off: it lets 50 requests out at the start of
 * each second, which a sliding window sees as up to 100 in one; the pacer takes its place. A 429 that says `global` is still waited out by discord.js.
 *
 * A request may carry a step to run between its turn and the wire (before-wire.ts): the
 * fan-out's claim of a direct message.
 *
 * discord.js starts its 15-second request timeout before the turn is taken, so callers bound
 * how many requests they have in flight (DeliveryQueue: 50, about a second's worth).
 */
export function createPacedRest(config: AccessRestConfig, pacer: PaceGate, onResponse?: (status: number) => void): REST {
  return new REST({
    retries: 0,
    globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    makeRequest: pacedRequests(pacer, onResponse),
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
  }).setToken(config.token);
}

/**
 * discord.js's `makeRequest`, each request taking its turn at `pacer` first, except those
 * Discord does not count against the bot's global limit: interaction callbacks and webhook
 * follow-ups (its rate-limit documentation exempts interaction endpoints), which an answer
 * must never queue behind a fan-out for. The gateway client's own REST uses it too, so
 * replies' side posts and member fetches share the token's budget with the fan-outs.
 */
export function pacedRequests(pacer: PaceGate, onResponse?: (status: number) => void): RESTOptions["makeRequest"] {
  return async (url, init) => {
    if (!isExempt(url)) await pacer.wait(init.signal ?? undefined);
    const step = takeBeforeWire(init.headers);
    if (step && !(await step())) throw new NotSentByChoice();
    const response = await DefaultRestOptions.makeRequest(url, init);
    onResponse?.(response.status);
    return response;
  };
}

/**
 * Whether the route after the API version (`…/v10/interactions/…`) is exempt. Read from the
 * URL text rather than through `new URL`: this runs for every answer, and parsing was most of
 * the pacing wrapper's cost. discord.js builds these URLs itself, so they are already normal.
 */
export function isExempt(url: string): boolean {
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const path = pathStart < 0 ? "/" : url.slice(pathStart).split(/[?#]/, 1)[0]!;
  const version = /\/v\d+\//.exec(path);
  const route = version ? path.slice(version.index + version[0].length - 1) : path;
  return route.startsWith("/interactions/") || route.startsWith("/webhooks/");
}

// A minimal Discord REST for fan-out tests with several processes on one token: it opens DM
// channels and takes messages, remembers when each request arrived and for which member, and
// holds the token to a global limit the strict way: a request beyond `perSecond` in any sliding
// second is answered as Discord answers one over its global limit (429, a body with message,
// code, retry_after and `global: true`, and the headers discord.js reads) and counted. The limit
// is Discord's 50 by default; Discord raises it for large bots, so a test may set another.
// DM channel ids are the member's user id with a leading 7 instead of 8, so a test can seed
// remembered channels without opening them. Messages are created as Discord does with
// `enforce_nonce` (the same nonce within the window returns the first message; nonces.ts) and
// can be read back per DM channel (newest first, `after` and `limit`), as the bot's own.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { rateLimitBody } from "./discord/api-errors.js";
import { snowflake } from "./discord/ids.js";
import { NonceMemory, validateNonce } from "./discord/nonces.js";

export interface ReceivedMessage {
  readonly id: string;
  readonly userId: string;
  readonly content: string;
  /** When it arrived (performance.now() of this process). */
  readonly at: number;
}

/** The DM channel the fake gives `userId` (an 18-digit id starting with 8). */
export const dmChannelOf = (userId: string): string => `7${userId.slice(1)}`;
const userOf = (channelId: string): string => `8${channelId.slice(1)}`;

export class RateLimitedDiscord {
  readonly messages: ReceivedMessage[] = [];
  /** Arrival times of every accepted request, in order. */
  readonly accepted: number[] = [];
  rateLimited = 0;
  /** Nonces of messages created with `enforce_nonce`; a test may shorten the window. */
  readonly nonces = new NonceMemory();
  /** Creations answered with an earlier message because its nonce was seen within the window. */
  deduplicated = 0;
  readonly #byChannel = new Map<string, ReceivedMessage[]>();
  readonly #window: number[] = [];
  readonly #server = createServer((req, res) => this.#handle(req, res));

  /** `perSecond`: the token's global limit, requests in any sliding second. */
  constructor(readonly perSecond = 50) {}

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    // Stamped on arrival, before the body is read, so arrivals keep their order.
    const at = performance.now();
    while (this.#window.length > 0 && at - this.#window[0]! >= 1000) this.#window.shift();
    if (this.#window.length >= this.perSecond) {
      this.rateLimited += 1;
      const retryAfter = (1000 - (at - this.#window[0]!)) / 1000;
      req.resume();
      return send(res, 429, rateLimitBody({ retry_after: retryAfter, global: true }), {
        "retry-after": String(Math.ceil(retryAfter)),
        "x-ratelimit-global": "true",
        "x-ratelimit-scope": "global",
      });
    }
    this.#window.push(at);
    this.accepted.push(at);
    let body = "";
    req.on("data", (chunk) => (body += String(chunk)));
    req.on("end", () => {
      const path = (req.url ?? "").replace(/^\/api\/v\d+/, "");
      const data = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (req.method === "POST" && path === "/users/@me/channels") {
        const userId = String(data.recipient_id);
        return send(res, 200, { id: dmChannelOf(userId), type: 1, recipients: [{ id: userId, username: "member" }] });
      }
      const message = /^\/channels\/(\d+)\/messages(?:\?(.*))?$/.exec(path);
      if (req.method === "POST" && message) return this.#create(res, message[1]!, data, at);
      if (req.method === "GET" && message) return this.#list(res, message[1]!, new URLSearchParams(message[2] ?? ""));
      send(res, 404, { message: "404: Not Found", code: 0 });
    });
  }

  #create(res: ServerResponse, channelId: string, data: Record<string, unknown>, at: number): void {
    const problem = validateNonce(data.nonce);
    if (problem) return send(res, problem.status, problem.body);
    const nonce = data.nonce as string | number | null | undefined;
    const enforced = data.enforce_nonce === true && nonce !== undefined && nonce !== null;
    const earlierId = enforced ? this.nonces.find(BOT.id, nonce) : undefined;
    const earlier = earlierId === undefined ? undefined : this.#byChannel.get(channelId)?.find((m) => m.id === earlierId);
    if (earlier) {
      this.deduplicated += 1;
      return send(res, 200, apiMessage(channelId, earlier, nonce));
    }
    const created: ReceivedMessage = { id: snowflake(), userId: userOf(channelId), content: String(data.content ?? ""), at };
    this.messages.push(created);
    this.#byChannel.set(channelId, [...(this.#byChannel.get(channelId) ?? []), created]);
    if (enforced) this.nonces.remember(BOT.id, nonce, created.id);
    send(res, 200, apiMessage(channelId, created, nonce));
  }

  /** A DM channel's messages, newest first, as GET /channels/{id}/messages answers (no nonces on reads). */
  #list(res: ServerResponse, channelId: string, query: URLSearchParams): void {
    const after = query.get("after");
    const limit = Math.min(Math.max(Number(query.get("limit") ?? 50), 1), 100);
    const newestFirst = [...(this.#byChannel.get(channelId) ?? [])].filter((m) => after === null || BigInt(m.id) > BigInt(after)).reverse();
    send(res, 200, newestFirst.slice(0, limit).map((m) => apiMessage(channelId, m, undefined)));
  }
}

const BOT = { id: "100000000000000007", username: "guildhall", bot: true, discriminator: "0", global_name: null, avatar: null };

function apiMessage(channelId: string, m: ReceivedMessage, nonce: string | number | null | undefined): Record<string, unknown> {
  const timestamp = new Date(Number((BigInt(m.id) >> 22n) + 1_420_070_400_000n)).toISOString();
  return { id: m.id, type: 0, channel_id: channelId, author: BOT, content: m.content, timestamp, edited_timestamp: null, ...(nonce === undefined || nonce === null ? {} : { nonce }) };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Route limits generous enough never to bind: only the global one is under test.
  res.writeHead(status, { "content-type": "application/json", "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "999", "x-ratelimit-reset-after": "1.000", ...headers });
  res.end(JSON.stringify(body));
}

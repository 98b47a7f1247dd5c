// A minimal Discord REST for fan-out tests with several processes on one token: it opens DM
// channels and takes messages, remembers when each request arrived and for which member, and
// holds the token to a global limit the strict way: a request beyond `perSecond` in any sliding
// second is answered as Discord answers one over its global limit (429, a body with message,
// code, retry_after and `global: true`, and the headers discord.js reads) and counted. The limit
// is Discord's 50 by default; Discord raises it for large bots, so a test may set another.
// DM channel ids are the member's user id with a leading 7 instead of 8, so a test can seed
// remembered channels without opening them.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { rateLimitBody } from "./discord/api-errors.js";

export interface ReceivedMessage {
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
      const message = /^\/channels\/(\d+)\/messages$/.exec(path);
      if (req.method === "POST" && message) {
        this.messages.push({ userId: userOf(message[1]!), content: String(data.content ?? ""), at });
        return send(res, 200, { id: String(this.messages.length), channel_id: message[1], content: data.content });
      }
      send(res, 404, { message: "404: Not Found", code: 0 });
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Route limits generous enough never to bind: only the global one is under test.
  res.writeHead(status, { "content-type": "application/json", "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "999", "x-ratelimit-reset-after": "1.000", ...headers });
  res.end(JSON.stringify(body));
}

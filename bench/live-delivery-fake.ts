// A minimal fake Discord REST for the delivery benchmark: it opens DM channels and takes
// messages, and it enforces Discord's global limit the strict way, 50 requests in ANY sliding
// one-second window, answering more with a global 429 (and counting them). Per-route headers
// are realistic in shape (X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket) with
// limits that never bind below the global one for this workload.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLimits {
  /** Requests allowed in any sliding window of one second, across all routes. */
  readonly globalPerSecond: number;
}

export interface FakeStats {
  /** Requests answered 2xx, per route. */
  readonly ok: Record<string, number>;
  readonly globalRateLimited: number;
  readonly routeRateLimited: number;
  /** Everything else that was not 2xx (unknown channel, bad request). */
  readonly otherErrors: number;
  /** Most requests accepted within any one-second window. */
  readonly peakPerSecond: number;
}

/** A route's bucket: `limit` requests per fixed window of `resetAfterS`, per major parameter. */
interface BucketRule {
  readonly hash: string;
  readonly limit: number;
  readonly resetAfterS: number;
}

/** DM opens share one bucket; generous, since Discord does not document it. */
const OPEN_DM: BucketRule = { hash: "b7f0fe7a1c2e3d4f", limit: 50, resetAfterS: 1 };
/** Discord's usual message limit: 5 per 5 seconds per channel. */
const CHANNEL_MESSAGES: BucketRule = { hash: "80c17d2f203122d9", limit: 5, resetAfterS: 5 };

const WINDOW_MS = 1000;

export class FakeDeliveryDiscord {
  readonly #accepted: number[] = []; // arrival times within the last window, oldest first
  readonly #buckets = new Map<string, { startedAt: number; used: number }>();
  readonly #dmChannels = new Map<string, string>(); // user id → channel id
  readonly #channels = new Set<string>();
  readonly #ok: Record<string, number> = {};
  #globalRateLimited = 0;
  #routeRateLimited = 0;
  #otherErrors = 0;
  #peak = 0;
  #nextId = 600000000000000000n;
  readonly #server = createServer((req, res) => void this.#handle(req, res));

  constructor(
    private readonly limits: FakeLimits,
    guildChannels: readonly string[],
  ) {
    for (const id of guildChannels) this.#channels.add(id);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api`;
  }

  stats(): FakeStats {
    return { ok: { ...this.#ok }, globalRateLimited: this.#globalRateLimited, routeRateLimited: this.#routeRateLimited, otherErrors: this.#otherErrors, peakPerSecond: this.#peak };
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Counted the moment the request arrives, before its body is read, so arrivals stay in order.
    const arrived = performance.now();
    if (!req.headers.authorization?.startsWith("Bot ")) {
      req.resume();
      return this.#error(res, 401, { message: "401: Unauthorized", code: 0 });
    }
    const retryAfterMs = this.#globalCheck(arrived);
    if (retryAfterMs !== undefined) {
      req.resume();
      this.#globalRateLimited += 1;
      const seconds = retryAfterMs / 1000;
      return send(res, 429, { message: "You are being rate limited.", retry_after: seconds, global: true }, {
        "Retry-After": String(Math.ceil(seconds)),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
      });
    }
    const body = await readJson(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname.replace(/^\/api\/v\d+/, "");
    const message = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (req.method === "POST" && path === "/users/@me/channels") return this.#routed(res, "open DM", OPEN_DM, "", arrived, () => this.#openDm(body));
    if (req.method === "POST" && message) return this.#routed(res, "post message", CHANNEL_MESSAGES, message[1]!, arrived, () => this.#postMessage(message[1]!, body));
    return this.#error(res, 404, { message: "404: Not Found", code: 0 });
  }

  /** Records the arrival, or says how long until the window has room (the request is not counted). */
  #globalCheck(now: number): number | undefined {
    while (this.#accepted.length > 0 && this.#accepted[0]! <= now - WINDOW_MS) this.#accepted.shift();
    if (this.#accepted.length >= this.limits.globalPerSecond) return this.#accepted[0]! + WINDOW_MS - now;
    this.#accepted.push(now);
    this.#peak = Math.max(this.#peak, this.#accepted.length);
    return undefined;
  }

  #routed(res: ServerResponse, route: string, rule: BucketRule, major: string, now: number, answer: () => { status: number; body: unknown }): void {
    const key = `${rule.hash}:${major}`;
    let bucket = this.#buckets.get(key);
    if (!bucket || now >= bucket.startedAt + rule.resetAfterS * 1000) {
      bucket = { startedAt: now, used: 0 };
      this.#buckets.set(key, bucket);
    }
    const resetAfterS = (bucket.startedAt + rule.resetAfterS * 1000 - now) / 1000;
    const headers = {
      "X-RateLimit-Limit": String(rule.limit),
      "X-RateLimit-Remaining": String(Math.max(0, rule.limit - bucket.used - 1)),
      "X-RateLimit-Reset": ((Date.now() + resetAfterS * 1000) / 1000).toFixed(3),
      "X-RateLimit-Reset-After": resetAfterS.toFixed(3),
      "X-RateLimit-Bucket": rule.hash,
    };
    if (bucket.used >= rule.limit) {
      this.#routeRateLimited += 1;
      return send(res, 429, { message: "You are being rate limited.", retry_after: resetAfterS, global: false }, { ...headers, "Retry-After": String(Math.ceil(resetAfterS)), "X-RateLimit-Scope": "user" });
    }
    bucket.used += 1;
    const { status, body } = answer();
    if (status < 300) this.#ok[route] = (this.#ok[route] ?? 0) + 1;
    else this.#otherErrors += 1;
    send(res, status, body, headers);
  }

  #openDm(body: Record<string, unknown>): { status: number; body: unknown } {
    const userId = body.recipient_id;
    if (typeof userId !== "string") return { status: 400, body: { message: "Invalid Form Body", code: 50035 } };
    let channelId = this.#dmChannels.get(userId);
    if (!channelId) {
      channelId = String((this.#nextId += 1n));
      this.#dmChannels.set(userId, channelId);
      this.#channels.add(channelId);
    }
    return { status: 200, body: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [{ id: userId, username: `member${userId.slice(-5)}`, discriminator: "0", global_name: null, avatar: null }] } };
  }

  #postMessage(channelId: string, body: Record<string, unknown>): { status: number; body: unknown } {
    if (!this.#channels.has(channelId)) return { status: 404, body: { message: "Unknown Channel", code: 10003 } };
    if (typeof body.content !== "string" && !Array.isArray(body.embeds)) return { status: 400, body: { message: "Cannot send an empty message", code: 50006 } };
    const id = String((this.#nextId += 1n));
    return { status: 200, body: { id, channel_id: channelId, type: 0, content: body.content ?? "", timestamp: new Date().toISOString(), author: { id: "900000000000000001", username: "guildhall-bot", discriminator: "0", bot: true } } };
  }

  #error(res: ServerResponse, status: number, body: unknown): void {
    this.#otherErrors += 1;
    send(res, status, body, {});
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

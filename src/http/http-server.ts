import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log/logger.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The one HTTP server for everything that must receive requests: health checks, Slack's
 * HTTP mode, Stripe webhooks. Routes are exact `METHOD path` pairs; a mount hands every
 * request under a prefix to another listener (Bolt's receiver).
 */
export class HttpServer {
  readonly #routes = new Map<string, RouteHandler>();
  readonly #mounts: { prefix: string; listener: RequestListener }[] = [];
  #server: Server | undefined;

  constructor(private readonly log: Logger) {}

  route(method: string, path: string, handler: RouteHandler): this {
    this.#routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  mount(prefix: string, listener: RequestListener): this {
    this.#mounts.push({ prefix, listener });
    return this;
  }

  async listen(port: number, host?: string): Promise<number> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    this.log.info({ port: actual }, "HTTP server listening");
    return actual;
  }

  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    try {
      const route = this.#routes.get(`${req.method} ${path}`);
      if (route) return await route(req, res);
      const mount = this.#mounts.find((m) => path.startsWith(m.prefix));
      if (mount) return mount.listener(req, res);
      sendJson(res, 404, { error: "not_found" });
    } catch (error) {
      this.log.error({ err: error, path }, "HTTP handler failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
      else res.end();
    }
  }

  /** Stops accepting connections and lets in-flight requests finish, up to `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a request body as raw bytes (webhook signatures are computed over these). */
export async function readRawBody(req: IncomingMessage, limitBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error(`request body over ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

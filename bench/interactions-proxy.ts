// The round-robin HTTP proxy in front of the Guildhall processes of the interactions-over-HTTP
// benchmark, as a load balancer would be: each request goes to the next of the first `use`
// backends in turn, over kept-alive connections, and is counted per backend (the number of
// interactions each process served, for its event-loop time per interaction).
import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export class RoundRobinProxy {
  readonly #server: Server;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  #use = 1;
  #next = 0;
  /** Requests forwarded to each backend since the last reset. */
  readonly counts: number[];

  constructor(private readonly backends: readonly number[]) {
    this.counts = backends.map(() => 0);
    this.#server = createServer((req, res) => {
      const index = this.#next++ % this.#use;
      this.counts[index]! += 1;
      // Interactions are small: the body is read whole, so a request that met a kept-alive
      // connection the process had just closed can be sent again, as load balancers do.
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => this.#forward(this.backends[index]!, req, Buffer.concat(chunks), res, true));
    });
    this.#server.keepAliveTimeout = 60_000;
  }

  #forward(port: number, req: IncomingMessage, body: Buffer, res: ServerResponse, mayRetry: boolean): void {
    const upstream = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent: this.#agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (mayRetry && upstream.reusedSocket && error.code === "ECONNRESET") return this.#forward(port, req, body, res, false);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }

  /** Routes to the first `n` backends from now on, counts cleared. */
  use(n: number): void {
    this.#use = n;
    this.#next = 0;
    this.counts.fill(0);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

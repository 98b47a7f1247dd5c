// The round-robin HTTP proxy in front of the Guildhall processes of the interactions-over-HTTP
// benchmark, as a load balancer would be: each request goes to the next of the first `use`
// backends in turn, over kept-alive connections, and is counted per backend (the number of
// interactions each process served, for its event-loop time per interaction).
import { Agent, createServer, request, type Server } from "node:http";
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
      const upstream = request({ host: "127.0.0.1", port: this.backends[index], method: req.method, path: req.url, headers: req.headers, agent: this.#agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    this.#server.keepAliveTimeout = 60_000;
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

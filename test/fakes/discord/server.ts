// One HTTP server on 127.0.0.1 for both REST (/api/v10/...) and the gateway WebSocket (/gateway).
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayHub } from "./gateway.js";
import type { RestHandler } from "./rest.js";

/** A listening server and how to stop it. */
export interface ListeningServer {
  port: number;
  close(): Promise<void>;
}

/** Starts listening on a free port. */
export async function listen(rest: RestHandler, gateway: GatewayHub): Promise<ListeningServer> {
  const server: Server = createServer((req, res) => {
    rest.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `Fake Discord crashed: ${String(error)}`, code: 0 }));
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://127.0.0.1").pathname.startsWith("/gateway")) gateway.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        gateway.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A port nothing listens on now, for a child process told to listen there: the operating
 * system picks it, so two tests running side by side cannot draw the same one (a random
 * pick could, and failed with EADDRINUSE once load files ran three at a time).
 */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no port was given"))));
    });
  });
}

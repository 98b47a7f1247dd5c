// Runs before every test file. Test files share their worker process (vitest.config.ts: the
// fast project does not isolate them), and with it the process-wide HTTP connection pools:
// undici's global dispatcher (fetch, discord.js's REST) and node's http.globalAgent (Bolt's
// Web API client). With connections earlier files left in them, discord.js requests in a
// later file failed with ECONNRESET or were never seen by its fake. Each file starts with
// empty pools instead.
import http from "node:http";

const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

interface Dispatcher {
  close(): Promise<void>;
}

const slots = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
const previous = slots[GLOBAL_DISPATCHER];
if (previous) {
  // A new, empty agent of the same kind (undici's Agent, whichever copy installed it).
  slots[GLOBAL_DISPATCHER] = new (previous.constructor as new () => Dispatcher)();
  void previous.close().catch(() => undefined);
}
http.globalAgent.destroy();

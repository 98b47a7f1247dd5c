import { describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { quietLogger } from "../support/logger.js";
import { testConfig } from "../support/app.js";
import { PassThrough } from "node:stream";

describe("HTTP server", () => {
  it("is not started when nothing needs it", async () => {
    const app = await startApp({ config: testConfig(), log: quietLogger(), input: new PassThrough(), output: new PassThrough() });
    expect(app.http).toBeUndefined();
    await app.stop();
  });

  it("answers /healthz when PORT is set, and stops taking connections on shutdown", async () => {
    const config = { ...testConfig(), http: { port: 0, explicit: true } };
    const app = await startApp({ config, log: quietLogger(), httpHost: "127.0.0.1", input: new PassThrough(), output: new PassThrough() });
    const base = `http://127.0.0.1:${app.http!.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok", platforms: {} });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    await app.stop();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

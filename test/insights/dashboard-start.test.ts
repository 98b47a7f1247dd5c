// PUBLIC_URL and PORT for the dashboard: PUBLIC_URL defaults to http://localhost:<PORT>, and
// with PORT unset (nothing else needing HTTP) the first /dashboard starts the server.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { startPlaygroundApp, testConfig } from "../support/app.js";
import { settingsSections } from "../../src/capabilities.js";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("where the dashboard is served", () => {
  it("PUBLIC_URL defaults to http://localhost:<PORT>, 3000 when PORT is unset", () => {
    expect(loadConfig({}, settingsSections).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "8080" }, settingsSections).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ PUBLIC_URL: "https://guildhall.example.com/" }, settingsSections).publicUrl).toBe("https://guildhall.example.com");
  });

  it("with PORT unset, the first /dashboard starts the HTTP server, and its link signs in", async () => {
    const port = await freePort();
    // PORT unset: the port is the default one (a free one here), not asked for explicitly.
    const config = { ...testConfig(), http: { port, explicit: false }, publicUrl: `http://127.0.0.1:${port}` };
    const p = await startPlaygroundApp({ config, httpHost: "127.0.0.1" });
    try {
      expect(p.app.http).toBeUndefined();
      await expect(fetch(`http://127.0.0.1:${port}/dashboard`)).rejects.toThrow();
      await p.type("/as grace --creator");
      const printed = await p.type("/dashboard");
      const link = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/login\?token=[\w-]+/.exec(printed)?.[0];
      expect(link, printed).toBeDefined();
      const res = await fetch(link!, { redirect: "manual" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/dashboard/c/playground/");
    } finally {
      await p.end();
    }
  });
});

// Discord interactions over HTTP (issue 15): POST /discord/interactions checks Discord's
// Ed25519 signature over the timestamp and raw body before parsing (401 for a bad or stale
// one), answers PING with PONG, runs commands and buttons through the dispatcher, and runs a
// replayed body nothing (409, the interaction id is already claimed).
import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import { assemble } from "../../src/core/assemble.js";
import { systemClock } from "../../src/core/services.js";
import { HttpServer } from "../../src/http/http-server.js";
import { discordInteractionsRoute } from "../../src/platform/discord/http/interactions-route.js";
import { ClaimStates } from "../../src/platform/discord/recovery/claim-states.js";
import { startPlaygroundApp, testConfig, waitFor } from "../support/app.js";
import { freshDatabase } from "../support/databases.js";
import { ADA, acmeCommunity, GENERAL, GUILD } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";
import { slowCommand, withExtra } from "../support/test-commands.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const PUBLIC_KEY_HEX = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url").toString("hex");
const APPLICATION = "900000000000000001";

let nextId = 1_000;
function interaction(type: number, data?: unknown): Record<string, unknown> {
  nextId += 1;
  return {
    id: `80000000000000${nextId}`,
    application_id: APPLICATION,
    type,
    token: `token-${nextId}`,
    version: 1,
    guild_id: GUILD,
    channel: { id: GENERAL, name: "general", type: 0 },
    channel_id: GENERAL,
    member: { user: { id: ADA.id, username: ADA.username, global_name: ADA.globalName }, roles: [], permissions: "0", nick: null },
    ...(data ? { data } : {}),
  };
}

function signed(body: string, timestamp = String(Math.floor(Date.now() / 1000)), key = privateKey) {
  return { "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), key).toString("hex"), "x-signature-timestamp": timestamp, "content-type": "application/json" };
}

describe("POST /discord/interactions", () => {
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  let url: string;
  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: "POST", headers, body });
  const send = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const response = await post(body, signed(body));
    return { status: response.status, json: (await response.json()) as { type?: number; data?: { content?: string; flags?: number; embeds?: { description?: string; title?: string }[] }; error?: string } };
  };

  beforeAll(async () => {
    const config = { ...testConfig({ DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX }), communities: [acmeCommunity()] };
    // A loaded test machine must not turn the immediate answers under test into deferrals.
    pg = await startPlaygroundApp({ config, httpHost: "127.0.0.1", ackAfterMs: 10_000 });
    url = `http://127.0.0.1:${pg.app.http!.port}/discord/interactions`;
  });
  afterAll(() => pg?.end());

  it("answers PING with PONG when the signature is good", async () => {
    expect(await send({ id: "1", application_id: APPLICATION, type: 1, token: "t", version: 1 })).toEqual({ status: 200, json: { type: 1 } });
  });

  it("refuses a bad signature, a missing one, another key's, and a changed body with 401", async () => {
    const body = JSON.stringify({ id: "2", application_id: APPLICATION, type: 1, token: "t", version: 1 });
    const good = signed(body);
    expect((await post(body, { ...good, "x-signature-ed25519": "00".repeat(64) })).status).toBe(401);
    expect((await post(body, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(body, signed(body, undefined, generateKeyPairSync("ed25519").privateKey))).status).toBe(401);
    expect((await post(body.replace('"type":1', '"type": 1'), good)).status).toBe(401);
  });

  it("refuses a correctly signed body whose timestamp is more than five minutes old", async () => {
    const body = JSON.stringify({ id: "3", application_id: APPLICATION, type: 1, token: "t", version: 1 });
    const response = await post(body, signed(body, String(Math.floor(Date.now() / 1000) - 301)));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "stale_timestamp" });
  });

  it("runs a slash command through the dispatcher and answers it in the response", async () => {
    const { status, json } = await send(interaction(2, { id: "1", name: "help", type: 1 }));
    expect(status).toBe(200);
    expect(json.type).toBe(4);
    expect(json.data?.flags).toBe(64);
    expect(JSON.stringify(json.data)).toContain("/link");
  });

  it("runs a replayed body nothing: the interaction id is already claimed (409)", async () => {
    const payload = interaction(2, { id: "1", name: "help", type: 1 });
    const body = JSON.stringify(payload);
    const headers = signed(body);
    expect((await post(body, headers)).status).toBe(200);
    const replay = await post(body, headers);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toEqual({ error: "already_handled" });
  });

  it("answers an unknown button with a friendly private message", async () => {
    const { status, json } = await send(interaction(3, { custom_id: "gh:no-such-action:1", component_type: 2 }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ type: 4, data: { content: "That button is no longer active.", flags: 64 } });
  });

  it("tells a member using it outside a server that commands work inside one", async () => {
    const { guild_id: _guild, member: _member, ...dm } = interaction(2, { id: "1", name: "help", type: 1 });
    const { json } = await send({ ...dm, user: { id: ADA.id, username: ADA.username } });
    expect(json).toMatchObject({ type: 4, data: { content: "Guildhall commands work inside a community server.", flags: 64 } });
  });
});

describe("POST /discord/interactions, a slow command", () => {
  it("is deferred in the response, then answered by editing @original through Discord's webhook API", async () => {
    const patches: { method: string; url: string; body: string }[] = [];
    const discord = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += String(c)));
      req.on("end", () => {
        // discord.js encodes @original as %40original, as it does for editReply.
        patches.push({ method: req.method ?? "", url: decodeURIComponent(req.url ?? ""), body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => discord.listen(0, "127.0.0.1", () => r()));
    const database = await freshDatabase("pglite");
    const log = quietLogger();
    const runtime = assemble({ capabilities: withExtra({ commands: [slowCommand] }), db: database.prisma, communities: [acmeCommunity()], log });
    const server = new HttpServer(log);
    const apiUrl = `http://127.0.0.1:${(discord.address() as { port: number }).port}/api`;
    server.route("POST", "/discord/interactions", discordInteractionsRoute({ publicKey: PUBLIC_KEY_HEX, dispatcher: runtime.dispatcher, clock: systemClock, log, apiUrl, ackAfterMs: 20 }));
    const port = await server.listen(0, "127.0.0.1");
    try {
      const payload = interaction(2, { id: "1", name: "slow", type: 1, options: [{ name: "ms", type: 4, value: 300 }, { name: "public", type: 5, value: true }] });
      const body = JSON.stringify(payload);
      const response = await fetch(`http://127.0.0.1:${port}/discord/interactions`, { method: "POST", headers: signed(body), body });
      expect(await response.json()).toEqual({ type: 5, data: {} });
      await waitFor(() => patches.length > 0, 10_000);
      expect(patches[0]).toMatchObject({ method: "PATCH", url: `/api/v10/webhooks/${APPLICATION}/${String(payload.token)}/messages/@original` });
      expect(JSON.parse(patches[0]!.body)).toMatchObject({ content: "slow and public", allowed_mentions: { parse: [] } });
    } finally {
      await server.close();
      discord.close();
      await database.dispose();
    }
  });
});

describe("POST /discord/interactions, a slow command with claims recorded", () => {
  it("records its holder and, once deferred, what another process needs to answer it; answered, the claim says so and keeps no token", async () => {
    const patched: string[] = [];
    const discord = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        patched.push(decodeURIComponent(req.url ?? ""));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => discord.listen(0, "127.0.0.1", () => r()));
    const database = await freshDatabase("pglite");
    const log = quietLogger();
    const runtime = assemble({ capabilities: withExtra({ commands: [slowCommand] }), db: database.prisma, communities: [acmeCommunity()], log });
    const claims = new ClaimStates(database.prisma, "host:1:http-test", () => undefined);
    const server = new HttpServer(log);
    const apiUrl = `http://127.0.0.1:${(discord.address() as { port: number }).port}/api`;
    server.route("POST", "/discord/interactions", discordInteractionsRoute({ publicKey: PUBLIC_KEY_HEX, dispatcher: runtime.dispatcher, clock: systemClock, log, apiUrl, ackAfterMs: 20, claims }));
    const port = await server.listen(0, "127.0.0.1");
    try {
      const payload = interaction(2, { id: "1", name: "slow", type: 1, options: [{ name: "ms", type: 4, value: 1500 }, { name: "public", type: 5, value: true }] });
      const body = JSON.stringify(payload);
      const response = await fetch(`http://127.0.0.1:${port}/discord/interactions`, { method: "POST", headers: signed(body), body });
      expect(await response.json()).toEqual({ type: 5, data: {} });
      const key = `interaction:discord:${String(payload.id)}`;
      const claim = () => database.prisma.interactionClaim.findUnique({ where: { key } });
      await expect.poll(async () => (await claim())?.state, { timeout: 10_000, interval: 20 }).toBe("deferred");
      expect(await claim()).toMatchObject({
        holder: "host:1:http-test",
        resume: { kind: "command", applicationId: APPLICATION, token: payload.token, ephemeral: false, invocation: { command: "slow", id: `discord:${String(payload.id)}` } },
      });
      await waitFor(() => patched.length > 0, 10_000);
      await expect.poll(async () => (await claim())?.state, { timeout: 10_000, interval: 50 }).toBe("answered");
      expect(await claim()).toMatchObject({ holder: "host:1:http-test", resume: null });
    } finally {
      await server.close();
      discord.close();
      await database.dispose();
    }
  });
});

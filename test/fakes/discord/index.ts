// Fake Discord for tests: a local REST API and gateway that the unmodified discord.js client
// talks to (pass `apiUrl` as `rest.api`). types.ts documents the API; fake-discord.test.ts
// shows each use with a real client.
import { GatewayHub } from "./gateway.js";
import { InteractionSender } from "./interactions.js";
import { InteractionsEndpoint } from "./interactions-endpoint.js";
import { CallRecorder } from "./recorder.js";
import { RestHandler } from "./rest.js";
import { applicationRoutes } from "./routes-application.js";
import { channelRoutes } from "./routes-channels.js";
import { guildRoutes } from "./routes-guilds.js";
import { interactionRoutes } from "./routes-interactions.js";
import { threadRoutes } from "./routes-threads.js";
import { interactionToken, snowflake } from "./ids.js";
import { listen } from "./server.js";
import { adminEdits } from "./admin-edits.js";
import { FakeState } from "./state.js";
import { sendUserMessage } from "./user-messages.js";
import type { FakeDiscord, FakeDiscordOptions } from "./types.js";

export type * from "./types.js";
export type { FakeState } from "./state.js";
export type { ApiChannel, ApiMessage, ApiUser, MemberState } from "./payloads.js";

/** Starts a fake Discord on 127.0.0.1 with the given guilds. */
export async function startFakeDiscord(opts: FakeDiscordOptions): Promise<FakeDiscord> {
  const applicationId = opts.applicationId ?? "900000000000000001";
  const botUser = opts.botUser ?? { id: applicationId, username: "guildhall-bot" };
  const state = new FakeState(opts.guilds, botUser, applicationId);
  const recorder = new CallRecorder();
  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}/gateway`;
  const identifyConcurrency = opts.identifyConcurrency ?? 16;
  const gateway = new GatewayHub(state, gatewayUrl, identifyConcurrency);
  const routes = [...applicationRoutes(gatewayUrl, opts.shards ?? 1, identifyConcurrency), ...interactionRoutes, ...threadRoutes, ...channelRoutes, ...guildRoutes];
  const rest = new RestHandler(state, recorder, gateway, routes);
  const server = await listen(rest, gateway);
  port = server.port;
  const endpoint = new InteractionsEndpoint((path, body) => rest.apply("POST", path, body, { "x-fake-discord-via": "interactions-endpoint" }));
  const sender = new InteractionSender(state, gateway, endpoint);

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    botUser: { id: botUser.id, username: botUser.username },
    calls: recorder.calls,
    state,
    callsTo: (method, path) => recorder.callsTo(method, path),
    waitForCall: (pred, timeoutMs) => recorder.waitForCall(pred, timeoutMs),
    sendSlashCommand: (input) => sender.slash(input),
    sendButtonClick: (input) => sender.button(input),
    sendMessageCommand: (input) => sender.messageCommand(input),
    sendAutocomplete: (input) => sender.autocomplete(input),
    useInteractionsEndpoint: (url, privateKey) => endpoint.use(url, privateKey),
    sendPing: () => endpoint.post(JSON.stringify({ id: snowflake(), application_id: applicationId, type: 1, token: interactionToken(), version: 1 })),
    sendUserMessage: (input) => sendUserMessage(state, gateway, input),
    ...adminEdits(state, gateway),
    dispatch: (t, d) => gateway.dispatch(t, d),
    sendRawFrame: (text) => gateway.sendRaw(text),
    failNext: (pred, response, times) => recorder.failNext(pred, response, times),
    holdNext: (pred) => recorder.holdNext(pred),
    connectedClients: () => gateway.connectedClients(),
    identifiedShards: () => gateway.identifiedShards().map(([id, count]) => [id, count]),
    identifies: () => gateway.identifies().map((i) => ({ ...i, shard: [i.shard[0], i.shard[1]] })),
    close: () => server.close(),
  };
}
